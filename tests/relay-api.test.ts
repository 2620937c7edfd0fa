import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestRelay, type TestRelay } from './helpers/test-relay.js';

const SECRET_KEY = '9c4f0e7ab13d5e2f88a6c1d04b7e3f9a2c5d8e1f0a3b6c9d2e5f8a1b4c7d0e3f';

describe('management api', () => {
  let relay: TestRelay;
  before(async () => {
    relay = await startTestRelay();
  });
  after(async () => {
    await relay.destroy();
  });

  it('creates a profile with defaults', async () => {
    const { status, body } = await relay.api('POST', '/api/v1/profiles', { uid: 'noc-main', name: 'NOC main', url: 'http://127.0.0.1:9/boro' });
    assert.equal(status, 201);
    assert.equal(body.uid, 'noc-main');
    assert.equal(body.enabled, true);
    assert.equal(body.kind, 'webhook');
    assert.equal(body.level, 'Warning');
    assert.equal(body.projectName, 'Grafana');
    assert.equal(body.timeoutSeconds, 10);
    assert.equal(body.secretKeySet, false);
    assert.equal(body.provisioned, false);
  });

  it('generates a uid when omitted', async () => {
    const { status, body } = await relay.api('POST', '/api/v1/profiles', { name: 'No uid', url: 'http://127.0.0.1:9/' });
    assert.equal(status, 201);
    assert.match(body.uid, /^[A-Za-z0-9_-]{1,40}$/);
  });

  it('rejects a taken uid', async () => {
    await relay.api('POST', '/api/v1/profiles', { uid: 'taken', name: 'First', url: 'http://127.0.0.1:9/' });
    const { status, body } = await relay.api('POST', '/api/v1/profiles', { uid: 'taken', name: 'Second', url: 'http://127.0.0.1:9/' });
    assert.equal(status, 409);
    assert.equal(body.error.code, 'PROFILE_UID_TAKEN');
    assert.equal(body.error.field, 'uid');
  });

  const invalidProfiles: Array<{ name: string; input: object; field: string }> = [
    { name: 'ftp url', input: { name: 'x', url: 'ftp://x' }, field: 'url' },
    { name: 'missing name', input: { url: 'http://127.0.0.1:9/' }, field: 'name' },
    { name: 'short key', input: { name: 'x', url: 'http://127.0.0.1:9/', secretKey: 'abcd' }, field: 'secretKey' },
    { name: 'signing without key', input: { name: 'x', url: 'http://127.0.0.1:9/', signRequests: true }, field: 'secretKey' },
    { name: 'bad uid', input: { uid: 'no spaces', name: 'x', url: 'http://127.0.0.1:9/' }, field: 'uid' },
    { name: 'timeout too long', input: { name: 'x', url: 'http://127.0.0.1:9/', timeoutSeconds: 600 }, field: 'timeoutSeconds' },
    { name: 'host header', input: { name: 'x', url: 'http://127.0.0.1:9/', headers: [{ name: 'Host', value: 'a' }] }, field: 'headers[0].name' },
    { name: 'header with newline', input: { name: 'x', url: 'http://127.0.0.1:9/', headers: [{ name: 'X-A', value: 'a\r\nb' }] }, field: 'headers[0].value' },
  ];
  for (const testCase of invalidProfiles) {
    it(`rejects ${testCase.name}`, async () => {
      const before = await relay.api('GET', '/api/v1/profiles');
      const { status, body } = await relay.api('POST', '/api/v1/profiles', testCase.input);
      const afterList = await relay.api('GET', '/api/v1/profiles');
      assert.equal(status, 400);
      assert.equal(body.error.code, 'PROFILE_INVALID');
      assert.equal(body.error.field, testCase.field);
      assert.equal(afterList.body.profiles.length, before.body.profiles.length);
    });
  }

  it('never returns the secret key', async () => {
    const created = await relay.api('POST', '/api/v1/profiles', {
      uid: 'signed',
      name: 'Signed',
      url: 'http://127.0.0.1:9/',
      signRequests: true,
      secretKey: SECRET_KEY,
    });
    const read = await relay.api('GET', '/api/v1/profiles/signed');
    const list = await relay.api('GET', '/api/v1/profiles');
    assert.equal(created.body.secretKeySet, true);
    assert.ok(!JSON.stringify(created.body).includes(SECRET_KEY));
    assert.ok(!JSON.stringify(read.body).includes(SECRET_KEY));
    assert.ok(!JSON.stringify(list.body).includes(SECRET_KEY));
  });

  it('keeps the key on put without secretKey', async () => {
    const { status, body } = await relay.api('PUT', '/api/v1/profiles/signed', { name: 'Signed again', url: 'http://127.0.0.1:9/', signRequests: true });
    assert.equal(status, 200);
    assert.equal(body.name, 'Signed again');
    assert.equal(body.secretKeySet, true);
  });

  it('generates a secret key once', async () => {
    const { status, body } = await relay.api('POST', '/api/v1/profiles/signed/secret');
    const read = await relay.api('GET', '/api/v1/profiles/signed');
    assert.equal(status, 200);
    assert.match(body.secretKey, /^[0-9a-f]{64}$/);
    assert.ok(!JSON.stringify(read.body).includes(body.secretKey));
  });

  it('redacts a slack url', async () => {
    const { body } = await relay.api('POST', '/api/v1/profiles', {
      uid: 'slack-ops',
      name: 'Slack ops',
      url: 'https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX',
    });
    assert.equal(body.kind, 'slack');
    assert.ok(!body.url.includes('XXXXXXXXXXXXXXXX'));
  });

  it('deletes a profile', async () => {
    await relay.api('POST', '/api/v1/profiles', { uid: 'to-delete', name: 'Delete me', url: 'http://127.0.0.1:9/' });
    const deleted = await relay.api('DELETE', '/api/v1/profiles/to-delete');
    const read = await relay.api('GET', '/api/v1/profiles/to-delete');
    assert.equal(deleted.status, 204);
    assert.equal(read.status, 404);
    assert.equal(read.body.error.code, 'PROFILE_NOT_FOUND');
  });

  it('requires the api token', async () => {
    const response = await fetch(`${relay.baseUrl}/api/v1/profiles`);
    const body = (await response.json()) as any;
    assert.equal(response.status, 401);
    assert.equal(body.error.code, 'AUTH_REQUIRED');
  });

  it('rejects a wrong api token', async () => {
    const response = await fetch(`${relay.baseUrl}/api/v1/profiles`, { headers: { authorization: 'Bearer wrong' } });
    const body = (await response.json()) as any;
    assert.equal(response.status, 401);
    assert.equal(body.error.code, 'AUTH_INVALID');
  });

  it('rejects the ingest token on the api', async () => {
    const response = await fetch(`${relay.baseUrl}/api/v1/profiles`, { headers: { authorization: `Bearer ${relay.ingestToken}` } });
    assert.equal(response.status, 401);
  });

  it('rejects malformed json', async () => {
    const { status, body } = await relay.api('POST', '/api/v1/profiles', '{"name": ');
    assert.equal(status, 400);
    assert.equal(body.error.code, 'BODY_NOT_JSON');
  });

  it('rejects a non-json body', async () => {
    const response = await fetch(`${relay.baseUrl}/api/v1/profiles`, {
      method: 'POST',
      headers: { authorization: `Bearer ${relay.apiToken}`, 'content-type': 'text/plain' },
      body: 'name=x',
    });
    const body = (await response.json()) as any;
    assert.equal(response.status, 415);
    assert.equal(body.error.code, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers 404 for an unknown delivery', async () => {
    const { status, body } = await relay.api('GET', '/api/v1/deliveries/999999');
    assert.equal(status, 404);
    assert.equal(body.error.code, 'DELIVERY_NOT_FOUND');
  });

  it('rejects an invalid state filter', async () => {
    const { status, body } = await relay.api('GET', '/api/v1/deliveries?state=lost');
    assert.equal(status, 400);
    assert.equal(body.error.field, 'state');
  });

  it('serves the openapi document', async () => {
    const response = await fetch(`${relay.baseUrl}/api/v1/openapi.json`);
    const body = (await response.json()) as any;
    assert.equal(response.status, 200);
    assert.equal(body.openapi, '3.1.0');
    assert.ok(body.paths['/api/v1/webhook/{profileUid}']);
  });

  it('answers health and readiness', async () => {
    const health = await fetch(`${relay.baseUrl}/healthz`);
    const ready = await fetch(`${relay.baseUrl}/readyz`);
    assert.equal(health.status, 200);
    assert.equal(ready.status, 200);
  });

  it('serves prometheus metrics', async () => {
    const response = await fetch(`${relay.baseUrl}/metrics`);
    const text = await response.text();
    assert.equal(response.status, 200);
    assert.match(text, /boro_relay_delivery_attempts_total/);
    assert.match(text, /boro_relay_queue_depth/);
  });
});
