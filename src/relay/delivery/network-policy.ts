import ipaddr from 'ipaddr.js';

type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

export const BLOCKED_NETWORKS_VARIABLE = 'BORO_RELAY_BLOCKED_NETWORKS';
export const ALLOWED_NETWORKS_VARIABLE = 'BORO_RELAY_ALLOWED_NETWORKS';

/** An IP network: the network address and its prefix length in bits. */
export interface Cidr {
  network: IpAddress;
  prefixLength: number;
  /** Canonical text, such as `169.254.0.0/16`, used in error messages. */
  text: string;
}

export interface NetworkPolicy {
  blocked: Cidr[];
  /** The only networks delivered to, or null to allow every network that is not blocked. */
  allowed: Cidr[] | null;
}

export type AddressCheck = { allowed: true } | { allowed: false; reason: string };

/**
 * Networks blocked when BORO_RELAY_BLOCKED_NETWORKS is unset: cloud metadata endpoints (listed before
 * the link-local range that contains 169.254.169.254, so that a rejection names the endpoint),
 * link-local, unspecified, multicast and broadcast. Private ranges and loopback stay allowed because
 * receivers often run on internal networks.
 */
export const DEFAULT_BLOCKED_NETWORKS = [
  '169.254.169.254/32', // metadata endpoint of AWS, Azure, Google Cloud and OpenStack
  'fd00:ec2::254/128', // AWS instance metadata over IPv6
  '100.100.100.200/32', // Alibaba Cloud metadata
  '169.254.0.0/16',
  'fe80::/10',
  '0.0.0.0/8',
  '::/128',
  '224.0.0.0/4',
  'ff00::/8',
  '255.255.255.255/32',
].join(', ');

const NONE_KEYWORD = 'none';
const LISTED_ALLOWED_NETWORKS_MAX = 3;
const IPV4_MAPPED_PREFIX_LENGTH = 96;

/**
 * Parses a comma or space separated list of CIDRs. A bare address is a /32 or /128 network, and
 * the single word `none` is the empty list. IPv4-mapped IPv6 networks (`::ffff:10.0.0.0/104`) become
 * IPv4 networks, because checkAddress checks a mapped address as its IPv4 address.
 */
export function parseNetworkList(text: string, variableName: string): Cidr[] {
  const entries = text.split(/[\s,]+/).filter((entry) => entry !== '');
  if (entries.length === 1 && entries[0]?.toLowerCase() === NONE_KEYWORD) return [];

  return entries.map((entry) => parseCidr(entry, variableName));
}

function parseCidr(entry: string, variableName: string): Cidr {
  const slash = entry.indexOf('/');
  const addressText = slash === -1 ? entry : entry.slice(0, slash);
  const prefixText = slash === -1 ? null : entry.slice(slash + 1);

  const address = parseConfiguredAddress(addressText);
  if (address === null) throw invalidEntryError(variableName, entry, 'it is not an IPv4 or IPv6 address');
  if (address instanceof ipaddr.IPv6 && address.zoneId !== undefined) {
    throw invalidEntryError(variableName, entry, 'a network has no zone index (the part after %)');
  }

  const maxPrefixLength = address.kind() === 'ipv4' ? 32 : 128;
  const prefixLength = prefixText === null ? maxPrefixLength : Number(prefixText);
  if (prefixText !== null && !/^\d{1,3}$/.test(prefixText)) {
    throw invalidEntryError(variableName, entry, `the prefix length is not a number from 0 to ${maxPrefixLength}`);
  }
  if (prefixLength > maxPrefixLength) {
    const family = address.kind() === 'ipv4' ? 'IPv4' : 'IPv6';
    throw invalidEntryError(variableName, entry, `an ${family} prefix length is at most ${maxPrefixLength}`);
  }

  return toCidr(address, prefixLength);
}

/** Accepts only four-part decimal IPv4 text, so that `010.1` or `0x7f.1` in a configuration is an error. */
function parseConfiguredAddress(text: string): IpAddress | null {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (ipaddr.IPv6.isValid(text)) return ipaddr.IPv6.parse(text);
  return null;
}

// NOTE: an IPv6 network wider than /96, such as ::/0, stays IPv6 and so matches no IPv4 or IPv4-mapped address.
function toCidr(address: IpAddress, prefixLength: number): Cidr {
  if (address instanceof ipaddr.IPv6 && address.isIPv4MappedAddress() && prefixLength >= IPV4_MAPPED_PREFIX_LENGTH) {
    return toCidr(address.toIPv4Address(), prefixLength - IPV4_MAPPED_PREFIX_LENGTH);
  }

  const cidrText = `${address.toString()}/${prefixLength}`;
  const network =
    address instanceof ipaddr.IPv4
      ? ipaddr.IPv4.networkAddressFromCIDR(cidrText)
      : ipaddr.IPv6.networkAddressFromCIDR(cidrText);
  return { network, prefixLength, text: `${network.toString()}/${prefixLength}` };
}

function invalidEntryError(variableName: string, entry: string, problem: string): Error {
  return new Error(
    `${variableName}: '${entry}' is not a CIDR because ${problem}; ` +
      'write networks such as 10.0.0.0/8 or fd00::/8, or single addresses, separated by commas',
  );
}

/**
 * Builds the policy from the environment variables' text. An unset or blank variable takes its
 * default: the DEFAULT_BLOCKED_NETWORKS list, and every network allowed. `none` blocks nothing.
 */
export function createNetworkPolicy(p: { blocked?: string; allowed?: string }): NetworkPolicy {
  const blockedText = isBlank(p.blocked) ? DEFAULT_BLOCKED_NETWORKS : p.blocked;
  const blocked = parseNetworkList(blockedText, BLOCKED_NETWORKS_VARIABLE);

  if (isBlank(p.allowed)) return { blocked, allowed: null };

  const allowed = parseNetworkList(p.allowed, ALLOWED_NETWORKS_VARIABLE);
  if (allowed.length === 0) {
    throw new Error(
      `${ALLOWED_NETWORKS_VARIABLE}: '${p.allowed.trim()}' allows no destination; ` +
        'list the networks to deliver to, or unset the variable to allow every network',
    );
  }
  return { blocked, allowed };
}

function isBlank(text: string | undefined): text is undefined {
  return text === undefined || text.trim() === '';
}

/**
 * Checks one destination address. An IPv4-mapped IPv6 address is checked as its IPv4 address.
 * The parse is as lenient as ipaddr.js (`127.1` is 127.0.0.1) because the resolver that connects
 * may read such text the same way.
 */
export function checkAddress(policy: NetworkPolicy, address: string): AddressCheck {
  if (!ipaddr.isValid(address)) {
    return { allowed: false, reason: `destination address '${address}' is not a valid IP address` };
  }
  const ip = ipaddr.process(address);

  const blockedBy = findNetwork(policy.blocked, ip);
  if (blockedBy !== undefined) {
    return {
      allowed: false,
      reason: `destination address ${address} is blocked by ${BLOCKED_NETWORKS_VARIABLE} (${blockedBy.text})`,
    };
  }

  if (policy.allowed !== null && findNetwork(policy.allowed, ip) === undefined) {
    return {
      allowed: false,
      reason: `destination address ${address} is outside ${ALLOWED_NETWORKS_VARIABLE} (${describeNetworks(policy.allowed)})`,
    };
  }

  return { allowed: true };
}

function findNetwork(networks: Cidr[], ip: IpAddress): Cidr | undefined {
  return networks.find((cidr) => cidr.network.kind() === ip.kind() && ip.match(cidr.network, cidr.prefixLength));
}

function describeNetworks(networks: Cidr[]): string {
  const listed = networks.slice(0, LISTED_ALLOWED_NETWORKS_MAX).map((cidr) => cidr.text);
  const more = networks.length - listed.length;
  return more > 0 ? `${listed.join(', ')} and ${more} more` : listed.join(', ');
}

/** The error of a connection whose destination address the network policy rejects. */
export class AddressBlockedError extends Error {
  readonly code = 'BORO_ADDRESS_BLOCKED';
  readonly address: string;
  /** The host name that resolved to the address, or null when the URL named the address itself. */
  readonly hostname: string | null;

  constructor(reason: string, address: string, hostname: string | null = null) {
    super(reason);
    this.name = 'AddressBlockedError';
    this.address = address;
    this.hostname = hostname;
  }
}
