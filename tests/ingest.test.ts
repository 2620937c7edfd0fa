import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { startRecordingReceiver, type RecordingReceiver } from './helpers/recording-receiver.js';
import { FIXTURES_DIR, readFixture, startTestRelay, type TestRelay } from './helpers/test-relay.js';

const HMAC_SECRET = 'grafana-contact-point-hmac-secret';

let profileCount = 0;
let fingerprintCount = 0;

function firingAlert(labels: Record<string, string> = {}) {
  fingerprintCount += 1;
  return {
    status: 'firing',
    labels: { alertname: 'IngestCheck', instance: `probe-${fingerprintCount}:9100`, ...labels },
    annotations: {},
    startsAt: '2026-11-24T09:12:30Z',
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'https://grafana.example.internal/alerting/grafana/x/view',
    fingerprint: `fp-${fingerprintCount}`,
  };
}

function resolvedAlert(labels: Record<string, string> = {}) {
  return { ...firingAlert(labels), status: 'resolved', endsAt: '2026-11-24T09:33:30Z' };
}

function notification(alerts: object[]) {
  return { receiver: 'relay', status: 'firing', alerts, externalURL: 'https://grafana.example.internal/', version: '1', groupKey: '{}' };
}

/** Posts raw bytes to the relay with exactly the given headers (no token unless given). */
async function postRaw(
  relay: TestRelay,
  path: string,
  body: string | ReadableStream<Uint8Array>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  const init: RequestInit & { duplex?: 'half' } = {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  };
  if (typeof body !== 'string') init.duplex = 'half';

  const response = await fetch(`${relay.baseUrl}${path}`, init);
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : JSON.parse(text) };
}

function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

async function countDeliveries(relay: TestRelay): Promise<number> {
  const { body } = await relay.api('GET', '/api/v1/deliveries?limit=1000');
  return body.deliveries.length;
}

async function createProfile(relay: TestRelay, url: string): Promise<string> {
  profileCount += 1;
  const uid = `ingest${profileCount}`;
  const { status, body } = await relay.api('POST', '/api/v1/profiles', { uid, name: `Ingest ${profileCount}`, url });
  assert.equal(status, 201, JSON.stringify(body));
  return uid;
}

describe('ingest route', () => {
  let relay: TestRelay;
  let target: RecordingReceiver;
  let uid: string;

  before(async () => {
    target = await startRecordingReceiver();
    relay = await startTestRelay();
    uid = await createProfile(relay, target.url);
  });
  after(async () => {
    await relay.destroy();
    await target.close();
  });

  const acceptedAuth: Array<{ name: string; authorization: (relay: TestRelay) => string }> = [
    { name: 'a bearer token', authorization: (r) => `Bearer ${r.ingestToken}` },
    { name: 'basic auth', authorization: (r) => basicAuth('grafana', r.ingestToken) },
    { name: 'basic auth without user', authorization: (r) => basicAuth('', r.ingestToken) },
  ];
  for (const testCase of acceptedAuth) {
    it(`accepts ${testCase.name}`, async () => {
      const body = JSON.stringify(notification([firingAlert()]));

      const answer = await postRaw(relay, `/api/v1/webhook/${uid}`, body, { authorization: testCase.authorization(relay) });

      assert.equal(answer.status, 202, JSON.stringify(answer.body));
      assert.equal(answer.body.accepted, 1);
    });
  }

  const rejectedAuth: Array<{ name: string; authorization: (relay: TestRelay) => string | undefined; code: string }> = [
    { name: 'a missing token', authorization: () => undefined, code: 'AUTH_REQUIRED' },
    { name: 'an unknown scheme', authorization: (r) => `Token ${r.ingestToken}`, code: 'AUTH_REQUIRED' },
    { name: 'a wrong bearer token', authorization: () => 'Bearer not-the-ingest-token', code: 'AUTH_INVALID' },
    { name: 'a wrong basic password', authorization: () => basicAuth('grafana', 'not-the-ingest-token'), code: 'AUTH_INVALID' },
    { name: 'the token as basic user', authorization: (r) => basicAuth(r.ingestToken, ''), code: 'AUTH_INVALID' },
    { name: 'the api token', authorization: (r) => `Bearer ${r.apiToken}`, code: 'AUTH_INVALID' },
  ];
  for (const testCase of rejectedAuth) {
    it(`rejects ${testCase.name}`, async () => {
      const authorization = testCase.authorization(relay);
      const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
      const countBefore = await countDeliveries(relay);

      const answer = await postRaw(relay, `/api/v1/webhook/${uid}`, JSON.stringify(notification([firingAlert()])), headers);

      assert.equal(answer.status, 401);
      assert.equal(answer.body.error.code, testCase.code);
      assert.equal(answer.body.error.field, 'Authorization');
      assert.equal(await countDeliveries(relay), countBefore);
    });
  }

  it('never logs a token', () => {
    assert.ok(!relay.logLines.some((line) => line.includes(relay.ingestToken)), 'a log line shows the ingest token');
    assert.ok(!relay.logLines.some((line) => line.includes(relay.apiToken)), 'a log line shows the API token');
  });

  const unknownProfiles = ['no-such-profile', 'has%20space', 'x'.repeat(41)];
  for (const profileUid of unknownProfiles) {
    it(`returns 404 for ${profileUid.length > 20 ? 'a long uid' : profileUid}`, async () => {
      const answer = await relay.ingest(profileUid, notification([firingAlert()]));

      assert.equal(answer.status, 404);
      assert.equal(answer.body.error.code, 'PROFILE_NOT_FOUND');
      assert.equal(answer.body.error.field, 'profileUid');
    });
  }

  const validAlert = () => firingAlert();
  const invalidBodies: Array<{ name: string; body: unknown; field: string | undefined }> = [
    { name: 'an array body', body: [notification([validAlert()])], field: undefined },
    { name: 'a string body', body: 'firing', field: undefined },
    { name: 'a null body', body: null, field: undefined },
    { name: 'alerts as an object', body: { ...notification([]), alerts: { 0: validAlert() } }, field: 'alerts' },
    { name: 'missing alerts', body: { version: '1', status: 'firing' }, field: 'alerts' },
    { name: 'a bad startsAt', body: notification([{ ...validAlert(), startsAt: 'yesterday' }]), field: 'alerts[0].startsAt' },
    { name: 'a zero startsAt', body: notification([{ ...validAlert(), startsAt: '0001-01-01T00:00:00Z' }]), field: 'alerts[0].startsAt' },
    { name: 'a missing startsAt', body: notification([{ ...validAlert(), startsAt: undefined }]), field: 'alerts[0].startsAt' },
    { name: 'a bad endsAt', body: notification([{ ...validAlert(), endsAt: '24/11/2026' }]), field: 'alerts[0].endsAt' },
    { name: 'a bad second alert', body: notification([validAlert(), { ...validAlert(), startsAt: 'soon' }]), field: 'alerts[1].startsAt' },
    { name: 'missing status', body: { ...notification([validAlert()]), status: undefined }, field: 'status' },
    { name: 'an unknown status', body: { ...notification([validAlert()]), status: 'pending' }, field: 'status' },
    { name: 'an unknown alert status', body: notification([{ ...validAlert(), status: 'pending' }]), field: 'alerts[0].status' },
    { name: 'an unknown version', body: { ...notification([validAlert()]), version: '3' }, field: 'version' },
    { name: 'labels with a number', body: notification([{ ...validAlert(), labels: { alertname: 'X', code: 500 } }]), field: 'alerts[0].labels.code' },
  ];
  for (const testCase of invalidBodies) {
    it(`rejects ${testCase.name}`, async () => {
      const countBefore = await countDeliveries(relay);

      const answer = await postRaw(relay, `/api/v1/webhook/${uid}`, JSON.stringify(testCase.body), {
        authorization: `Bearer ${relay.ingestToken}`,
      });

      assert.equal(answer.status, 400, JSON.stringify(answer.body));
      assert.equal(answer.body.error.code, 'NOTIFICATION_INVALID');
      assert.equal(answer.body.error.field, testCase.field);
      assert.equal(typeof answer.body.error.message, 'string');
      assert.equal(await countDeliveries(relay), countBefore);
    });
  }

  it('keeps the counter after a reject', async () => {
    const fresh = await createProfile(relay, target.url);

    const rejected = await relay.ingest(fresh, notification([firingAlert(), { ...firingAlert(), startsAt: 'soon' }]));
    const accepted = await relay.ingest(fresh, notification([firingAlert()]));

    assert.equal(rejected.status, 400);
    assert.equal(accepted.status, 202);
    assert.equal(accepted.body.messages[0].sequenceId, 1);
  });

  it('lists sequence ids in order', async () => {
    const fresh = await createProfile(relay, target.url);
    const alerts = [
      firingAlert({ alertname: 'First' }),
      resolvedAlert({ alertname: 'Second' }),
      firingAlert({ alertname: 'Third' }),
    ];

    const first = await relay.ingest(fresh, notification(alerts));
    const second = await relay.ingest(fresh, notification([firingAlert({ alertname: 'Fourth' }), firingAlert({ alertname: 'Fifth' })]));

    assert.equal(first.status, 202);
    assert.deepEqual(first.body.messages, [
      { sequenceId: 1, status: 'Active', trigger: 'First' },
      { sequenceId: 2, status: 'Cleared', trigger: 'Second' },
      { sequenceId: 3, status: 'Active', trigger: 'Third' },
    ]);
    assert.deepEqual(
      second.body.messages.map((message: { sequenceId: number }) => message.sequenceId),
      [4, 5],
    );
  });

  it('skips a resolved event', async () => {
    const fresh = await createProfile(relay, target.url);
    const alerts = [
      firingAlert({ alertname: 'Deployed', boro_type: 'event' }),
      resolvedAlert({ alertname: 'Deployed', boro_type: 'event' }),
      firingAlert({ alertname: 'StillFiring' }),
    ];

    const answer = await relay.ingest(fresh, notification(alerts));

    assert.equal(answer.status, 202);
    assert.equal(answer.body.accepted, 2);
    assert.equal(answer.body.skipped, 1);
    assert.equal(answer.body.duplicates, 0);
    assert.deepEqual(
      answer.body.messages.map((message: { status: string }) => message.status),
      ['Event', 'Active'],
    );
  });

  const fixtureNames = readdirSync(FIXTURES_DIR)
    .filter((name) => name.endsWith('.json') && name !== 'signing-vectors.json')
    .sort();
  for (const name of fixtureNames) {
    it(`accepts ${name}`, async () => {
      const fixture = readFixture(name) as { alerts: unknown[] };
      const fresh = await createProfile(relay, target.url);

      const answer = await relay.ingest(fresh, fixture);

      assert.equal(answer.status, 202, JSON.stringify(answer.body));
      assert.equal(answer.body.accepted, fixture.alerts.length);
      assert.equal(answer.body.duplicates, 0);
      assert.equal(answer.body.skipped, 0);
      assert.equal(answer.body.messages.length, fixture.alerts.length);
    });
  }

  it('gives the test alert sequence 0', async () => {
    const fresh = await createProfile(relay, target.url);

    const answer = await relay.ingest(fresh, readFixture('grafana-webhook-test.json'));
    const next = await relay.ingest(fresh, notification([firingAlert()]));

    assert.equal(answer.body.messages[0].sequenceId, 0);
    assert.equal(answer.body.messages[0].status, 'Event');
    assert.equal(next.body.messages[0].sequenceId, 1);
  });
});

describe('ingest body limit', () => {
  const MAX_BODY_BYTES = 2048;
  let relay: TestRelay;
  let target: RecordingReceiver;
  let uid: string;

  /** Returns a valid notification padded by an annotation to exactly `sizeBytes` bytes of JSON. */
  const bodyOfSize = (sizeBytes: number) => {
    const alert = firingAlert();
    const empty = JSON.stringify(notification([{ ...alert, annotations: { padding: '' } }]));
    const padded = JSON.stringify(notification([{ ...alert, annotations: { padding: 'p'.repeat(sizeBytes - empty.length) } }]));
    assert.equal(Buffer.byteLength(padded), sizeBytes);
    return padded;
  };

  before(async () => {
    target = await startRecordingReceiver();
    relay = await startTestRelay({ BORO_RELAY_MAX_BODY_BYTES: String(MAX_BODY_BYTES) });
    uid = await createProfile(relay, target.url);
  });
  after(async () => {
    await relay.destroy();
    await target.close();
  });

  it('accepts a body at the limit', async () => {
    const answer = await postRaw(relay, `/api/v1/webhook/${uid}`, bodyOfSize(MAX_BODY_BYTES), {
      authorization: `Bearer ${relay.ingestToken}`,
    });

    assert.equal(answer.status, 202, JSON.stringify(answer.body));
    assert.equal(answer.body.accepted, 1);
  });

  it('rejects a body over the limit', async () => {
    const countBefore = await countDeliveries(relay);

    const answer = await postRaw(relay, `/api/v1/webhook/${uid}`, bodyOfSize(MAX_BODY_BYTES + 1), {
      authorization: `Bearer ${relay.ingestToken}`,
    });

    assert.equal(answer.status, 413);
    assert.equal(answer.body.error.code, 'BODY_TOO_LARGE');
    assert.equal(await countDeliveries(relay), countBefore);
  });

  it('rejects a chunked body over the limit', async () => {
    const chunk = new TextEncoder().encode(bodyOfSize(3 * MAX_BODY_BYTES));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let offset = 0; offset < chunk.length; offset += 512) controller.enqueue(chunk.subarray(offset, offset + 512));
        controller.close();
      },
    });
    const countBefore = await countDeliveries(relay);

    const answer = await postRaw(relay, `/api/v1/webhook/${uid}`, stream, { authorization: `Bearer ${relay.ingestToken}` });

    assert.equal(answer.status, 413);
    assert.equal(answer.body.error.code, 'BODY_TOO_LARGE');
    assert.equal(await countDeliveries(relay), countBefore);
  });
});

describe('ingest grafana hmac', () => {
  let relay: TestRelay;
  let target: RecordingReceiver;
  let uid: string;

  const hexHmac = (secret: string, data: string) => createHmac('sha256', secret).update(data).digest('hex');

  /** A pretty-printed body, so that a relay hashing re-serialised JSON instead of the raw bytes fails. */
  const rawBody = () => JSON.stringify(notification([firingAlert()]), null, 2);

  before(async () => {
    target = await startRecordingReceiver();
    relay = await startTestRelay({ BORO_RELAY_GRAFANA_HMAC_SECRET: HMAC_SECRET });
    uid = await createProfile(relay, target.url);
  });
  after(async () => {
    await relay.destroy();
    await target.close();
  });

  const accepted: Array<{ name: string; headers: (body: string) => Record<string, string> }> = [
    {
      name: 'an hmac of the body',
      headers: (body) => ({ 'x-grafana-alerting-signature': hexHmac(HMAC_SECRET, body) }),
    },
    {
      name: 'an hmac with a timestamp',
      headers: (body) => ({
        'x-grafana-alerting-timestamp': '1764000000',
        'x-grafana-alerting-signature': hexHmac(HMAC_SECRET, `1764000000:${body}`),
      }),
    },
  ];
  for (const testCase of accepted) {
    it(`accepts ${testCase.name}`, async () => {
      const body = rawBody();

      const answer = await postRaw(relay, `/api/v1/webhook/${uid}`, body, {
        authorization: `Bearer ${relay.ingestToken}`,
        ...testCase.headers(body),
      });

      assert.equal(answer.status, 202, JSON.stringify(answer.body));
      assert.equal(answer.body.accepted, 1);
    });
  }

  const rejected: Array<{ name: string; headers: (body: string) => Record<string, string> }> = [
    { name: 'a missing signature', headers: () => ({}) },
    { name: 'a wrong secret', headers: (body) => ({ 'x-grafana-alerting-signature': hexHmac('another-secret', body) }) },
    {
      name: 'an hmac of re-serialised json',
      headers: (body) => ({ 'x-grafana-alerting-signature': hexHmac(HMAC_SECRET, JSON.stringify(JSON.parse(body))) }),
    },
    {
      name: 'a timestamp left out of the hmac',
      headers: (body) => ({
        'x-grafana-alerting-timestamp': '1764000000',
        'x-grafana-alerting-signature': hexHmac(HMAC_SECRET, body),
      }),
    },
    {
      name: 'a base64 signature',
      headers: (body) => ({
        'x-grafana-alerting-signature': createHmac('sha256', HMAC_SECRET).update(body).digest('base64'),
      }),
    },
  ];
  for (const testCase of rejected) {
    it(`rejects ${testCase.name}`, async () => {
      const body = rawBody();
      const countBefore = await countDeliveries(relay);

      const answer = await postRaw(relay, `/api/v1/webhook/${uid}`, body, {
        authorization: `Bearer ${relay.ingestToken}`,
        ...testCase.headers(body),
      });

      assert.equal(answer.status, 401);
      assert.equal(answer.body.error.code, 'SIGNATURE_INVALID');
      assert.equal(answer.body.error.field, 'X-Grafana-Alerting-Signature');
      assert.equal(await countDeliveries(relay), countBefore);
    });
  }

  it('still requires the ingest token', async () => {
    const body = rawBody();

    const answer = await postRaw(relay, `/api/v1/webhook/${uid}`, body, {
      'x-grafana-alerting-signature': hexHmac(HMAC_SECRET, body),
    });

    assert.equal(answer.status, 401);
    assert.equal(answer.body.error.code, 'AUTH_REQUIRED');
  });

  it('never logs the hmac secret', () => {
    assert.ok(!relay.logLines.some((line) => line.includes(HMAC_SECRET)), 'a log line shows the HMAC secret');
  });
});
