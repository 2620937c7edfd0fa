import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startRecordingReceiver, type RecordingReceiver, type ScriptedReply } from './helpers/recording-receiver.js';
import { eventually, startTestRelay, type TestRelay } from './helpers/test-relay.js';

// Each secret is distinctive, so any copy of it anywhere is found by a plain substring search.
const SECRET_KEY = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';
const API_KEY_HEADER = 'apikey-5f0e3c2a9b7d41c8';
const TOKEN_HEADER = 'token-c0ffee4242deadbeef';
const URL_PATH_SECRET = 'pathsecret-93be1a7c';
const URL_QUERY_SECRET = 'querysecret-77aa01ff';
const REDIRECT_SECRET = 'redirectsecret-6d5c4b3a';

const SECRETS = [SECRET_KEY, API_KEY_HEADER, TOKEN_HEADER, URL_PATH_SECRET, URL_QUERY_SECRET, REDIRECT_SECRET];

describe('secrets', () => {
  let relay: TestRelay;
  let receiver: RecordingReceiver;
  const responses: string[] = [];

  before(async () => {
    // The receiver echoes the whole request back, so that every secret it was sent is in its responses.
    receiver = await startRecordingReceiver((request, index): ScriptedReply => {
      const echo = JSON.stringify({ url: request.url, headers: request.headers });
      if (index === 0) return { status: 503, headers: { 'retry-after': '1' }, body: echo };
      if (index === 1) return { status: 301, headers: { location: `http://127.0.0.1:9/${REDIRECT_SECRET}?k=${REDIRECT_SECRET}` }, body: echo };
      return { status: 400, body: echo };
    });
    relay = await startTestRelay();
  });
  after(async () => {
    await relay.destroy();
    await receiver.close();
  });

  const record = async (method: string, path: string, body?: unknown) => {
    const response = await relay.api(method, path, body);
    responses.push(JSON.stringify(response.body));
    return response;
  };

  it('never leaks a secret', async () => {
    await record('POST', '/api/v1/profiles', {
      uid: 'leaky',
      name: 'Leaky',
      url: `${receiver.url}/hooks/${URL_PATH_SECRET}?token=${URL_QUERY_SECRET}`,
      signRequests: true,
      secretKey: SECRET_KEY,
      headers: [
        { name: 'X-Api-Key', value: API_KEY_HEADER },
        { name: 'X-Auth-Token', value: TOKEN_HEADER },
      ],
    });
    const alert = { status: 'firing', labels: { alertname: 'Leak' }, startsAt: '2026-12-04T10:00:00Z', fingerprint: 'leak' };
    await relay.ingest('leaky', { receiver: 'r', status: 'firing', alerts: [alert], version: '4' });

    const detail = await eventually(async () => {
      const { body } = await relay.api('GET', '/api/v1/deliveries?profile=leaky');
      const delivery = body.deliveries[0];
      return delivery?.state === 'failed' ? delivery : undefined;
    });
    await relay.api('POST', `/api/v1/deliveries/${detail.id}/retry`);
    await receiver.waitForRequests(3);
    await eventually(async () => {
      const { body } = await relay.api('GET', `/api/v1/deliveries/${detail.id}`);
      return body.state === 'failed' && body.attempts === 3 ? true : undefined;
    });

    await record('POST', '/api/v1/profiles/leaky/test');
    await record('GET', '/api/v1/profiles');
    await record('GET', '/api/v1/profiles/leaky');
    await record('GET', '/api/v1/deliveries');
    const deliveryAnswers = [
      JSON.stringify((await record('GET', `/api/v1/deliveries/${detail.id}`)).body),
      JSON.stringify((await record('GET', '/api/v1/deliveries')).body),
      JSON.stringify((await record('GET', '/api/v1/status')).body),
    ].join('\n');
    await record('PUT', '/api/v1/profiles/leaky', { name: 'Leaky', url: 'ftp://x', secretKey: SECRET_KEY });
    await relay.stop();

    const logs = relay.logLines.join('\n');
    const answers = responses.join('\n');
    assert.ok(receiver.requests.length >= 3);
    for (const secret of [SECRET_KEY, API_KEY_HEADER, TOKEN_HEADER, REDIRECT_SECRET]) {
      assert.ok(!answers.includes(secret), `API response contains ${secret}`);
    }
    for (const secret of SECRETS) {
      assert.ok(!logs.includes(secret), `log contains ${secret}`);
    }
    for (const secret of SECRETS) {
      assert.ok(!deliveryAnswers.includes(secret), `delivery log contains ${secret}`);
    }
    assert.ok(!logs.includes(relay.apiToken), 'log contains the API token');
    assert.ok(!logs.includes(relay.ingestToken), 'log contains the ingest token');
  });
});
