import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { ProfileRecord } from './profile-record.js';
import { redactSlackUrl, redactUrl, toPublicProfile } from './public-profile.js';

const KEY = '0123456789abcdef'.repeat(4);
const SLACK_SECRET_PATH = 'T0000/B0000/SlackPathSecret';
const SLACK_URL = `https://hooks.slack.com/services/${SLACK_SECRET_PATH}`;

function record(overrides: Partial<ProfileRecord> = {}): ProfileRecord {
  return {
    uid: 'noc-main',
    name: 'NOC main',
    enabled: true,
    kind: 'webhook',
    url: 'https://receiver.example/boro',
    signRequests: true,
    secretKey: KEY,
    secretKeyEncoding: 'text',
    headers: [{ name: 'X-Env', value: 'prod' }],
    projectName: 'Grafana',
    level: 'Warning',
    levelFromLabel: 'severity',
    timeoutSeconds: 10,
    tls: { caPem: null, insecureSkipVerify: false },
    templates: { task_name: '{{labels.job}}' },
    provisionedFrom: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-02T00:00:00.000Z',
    ...overrides,
  };
}

describe('toPublicProfile', () => {
  it('leaves out secret key', () => {
    const profile = toPublicProfile(record());
    assert.ok(!('secretKey' in profile));
    assert.ok(!JSON.stringify(profile).includes(KEY));
  });

  it('sets secretKeySet', () => {
    assert.equal(toPublicProfile(record()).secretKeySet, true);
    assert.equal(toPublicProfile(record({ secretKey: null, signRequests: false })).secretKeySet, false);
  });

  it('copies plain fields', () => {
    const profile = toPublicProfile(record());
    assert.equal(profile.url, 'https://receiver.example/boro');
    assert.deepEqual(profile.headers, [{ name: 'X-Env', value: 'prod' }]);
    assert.equal(profile.levelFromLabel, 'severity');
    assert.deepEqual(profile.templates, { task_name: '{{labels.job}}' });
    assert.equal(profile.updatedAt, '2026-01-02T00:00:00.000Z');
  });

  it('redacts slack path', () => {
    const profile = toPublicProfile(record({ kind: 'slack', url: SLACK_URL }));
    assert.equal(profile.url, 'https://hooks.slack.com/services/…');
    assert.ok(!JSON.stringify(profile).includes(SLACK_SECRET_PATH));
  });

  it('redacts slack url of webhook kind', () => {
    assert.equal(toPublicProfile(record({ url: SLACK_URL })).url, 'https://hooks.slack.com/services/…');
  });

  it('redacts slack kind on other host', () => {
    const profile = toPublicProfile(record({ kind: 'slack', url: 'https://127.0.0.1:8443/hook/secret-path?x=1' }));
    assert.equal(profile.url, 'https://127.0.0.1:8443/…');
  });

  const headerCases: Array<{ name: string; redacted: boolean }> = [
    { name: 'Authorization', redacted: true },
    { name: 'Proxy-Authorization', redacted: true },
    { name: 'X-Auth-Token', redacted: true },
    { name: 'X-Client-Secret', redacted: true },
    { name: 'X-Password', redacted: true },
    { name: 'X-Passwd', redacted: true },
    { name: 'X-Api-Key', redacted: true },
    { name: 'X-API_KEY', redacted: true },
    { name: 'apikey', redacted: true },
    { name: 'Cookie', redacted: true },
    { name: 'X-Signature', redacted: true },
    { name: 'X-Session-Id', redacted: true },
    { name: 'X-Credential', redacted: true },
    { name: 'X-Env', redacted: false },
    { name: 'Content-Type', redacted: false },
    { name: 'User-Agent', redacted: false },
    { name: 'X-Key-Id', redacted: false },
  ];

  for (const { name, redacted } of headerCases) {
    it(`${redacted ? 'redacts' : 'shows'} ${name} header`, () => {
      const profile = toPublicProfile(record({ headers: [{ name, value: 'header-value-1' }] }));
      const expected = redacted ? { name, value: null, redacted: true } : { name, value: 'header-value-1' };
      assert.deepEqual(profile.headers, [expected]);
    });
  }

  it('marks provisioned profile', () => {
    const profile = toPublicProfile(record({ provisionedFrom: 'provisioning/profiles/noc.yaml' }));
    assert.equal(profile.provisioned, true);
    assert.equal(profile.provisionedFrom, 'provisioning/profiles/noc.yaml');
  });

  it('marks API profile', () => {
    assert.equal(toPublicProfile(record()).provisioned, false);
  });

  it('copies nested objects', () => {
    const stored = record();
    const profile = toPublicProfile(stored);
    profile.tls.insecureSkipVerify = true;
    profile.templates.trigger = 'changed';
    assert.equal(stored.tls.insecureSkipVerify, false);
    assert.equal(stored.templates.trigger, undefined);
  });
});

describe('redactUrl', () => {
  const cases: Array<[string, string]> = [
    ['https://receiver.example/boro?token=abc', 'https://receiver.example'],
    ['https://user:pw@receiver.example:8443/p#f', 'https://receiver.example:8443'],
    ['http://127.0.0.1:9000/boro', 'http://127.0.0.1:9000'],
    ['http://[::1]:9000/boro', 'http://[::1]:9000'],
    [SLACK_URL, 'https://hooks.slack.com'],
    ['not a url', '(invalid URL)'],
  ];

  for (const [url, expected] of cases) {
    it(`shortens ${url}`, () => assert.equal(redactUrl(url), expected));
  }
});

describe('redactSlackUrl', () => {
  it('keeps services segment', () => {
    assert.equal(redactSlackUrl(SLACK_URL), 'https://hooks.slack.com/services/…');
  });

  it('drops other paths', () => {
    assert.equal(redactSlackUrl('https://hooks.slack.com/triggers/T0/1/abc'), 'https://hooks.slack.com/…');
  });

  it('drops query', () => {
    assert.equal(redactSlackUrl('https://hooks.slack.com/services/x?token=abc'), 'https://hooks.slack.com/services/…');
  });
});
