import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AddressBlockedError,
  DEFAULT_BLOCKED_NETWORKS,
  checkAddress,
  createNetworkPolicy,
  parseNetworkList,
} from './network-policy.js';

describe('parseNetworkList', () => {
  const validCases: Array<{ text: string; expected: string[] }> = [
    { text: '10.0.0.0/8', expected: ['10.0.0.0/8'] },
    { text: '10.0.0.0/8,192.168.0.0/16', expected: ['10.0.0.0/8', '192.168.0.0/16'] },
    { text: ' 10.0.0.0/8 ,  fd00::/8\n127.0.0.2 ', expected: ['10.0.0.0/8', 'fd00::/8', '127.0.0.2/32'] },
    { text: '127.0.0.2', expected: ['127.0.0.2/32'] },
    { text: '::1', expected: ['::1/128'] },
    { text: '10.1.2.3/8', expected: ['10.0.0.0/8'] },
    { text: '0.0.0.0/0', expected: ['0.0.0.0/0'] },
    { text: '::ffff:127.0.0.2', expected: ['127.0.0.2/32'] },
    { text: '::ffff:10.0.0.0/104', expected: ['10.0.0.0/8'] },
    { text: '', expected: [] },
    { text: 'none', expected: [] },
  ];
  for (const { text, expected } of validCases) {
    it(`parses ${JSON.stringify(text)}`, () => {
      const texts = parseNetworkList(text, 'BORO_RELAY_BLOCKED_NETWORKS').map((cidr) => cidr.text);
      assert.deepEqual(texts, expected);
    });
  }

  const invalidCases: Array<{ text: string; entry: string; problem: RegExp }> = [
    { text: '10.0.0.0/33', entry: '10.0.0.0/33', problem: /an IPv4 prefix length is at most 32/ },
    { text: 'fd00::/129', entry: 'fd00::/129', problem: /an IPv6 prefix length is at most 128/ },
    { text: '10.0.0.0/', entry: '10.0.0.0/', problem: /prefix length is not a number from 0 to 32/ },
    { text: '10.0.0.0/-1', entry: '10.0.0.0/-1', problem: /prefix length is not a number/ },
    { text: '10.0.0.0/8x', entry: '10.0.0.0/8x', problem: /prefix length is not a number/ },
    { text: '10.0.0.0/8, example.com', entry: 'example.com', problem: /not an IPv4 or IPv6 address/ },
    { text: '256.0.0.0/8', entry: '256.0.0.0/8', problem: /not an IPv4 or IPv6 address/ },
    { text: '127.1', entry: '127.1', problem: /not an IPv4 or IPv6 address/ },
    { text: '010.0.0.0/8', entry: '010.0.0.0/8', problem: /not an IPv4 or IPv6 address/ },
    { text: '10.0.0.0;8', entry: '10.0.0.0;8', problem: /not an IPv4 or IPv6 address/ },
    { text: 'fe80::%eth0/10', entry: 'fe80::%eth0/10', problem: /zone index/ },
    { text: 'none, 10.0.0.0/8', entry: 'none', problem: /not an IPv4 or IPv6 address/ },
  ];
  for (const { text, entry, problem } of invalidCases) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      assert.throws(() => parseNetworkList(text, 'BORO_RELAY_BLOCKED_NETWORKS'), (error: Error) => {
        assert.ok(error.message.startsWith(`BORO_RELAY_BLOCKED_NETWORKS: '${entry}' is not a CIDR`), error.message);
        assert.match(error.message, problem);
        assert.match(error.message, /such as 10\.0\.0\.0\/8/);
        return true;
      });
    });
  }
});

describe('createNetworkPolicy', () => {
  it('uses defaults when unset', () => {
    const policy = createNetworkPolicy({});
    const expected = parseNetworkList(DEFAULT_BLOCKED_NETWORKS, 'BORO_RELAY_BLOCKED_NETWORKS');

    assert.deepEqual(policy.blocked, expected);
    assert.equal(policy.allowed, null);
  });

  it('uses defaults when blank', () => {
    const policy = createNetworkPolicy({ blocked: '  ', allowed: '' });

    assert.equal(policy.blocked.length, parseNetworkList(DEFAULT_BLOCKED_NETWORKS, 'x').length);
    assert.equal(policy.allowed, null);
  });

  it('blocks nothing with none', () => {
    const policy = createNetworkPolicy({ blocked: 'none' });

    assert.deepEqual(policy.blocked, []);
  });

  it('parses the allowed list', () => {
    const policy = createNetworkPolicy({ allowed: '127.0.0.1/32, 10.0.0.0/8' });

    assert.deepEqual(
      policy.allowed?.map((cidr) => cidr.text),
      ['127.0.0.1/32', '10.0.0.0/8'],
    );
  });

  it('rejects an allowed list of none', () => {
    assert.throws(() => createNetworkPolicy({ allowed: 'none' }), /^Error: BORO_RELAY_ALLOWED_NETWORKS: 'none' allows no destination; .*unset the variable/);
  });

  it('names the allowed variable in errors', () => {
    assert.throws(() => createNetworkPolicy({ allowed: '10.0.0.0/33' }), /^Error: BORO_RELAY_ALLOWED_NETWORKS: '10\.0\.0\.0\/33'/);
  });
});

describe('checkAddress', () => {
  const defaults = createNetworkPolicy({});
  const blocksLoopback2 = createNetworkPolicy({ blocked: '127.0.0.2/32' });
  const allowsLoopback1 = createNetworkPolicy({ blocked: 'none', allowed: '127.0.0.1/32' });

  const cases: Array<{ name: string; policy: typeof defaults; address: string; blockedBy: string | null }> = [
    { name: 'default: AWS metadata', policy: defaults, address: '169.254.169.254', blockedBy: '169.254.169.254/32' },
    { name: 'default: AWS IPv6 metadata', policy: defaults, address: 'fd00:ec2::254', blockedBy: 'fd00:ec2::254/128' },
    { name: 'default: Alibaba metadata', policy: defaults, address: '100.100.100.200', blockedBy: '100.100.100.200/32' },
    { name: 'default: link-local', policy: defaults, address: '169.254.10.1', blockedBy: '169.254.0.0/16' },
    { name: 'default: IPv6 link-local', policy: defaults, address: 'fe80::1', blockedBy: 'fe80::/10' },
    { name: 'default: zoned link-local', policy: defaults, address: 'fe80::1%eth0', blockedBy: 'fe80::/10' },
    { name: 'default: unspecified', policy: defaults, address: '0.0.0.0', blockedBy: '0.0.0.0/8' },
    { name: 'default: IPv6 unspecified', policy: defaults, address: '::', blockedBy: '::/128' },
    { name: 'default: multicast', policy: defaults, address: '239.255.255.250', blockedBy: '224.0.0.0/4' },
    { name: 'default: IPv6 multicast', policy: defaults, address: 'ff02::1', blockedBy: 'ff00::/8' },
    { name: 'default: broadcast', policy: defaults, address: '255.255.255.255', blockedBy: '255.255.255.255/32' },
    { name: 'default: mapped metadata', policy: defaults, address: '::ffff:169.254.169.254', blockedBy: '169.254.169.254/32' },
    { name: 'default: mapped hex metadata', policy: defaults, address: '::ffff:a9fe:a9fe', blockedBy: '169.254.169.254/32' },
    { name: 'default: short-form unspecified', policy: defaults, address: '0', blockedBy: '0.0.0.0/8' },
    { name: 'default: loopback', policy: defaults, address: '127.0.0.1', blockedBy: null },
    { name: 'default: IPv6 loopback', policy: defaults, address: '::1', blockedBy: null },
    { name: 'default: private 10/8', policy: defaults, address: '10.1.2.3', blockedBy: null },
    { name: 'default: private 192.168/16', policy: defaults, address: '192.168.1.10', blockedBy: null },
    { name: 'default: unique local', policy: defaults, address: 'fd12:3456::1', blockedBy: null },
    { name: 'default: public', policy: defaults, address: '203.0.113.7', blockedBy: null },
    { name: 'blocked /32: match', policy: blocksLoopback2, address: '127.0.0.2', blockedBy: '127.0.0.2/32' },
    { name: 'blocked /32: mapped', policy: blocksLoopback2, address: '::ffff:127.0.0.2', blockedBy: '127.0.0.2/32' },
    { name: 'blocked /32: neighbour', policy: blocksLoopback2, address: '127.0.0.1', blockedBy: null },
  ];
  for (const { name, policy, address, blockedBy } of cases) {
    it(name, () => {
      const check = checkAddress(policy, address);

      if (blockedBy === null) {
        assert.deepEqual(check, { allowed: true });
      } else {
        assert.deepEqual(check, {
          allowed: false,
          reason: `destination address ${address} is blocked by BORO_RELAY_BLOCKED_NETWORKS (${blockedBy})`,
        });
      }
    });
  }

  it('allowed list: admits a member', () => {
    assert.deepEqual(checkAddress(allowsLoopback1, '127.0.0.1'), { allowed: true });
  });

  it('allowed list: rejects a non-member', () => {
    assert.deepEqual(checkAddress(allowsLoopback1, '127.0.0.2'), {
      allowed: false,
      reason: 'destination address 127.0.0.2 is outside BORO_RELAY_ALLOWED_NETWORKS (127.0.0.1/32)',
    });
  });

  it('allowed list: rejects the other family', () => {
    assert.equal(checkAddress(allowsLoopback1, '::1').allowed, false);
  });

  it('allowed list: shortens a long list', () => {
    const policy = createNetworkPolicy({ allowed: '10.0.0.0/8 10.1.0.0/16 10.2.0.0/16 10.3.0.0/16 10.4.0.0/16' });

    const check = checkAddress(policy, '192.168.0.1');

    assert.equal(check.allowed, false);
    assert.match(check.allowed ? '' : check.reason, /\(10\.0\.0\.0\/8, 10\.1\.0\.0\/16, 10\.2\.0\.0\/16 and 2 more\)$/);
  });

  it('blocked wins over allowed', () => {
    const policy = createNetworkPolicy({ blocked: '127.0.0.2', allowed: '127.0.0.0/8' });

    assert.equal(checkAddress(policy, '127.0.0.2').allowed, false);
  });

  it('rejects an invalid address', () => {
    assert.deepEqual(checkAddress(defaults, 'receiver.example'), {
      allowed: false,
      reason: "destination address 'receiver.example' is not a valid IP address",
    });
  });
});

describe('AddressBlockedError', () => {
  it('carries code, address and host', () => {
    const error = new AddressBlockedError('destination address 127.0.0.2 is blocked', '127.0.0.2', 'localhost');

    assert.equal(error.code, 'BORO_ADDRESS_BLOCKED');
    assert.equal(error.address, '127.0.0.2');
    assert.equal(error.hostname, 'localhost');
    assert.equal(error.message, 'destination address 127.0.0.2 is blocked');
    assert.ok(error instanceof Error);
  });
});
