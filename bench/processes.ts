import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** Child processes get this long to exit after SIGTERM before they are killed with SIGKILL. */
const STOP_GRACE_MS = 20_000;

export interface ProcessMemory {
  rssBytes: number;
  /** VmHWM: the highest RSS since the process started. */
  peakRssBytes: number;
}

/** Returns a TCP port that was free on 127.0.0.1 a moment ago. */
export async function findFreePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('listening on 127.0.0.1:0 returned no port');
  return address.port;
}

/** Reads VmRSS and VmHWM of a Linux process from /proc/<pid>/status. */
export function readProcessMemory(pid: number): ProcessMemory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kibibytesOf = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
    if (match === null) throw new Error(`/proc/${pid}/status has no ${field} line`);
    return Number(match[1]) * 1024;
  };
  return { rssBytes: kibibytesOf('VmRSS'), peakRssBytes: kibibytesOf('VmHWM') };
}

let clockTicksPerSecond: number | undefined;

/** Returns the user plus system CPU time of a Linux process in milliseconds, from /proc/<pid>/stat. */
export function readProcessCpuMs(pid: number): number {
  clockTicksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name in brackets may contain spaces, so the fields are counted after its closing bracket.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const userTicks = Number(fields[11]);
  const systemTicks = Number(fields[12]);
  return ((userTicks + systemTicks) * 1000) / clockTicksPerSecond;
}

/** Starts `bench/<script>` in a child Node.js process with the tsx loader and an IPC channel. */
export function forkBenchScript(script: string, args: string[] = []): ChildProcess {
  const path = fileURLToPath(new URL(`./${script}`, import.meta.url));
  return fork(path, args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

/** Resolves with the first IPC message of the given `type` from `child`; rejects when the child exits first or after `timeoutMs`. */
export function waitForMessage<T extends { type: string }>(child: ChildProcess, type: string, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`child ${child.pid} sent no '${type}' message within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: unknown) => {
      if (typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type) finish(null, message as T);
    };
    const onExit = (code: number | null, signal: string | null) => {
      finish(new Error(`child ${child.pid} exited (code ${code}, signal ${signal}) before sending '${type}'`));
    };
    const finish = (error: Error | null, message?: T) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error !== null) reject(error);
      else resolve(message as T);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Sends SIGTERM and waits for the exit; sends SIGKILL when the child is still running after STOP_GRACE_MS. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;

  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

/** Returns `process.env` without the BORO_RELAY_* variables, so that only the benchmark's own settings reach a relay. */
export function environmentWithoutRelaySettings(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('BORO_RELAY_')) env[name] = value;
  }
  return env;
}
