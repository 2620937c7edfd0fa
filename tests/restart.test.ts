import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { startRecordingReceiver } from './helpers/recording-receiver.js';
import { eventually, makeDataDir, startTestRelay } from './helpers/test-relay.js';

function alert(status: 'firing' | 'resolved', fingerprint: string) {
  return {
    status,
    labels: { alertname: 'StreamDown', instance: `probe-${fingerprint}` },
    annotations: {},
    startsAt: '2026-12-04T10:00:00Z',
    endsAt: status === 'resolved' ? '2026-12-04T10:05:00Z' : '0001-01-01T00:00:00Z',
    generatorURL: '',
    fingerprint,
  };
}

const body = (alerts: object[]) => ({ receiver: 'r', status: 'firing', alerts, version: '4', groupKey: '{}' });

describe('restart', () => {
  const dataDir = makeDataDir();
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps counters, episodes and pending messages', async () => {
    let healthy = false;
    const receiver = await startRecordingReceiver(() => (healthy ? { status: 200 } : { reset: true }));

    const first = await startTestRelay({}, dataDir);
    await first.api('POST', '/api/v1/profiles', { uid: 'noc', name: 'NOC', url: receiver.url });
    await first.ingest('noc', body([alert('firing', 'a1')]));
    await receiver.waitForRequests(1);
    await eventually(async () => {
      const { body: list } = await first.api('GET', '/api/v1/deliveries?profile=noc');
      return list.deliveries[0]?.state === 'retrying' ? true : undefined;
    });
    await first.stop();

    healthy = true;
    const second = await startTestRelay({}, dataDir);
    const redelivered = await receiver.waitForRequests(2);
    const cleared = await second.ingest('noc', body([alert('resolved', 'a1'), alert('firing', 'b2')]));
    const requests = await receiver.waitForRequests(4);
    await second.destroy();
    await receiver.close();

    const active = JSON.parse(redelivered[1]!.body.toString('utf8'));
    const clearedMessage = JSON.parse(requests[2]!.body.toString('utf8'));
    assert.equal(active.sequenceId, 1);
    assert.equal(redelivered[1]!.headers['idempotency-key'], 'noc-1');
    assert.deepEqual(
      cleared.body.messages.map((message: { sequenceId: number }) => message.sequenceId),
      [2, 3],
    );
    assert.equal(clearedMessage.status, 'Cleared');
    assert.equal(clearedMessage.referenceNumber, 1);
  });
});
