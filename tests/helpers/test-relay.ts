import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { createRelay, type Relay } from '../../src/relay/app.js';
import { loadConfig } from '../../src/relay/config.js';
import { createLogger } from '../../src/relay/logger.js';

export const FIXTURES_DIR = fileURLToPath(new URL('../fixtures', import.meta.url));

export function readFixture(name: string): unknown {
  return JSON.parse(readFileSync(join(FIXTURES_DIR, name), 'utf8'));
}

export interface TestRelay {
  relay: Relay;
  baseUrl: string;
  dataDir: string;
  apiToken: string;
  ingestToken: string;
  /** Every log line the relay wrote, as raw text. */
  logLines: string[];
  /** Calls the management API with the API token; returns status and parsed JSON body. */
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** Posts a webhook body to the ingest route of `profileUid` with the ingest token. */
  ingest(profileUid: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
  /** Stops the relay and removes its data dir. */
  destroy(): Promise<void>;
}

export function makeDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'boro-relay-test-'));
}

/** Starts a real relay on a loopback port 0 with a temporary (or the given) data dir. */
export async function startTestRelay(env: Record<string, string> = {}, dataDir = makeDataDir()): Promise<TestRelay> {
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter((line) => line !== ''));
      done();
    },
  });

  const config = loadConfig({
    BORO_RELAY_DATA_DIR: dataDir,
    BORO_RELAY_PORT: '0',
    BORO_RELAY_PROFILES_DIR: join(dataDir, 'no-profiles'),
    BORO_RELAY_LOG_LEVEL: 'debug',
    BORO_RELAY_SQLITE_SYNCHRONOUS: 'NORMAL',
    ...env,
  });
  const relay = await createRelay(config, createLogger(config.logLevel, sink));
  const baseUrl = await relay.listen();

  const call = async (method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}) => {
    let requestBody: string | undefined;
    if (typeof body === 'string') requestBody = body;
    else if (body !== undefined) requestBody = JSON.stringify(body);

    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: requestBody,
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      // Not JSON (the metrics endpoint): return the text.
    }
    return { status: response.status, body: parsed as any };
  };

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await relay.stop();
  };

  return {
    relay,
    baseUrl,
    dataDir,
    apiToken: config.apiToken,
    ingestToken: config.ingestToken,
    logLines,
    api: (method, path, body) => call(method, path, config.apiToken, body),
    ingest: (profileUid, body, headers) => call('POST', `/api/v1/webhook/${profileUid}`, config.ingestToken, body, headers),
    stop,
    async destroy() {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
