import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import type { LookupAddress } from 'node:dns';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { interceptors, request, type Dispatcher } from 'undici';
import {
  DeliveryDispatcherCache,
  createDeliveryDispatcher,
  createPolicyLookup,
  dispatcherCacheKey,
} from './http-client.js';
import { AddressBlockedError, createNetworkPolicy, type NetworkPolicy } from './network-policy.js';

/** A loopback receiver that records the path of every request it gets. */
interface Receiver {
  server: http.Server | https.Server;
  paths: string[];
  port: number;
}

async function startReceiver(
  host: string,
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void = (_req, res) => res.end('ok'),
  tlsOptions?: { key: string; cert: string },
): Promise<Receiver> {
  const paths: string[] = [];
  const listener = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    paths.push(req.url ?? '');
    handler(req, res);
  };
  const server = tlsOptions === undefined ? http.createServer(listener) : https.createServer(tlsOptions, listener);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  return { server, paths, port: (server.address() as AddressInfo).port };
}

async function stopReceiver(receiver: Receiver): Promise<void> {
  receiver.server.closeAllConnections();
  await new Promise<void>((resolve) => receiver.server.close(() => resolve()));
}

async function fetchStatus(url: string, dispatcher: Dispatcher): Promise<number> {
  const response = await request(url, { dispatcher });
  await response.body.text();
  return response.statusCode;
}

async function assertBlocked(url: string, dispatcher: Dispatcher, reason: RegExp): Promise<void> {
  await assert.rejects(fetchStatus(url, dispatcher), (error: unknown) => {
    assert.ok(error instanceof AddressBlockedError, String(error));
    assert.equal(error.code, 'BORO_ADDRESS_BLOCKED');
    assert.match(error.message, reason);
    return true;
  });
}

function lookupAll(policy: NetworkPolicy, hostname: string): Promise<LookupAddress[]> {
  const lookup = createPolicyLookup(policy);
  return new Promise((resolve, reject) => {
    lookup(hostname, { all: true }, (error, addresses) => {
      if (error !== null) reject(error);
      else resolve(addresses as LookupAddress[]);
    });
  });
}

function lookupOne(policy: NetworkPolicy, hostname: string): Promise<{ address: string; family: number | undefined }> {
  const lookup = createPolicyLookup(policy);
  return new Promise((resolve, reject) => {
    lookup(hostname, {}, (error, address, family) => {
      if (error !== null) reject(error);
      else resolve({ address: address as string, family });
    });
  });
}

describe('createDeliveryDispatcher', () => {
  let blockedReceiver: Receiver;
  let allowedReceiver: Receiver;
  let ipv6Receiver: Receiver;
  const dispatchers: Dispatcher[] = [];

  function dispatcherFor(policy: NetworkPolicy): Dispatcher {
    const dispatcher = createDeliveryDispatcher({ policy });
    dispatchers.push(dispatcher);
    return dispatcher;
  }

  before(async () => {
    blockedReceiver = await startReceiver('127.0.0.2');
    ipv6Receiver = await startReceiver('::1');
    allowedReceiver = await startReceiver('127.0.0.1', (req, res) => {
      if (req.url === '/redirect-to-blocked') {
        res.writeHead(307, { location: `http://127.0.0.2:${blockedReceiver.port}/after-redirect` }).end();
        return;
      }
      res.end('ok');
    });
  });

  after(async () => {
    await Promise.all(dispatchers.map((dispatcher) => dispatcher.close()));
    await Promise.all([blockedReceiver, allowedReceiver, ipv6Receiver].map(stopReceiver));
  });

  it('blocks a literal blocked address', async () => {
    const dispatcher = dispatcherFor(createNetworkPolicy({ blocked: '127.0.0.2/32' }));

    await assertBlocked(
      `http://127.0.0.2:${blockedReceiver.port}/literal`,
      dispatcher,
      /^destination address 127\.0\.0\.2 is blocked by BORO_RELAY_BLOCKED_NETWORKS \(127\.0\.0\.2\/32\)$/,
    );
    assert.ok(!blockedReceiver.paths.includes('/literal'));
  });

  it('delivers to an address not blocked', async () => {
    const dispatcher = dispatcherFor(createNetworkPolicy({ blocked: '127.0.0.2/32' }));

    const status = await fetchStatus(`http://127.0.0.1:${allowedReceiver.port}/literal-allowed`, dispatcher);

    assert.equal(status, 200);
    assert.ok(allowedReceiver.paths.includes('/literal-allowed'));
  });

  it('delivers to localhost when allowed', async () => {
    const dispatcher = dispatcherFor(createNetworkPolicy({ blocked: '127.0.0.2/32' }));

    const status = await fetchStatus(`http://localhost:${allowedReceiver.port}/localhost-allowed`, dispatcher);

    assert.equal(status, 200);
    assert.ok(allowedReceiver.paths.includes('/localhost-allowed'));
  });

  it('blocks localhost when it resolves only to blocked addresses', async () => {
    const dispatcher = dispatcherFor(createNetworkPolicy({ blocked: '127.0.0.0/8, ::1' }));

    await assertBlocked(
      `http://localhost:${allowedReceiver.port}/localhost-blocked`,
      dispatcher,
      /is blocked by BORO_RELAY_BLOCKED_NETWORKS/,
    );
    assert.ok(!allowedReceiver.paths.includes('/localhost-blocked'));
  });

  it('allowed list blocks other addresses', async () => {
    const dispatcher = dispatcherFor(createNetworkPolicy({ blocked: 'none', allowed: '127.0.0.1/32' }));

    await assertBlocked(
      `http://127.0.0.2:${blockedReceiver.port}/outside-allowed`,
      dispatcher,
      /^destination address 127\.0\.0\.2 is outside BORO_RELAY_ALLOWED_NETWORKS \(127\.0\.0\.1\/32\)$/,
    );
    assert.ok(!blockedReceiver.paths.includes('/outside-allowed'));
  });

  it('allowed list admits its members', async () => {
    const dispatcher = dispatcherFor(createNetworkPolicy({ blocked: 'none', allowed: '127.0.0.1/32' }));

    const status = await fetchStatus(`http://127.0.0.1:${allowedReceiver.port}/inside-allowed`, dispatcher);

    assert.equal(status, 200);
  });

  it('blocks an IPv4-mapped literal', async () => {
    const dispatcher = dispatcherFor(createNetworkPolicy({ blocked: '127.0.0.2/32' }));

    await assertBlocked(
      `http://[::ffff:127.0.0.2]:${blockedReceiver.port}/mapped`,
      dispatcher,
      /\(127\.0\.0\.2\/32\)$/,
    );
    assert.ok(!blockedReceiver.paths.includes('/mapped'));
  });

  it('blocks an IPv6 literal', async () => {
    const dispatcher = dispatcherFor(createNetworkPolicy({ blocked: '::1' }));

    await assertBlocked(`http://[::1]:${ipv6Receiver.port}/ipv6`, dispatcher, /^destination address ::1 is blocked/);
    assert.ok(!ipv6Receiver.paths.includes('/ipv6'));
  });

  it('delivers to an IPv6 literal not blocked', async () => {
    const dispatcher = dispatcherFor(createNetworkPolicy({ blocked: '127.0.0.2/32' }));

    const status = await fetchStatus(`http://[::1]:${ipv6Receiver.port}/ipv6-allowed`, dispatcher);

    assert.equal(status, 200);
    assert.ok(ipv6Receiver.paths.includes('/ipv6-allowed'));
  });

  it('blocks a redirect target', async () => {
    const dispatcher = dispatcherFor(createNetworkPolicy({ blocked: '127.0.0.2/32' }));
    const redirecting = dispatcher.compose(interceptors.redirect({ maxRedirections: 3 }));

    await assertBlocked(`http://127.0.0.1:${allowedReceiver.port}/redirect-to-blocked`, redirecting, /127\.0\.0\.2/);
    assert.ok(allowedReceiver.paths.includes('/redirect-to-blocked'));
    assert.ok(!blockedReceiver.paths.includes('/after-redirect'));
  });
});

describe('createPolicyLookup', () => {
  it('returns allowed addresses (all)', async () => {
    const addresses = await lookupAll(createNetworkPolicy({ blocked: '::1' }), 'localhost');

    assert.ok(addresses.length > 0);
    assert.ok(addresses.every((entry) => entry.address.startsWith('127.')));
  });

  it('returns one allowed address', async () => {
    const result = await lookupOne(createNetworkPolicy({ blocked: '::1' }), 'localhost');

    assert.match(result.address, /^127\./);
    assert.equal(result.family, 4);
  });

  it('fails when all are blocked', async () => {
    await assert.rejects(lookupAll(createNetworkPolicy({ blocked: '127.0.0.0/8, ::1' }), 'localhost'), (error: unknown) => {
      assert.ok(error instanceof AddressBlockedError);
      assert.equal(error.hostname, 'localhost');
      assert.match(error.address, /^(127\.|::1$)/);
      return true;
    });
  });

  it('passes DNS errors through', async () => {
    await assert.rejects(lookupAll(createNetworkPolicy({}), 'no-such-host.invalid'), (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.ok(!(error instanceof AddressBlockedError));
      assert.equal((error as NodeJS.ErrnoException).code, 'ENOTFOUND');
      return true;
    });
  });
});

describe('TLS options', () => {
  let certificateDir: string;
  let caPem: string;
  let receiver: Receiver;
  const policy = createNetworkPolicy({ blocked: '127.0.0.2/32' });
  const dispatchers: Dispatcher[] = [];

  function dispatcherWith(options: { caPem?: string; insecureSkipVerify?: boolean }): Dispatcher {
    const dispatcher = createDeliveryDispatcher({ policy, ...options });
    dispatchers.push(dispatcher);
    return dispatcher;
  }

  before(async () => {
    certificateDir = mkdtempSync(join(tmpdir(), 'boro-http-client-'));
    const keyPath = join(certificateDir, 'key.pem');
    const certPath = join(certificateDir, 'cert.pem');
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
        '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-keyout', keyPath, '-out', certPath],
      { stdio: 'pipe' },
    );
    caPem = readFileSync(certPath, 'utf8');
    receiver = await startReceiver('127.0.0.1', undefined, { key: readFileSync(keyPath, 'utf8'), cert: caPem });
  });

  after(async () => {
    await Promise.all(dispatchers.map((dispatcher) => dispatcher.close()));
    await stopReceiver(receiver);
    rmSync(certificateDir, { recursive: true, force: true });
  });

  it('rejects an untrusted certificate', async () => {
    await assert.rejects(fetchStatus(`https://127.0.0.1:${receiver.port}/untrusted`, dispatcherWith({})), (error: unknown) => {
      assert.equal((error as NodeJS.ErrnoException).code, 'DEPTH_ZERO_SELF_SIGNED_CERT');
      return true;
    });
    assert.ok(!receiver.paths.includes('/untrusted'));
  });

  it('trusts caPem', async () => {
    const status = await fetchStatus(`https://127.0.0.1:${receiver.port}/ca`, dispatcherWith({ caPem }));

    assert.equal(status, 200);
  });

  it('trusts caPem for a host name', async () => {
    const status = await fetchStatus(`https://localhost:${receiver.port}/ca-localhost`, dispatcherWith({ caPem }));

    assert.equal(status, 200);
  });

  it('skips verification when insecure', async () => {
    const status = await fetchStatus(`https://127.0.0.1:${receiver.port}/insecure`, dispatcherWith({ insecureSkipVerify: true }));

    assert.equal(status, 200);
  });
});

describe('dispatcherCacheKey', () => {
  const cases: Array<{ name: string; options: { caPem?: string | null; insecureSkipVerify?: boolean }; expected: RegExp }> = [
    { name: 'empty options', options: {}, expected: /^default$/ },
    { name: 'null CA, verified', options: { caPem: null, insecureSkipVerify: false }, expected: /^default$/ },
    { name: 'blank CA', options: { caPem: '  \n' }, expected: /^default$/ },
    { name: 'CA', options: { caPem: 'PEM A' }, expected: /^ca-sha256:[0-9a-f]{64}$/ },
    { name: 'insecure', options: { insecureSkipVerify: true }, expected: /^insecure-skip-verify$/ },
    { name: 'CA and insecure', options: { caPem: 'PEM A', insecureSkipVerify: true }, expected: /^ca-sha256:[0-9a-f]{64},insecure-skip-verify$/ },
  ];
  for (const { name, options, expected } of cases) {
    it(name, () => {
      assert.match(dispatcherCacheKey(options), expected);
    });
  }

  it('differs between CAs', () => {
    assert.notEqual(dispatcherCacheKey({ caPem: 'PEM A' }), dispatcherCacheKey({ caPem: 'PEM B' }));
  });
});

describe('DeliveryDispatcherCache', () => {
  const policy = createNetworkPolicy({});

  it('reuses a dispatcher for equal options', async () => {
    const cache = new DeliveryDispatcherCache({ policy });

    const first = cache.get({ caPem: null, insecureSkipVerify: false });
    const second = cache.get();

    assert.equal(first, second);
    assert.equal(cache.size, 1);
    await cache.close();
  });

  it('separates distinct options', async () => {
    const cache = new DeliveryDispatcherCache({ policy });

    const plain = cache.get();
    const insecure = cache.get({ insecureSkipVerify: true });

    assert.notEqual(plain, insecure);
    assert.equal(cache.size, 2);
    await cache.close();
  });

  it('evicts the least recently used', async () => {
    const cache = new DeliveryDispatcherCache({ policy, maxDispatchers: 2 });
    const plain = cache.get();
    const insecure = cache.get({ insecureSkipVerify: true });
    cache.get();

    cache.get({ caPem: 'PEM A' });

    assert.equal(cache.size, 2);
    assert.equal(cache.get(), plain);
    assert.notEqual(cache.get({ insecureSkipVerify: true }), insecure);
    await cache.close();
  });

  it('empties on close', async () => {
    const cache = new DeliveryDispatcherCache({ policy });
    cache.get();

    await cache.close();

    assert.equal(cache.size, 0);
  });
});
