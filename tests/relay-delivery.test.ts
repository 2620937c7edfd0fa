import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { verifyRequest } from '../src/relay/signing/api-auth.js';
import { startRecordingReceiver, type RecordingReceiver, type ReplyScript } from './helpers/recording-receiver.js';
import { eventually, readFixture, startTestRelay, type TestRelay } from './helpers/test-relay.js';

const SECRET_KEY = '9c4f0e7ab13d5e2f88a6c1d04b7e3f9a2c5d8e1f0a3b6c9d2e5f8a1b4c7d0e3f';

let profileCount = 0;

/** Creates a signed profile pointing at `url` and returns its uid. */
async function createProfile(relay: TestRelay, url: string, extra: object = {}): Promise<string> {
  profileCount += 1;
  const uid = `p${profileCount}`;
  const { status, body } = await relay.api('POST', '/api/v1/profiles', {
    uid,
    name: `Profile ${profileCount}`,
    url,
    signRequests: true,
    secretKey: SECRET_KEY,
    headers: [{ name: 'X-Env', value: 'test' }],
    ...extra,
  });
  assert.equal(status, 201, JSON.stringify(body));
  return uid;
}

async function deliveryOf(relay: TestRelay, uid: string, sequenceId: number) {
  const list = await relay.api('GET', `/api/v1/deliveries?profile=${uid}`);
  const delivery = list.body.deliveries.find((entry: any) => entry.sequenceId === sequenceId);
  return delivery ? (await relay.api('GET', `/api/v1/deliveries/${delivery.id}`)).body : undefined;
}

async function finalDelivery(relay: TestRelay, uid: string, sequenceId: number, timeoutMs = 20_000) {
  return eventually(async () => {
    const detail = await deliveryOf(relay, uid, sequenceId);
    return detail && (detail.state === 'delivered' || detail.state === 'failed') ? detail : undefined;
  }, timeoutMs);
}

function firingAlert(fingerprint: string, startsAt = '2026-11-24T09:12:30Z') {
  return {
    status: 'firing',
    labels: { alertname: 'StreamDown', instance: `probe-${fingerprint}:9100` },
    annotations: {},
    startsAt,
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'https://grafana.example.internal/alerting/grafana/x/view',
    fingerprint,
  };
}

function resolvedAlert(fingerprint: string, startsAt = '2026-11-24T09:12:30Z', endsAt = '2026-11-24T09:33:30Z') {
  return { ...firingAlert(fingerprint, startsAt), status: 'resolved', endsAt };
}

function notification(alerts: object[]) {
  return { receiver: 'relay', status: 'firing', alerts, externalURL: 'https://grafana.example.internal/', version: '1', groupKey: '{}' };
}

describe('delivery', () => {
  let relay: TestRelay;
  const receivers: RecordingReceiver[] = [];
  const receiver = async (script?: ReplyScript, host?: string) => {
    const started = await startRecordingReceiver(script, host);
    receivers.push(started);
    return started;
  };

  before(async () => {
    relay = await startTestRelay({ BORO_RELAY_BLOCKED_NETWORKS: '127.0.0.2/32', BORO_RELAY_PROFILE_CONCURRENCY: '1' });
  });
  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((entry) => entry.close()));
  });
  after(async () => {
    await relay.destroy();
  });

  it('delivers a signed boro message', async () => {
    const target = await receiver();
    const uid = await createProfile(relay, `${target.url}/hooks/boro?tenant=a`);

    const answer = await relay.ingest(uid, readFixture('grafana-webhook-firing.json'));
    const [request] = await target.waitForRequests(1);

    assert.equal(answer.status, 202);
    assert.equal(answer.body.accepted, 1);
    assert.ok(request);
    const verified = verifyRequest({
      method: request.method,
      requestUri: request.url,
      headers: request.headers,
      body: request.body,
      secretKey: SECRET_KEY,
      secretKeyEncoding: 'text',
    });
    assert.deepEqual(verified, { ok: true, accessId: uid });
    assert.equal(request.headers['x-env'], 'test');
    assert.equal(request.headers['idempotency-key'], `${uid}-1`);
    assert.match(String(request.headers['user-agent']), /^boro-webhook-relay\//);
    assert.equal(request.headers['content-type'], 'application/json');
    const message = JSON.parse(request.body.toString('utf8'));
    assert.equal(message.sequenceId, 1);
    assert.equal(message.status, 'Active');
    assert.equal(message.trigger, 'HighCPU');
  });

  it('splits a group into ordered messages', async () => {
    const target = await receiver();
    const uid = await createProfile(relay, target.url);

    await relay.ingest(uid, readFixture('alertmanager-webhook.json'));
    const requests = await target.waitForRequests(2);

    const messages = requests.map((request) => JSON.parse(request.body.toString('utf8')));
    assert.deepEqual(
      messages.map((message) => message.sequenceId),
      [1, 2],
    );
    assert.deepEqual(
      messages.map((message) => message.status),
      ['Active', 'Cleared'],
    );
  });

  it('links cleared to its active', async () => {
    const target = await receiver();
    const uid = await createProfile(relay, target.url);

    await relay.ingest(uid, notification([firingAlert('ep1')]));
    await relay.ingest(uid, notification([firingAlert('other')]));
    await relay.ingest(uid, notification([resolvedAlert('ep1')]));
    const requests = await target.waitForRequests(3);

    const cleared = JSON.parse(requests[2]!.body.toString('utf8'));
    assert.equal(cleared.status, 'Cleared');
    assert.equal(cleared.sequenceId, 3);
    assert.equal(cleared.referenceNumber, 1);
    assert.equal(cleared.duration, '21 min');
  });

  it('drops repeated notifications', async () => {
    const target = await receiver();
    const uid = await createProfile(relay, target.url);

    const first = await relay.ingest(uid, notification([firingAlert('rep')]));
    const second = await relay.ingest(uid, notification([firingAlert('rep')]));
    await target.waitForRequests(1);
    await new Promise((resolve) => setTimeout(resolve, 300));

    assert.equal(first.body.accepted, 1);
    assert.equal(second.body.accepted, 0);
    assert.equal(second.body.duplicates, 1);
    assert.equal(target.requests.length, 1);
  });

  it('retries a 500 then delivers', async () => {
    const target = await receiver((_request, index) => (index === 0 ? { status: 500, headers: { 'retry-after': '1' } } : { status: 200 }));
    const uid = await createProfile(relay, target.url);

    await relay.ingest(uid, notification([firingAlert('r500')]));
    const detail = await finalDelivery(relay, uid, 1);
    const requests = await target.waitForRequests(2);

    assert.equal(detail.state, 'delivered');
    assert.equal(detail.attempts, 2);
    assert.equal(detail.attemptLog.length, 2);
    assert.equal(detail.attemptLog[0].statusCode, 500);
    assert.equal(requests[0]!.headers['idempotency-key'], requests[1]!.headers['idempotency-key']);
  });

  it('signs every attempt afresh', async () => {
    const target = await receiver((_request, index) => (index === 0 ? { status: 503, headers: { 'retry-after': '1' } } : { status: 200 }));
    const uid = await createProfile(relay, target.url);

    await relay.ingest(uid, notification([firingAlert('fresh')]));
    const requests = await target.waitForRequests(2);

    assert.notEqual(requests[0]!.headers.date, requests[1]!.headers.date);
    assert.notEqual(requests[0]!.headers.authorization, requests[1]!.headers.authorization);
    assert.equal(requests[0]!.body.toString('utf8'), requests[1]!.body.toString('utf8'));
  });

  it('retries a connection reset', async () => {
    const target = await receiver((_request, index) => (index === 0 ? { reset: true } : { status: 200 }));
    const uid = await createProfile(relay, target.url);

    await relay.ingest(uid, notification([firingAlert('reset')]));
    const detail = await finalDelivery(relay, uid, 1);

    assert.equal(detail.state, 'delivered');
    assert.equal(detail.attempts, 2);
    assert.equal(detail.attemptLog[0].statusCode, null);
    assert.match(detail.attemptLog[0].error, /reset|closed|socket/i);
  });

  it('retries a slow receiver', async () => {
    const target = await receiver((_request, index) => (index === 0 ? { status: 200, delayMs: 2500 } : { status: 200 }));
    const uid = await createProfile(relay, target.url, { timeoutSeconds: 1 });

    await relay.ingest(uid, notification([firingAlert('slow')]));
    const detail = await finalDelivery(relay, uid, 1);

    assert.equal(detail.state, 'delivered');
    assert.equal(detail.attempts, 2);
    assert.match(detail.attemptLog[0].error, /timed out/i);
  });

  it('waits out a 429', async () => {
    const target = await receiver((_request, index) => (index === 0 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 }));
    const uid = await createProfile(relay, target.url);

    await relay.ingest(uid, notification([firingAlert('r429')]));
    const detail = await finalDelivery(relay, uid, 1);
    const requests = await target.waitForRequests(2);

    assert.equal(detail.state, 'delivered');
    assert.equal(detail.attemptLog[0].statusCode, 429);
    assert.ok(requests[1]!.receivedAtMs - requests[0]!.receivedAtMs >= 900);
  });

  it('refuses a 301 redirect', async () => {
    const target = await receiver(() => ({ status: 301, headers: { location: 'http://127.0.0.1:9/moved?token=abc' } }));
    const uid = await createProfile(relay, target.url);

    await relay.ingest(uid, notification([firingAlert('r301')]));
    const detail = await finalDelivery(relay, uid, 1);

    assert.equal(detail.state, 'failed');
    assert.equal(detail.attempts, 1);
    assert.match(detail.lastError, /destination redirects to http:\/\/127\.0\.0\.1:9/);
    assert.ok(!detail.lastError.includes('token=abc'));
  });

  it('follows a 307 and re-signs', async () => {
    const target = await receiver((request) =>
      request.url === '/old' ? { status: 307, headers: { location: '/new?x=1' } } : { status: 200 },
    );
    const uid = await createProfile(relay, `${target.url}/old`);

    await relay.ingest(uid, notification([firingAlert('r307')]));
    const requests = await target.waitForRequests(2);
    const moved = requests[1]!;

    assert.equal(moved.url, '/new?x=1');
    assert.equal(moved.method, 'POST');
    const verified = verifyRequest({
      method: moved.method,
      requestUri: moved.url,
      headers: moved.headers,
      body: moved.body,
      secretKey: SECRET_KEY,
      secretKeyEncoding: 'text',
    });
    assert.equal(verified.ok, true);
  });

  it('fails a 404 at once', async () => {
    const target = await receiver(() => ({ status: 404, body: 'no such hook' }));
    const uid = await createProfile(relay, target.url);

    await relay.ingest(uid, notification([firingAlert('r404')]));
    const detail = await finalDelivery(relay, uid, 1);

    assert.equal(detail.state, 'failed');
    assert.equal(detail.attempts, 1);
    assert.equal(detail.attemptLog[0].responseBody, 'no such hook');
  });

  it('sends cleared after its active', async () => {
    const target = await receiver((request, index) => (index === 0 ? { status: 503, headers: { 'retry-after': '1' } } : { status: 200 }));
    const uid = await createProfile(relay, target.url, {});

    await relay.ingest(uid, notification([firingAlert('order')]));
    await target.waitForRequests(1);
    await relay.ingest(uid, notification([resolvedAlert('order')]));
    const requests = await target.waitForRequests(3);

    const statuses = requests.map((request) => JSON.parse(request.body.toString('utf8')).status);
    assert.deepEqual(statuses, ['Active', 'Active', 'Cleared']);
  });

  it('pauses a failing receiver', async () => {
    const down = await receiver(() => ({ reset: true }));
    const healthy = await receiver();
    const downUid = await createProfile(relay, down.url);
    const healthyUid = await createProfile(relay, healthy.url);
    const storm = Array.from({ length: 50 }, (_, index) => firingAlert(`storm-${index}`));

    await relay.ingest(downUid, notification(storm));
    await down.waitForRequests(1);
    await relay.ingest(healthyUid, notification([firingAlert('calm')]));
    await healthy.waitForRequests(1);
    await new Promise((resolve) => setTimeout(resolve, 1000));

    assert.equal(healthy.requests.length, 1);
    assert.equal(down.requests.length, 1);
  });

  it('skips a disabled profile', async () => {
    const target = await receiver();
    const uid = await createProfile(relay, target.url, { enabled: false });

    const answer = await relay.ingest(uid, notification([firingAlert('off1'), firingAlert('off2')]));
    await new Promise((resolve) => setTimeout(resolve, 300));

    assert.equal(answer.status, 202);
    assert.equal(answer.body.skipped, 2);
    assert.equal(answer.body.accepted, 0);
    assert.equal(target.requests.length, 0);
  });

  it('blocks a denied network', async () => {
    const blocked = await receiver(undefined, '127.0.0.2');
    const uid = await createProfile(relay, blocked.url);

    await relay.ingest(uid, notification([firingAlert('blocked')]));
    const detail = await finalDelivery(relay, uid, 1);

    assert.equal(detail.state, 'failed');
    assert.match(detail.lastError, /blocked/);
    assert.equal(blocked.requests.length, 0);
  });

  it('sends a test message', async () => {
    const target = await receiver(() => ({ status: 200, body: '{"ok":true}' }));
    const uid = await createProfile(relay, target.url);

    const { status, body } = await relay.api('POST', `/api/v1/profiles/${uid}/test`);
    const list = await relay.api('GET', `/api/v1/deliveries?profile=${uid}`);

    assert.equal(status, 200);
    assert.equal(body.delivered, true);
    assert.equal(body.statusCode, 200);
    assert.match(body.request.canonicalString, /^POST,application\/json,/);
    assert.ok(body.request.canonicalString.includes(body.request.headers['X-Authorization-Content-SHA256']));
    assert.match(body.request.headers.Authorization, /^APIAuth-HMAC-SHA256 /);
    assert.equal(body.request.headers['X-Env'], '[redacted]');
    assert.equal(JSON.parse(body.request.body).sequenceId, 0);
    assert.equal(list.body.deliveries[0].test, true);
  });

  it('treats grafana test alerts as tests', async () => {
    const target = await receiver();
    const uid = await createProfile(relay, target.url);

    const answer = await relay.ingest(uid, readFixture('grafana-webhook-test.json'));
    const [request] = await target.waitForRequests(1);
    const message = JSON.parse(request!.body.toString('utf8'));

    assert.equal(answer.body.messages[0].sequenceId, 0);
    assert.equal(message.sequenceId, 0);
    assert.equal(message.status, 'Event');
  });

  it('retries a failed delivery on request', async () => {
    let healthy = false;
    const target = await receiver(() => (healthy ? { status: 200 } : { status: 400 }));
    const uid = await createProfile(relay, target.url);

    await relay.ingest(uid, notification([firingAlert('manual')]));
    const failed = await finalDelivery(relay, uid, 1);
    healthy = true;
    const retried = await relay.api('POST', `/api/v1/deliveries/${failed.id}/retry`);
    const delivered = await eventually(async () => {
      const detail = (await relay.api('GET', `/api/v1/deliveries/${failed.id}`)).body;
      return detail.state === 'delivered' ? detail : undefined;
    });

    assert.equal(failed.state, 'failed');
    assert.equal(retried.status, 202);
    assert.equal(delivered.attempts, 2);
  });
});
