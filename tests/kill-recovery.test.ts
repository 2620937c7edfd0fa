import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startRecordingReceiver } from './helpers/recording-receiver.js';
import { eventually, makeDataDir } from './helpers/test-relay.js';

const ALERTS_PER_NOTIFICATION = 10;
const NOTIFICATIONS = 40;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Starts the relay as its own process, as `boro-relay serve` runs it. */
async function spawnRelay(dataDir: string, port: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '-e', "import('./src/relay/cli/main.ts').then((cli) => cli.main(['serve']))"],
    {
      env: {
        ...process.env,
        BORO_RELAY_DATA_DIR: dataDir,
        BORO_RELAY_PORT: String(port),
        BORO_RELAY_PROFILES_DIR: join(dataDir, 'no-profiles'),
        BORO_RELAY_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  await eventually(async () => {
    const response = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null);
    return response?.ok ? true : undefined;
  }, 30_000);
  return child;
}

function notification(batch: number) {
  const alerts = Array.from({ length: ALERTS_PER_NOTIFICATION }, (_, index) => ({
    status: 'firing',
    labels: { alertname: 'Storm', instance: `probe-${batch}-${index}` },
    startsAt: '2026-12-04T10:00:00Z',
    endsAt: '0001-01-01T00:00:00Z',
    fingerprint: `storm-${batch}-${index}`,
  }));
  return { receiver: 'r', status: 'firing', alerts, version: '4', groupKey: '{}' };
}

describe('kill -9 recovery', () => {
  const dataDir = makeDataDir();
  const children: ChildProcess[] = [];
  after(() => {
    for (const child of children) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('loses no accepted message', async () => {
    const receiver = await startRecordingReceiver(() => ({ status: 200, delayMs: 5 }));
    const port = await freePort();
    const first = await spawnRelay(dataDir, port);
    children.push(first);
    const base = `http://127.0.0.1:${port}`;
    const apiToken = readFileSync(join(dataDir, 'api-token'), 'utf8').trim();
    const ingestToken = readFileSync(join(dataDir, 'ingest-token'), 'utf8').trim();
    const created = await fetch(`${base}/api/v1/profiles`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ uid: 'storm', name: 'Storm', url: receiver.url }),
    });
    assert.equal(created.status, 201);

    const acceptedIds = new Set<number>();
    const killAfter = Math.floor(NOTIFICATIONS / 2);
    for (let batch = 0; batch < NOTIFICATIONS; batch++) {
      if (batch === killAfter) first.kill('SIGKILL');
      const response = await fetch(`${base}/api/v1/webhook/storm`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ingestToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(notification(batch)),
      }).catch(() => null);
      if (response?.status !== 202) continue;
      const result = (await response.json()) as { messages: Array<{ sequenceId: number }> };
      for (const message of result.messages) acceptedIds.add(message.sequenceId);
    }

    const second = await spawnRelay(dataDir, port);
    children.push(second);
    for (let batch = killAfter; batch < NOTIFICATIONS; batch++) {
      const response = await fetch(`${base}/api/v1/webhook/storm`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ingestToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(notification(batch)),
      });
      const result = (await response.json()) as { messages: Array<{ sequenceId: number }> };
      for (const message of result.messages) acceptedIds.add(message.sequenceId);
    }

    const received = await eventually(() => {
      const ids = new Set(receiver.requests.map((request) => JSON.parse(request.body.toString('utf8')).sequenceId as number));
      return [...acceptedIds].every((id) => ids.has(id)) ? ids : undefined;
    }, 60_000);
    second.kill('SIGTERM');
    await receiver.close();

    const maxId = Math.max(...acceptedIds);
    assert.equal(acceptedIds.size, NOTIFICATIONS * ALERTS_PER_NOTIFICATION);
    assert.equal(maxId, NOTIFICATIONS * ALERTS_PER_NOTIFICATION);
    assert.ok([...acceptedIds].every((id) => received.has(id)));
  });
});
