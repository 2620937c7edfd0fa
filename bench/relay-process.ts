import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { environmentWithoutRelaySettings, findFreePort, readProcessCpuMs, readProcessMemory, stopChild, type ProcessMemory } from './processes.js';

const RELAY_ENTRY = resolve('bin/boro-relay.js');
const BUILT_MAIN = resolve('build/relay/cli/main.js');
const READY_TIMEOUT_MS = 30_000;

/** Key of the benchmark profile; signing is on, as the delivery target requires. */
export const BENCH_SECRET_KEY = '9c4f0e7ab13d5e2f88a6c1d04b7e3f9a2c5d8e1f0a3b6c9d2e5f8a1b4c7d0e3f';
export const BENCH_PROFILE_UID = 'bench';

export interface RelayProcessOptions {
  /** BORO_RELAY_PROFILE_CONCURRENCY; the relay's default (1) when omitted. */
  profileConcurrency?: number;
  logLevel: string;
  /** BORO_RELAY_SQLITE_SYNCHRONOUS; the relay's default (FULL) when omitted. */
  sqliteSynchronous?: string;
  /** When set, the relay writes a V8 CPU profile into this directory when it exits. */
  cpuProfileDir?: string;
}

/** A relay running as `node bin/boro-relay.js serve` in its own process, with a temporary data dir. */
export interface RelayProcess {
  pid: number;
  baseUrl: string;
  ingestToken: string;
  dataDir: string;
  /** Creates the signed benchmark profile pointing at `url`. */
  createProfile(url: string): Promise<void>;
  /** GETs a management API path with the API token; returns the parsed JSON body. */
  api(path: string): Promise<unknown>;
  /** Reads the relay's memory; throws when the process has exited. */
  memory(): ProcessMemory;
  cpuMs(): number;
  /** Resolves or rejects as `work` does, but rejects first, with the relay's log tail, when the relay exits. */
  whileRunning<T>(work: Promise<T>): Promise<T>;
  /** Stops the relay with SIGTERM and removes its data dir. */
  stop(): Promise<void>;
}

/** Relays started and not yet stopped, with their data dirs, for `killRelayProcessesSync`. */
const runningRelays = new Map<ChildProcess, string>();

/** Kills every relay that is still running with SIGKILL and removes its data dir: the cleanup when the benchmark exits early. */
export function killRelayProcessesSync(): void {
  for (const [child, dataDir] of runningRelays) {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
  runningRelays.clear();
}

function describeExit(child: ChildProcess): string {
  return child.signalCode === null ? `code ${child.exitCode}` : `signal ${child.signalCode}`;
}

/** Rejects once `child` exits, with its exit status and the tail of its log. */
function rejectOnExit(child: ChildProcess, logFile: string): Promise<never> {
  return new Promise((_resolve, reject) => {
    const fail = () => reject(new Error(`relay ${child.pid} exited unexpectedly (${describeExit(child)}); its log ends with:\n${logTail(logFile)}`));
    if (child.exitCode !== null || child.signalCode !== null) fail();
    else child.once('exit', fail);
  });
}

/** Starts a relay on a free loopback port and waits until /readyz responds 200. */
export async function startRelayProcess(options: RelayProcessOptions): Promise<RelayProcess> {
  if (!existsSync(BUILT_MAIN)) {
    throw new Error(`${BUILT_MAIN} is missing: run the benchmark with 'npm run bench', which builds the relay first`);
  }

  const dataDir = mkdtempSync(join(tmpdir(), 'boro-relay-bench-'));
  const port = await findFreePort();
  const apiToken = randomBytes(24).toString('base64url');
  const ingestToken = randomBytes(24).toString('base64url');
  const env: NodeJS.ProcessEnv = {
    ...environmentWithoutRelaySettings(),
    BORO_RELAY_HOST: '127.0.0.1',
    BORO_RELAY_PORT: String(port),
    BORO_RELAY_DATA_DIR: dataDir,
    BORO_RELAY_PROFILES_DIR: join(dataDir, 'no-profiles'),
    BORO_RELAY_API_TOKEN: apiToken,
    BORO_RELAY_INGEST_TOKEN: ingestToken,
    BORO_RELAY_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    BORO_RELAY_LOG_LEVEL: options.logLevel,
  };
  if (options.profileConcurrency !== undefined) env.BORO_RELAY_PROFILE_CONCURRENCY = String(options.profileConcurrency);
  if (options.sqliteSynchronous !== undefined) env.BORO_RELAY_SQLITE_SYNCHRONOUS = options.sqliteSynchronous;

  const nodeOptions = options.cpuProfileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`];
  // The log goes to a file, so the benchmark process spends no time reading it.
  const logFile = join(dataDir, 'relay.log');
  const logFd = openSync(logFile, 'a');
  const child = spawn(process.execPath, [...nodeOptions, RELAY_ENTRY, 'serve'], { env, stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  runningRelays.set(child, dataDir);

  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(child, baseUrl, logFile);
  } catch (error) {
    await stopChild(child);
    runningRelays.delete(child);
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }

  const pid = child.pid as number;
  const exited = rejectOnExit(child, logFile);
  // A relay that exits while nothing waits on it is reported by the next whileRunning call.
  exited.catch(() => undefined);
  return {
    pid,
    baseUrl,
    ingestToken,
    dataDir,
    createProfile: (url) => createBenchProfile(baseUrl, apiToken, url),
    async api(path) {
      const response = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${apiToken}` } });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`GET ${path} failed with status ${response.status}: ${text.slice(0, 300)}`);
      return JSON.parse(text) as unknown;
    },
    memory: () => readProcessMemory(pid),
    cpuMs: () => readProcessCpuMs(pid),
    whileRunning: (work) => Promise.race([work, exited]),
    async stop() {
      await stopChild(child);
      runningRelays.delete(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function waitUntilReady(child: ChildProcess, baseUrl: string, logFile: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`relay exited (${describeExit(child)}) during start; its log ends with:\n${logTail(logFile)}`);
    }
    try {
      const response = await fetch(`${baseUrl}/readyz`);
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await sleep(50);
  }
  throw new Error(`relay did not respond 200 on ${baseUrl}/readyz within ${READY_TIMEOUT_MS} ms; its log:\n${logTail(logFile)}`);
}

function logTail(logFile: string): string {
  return readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n');
}

async function createBenchProfile(baseUrl: string, apiToken: string, url: string): Promise<void> {
  const response = await fetch(`${baseUrl}/api/v1/profiles`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      uid: BENCH_PROFILE_UID,
      name: 'Bench',
      url,
      signRequests: true,
      secretKey: BENCH_SECRET_KEY,
      timeoutSeconds: 60,
    }),
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`creating the benchmark profile failed with ${response.status}: ${text}`);
}
