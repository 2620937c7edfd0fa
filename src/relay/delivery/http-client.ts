import { createHash } from 'node:crypto';
import dns from 'node:dns';
import net from 'node:net';
import tls from 'node:tls';
import { Agent, buildConnector, type Dispatcher } from 'undici';
import { AddressBlockedError, checkAddress, type NetworkPolicy } from './network-policy.js';

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const KEEP_ALIVE_TIMEOUT_MS = 4_000;
const DEFAULT_DISPATCHERS_MAX = 64;

/** TLS settings of one receiver, as a profile stores them. */
export interface DeliveryTlsOptions {
  /** Extra CA certificates (PEM) trusted besides Node's default CA store. */
  caPem?: string | null;
  insecureSkipVerify?: boolean;
}

export interface DeliveryDispatcherOptions extends DeliveryTlsOptions {
  policy: NetworkPolicy;
  connectTimeoutMs?: number;
}

/**
 * Creates the undici Agent for deliveries. Every connection it opens goes to an address that the
 * network policy allows: a host name's resolved addresses are filtered in the socket's lookup, and
 * a literal IP host, which net.connect never passes to lookup, is checked before connecting.
 * Redirects followed through this agent open new connections and so are checked the same way.
 */
export function createDeliveryDispatcher(p: DeliveryDispatcherOptions): Agent {
  const connector = buildConnector({
    lookup: createPolicyLookup(p.policy),
    timeout: p.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    rejectUnauthorized: p.insecureSkipVerify !== true,
    ...(hasCaPem(p.caPem) ? { ca: trustedCertificates(p.caPem) } : {}),
  });

  return new Agent({
    connect: createPolicyConnector(p.policy, connector),
    pipelining: 1,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
  });
}

/**
 * Creates a `lookup` for net.connect and tls.connect that resolves every address of the host with
 * dns.lookup and returns only those the policy allows. It fails with AddressBlockedError, naming the
 * first rejected address, when the policy allows none of them.
 */
export function createPolicyLookup(policy: NetworkPolicy): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error !== null) {
        callback(error, options.all === true ? [] : '');
        return;
      }

      const allowed = addresses.filter((entry) => checkAddress(policy, entry.address).allowed);
      const first = allowed[0];
      if (first === undefined) {
        callback(blockedLookupError(policy, hostname, addresses), options.all === true ? [] : '');
        return;
      }

      if (options.all === true) callback(null, allowed);
      else callback(null, first.address, first.family);
    });
  };
}

function blockedLookupError(policy: NetworkPolicy, hostname: string, addresses: dns.LookupAddress[]): Error {
  const address = addresses[0]?.address;
  if (address === undefined) {
    return Object.assign(new Error(`DNS lookup of ${hostname} returned no address`), { code: 'ENOTFOUND' });
  }

  const check = checkAddress(policy, address);
  const reason = check.allowed ? `destination address ${address} is blocked` : check.reason;
  return new AddressBlockedError(reason, address, hostname);
}

/** Wraps an undici connector so that a literal IP host is checked against the policy first. */
function createPolicyConnector(policy: NetworkPolicy, connector: buildConnector.connector): buildConnector.connector {
  return (options, callback) => {
    const address = stripBrackets(options.hostname);
    if (net.isIP(address) !== 0) {
      const check = checkAddress(policy, address);
      if (!check.allowed) {
        // undici's Client calls the connector from its resume loop, so the callback waits for a later
        // tick, as it does for a socket error.
        queueMicrotask(() => callback(new AddressBlockedError(check.reason, address), null));
        return;
      }
    }

    connector(options, callback);
  };
}

function stripBrackets(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

function hasCaPem(caPem: string | null | undefined): caPem is string {
  return caPem !== undefined && caPem !== null && caPem.trim() !== '';
}

/**
 * Returns Node's default CA store plus the profile's certificates, because the `ca` option of
 * tls.connect replaces the default store instead of adding to it.
 */
function trustedCertificates(caPem: string): string[] {
  // NOTE: Node 20 has no tls.getCACertificates, so there the default store is the bundled
  // tls.rootCertificates, without NODE_EXTRA_CA_CERTS or --use-openssl-ca certificates.
  const readDefault = (tls as { getCACertificates?: (type: 'default') => string[] }).getCACertificates;
  const defaults = readDefault === undefined ? tls.rootCertificates : readDefault('default');
  return [...defaults, caPem];
}

/**
 * Returns the key under which equal TLS settings share one dispatcher. The CA is hashed so that the
 * key stays short, and the default settings have the key `default`.
 */
export function dispatcherCacheKey(options: DeliveryTlsOptions): string {
  const insecure = options.insecureSkipVerify === true;
  if (!hasCaPem(options.caPem) && !insecure) return 'default';

  const parts: string[] = [];
  if (hasCaPem(options.caPem)) parts.push(`ca-sha256:${createHash('sha256').update(options.caPem.trim()).digest('hex')}`);
  if (insecure) parts.push('insecure-skip-verify');
  return parts.join(',');
}

/**
 * Dispatchers for deliveries, one per distinct TLS option set, all with the same network policy.
 * Past `maxDispatchers` the least recently used one is closed, which lets its in-flight requests finish.
 */
export class DeliveryDispatcherCache {
  private readonly dispatchers = new Map<string, Agent>();
  private readonly policy: NetworkPolicy;
  private readonly connectTimeoutMs: number | undefined;
  private readonly maxDispatchers: number;

  constructor(p: { policy: NetworkPolicy; connectTimeoutMs?: number; maxDispatchers?: number }) {
    this.policy = p.policy;
    this.connectTimeoutMs = p.connectTimeoutMs;
    this.maxDispatchers = p.maxDispatchers ?? DEFAULT_DISPATCHERS_MAX;
  }

  get size(): number {
    return this.dispatchers.size;
  }

  get(options: DeliveryTlsOptions = {}): Dispatcher {
    const key = dispatcherCacheKey(options);
    const cached = this.dispatchers.get(key);
    if (cached !== undefined) {
      this.dispatchers.delete(key);
      this.dispatchers.set(key, cached);
      return cached;
    }

    const created = createDeliveryDispatcher({
      policy: this.policy,
      caPem: options.caPem ?? null,
      insecureSkipVerify: options.insecureSkipVerify === true,
      ...(this.connectTimeoutMs !== undefined ? { connectTimeoutMs: this.connectTimeoutMs } : {}),
    });
    this.dispatchers.set(key, created);
    this.evictLeastRecentlyUsed();
    return created;
  }

  async close(): Promise<void> {
    const open = [...this.dispatchers.values()];
    this.dispatchers.clear();
    await Promise.all(open.map((dispatcher) => dispatcher.close()));
  }

  private evictLeastRecentlyUsed(): void {
    while (this.dispatchers.size > this.maxDispatchers) {
      const [oldestKey, oldest] = this.dispatchers.entries().next().value as [string, Agent];
      this.dispatchers.delete(oldestKey);
      // Nothing waits on an evicted dispatcher, so a failed close has no caller to report to.
      oldest.close().catch(() => undefined);
    }
  }
}
