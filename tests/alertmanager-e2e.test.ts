import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verifyRequest } from '../src/relay/signing/api-auth.js';
import { requireAlertmanagerBinary, startAlertmanager, webhookRouteConfig, type AlertmanagerProcess } from './helpers/alertmanager.js';
import { startRecordingReceiver, type RecordedRequest, type RecordingReceiver } from './helpers/recording-receiver.js';
import { eventually, startTestRelay, type TestRelay } from './helpers/test-relay.js';

const SECRET_KEY = '3f9a2c5d8e1f0a3b6c9d2e5f8a1b4c7d0e3f9c4f0e7ab13d5e2f88a6c1d04b7e';
const PROFILE_UID = 'am-e2e';
const SCENARIO_TIMEOUT_MS = 25_000;

const ALERT_LABELS = {
  alertname: 'NodeFilesystemAlmostFull',
  instance: 'node-17.example.internal:9100',
  job: 'node-exporter',
  severity: 'critical',
};

/** Formats an instant as the relay writes message times: RFC 3339 UTC, seconds precision. */
function rfc3339Seconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Returns the current instant truncated to whole seconds, so message times can be compared exactly. */
function nowInWholeSeconds(): Date {
  return new Date(Math.floor(Date.now() / 1000) * 1000);
}

function parseMessage(request: RecordedRequest): any {
  return JSON.parse(request.body.toString('utf8'));
}

function verify(request: RecordedRequest) {
  return verifyRequest({
    method: request.method,
    requestUri: request.url,
    headers: request.headers,
    body: request.body,
    secretKey: SECRET_KEY,
    secretKeyEncoding: 'text',
  });
}

describe('alertmanager to relay', () => {
  let receiver: RecordingReceiver | undefined;
  let relay: TestRelay | undefined;
  let alertmanager: AlertmanagerProcess | undefined;

  let startsAt: Date;
  let endsAt: Date;
  let activeRequest: RecordedRequest;
  let clearedRequest: RecordedRequest;
  let active: any;
  let cleared: any;
  let deliveries: any[];

  /** Waits for the receiver, and on timeout puts Alertmanager's log in the error, which names a failed notification. */
  const waitForReceiver = async (count: number, step: string): Promise<RecordedRequest[]> => {
    try {
      return await receiver!.waitForRequests(count, 10_000);
    } catch (error) {
      const log = alertmanager?.stderr.slice(-5).join('\n') || '(empty)';
      throw new Error(`${step} did not reach the receiver: ${(error as Error).message}. Last Alertmanager log lines:\n${log}`);
    }
  };

  before(
    async () => {
      requireAlertmanagerBinary();

      receiver = await startRecordingReceiver();
      relay = await startTestRelay();
      const created = await relay.api('POST', '/api/v1/profiles', {
        uid: PROFILE_UID,
        name: 'Alertmanager end to end',
        url: `${receiver.url}/hooks/boro`,
        signRequests: true,
        secretKey: SECRET_KEY,
        headers: [{ name: 'X-Env', value: 'e2e' }],
        levelFromLabel: 'severity',
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));

      alertmanager = await startAlertmanager(
        webhookRouteConfig({
          webhookUrl: `${relay.baseUrl}/api/v1/webhook/${PROFILE_UID}`,
          bearerToken: relay.ingestToken,
          groupWait: '1s',
          groupInterval: '1s',
          repeatInterval: '1h',
        }),
      );

      startsAt = nowInWholeSeconds();
      await alertmanager.postAlerts([{ labels: ALERT_LABELS, startsAt: startsAt.toISOString() }]);
      [activeRequest] = (await waitForReceiver(1, 'firing alert')) as [RecordedRequest];

      endsAt = nowInWholeSeconds();
      await alertmanager.postAlerts([{ labels: ALERT_LABELS, startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString() }]);
      [, clearedRequest] = (await waitForReceiver(2, 'resolved alert')) as [RecordedRequest, RecordedRequest];

      active = parseMessage(activeRequest);
      cleared = parseMessage(clearedRequest);
      const currentRelay = relay;
      deliveries = await eventually(async () => {
        const list = await currentRelay.api('GET', `/api/v1/deliveries?profile=${PROFILE_UID}`);
        const delivered = list.body.deliveries.filter((entry: any) => entry.state === 'delivered');
        return delivered.length >= 2 ? list.body.deliveries : undefined;
      }, 5_000);
    },
    { timeout: SCENARIO_TIMEOUT_MS },
  );

  after(async () => {
    await alertmanager?.stop();
    await relay?.destroy();
    await receiver?.close();
  });

  it('signs both requests', () => {
    assert.deepEqual(verify(activeRequest), { ok: true, accessId: PROFILE_UID });
    assert.deepEqual(verify(clearedRequest), { ok: true, accessId: PROFILE_UID });
  });

  it('sends the custom header', () => {
    assert.equal(activeRequest.headers['x-env'], 'e2e');
    assert.equal(clearedRequest.headers['x-env'], 'e2e');
  });

  it('maps firing to active', () => {
    assert.equal(active.status, 'Active');
    assert.equal(active.sequenceId, 1);
    assert.equal(active.referenceNumber, 1);
    assert.equal(active.time, rfc3339Seconds(startsAt));
    assert.equal(active.time_end, undefined);
  });

  it('maps resolved to cleared', () => {
    const durationSeconds = (endsAt.getTime() - startsAt.getTime()) / 1000;

    assert.equal(cleared.status, 'Cleared');
    assert.equal(cleared.sequenceId, 2);
    assert.equal(cleared.referenceNumber, active.referenceNumber);
    assert.equal(cleared.time, rfc3339Seconds(startsAt));
    assert.equal(cleared.time_end, rfc3339Seconds(endsAt));
    // The scenario lasts less than a minute, so the duration has only seconds.
    assert.equal(cleared.duration, `${durationSeconds} s`);
  });

  it('maps alert labels', () => {
    for (const message of [active, cleared]) {
      assert.equal(message.trigger, ALERT_LABELS.alertname, `${message.status} trigger`);
      assert.equal(message.task_name, ALERT_LABELS.job, `${message.status} task_name`);
      assert.equal(message.task_uri, ALERT_LABELS.instance, `${message.status} task_uri`);
      assert.equal(message.level, ALERT_LABELS.severity, `${message.status} level`);
    }
  });

  it('logs both as delivered', () => {
    const states = new Map(deliveries.map((entry) => [entry.sequenceId, entry.state]));

    assert.equal(deliveries.length, 2);
    assert.equal(states.get(1), 'delivered');
    assert.equal(states.get(2), 'delivered');
  });
});
