import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type { ReplyScript } from './helpers/recording-receiver.js';
import { eventually, startTestRelay, type TestRelay } from './helpers/test-relay.js';
import {
  createSelfSignedCertificate,
  startTlsReceiver,
  type SelfSignedCertificate,
  type TlsReceiver,
} from './helpers/tls-receiver.js';

/** The secret part of every Slack URL below, which the API, the delivery log and the relay log must never show. */
const SLACK_TOKEN = 'XXXXXXXXXXXX';

const SECRET_KEY = '9c4f0e7ab13d5e2f88a6c1d04b7e3f9a2c5d8e1f0a3b6c9d2e5f8a1b4c7d0e3f';

let profileCount = 0;

function firingAlert(fingerprint: string, labels: Record<string, string> = {}) {
  return {
    status: 'firing',
    labels: { alertname: 'SlackDiskFull', instance: `db-${fingerprint}:9100`, ...labels },
    annotations: {},
    startsAt: '2026-11-24T09:12:30Z',
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'https://grafana.example.internal/alerting/grafana/x/view',
    fingerprint,
  };
}

function notification(alerts: object[]) {
  return { receiver: 'slack', status: 'firing', alerts, externalURL: 'https://grafana.example.internal/', version: '1', groupKey: '{}' };
}

/** Collects the `text` of every mrkdwn object in a Block Kit tree. */
function mrkdwnTexts(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(mrkdwnTexts);
  if (typeof node !== 'object' || node === null) return [];

  const record = node as Record<string, unknown>;
  const own = record.type === 'mrkdwn' && typeof record.text === 'string' ? [record.text] : [];
  return [...own, ...Object.values(record).flatMap(mrkdwnTexts)];
}

describe('slack delivery', () => {
  let relay: TestRelay;
  let certificate: SelfSignedCertificate;
  const receivers: TlsReceiver[] = [];

  const receiver = async (script?: ReplyScript) => {
    const started = await startTlsReceiver(certificate, script);
    receivers.push(started);
    return started;
  };

  /** Creates a Slack profile whose URL has its own `B…` segment, so that pacing of one URL never delays another test. */
  const createSlackProfile = async (target: TlsReceiver, extra: object = {}) => {
    profileCount += 1;
    const uid = `slack${profileCount}`;
    const url = `${target.origin}/services/T000/B${String(profileCount).padStart(3, '0')}/${SLACK_TOKEN}`;
    const { status, body } = await relay.api('POST', '/api/v1/profiles', {
      uid,
      name: `Slack ${profileCount}`,
      kind: 'slack',
      url,
      tls: { caPem: certificate.certPem },
      ...extra,
    });
    assert.equal(status, 201, JSON.stringify(body));
    return { uid, url };
  };

  const finalDelivery = (uid: string, sequenceId: number) =>
    eventually(async () => {
      const list = await relay.api('GET', `/api/v1/deliveries?profile=${uid}`);
      const entry = list.body.deliveries.find((delivery: any) => delivery.sequenceId === sequenceId);
      if (entry === undefined || (entry.state !== 'delivered' && entry.state !== 'failed')) return undefined;
      return (await relay.api('GET', `/api/v1/deliveries/${entry.id}`)).body;
    });

  before(async () => {
    certificate = createSelfSignedCertificate();
    relay = await startTestRelay();
  });
  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((entry) => entry.close()));
  });
  after(async () => {
    await relay.destroy();
  });

  it('sends block kit json', async () => {
    const target = await receiver();
    const { uid, url } = await createSlackProfile(target);

    const answer = await relay.ingest(uid, notification([firingAlert('blocks')]));
    const [request] = await target.waitForRequests(1);
    const detail = await finalDelivery(uid, 1);

    assert.equal(answer.status, 202);
    assert.equal(request!.url, new URL(url).pathname);
    assert.equal(request!.headers['content-type'], 'application/json');
    const slack = JSON.parse(request!.body.toString('utf8'));
    assert.equal(typeof slack.text, 'string');
    assert.match(slack.text, /SlackDiskFull/);
    assert.ok(Array.isArray(slack.blocks));
    assert.equal(slack.blocks[0].type, 'header');
    assert.equal(slack.blocks[0].text.type, 'plain_text');
    assert.match(slack.blocks[0].text.text, /Active/);
    assert.match(slack.blocks[0].text.text, /SlackDiskFull/);
    assert.equal(slack.sequenceId, undefined);
    assert.equal(detail.state, 'delivered');
    assert.equal(detail.attempts, 1);
  });

  it('escapes markup characters', async () => {
    const target = await receiver();
    const { uid } = await createSlackProfile(target);
    const alert = firingAlert('escape', { alertname: 'Disk <sda> & <sdb>', instance: 'db-1 <primary> & co' });

    await relay.ingest(uid, notification([alert]));
    const [request] = await target.waitForRequests(1);

    const slack = JSON.parse(request!.body.toString('utf8'));
    const texts = mrkdwnTexts(slack.blocks);
    assert.match(slack.text, /Disk &lt;sda&gt; &amp; &lt;sdb&gt;/);
    assert.ok(texts.some((text) => text.includes('db-1 &lt;primary&gt; &amp; co')), JSON.stringify(texts));
    assert.ok(texts.every((text) => !text.includes('<primary>')), JSON.stringify(texts));
    assert.ok(!slack.text.includes('<sda>'));
  });

  it('never signs a slack request', async () => {
    const target = await receiver();
    const { uid } = await createSlackProfile(target, { signRequests: true, secretKey: SECRET_KEY });

    await relay.ingest(uid, notification([firingAlert('unsigned')]));
    const [request] = await target.waitForRequests(1);

    assert.equal(request!.headers.authorization, undefined);
    assert.equal(request!.headers['x-authorization-content-sha256'], undefined);
    assert.equal(request!.headers.date, undefined);
  });

  it('hides the webhook path', async () => {
    const target = await receiver();
    const { uid, url } = await createSlackProfile(target);
    const redactedUrl = `${target.origin}/services/…`;

    const created = await relay.api('GET', `/api/v1/profiles/${uid}`);
    const list = await relay.api('GET', '/api/v1/profiles');
    const tested = await relay.api('POST', `/api/v1/profiles/${uid}/test`);
    await relay.ingest(uid, notification([firingAlert('hidden')]));
    const detail = await finalDelivery(uid, 1);
    const deliveries = await relay.api('GET', `/api/v1/deliveries?profile=${uid}`);
    const status = await relay.api('GET', '/api/v1/status');

    assert.equal(created.status, 200);
    assert.equal(created.body.url, redactedUrl);
    assert.equal(list.body.profiles.find((profile: any) => profile.uid === uid).url, redactedUrl);
    assert.equal(tested.status, 200);
    assert.equal(tested.body.delivered, true);
    assert.equal(tested.body.request.url, redactedUrl);
    assert.equal(detail.state, 'delivered');
    assert.equal(deliveries.body.deliveries.length, 2);
    const responses = { created, list, tested, detail, deliveries, status };
    for (const [name, response] of Object.entries(responses)) {
      assert.ok(!JSON.stringify(response).includes(SLACK_TOKEN), `${name} shows the Slack path`);
    }
    assert.ok(!relay.logLines.some((line) => line.includes(SLACK_TOKEN)), 'a log line shows the Slack path');
    assert.ok(url.includes(SLACK_TOKEN));
  });

  const putBodies: Array<{ name: string; body: object }> = [
    { name: 'without kind', body: { name: 'Renamed' } },
    { name: 'with kind webhook', body: { name: 'Renamed', kind: 'webhook' } },
  ];
  for (const testCase of putBodies) {
    it(`hides the path after a put ${testCase.name}`, async () => {
      const target = await receiver();
      const { uid } = await createSlackProfile(target);

      const updated = await relay.api('PUT', `/api/v1/profiles/${uid}`, testCase.body);
      const stored = await relay.api('GET', `/api/v1/profiles/${uid}`);

      assert.ok(!JSON.stringify(updated).includes(SLACK_TOKEN), `PUT returned ${JSON.stringify(updated.body)}`);
      assert.ok(!JSON.stringify(stored).includes(SLACK_TOKEN), `GET returned ${JSON.stringify(stored.body)}`);
    });
  }

  it('rejects an http url without echoing its path', async () => {
    const { status, body } = await relay.api('POST', '/api/v1/profiles', {
      name: 'Plain http',
      kind: 'slack',
      url: `http://127.0.0.1:9/services/T000/B999/${SLACK_TOKEN}`,
    });

    assert.equal(status, 400);
    assert.equal(body.error.code, 'PROFILE_INVALID');
    assert.equal(body.error.field, 'url');
    assert.ok(!body.error.message.includes(SLACK_TOKEN), body.error.message);
  });

  const slackErrors: Array<{ name: string; status: number; body: string; reason: RegExp }> = [
    { name: '200 invalid_payload', status: 200, body: 'invalid_payload', reason: /^invalid_payload$/ },
    { name: '400 invalid_payload', status: 400, body: 'invalid_payload', reason: /^invalid_payload$/ },
    { name: '404 no_service', status: 404, body: 'no_service', reason: /^no_service$/ },
    { name: '200 without ok', status: 200, body: '', reason: /without the body 'ok'/ },
  ];
  for (const testCase of slackErrors) {
    it(`fails on ${testCase.name}`, async () => {
      const target = await receiver(() => ({ status: testCase.status, body: testCase.body }));
      const { uid } = await createSlackProfile(target);

      await relay.ingest(uid, notification([firingAlert('payload')]));
      const detail = await finalDelivery(uid, 1);

      assert.equal(detail.state, 'failed');
      assert.equal(detail.attempts, 1);
      assert.match(detail.lastError, testCase.reason);
      assert.equal(detail.attemptLog[0].statusCode, testCase.status);
      assert.equal(target.requests.length, 1);
    });
  }

  it('paces messages to one per second', async () => {
    const target = await receiver();
    const { uid } = await createSlackProfile(target);

    const answer = await relay.ingest(uid, notification([firingAlert('pace1'), firingAlert('pace2'), firingAlert('pace3')]));
    const requests = await target.waitForRequests(3);

    assert.equal(answer.body.accepted, 3);
    const gapsMs = requests.slice(1).map((request, index) => request.receivedAtMs - requests[index]!.receivedAtMs);
    for (const gapMs of gapsMs) assert.ok(gapMs >= 800, `gaps between Slack messages were ${gapsMs.join(', ')} ms`);
  });
});
