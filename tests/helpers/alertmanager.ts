import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

/** Where Debian's `prometheus-alertmanager` package installs the binary. CI installs the package with apt. */
export const ALERTMANAGER_BINARY = '/usr/bin/prometheus-alertmanager';

export interface WebhookRouteOptions {
  /** The URL Alertmanager posts its webhook body to. */
  webhookUrl: string;
  /** Sent as `Authorization: Bearer <token>`. */
  bearerToken: string;
  groupWait: string;
  groupInterval: string;
  repeatInterval: string;
}

/** One alert as Alertmanager's API v2 `POST /api/v2/alerts` takes it. */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  generatorURL?: string;
}

export interface AlertmanagerProcess {
  /** Base URL of the web API, such as `http://127.0.0.1:40123`. */
  url: string;
  /** Alertmanager's log lines, read from its stderr. */
  stderr: string[];
  /** Posts alerts to `/api/v2/alerts` and throws unless the response status is 200. */
  postAlerts(alerts: PostableAlert[]): Promise<void>;
  /** Stops the process (SIGTERM, then SIGKILL after 5 s) and removes its config and storage dir. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

/** Throws with the install command when the Alertmanager binary is missing, so the test fails instead of skipping. */
export function requireAlertmanagerBinary(): void {
  if (!existsSync(ALERTMANAGER_BINARY)) {
    throw new Error(
      `Alertmanager binary ${ALERTMANAGER_BINARY} is missing: install the Debian package ` +
        '`prometheus-alertmanager` (sudo apt-get install prometheus-alertmanager) to run the end-to-end test',
    );
  }
}

/**
 * Returns a loopback port that was free a moment ago, found by listening on port 0 and closing.
 * Another process may still take the port before the caller binds it.
 */
export async function findFreePort(host = '127.0.0.1'): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Builds an Alertmanager configuration with one route to one webhook receiver that also sends resolved alerts. */
export function webhookRouteConfig(options: WebhookRouteOptions): string {
  const receiverName = 'boro-relay';
  return stringify({
    route: {
      receiver: receiverName,
      group_by: ['alertname'],
      group_wait: options.groupWait,
      group_interval: options.groupInterval,
      repeat_interval: options.repeatInterval,
    },
    receivers: [
      {
        name: receiverName,
        webhook_configs: [
          {
            url: options.webhookUrl,
            send_resolved: true,
            http_config: { authorization: { type: 'Bearer', credentials: options.bearerToken } },
          },
        ],
      },
    ],
  });
}

/**
 * Starts Alertmanager as a child process on a free loopback port with clustering off, and waits for
 * `GET /-/ready`. The config file can contain credentials, so it is written with mode 600.
 */
export async function startAlertmanager(configYaml: string): Promise<AlertmanagerProcess> {
  requireAlertmanagerBinary();

  const workDir = mkdtempSync(join(tmpdir(), 'boro-alertmanager-'));
  const configPath = join(workDir, 'alertmanager.yml');
  writeFileSync(configPath, configYaml, { mode: 0o600 });

  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    ALERTMANAGER_BINARY,
    [
      `--config.file=${configPath}`,
      `--storage.path=${join(workDir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--web.external-url=${url}/`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );

  const stderr: string[] = [];
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => stderr.push(...chunk.split('\n').filter((line) => line !== '')));
  // Kills Alertmanager when the test process exits without running its hooks.
  // NOTE: a SIGKILL of the test process still leaves Alertmanager running.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.removeListener('exit', killOnExit);
    await stopChild(child);
    rmSync(workDir, { recursive: true, force: true });
  };

  try {
    await waitUntilReady(url, child, stderr);
  } catch (error) {
    await stop();
    throw error;
  }

  return { url, stderr, postAlerts: (alerts) => postAlerts(url, alerts), stop };
}

async function waitUntilReady(url: string, child: ChildProcess, stderr: string[]): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;

  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`Alertmanager exited with ${child.exitCode ?? child.signalCode} before it was ready; its log:\n${stderr.join('\n')}`);
    }
    if (await isReady(url)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  throw new Error(`Alertmanager at ${url} was not ready within ${READY_TIMEOUT_MS} ms; its log:\n${stderr.join('\n')}`);
}

async function isReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/-/ready`);
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    // Connection refused until Alertmanager listens.
    return false;
  }
}

async function postAlerts(url: string, alerts: PostableAlert[]): Promise<void> {
  const response = await fetch(`${url}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(alerts),
  });
  const text = await response.text();
  if (response.status !== 200) {
    throw new Error(`Alertmanager rejected POST /api/v2/alerts with ${response.status}: ${text.slice(0, 500)}`);
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;

  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
