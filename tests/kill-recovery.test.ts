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

function readTokens(dataDir: string) {
  return {
    apiToken: readFileSync(join(dataDir, 'api-token'), 'utf8').trim(),
    ingestToken: readFileSync(join(dataDir, 'ingest-token'), 'utf8').trim(),
  };
}

async function createProfile(base: string, apiToken: string, uid: string, url: string): Promise<number> {
  const created = await fetch(`${base}/api/v1/profiles`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ uid, name: uid, url }),
  });
  return created.status;
}

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('process lifecycle', () => {
  const dataDirs: string[] = [];
  const children: ChildProcess[] = [];
  const newDataDir = () => {
    const dir = makeDataDir();
    dataDirs.push(dir);
    return dir;
  };
  after(() => {
    for (const child of children) child.kill('SIGKILL');
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('resends a message in flight', async () => {
    const dataDir = newDataDir();
    const receiver = await startRecordingReceiver((_request, index) => (index === 0 ? { status: 200, delayMs: 10_000 } : { status: 200 }));
    const port = await freePort();
    const first = await spawnRelay(dataDir, port);
    children.push(first);
    const base = `http://127.0.0.1:${port}`;
    const { apiToken, ingestToken } = readTokens(dataDir);
    await createProfile(base, apiToken, 'inflight', receiver.url);

    await fetch(`${base}/api/v1/webhook/inflight`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ingestToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(notification(0)),
    });
    await receiver.waitForRequests(1);
    first.kill('SIGKILL');
    await exitOf(first);
    const second = await spawnRelay(dataDir, port);
    children.push(second);
    const requests = await receiver.waitForRequests(ALERTS_PER_NOTIFICATION + 1, 30_000);
    second.kill('SIGKILL');
    await receiver.close();

    const keys = requests.map((request) => request.headers['idempotency-key']);
    assert.equal(keys.filter((key) => key === 'inflight-1').length, 2);
  });

  it('stops cleanly on SIGTERM', async () => {
    const dataDir = newDataDir();
    const child = await spawnRelay(dataDir, await freePort());
    children.push(child);

    child.kill('SIGTERM');
    const code = await exitOf(child);

    assert.equal(code, 0);
  });

  it('loses no accepted message', async () => {
    const dataDir = newDataDir();
    const receiver = await startRecordingReceiver(() => ({ status: 200, delayMs: 5 }));
    const port = await freePort();
    const first = await spawnRelay(dataDir, port);
    children.push(first);
    const base = `http://127.0.0.1:${port}`;
    const { apiToken, ingestToken } = readTokens(dataDir);
    assert.equal(await createProfile(base, apiToken, 'storm', receiver.url), 201);

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
    second.kill('SIGKILL');
    await receiver.close();

    const maxId = Math.max(...acceptedIds);
    assert.equal(acceptedIds.size, NOTIFICATIONS * ALERTS_PER_NOTIFICATION);
    assert.equal(maxId, NOTIFICATIONS * ALERTS_PER_NOTIFICATION);
    assert.ok([...acceptedIds].every((id) => received.has(id)));
  });
});
