import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { RelayError } from '../errors.js';
import type { ProfileRecord, ProfileSpec } from './profile-record.js';
import { validateProfileInput, type ValidateProfileOptions } from './validate-profile.js';

const KEY = '0123456789abcdef'.repeat(4);
const OTHER_KEY = 'fedcba9876543210'.repeat(4);
const SLACK_SECRET_PATH = 'T0000/B0000/SlackPathSecret';
const SLACK_URL = `https://hooks.slack.com/services/${SLACK_SECRET_PATH}`;
const RECEIVER_URL = 'https://receiver.example/boro';

const CA_PEM = `-----BEGIN CERTIFICATE-----
MIIBhDCCASugAwIBAgIUdzW8VjoEWBofxIqqDEnROhRsTIQwCgYIKoZIzj0EAwIw
FzEVMBMGA1UEAwwMQm9ybyB0ZXN0IENBMCAXDTI2MTIwNDIwMjMzOFoYDzIxMjYx
MTEwMjAyMzM4WjAXMRUwEwYDVQQDDAxCb3JvIHRlc3QgQ0EwWTATBgcqhkjOPQIB
BggqhkjOPQMBBwNCAAQBzV5sq4uE1piW3MKlkNFFXzb6hRreJ/dDutZ4rbDArZ6S
PoBDbMZdpu3PHwLYqPJ1TngTMpENnpuaq8JvtGIXo1MwUTAdBgNVHQ4EFgQUthMN
Y8pIT3liz7HUWWCOtzlWJVgwHwYDVR0jBBgwFoAUthMNY8pIT3liz7HUWWCOtzlW
JVgwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNHADBEAiB6+kh/0Zqlt1Gb
LxFhmUQ5Ea7QozF6FO0lr4gVmB1R/AIgQSgSVTTLre3Bfjlb4LPkdjoBD4Lt/FYg
5gLWbSSjhe0=
-----END CERTIFICATE-----`;

function validate(input: unknown, options: Partial<ValidateProfileOptions> = {}): ProfileSpec {
  return validateProfileInput(input, { existing: null, generateUid: () => 'generated-uid', ...options });
}

function storedProfile(overrides: Partial<ProfileRecord> = {}): ProfileRecord {
  return {
    uid: 'stored',
    name: 'Stored',
    enabled: true,
    kind: 'webhook',
    url: RECEIVER_URL,
    signRequests: true,
    secretKey: KEY,
    secretKeyEncoding: 'text',
    headers: [
      { name: 'X-Env', value: 'prod' },
      { name: 'X-Api-Key', value: 'stored-api-key' },
    ],
    projectName: 'Grafana',
    level: 'Warning',
    levelFromLabel: null,
    timeoutSeconds: 10,
    tls: { caPem: null, insecureSkipVerify: false },
    templates: {},
    provisionedFrom: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

function catchError(run: () => unknown): RelayError {
  try {
    run();
  } catch (error) {
    if (error instanceof RelayError) return error;
    throw error;
  }
  assert.fail('expected a RelayError, but nothing was thrown');
}

const base = { name: 'NOC main', url: RECEIVER_URL };

describe('validateProfileInput', () => {
  it('applies defaults', () => {
    assert.deepEqual(validate(base), {
      uid: 'generated-uid',
      name: 'NOC main',
      enabled: true,
      kind: 'webhook',
      url: RECEIVER_URL,
      signRequests: false,
      secretKey: null,
      secretKeyEncoding: 'text',
      headers: [],
      projectName: 'Grafana',
      level: 'Warning',
      levelFromLabel: null,
      timeoutSeconds: 10,
      tls: { caPem: null, insecureSkipVerify: false },
      templates: {},
      provisionedFrom: null,
    });
  });

  const validCases: Array<{ name: string; input: object; check: (spec: ProfileSpec) => void }> = [
    { name: 'given uid', input: { ...base, uid: 'noc_main-1' }, check: (s) => assert.equal(s.uid, 'noc_main-1') },
    { name: 'name trimmed', input: { ...base, name: '  NOC  ' }, check: (s) => assert.equal(s.name, 'NOC') },
    { name: 'url trimmed', input: { ...base, url: ` ${RECEIVER_URL} ` }, check: (s) => assert.equal(s.url, RECEIVER_URL) },
    { name: 'http url', input: { ...base, url: 'http://127.0.0.1:9000/boro' }, check: (s) => assert.equal(s.kind, 'webhook') },
    { name: 'slack url defaults kind', input: { ...base, url: SLACK_URL }, check: (s) => assert.equal(s.kind, 'slack') },
    {
      name: 'slack url with webhook kind',
      input: { ...base, url: SLACK_URL, kind: 'webhook' },
      check: (s) => assert.equal(s.kind, 'webhook'),
    },
    {
      name: 'slack kind on other https host',
      input: { ...base, url: 'https://127.0.0.1:8443/slack', kind: 'slack' },
      check: (s) => assert.equal(s.kind, 'slack'),
    },
    {
      name: 'signing with key',
      input: { ...base, signRequests: true, secretKey: KEY },
      check: (s) => assert.equal(s.secretKey, KEY),
    },
    {
      name: 'upper-case hex key',
      input: { ...base, secretKey: KEY.toUpperCase() },
      check: (s) => assert.equal(s.secretKey, KEY.toUpperCase()),
    },
    { name: '32-digit key', input: { ...base, secretKey: 'ab'.repeat(16) }, check: (s) => assert.equal(s.secretKey?.length, 32) },
    { name: '256-digit key', input: { ...base, secretKey: 'ab'.repeat(128) }, check: (s) => assert.equal(s.secretKey?.length, 256) },
    { name: 'null key on create', input: { ...base, secretKey: null }, check: (s) => assert.equal(s.secretKey, null) },
    { name: 'hex encoding', input: { ...base, secretKeyEncoding: 'hex' }, check: (s) => assert.equal(s.secretKeyEncoding, 'hex') },
    {
      name: 'content-type and user-agent while signing',
      input: {
        ...base,
        signRequests: true,
        secretKey: KEY,
        headers: [
          { name: 'Content-Type', value: 'application/json; charset=utf-8' },
          { name: 'User-Agent', value: 'noc/1' },
        ],
      },
      check: (s) => assert.equal(s.headers.length, 2),
    },
    {
      name: 'authorization without signing',
      input: { ...base, headers: [{ name: 'Authorization', value: 'Basic dTpw' }] },
      check: (s) => assert.deepEqual(s.headers, [{ name: 'Authorization', value: 'Basic dTpw' }]),
    },
    {
      name: 'header value tab kept inside',
      input: { ...base, headers: [{ name: 'X-List', value: '  a\tb \t' }] },
      check: (s) => assert.equal(s.headers[0]?.value, 'a\tb'),
    },
    {
      name: 'header value latin-1',
      input: { ...base, headers: [{ name: 'X-Team', value: 'équipe' }] },
      check: (s) => assert.equal(s.headers[0]?.value, 'équipe'),
    },
    {
      name: 'header tchar name',
      input: { ...base, headers: [{ name: "X-!#$%&'*+.^_`|~1", value: '' }] },
      check: (s) => assert.equal(s.headers[0]?.name, "X-!#$%&'*+.^_`|~1"),
    },
    {
      name: 'redacted flag ignored',
      input: { ...base, headers: [{ name: 'X-Env', value: 'prod', redacted: false }] },
      check: (s) => assert.deepEqual(s.headers, [{ name: 'X-Env', value: 'prod' }]),
    },
    { name: 'level critical', input: { ...base, level: 'Critical' }, check: (s) => assert.equal(s.level, 'Critical') },
    { name: 'project name', input: { ...base, projectName: 'Core' }, check: (s) => assert.equal(s.projectName, 'Core') },
    {
      name: 'level from label',
      input: { ...base, levelFromLabel: 'severity' },
      check: (s) => assert.equal(s.levelFromLabel, 'severity'),
    },
    { name: 'empty level label', input: { ...base, levelFromLabel: '' }, check: (s) => assert.equal(s.levelFromLabel, null) },
    { name: 'timeout 1', input: { ...base, timeoutSeconds: 1 }, check: (s) => assert.equal(s.timeoutSeconds, 1) },
    { name: 'timeout 60', input: { ...base, timeoutSeconds: 60 }, check: (s) => assert.equal(s.timeoutSeconds, 60) },
    { name: 'disabled', input: { ...base, enabled: false }, check: (s) => assert.equal(s.enabled, false) },
    { name: 'ca pem', input: { ...base, tls: { caPem: CA_PEM } }, check: (s) => assert.equal(s.tls.caPem, CA_PEM) },
    {
      name: 'two ca certificates',
      input: { ...base, tls: { caPem: `${CA_PEM}\n${CA_PEM}\n` } },
      check: (s) => assert.equal(s.tls.caPem, `${CA_PEM}\n${CA_PEM}`),
    },
    { name: 'blank ca pem', input: { ...base, tls: { caPem: '  ' } }, check: (s) => assert.equal(s.tls.caPem, null) },
    {
      name: 'skip verify',
      input: { ...base, tls: { insecureSkipVerify: true } },
      check: (s) => assert.deepEqual(s.tls, { caPem: null, insecureSkipVerify: true }),
    },
    {
      name: 'template kept',
      input: { ...base, templates: { task_name: '{{coalesce labels.service default}}' } },
      check: (s) => assert.deepEqual(s.templates, { task_name: '{{coalesce labels.service default}}' }),
    },
    { name: 'blank template dropped', input: { ...base, templates: { trigger: ' ' } }, check: (s) => assert.deepEqual(s.templates, {}) },
  ];

  for (const { name, input, check } of validCases) {
    it(`accepts ${name}`, () => check(validate(input)));
  }

  it('sets provisionedFrom', () => {
    const spec = validate(base, { provisionedFrom: 'provisioning/profiles/noc.yaml' });
    assert.equal(spec.provisionedFrom, 'provisioning/profiles/noc.yaml');
  });
});

interface InvalidCase {
  name: string;
  input: unknown;
  field: string | undefined;
  /** Text the message must contain, normally the rejected value. */
  shows?: string;
  /** Text the message must not contain, because it is a secret. */
  hides?: string;
}

const invalidCases: InvalidCase[] = [
  { name: 'array body', input: [], field: undefined, shows: '[]' },
  { name: 'null body', input: null, field: undefined, shows: 'null' },
  { name: 'unknown field', input: { ...base, colour: 'red' }, field: 'colour', shows: "'colour'" },
  { name: 'two unknown fields', input: { ...base, colour: 1, size: 2 }, field: 'colour', shows: "'size'" },
  { name: 'read-only field', input: { ...base, secretKeySet: true }, field: 'secretKeySet', shows: 'read-only' },
  { name: 'uid with space', input: { ...base, uid: 'a b' }, field: 'uid', shows: "'a b'" },
  { name: 'uid too long', input: { ...base, uid: 'u'.repeat(41) }, field: 'uid', shows: 'u'.repeat(41) },
  { name: 'uid empty', input: { ...base, uid: '' }, field: 'uid', shows: "''" },
  { name: 'name missing', input: { url: RECEIVER_URL }, field: 'name', shows: 'required' },
  { name: 'name blank', input: { ...base, name: '   ' }, field: 'name', shows: "''" },
  { name: 'name too long', input: { ...base, name: 'n'.repeat(101) }, field: 'name', shows: 'n'.repeat(40) },
  { name: 'name number', input: { ...base, name: 7 }, field: 'name', shows: '7' },
  { name: 'url missing', input: { name: 'x' }, field: 'url', shows: 'required' },
  { name: 'url ftp', input: { ...base, url: 'ftp://x' }, field: 'url', shows: "got 'ftp://x'" },
  { name: 'url relative', input: { ...base, url: '/boro' }, field: 'url', shows: "'/boro'" },
  { name: 'url mailto', input: { ...base, url: 'mailto:noc@example.com' }, field: 'url', shows: "'mailto:noc@example.com'" },
  {
    name: 'url userinfo',
    input: { ...base, url: 'https://noc:hunter2@receiver.example/boro' },
    field: 'url',
    shows: 'receiver.example/boro',
    hides: 'hunter2',
  },
  { name: 'url too long', input: { ...base, url: `https://r.example/${'p'.repeat(2040)}` }, field: 'url', shows: 'https://r.example/' },
  { name: 'kind unknown', input: { ...base, kind: 'email' }, field: 'kind', shows: "'email'" },
  {
    name: 'slack over http',
    input: { ...base, url: `http://hooks.slack.com/services/${SLACK_SECRET_PATH}` },
    field: 'url',
    shows: 'http://hooks.slack.com/…',
    hides: SLACK_SECRET_PATH,
  },
  {
    name: 'slack kind over http',
    input: { ...base, kind: 'slack', url: 'http://127.0.0.1:9000/slack' },
    field: 'url',
    shows: 'https',
  },
  {
    name: 'slack url without scheme',
    input: { ...base, url: `hooks.slack.com/services/${SLACK_SECRET_PATH}` },
    field: 'url',
    shows: 'hooks.slack.com/…',
    hides: SLACK_SECRET_PATH,
  },
  {
    name: 'redacted slack url on create',
    input: { ...base, url: 'https://hooks.slack.com/services/…' },
    field: 'url',
    shows: 'redacted',
  },
  { name: 'key not hex', input: { ...base, secretKey: 'zz'.repeat(20) }, field: 'secretKey', hides: 'zz'.repeat(20) },
  { name: 'key odd length', input: { ...base, secretKey: `${KEY}a` }, field: 'secretKey', hides: KEY },
  { name: 'key too short', input: { ...base, secretKey: 'ab'.repeat(15) }, field: 'secretKey', hides: 'ab'.repeat(15) },
  { name: 'key too long', input: { ...base, secretKey: 'ab'.repeat(129) }, field: 'secretKey', hides: 'ab'.repeat(40) },
  { name: 'key empty', input: { ...base, secretKey: '' }, field: 'secretKey' },
  { name: 'key number', input: { ...base, secretKey: 1234 }, field: 'secretKey', hides: '1234' },
  { name: 'signing without key', input: { ...base, signRequests: true }, field: 'secretKey', shows: 'signRequests' },
  { name: 'signing with null key', input: { ...base, signRequests: true, secretKey: null }, field: 'secretKey' },
  { name: 'encoding base64', input: { ...base, secretKeyEncoding: 'base64' }, field: 'secretKeyEncoding', shows: "'base64'" },
  { name: 'signRequests string', input: { ...base, signRequests: 'yes' }, field: 'signRequests', shows: "'yes'" },
  { name: 'enabled string', input: { ...base, enabled: 'true' }, field: 'enabled', shows: "'true'" },
  { name: 'headers object', input: { ...base, headers: { Authorization: 'Bearer tok' } }, field: 'headers', hides: 'tok' },
  { name: 'header string', input: { ...base, headers: ['Authorization: Bearer tok'] }, field: 'headers[0]', hides: 'tok' },
  {
    name: 'too many headers',
    input: { ...base, headers: Array.from({ length: 51 }, (_, i) => ({ name: `X-H${i}`, value: 'v' })) },
    field: 'headers',
    shows: '50',
  },
  { name: 'header name space', input: { ...base, headers: [{ name: 'X Env', value: 'v' }] }, field: 'headers[0].name', shows: "'X Env'" },
  { name: 'header name colon', input: { ...base, headers: [{ name: 'X-Env:', value: 'v' }] }, field: 'headers[0].name', shows: "'X-Env:'" },
  { name: 'header name empty', input: { ...base, headers: [{ name: '', value: 'v' }] }, field: 'headers[0].name', shows: "''" },
  { name: 'header name missing', input: { ...base, headers: [{ value: 'v' }] }, field: 'headers[0].name', shows: 'required' },
  { name: 'header value missing', input: { ...base, headers: [{ name: 'X-A' }] }, field: 'headers[0].value', shows: 'required' },
  {
    name: 'header extra field',
    input: { ...base, headers: [{ name: 'X-A', value: 'v', note: 'n' }] },
    field: 'headers[0].note',
    shows: "'note'",
  },
  { name: 'host header', input: { ...base, headers: [{ name: 'Host', value: 'h' }] }, field: 'headers[0].name', shows: "'Host'" },
  {
    name: 'content-length header',
    input: { ...base, headers: [{ name: 'content-length', value: '1' }] },
    field: 'headers[0].name',
    shows: "'content-length'",
  },
  {
    name: 'transfer-encoding header',
    input: { ...base, headers: [{ name: 'Transfer-Encoding', value: 'chunked' }] },
    field: 'headers[0].name',
    shows: "'Transfer-Encoding'",
  },
  {
    name: 'connection header',
    input: { ...base, headers: [{ name: 'X-A', value: 'a' }, { name: 'CONNECTION', value: 'close' }] },
    field: 'headers[1].name',
    shows: "'CONNECTION'",
  },
  { name: 'expect header', input: { ...base, headers: [{ name: 'Expect', value: '100-continue' }] }, field: 'headers[0].name', shows: "'Expect'" },
  ...['Authorization', 'date', 'X-Authorization-Content-SHA256'].map((name) => ({
    name: `${name} header while signing`,
    input: { ...base, signRequests: true, secretKey: KEY, headers: [{ name, value: 'v' }] },
    field: 'headers[0].name',
    shows: `'${name}'`,
  })),
  {
    name: 'duplicate header',
    input: { ...base, headers: [{ name: 'X-Env', value: 'a' }, { name: 'x-env', value: 'b' }] },
    field: 'headers[1].name',
    shows: "'x-env'",
  },
  {
    name: 'header value CR LF',
    input: { ...base, headers: [{ name: 'X-Env', value: 'a\r\nX-Evil: 1' }] },
    field: 'headers[0].value',
    shows: String.raw`'a\r\nX-Evil: 1'`,
  },
  { name: 'header value NUL', input: { ...base, headers: [{ name: 'X-Env', value: 'a\u0000' }] }, field: 'headers[0].value', shows: String.raw`\u0000` },
  { name: 'header value DEL', input: { ...base, headers: [{ name: 'X-Env', value: 'a\u007f' }] }, field: 'headers[0].value', shows: String.raw`\u007f` },
  {
    name: 'credential value with LF',
    input: { ...base, headers: [{ name: 'Authorization', value: 'Bearer hidden-token\n' }] },
    field: 'headers[0].value',
    hides: 'hidden-token',
  },
  {
    name: 'credential value not string',
    input: { ...base, headers: [{ name: 'X-Api-Key', value: 987654 }] },
    field: 'headers[0].value',
    hides: '987654',
  },
  { name: 'header value snowman', input: { ...base, headers: [{ name: 'X-Env', value: 'snow ☃' }] }, field: 'headers[0].value', shows: "'snow ☃'" },
  { name: 'header value too long', input: { ...base, headers: [{ name: 'X-Env', value: 'v'.repeat(4097) }] }, field: 'headers[0].value', shows: 'vvvv' },
  { name: 'null header on create', input: { ...base, headers: [{ name: 'X-Env', value: null }] }, field: 'headers[0].value', shows: 'null' },
  { name: 'project name empty', input: { ...base, projectName: '' }, field: 'projectName', shows: "''" },
  { name: 'project name too long', input: { ...base, projectName: 'p'.repeat(201) }, field: 'projectName', shows: 'ppp' },
  { name: 'level empty', input: { ...base, level: '' }, field: 'level', shows: "''" },
  { name: 'level too long', input: { ...base, level: 'l'.repeat(51) }, field: 'level', shows: 'lll' },
  { name: 'level label digit', input: { ...base, levelFromLabel: '1severity' }, field: 'levelFromLabel', shows: "'1severity'" },
  { name: 'level label hyphen', input: { ...base, levelFromLabel: 'sev-erity' }, field: 'levelFromLabel', shows: "'sev-erity'" },
  { name: 'timeout 0', input: { ...base, timeoutSeconds: 0 }, field: 'timeoutSeconds', shows: 'got 0' },
  { name: 'timeout 61', input: { ...base, timeoutSeconds: 61 }, field: 'timeoutSeconds', shows: 'got 61' },
  { name: 'timeout fraction', input: { ...base, timeoutSeconds: 1.5 }, field: 'timeoutSeconds', shows: 'got 1.5' },
  { name: 'timeout string', input: { ...base, timeoutSeconds: '10' }, field: 'timeoutSeconds', shows: "got '10'" },
  { name: 'tls string', input: { ...base, tls: 'on' }, field: 'tls', shows: "'on'" },
  { name: 'tls unknown field', input: { ...base, tls: { verify: false } }, field: 'tls.verify', shows: "'verify'" },
  { name: 'skip verify string', input: { ...base, tls: { insecureSkipVerify: 'yes' } }, field: 'tls.insecureSkipVerify', shows: "'yes'" },
  { name: 'ca pem not pem', input: { ...base, tls: { caPem: 'not a certificate' } }, field: 'tls.caPem', shows: "'not a certificate'" },
  {
    name: 'ca pem corrupt',
    input: { ...base, tls: { caPem: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----' } },
    field: 'tls.caPem',
    shows: 'certificate 1',
  },
  {
    name: 'ca pem private key',
    input: { ...base, tls: { caPem: `${CA_PEM}\n-----BEGIN PRIVATE KEY-----\nPrivateKeyMaterial\n-----END PRIVATE KEY-----` } },
    field: 'tls.caPem',
    hides: 'PrivateKeyMaterial',
  },
  { name: 'template unknown field', input: { ...base, templates: { colour: 'x' } }, field: 'templates.colour', shows: "'colour'" },
  { name: 'template syntax', input: { ...base, templates: { trigger: '{{#if}}' } }, field: 'templates.trigger', shows: 'Parse error' },
  { name: 'template unknown helper', input: { ...base, templates: { trigger: '{{shout labels.x}}' } }, field: 'templates.trigger', shows: 'shout' },
  { name: 'template too long', input: { ...base, templates: { trigger: 't'.repeat(2001) } }, field: 'templates.trigger', shows: 'ttt' },
  { name: 'template number', input: { ...base, templates: { count: 3 } }, field: 'templates.count', shows: 'got 3' },
];

describe('validateProfileInput rejects', () => {
  for (const { name, input, field, shows, hides } of invalidCases) {
    it(name, () => {
      const error = catchError(() => validate(input));

      assert.equal(error.code, 'PROFILE_INVALID');
      assert.equal(error.field, field);
      if (shows !== undefined) assert.ok(error.message.includes(shows), `message lacks ${shows}: ${error.message}`);
      if (hides !== undefined) assert.ok(!error.message.includes(hides), `message shows a secret: ${error.message}`);
      assert.ok(!error.message.includes('\n'), `message spans lines: ${error.message}`);
    });
  }

  it('ftp url with the design message', () => {
    const error = catchError(() => validate({ ...base, url: 'ftp://x' }));
    assert.equal(error.message, "url must be an http or https URL, got 'ftp://x'");
  });
});

describe('validateProfileInput on PUT', () => {
  const put = (input: object, existing: ProfileRecord = storedProfile()) =>
    validate({ name: 'Stored', ...input }, { existing, uidFromPath: existing.uid });

  it('keeps omitted key', () => {
    assert.equal(put({ url: RECEIVER_URL, signRequests: true }).secretKey, KEY);
  });

  it('removes null key', () => {
    assert.equal(put({ url: RECEIVER_URL, secretKey: null }).secretKey, null);
  });

  it('replaces key', () => {
    assert.equal(put({ url: RECEIVER_URL, secretKey: OTHER_KEY }).secretKey, OTHER_KEY);
  });

  it('rejects signing after key removal', () => {
    const error = catchError(() => put({ url: RECEIVER_URL, signRequests: true, secretKey: null }));
    assert.equal(error.field, 'secretKey');
  });

  it('requires webhook url', () => {
    const error = catchError(() => put({}));
    assert.equal(error.field, 'url');
  });

  it('keeps omitted slack url', () => {
    const spec = put({}, storedProfile({ kind: 'slack', url: SLACK_URL, signRequests: false }));
    assert.equal(spec.url, SLACK_URL);
    assert.equal(spec.kind, 'slack');
  });

  it('keeps redacted slack url', () => {
    const existing = storedProfile({ kind: 'slack', url: SLACK_URL });
    assert.equal(put({ url: 'https://hooks.slack.com/services/…' }, existing).url, SLACK_URL);
  });

  it('keeps redacted url of slack kind', () => {
    const existing = storedProfile({ kind: 'slack', url: 'https://127.0.0.1:8443/hook/secret-path' });
    assert.equal(put({ url: 'https://127.0.0.1:8443/…' }, existing).url, 'https://127.0.0.1:8443/hook/secret-path');
  });

  it('replaces slack url', () => {
    const existing = storedProfile({ kind: 'slack', url: SLACK_URL });
    const newUrl = 'https://hooks.slack.com/services/T1/B1/other';
    assert.equal(put({ url: newUrl }, existing).url, newUrl);
  });

  it('keeps null header value', () => {
    const spec = put({ url: RECEIVER_URL, headers: [{ name: 'x-api-key', value: null, redacted: true }] });
    assert.deepEqual(spec.headers, [{ name: 'x-api-key', value: 'stored-api-key' }]);
  });

  it('replaces header value', () => {
    const spec = put({ url: RECEIVER_URL, headers: [{ name: 'X-Api-Key', value: 'new-key' }] });
    assert.deepEqual(spec.headers, [{ name: 'X-Api-Key', value: 'new-key' }]);
  });

  it('rejects null for unknown header', () => {
    const error = catchError(() => put({ url: RECEIVER_URL, headers: [{ name: 'X-Other', value: null }] }));
    assert.equal(error.field, 'headers[0].value');
    assert.ok(error.message.includes("'X-Other'"));
  });

  it('drops headers left out', () => {
    assert.deepEqual(put({ url: RECEIVER_URL }).headers, []);
  });

  it('takes uid from path', () => {
    assert.equal(put({ url: RECEIVER_URL }).uid, 'stored');
  });

  it('accepts equal body uid', () => {
    assert.equal(put({ uid: 'stored', url: RECEIVER_URL }).uid, 'stored');
  });

  it('rejects other body uid', () => {
    const error = catchError(() => put({ uid: 'other', url: RECEIVER_URL }));
    assert.equal(error.field, 'uid');
    assert.ok(error.message.includes("'other'"));
  });

  it('rejects invalid path uid', () => {
    const error = catchError(() => validate(base, { uidFromPath: 'a/b' }));
    assert.equal(error.field, 'uid');
    assert.ok(error.message.includes("'a/b'"));
  });

  it('uses stored uid without path', () => {
    assert.equal(validate(base, { existing: storedProfile() }).uid, 'stored');
  });

  it('never generates uid on PUT', () => {
    const spec = validate(base, {
      existing: storedProfile(),
      uidFromPath: 'stored',
      generateUid: () => assert.fail('generateUid called'),
    });
    assert.equal(spec.uid, 'stored');
  });
});
