/**
 * Latency phase: time from the relay's 202 response to the receiver's arrival of the same message, at a
 * steady rate of one-alert notifications. The target is absolute, so the report adds the load average.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { postNotification, type IngestTarget } from './client.js';
import type { BenchOptions } from './options.js';
import { loadAverage, logProgress, newRunId, type PhaseReport } from './phase.js';
import { startBenchReceiver } from './receiver.js';
import { BENCH_PROFILE_UID, startRelayProcess } from './relay-process.js';
import { formatMs, formatRate, percentile, type ReportRow } from './stats.js';
import { notificationBody } from './payloads.js';

export const LATENCY_TARGET_P99_MS = 50;

/** Connections of the load generator: enough that a slow response does not delay the next send. */
const CLIENT_CONNECTIONS = 16;
const ARRIVAL_TIMEOUT_MS = 30_000;

interface SentAlert {
  sentAtMs: number;
  answeredAtMs: number;
  sequenceId: number | null;
}

/** Sends `total` notifications on a fixed schedule (open loop), so a slow response never delays later sends. */
async function sendAtSteadyRate(pool: Pool, target: IngestTarget, runId: string, total: number, ratePerSecond: number): Promise<SentAlert[]> {
  const sent: SentAlert[] = [];
  const pending: Array<Promise<void>> = [];
  const intervalMs = 1000 / ratePerSecond;
  const startedAtMs = performance.now();

  const sendOne = async (index: number) => {
    const entry: SentAlert = { sentAtMs: performance.now(), answeredAtMs: 0, sequenceId: null };
    sent.push(entry);
    try {
      const answer = await postNotification(pool, target, notificationBody(runId, index));
      entry.answeredAtMs = performance.now();
      if (answer.statusCode === 202) {
        const parsed = JSON.parse(answer.body) as { messages: Array<{ sequenceId: number }> };
        entry.sequenceId = parsed.messages[0]?.sequenceId ?? null;
      }
    } catch {
      entry.answeredAtMs = performance.now();
    }
  };

  let next = 0;
  while (next < total) {
    const due = Math.min(total, Math.floor((performance.now() - startedAtMs) / intervalMs) + 1);
    while (next < due) pending.push(sendOne(next++));
    await sleep(1);
  }
  await Promise.all(pending);
  return sent;
}

interface LatencyRun {
  ratePerSecond: number;
  /** Sends per second from the first send to the last one. */
  achievedRatePerSecond: number;
  sent: number;
  /** Alerts sent after the warm-up, the ones the statistics cover. */
  measured: number;
  /** Accepted alerts whose message never arrived within ARRIVAL_TIMEOUT_MS. */
  missing: number;
  notAccepted: number;
  latencyMs: { min: number; p50: number; p90: number; p99: number; max: number };
  responseMs: { p50: number; p99: number; max: number };
  loadAverageBefore: number[];
  loadAverageAfter: number[];
}

/** Starts a relay at the default profile concurrency, sends alerts at `ratePerSecond` and measures each message's latency. */
async function measureLatency(options: BenchOptions, ratePerSecond: number): Promise<LatencyRun> {
  const { sizes } = options;
  const total = Math.round((ratePerSecond * sizes.latencyDurationMs) / 1000);
  const receiver = await startBenchReceiver({ capacity: total });
  const loadAverageBefore = loadAverage();
  let relay;
  let sent: SentAlert[];
  try {
    relay = await startRelayProcess({
      logLevel: options.relayLogLevel,
      sqliteSynchronous: options.sqliteSynchronous,
      cpuProfileDir: options.cpuProfileDir,
    });
    await relay.createProfile(`${receiver.url}/hooks/boro`);

    const pool = new Pool(relay.baseUrl, { connections: CLIENT_CONNECTIONS, pipelining: 1 });
    const target = { origin: relay.baseUrl, path: `/api/v1/webhook/${BENCH_PROFILE_UID}`, token: relay.ingestToken };
    sent = await relay.whileRunning(sendAtSteadyRate(pool, target, newRunId('latency'), total, ratePerSecond));
    await pool.close();

    const acceptedCount = sent.filter((entry) => entry.sequenceId !== null).length;
    await relay.whileRunning(receiver.waitForDistinct(acceptedCount, ARRIVAL_TIMEOUT_MS));
  } finally {
    await receiver.close();
    await relay?.stop();
  }

  const warmupEndMs = (sent[0]?.sentAtMs ?? 0) + sizes.latencyWarmupMs;
  const measured = sent.filter((entry) => entry.sentAtMs >= warmupEndMs);
  const latencies: number[] = [];
  const responseTimes: number[] = [];
  let missing = 0;
  for (const entry of measured) {
    responseTimes.push(entry.answeredAtMs - entry.sentAtMs);
    const arrivedAtMs = entry.sequenceId === null ? 0 : receiver.arrivalTimeOf(entry.sequenceId);
    if (arrivedAtMs === 0) missing += 1;
    // A delivery may reach the receiver before the 202 reaches the client; such latencies are negative.
    else latencies.push(arrivedAtMs - entry.answeredAtMs);
  }

  return {
    ratePerSecond,
    achievedRatePerSecond: sendRatePerSecond(sent),
    sent: sent.length,
    measured: measured.length,
    missing,
    notAccepted: sent.filter((entry) => entry.sequenceId === null).length,
    latencyMs: {
      min: percentile(latencies, 0),
      p50: percentile(latencies, 50),
      p90: percentile(latencies, 90),
      p99: percentile(latencies, 99),
      max: percentile(latencies, 100),
    },
    responseMs: { p50: percentile(responseTimes, 50), p99: percentile(responseTimes, 99), max: percentile(responseTimes, 100) },
    loadAverageBefore,
    loadAverageAfter: loadAverage(),
  };
}

function sendRatePerSecond(sent: readonly SentAlert[]): number {
  const first = sent[0];
  const last = sent[sent.length - 1];
  if (first === undefined || last === undefined || last.sentAtMs === first.sentAtMs) return 0;
  return ((sent.length - 1) * 1000) / (last.sentAtMs - first.sentAtMs);
}

function describeLatency(run: LatencyRun): string {
  const { latencyMs, responseMs } = run;
  return (
    `latency at ${formatRate(run.ratePerSecond)}: p50 ${formatMs(latencyMs.p50)}, p99 ${formatMs(latencyMs.p99)}, ` +
    `202 response p99 ${formatMs(responseMs.p99)}, ${run.missing} missing, ${run.notAccepted} not accepted, load ${run.loadAverageAfter.join(' ')}`
  );
}

function latencyRows(run: LatencyRun, checked: boolean): ReportRow[] {
  const rate = formatRate(run.ratePerSecond);
  const load = `load avg ${run.loadAverageBefore[0]} -> ${run.loadAverageAfter[0]}`;
  const complete = run.missing === 0 && run.notAccepted === 0;
  return [
    {
      phase: 'latency',
      measure: `202 response -> arrival p50 / p99 at ${rate}, ${load}`,
      relay: `${formatMs(run.latencyMs.p50)} / ${formatMs(run.latencyMs.p99)}`,
      baseline: '',
      result: formatMs(run.latencyMs.p99),
      target: checked ? `p99 <= ${LATENCY_TARGET_P99_MS} ms` : 'informative',
      met: checked ? complete && run.latencyMs.p99 <= LATENCY_TARGET_P99_MS : null,
    },
    {
      phase: 'latency',
      measure: `ingest response time p50 / p99 (send -> 202) at ${rate}`,
      relay: `${formatMs(run.responseMs.p50)} / ${formatMs(run.responseMs.p99)}`,
      baseline: '',
      result: '',
      target: '',
      met: null,
    },
  ];
}

/**
 * Measures the latency at the target rate, then at a fifth of it (informative). The second run
 * separates the delay of one message from the queueing in an overloaded relay.
 */
export async function runLatencyPhase(options: BenchOptions): Promise<PhaseReport> {
  const targetRate = options.sizes.latencyRatePerSecond;
  const atTarget = await measureLatency(options, targetRate);
  logProgress(describeLatency(atTarget));
  const atFifth = await measureLatency(options, Math.round(targetRate / 5));
  logProgress(describeLatency(atFifth));

  return {
    rows: [...latencyRows(atTarget, true), ...latencyRows(atFifth, false)],
    data: {
      target: { maxP99Ms: LATENCY_TARGET_P99_MS, ratePerSecond: targetRate },
      profileConcurrency: 'relay default',
      atTargetRate: atTarget,
      atFifthOfTargetRate: atFifth,
    },
  };
}
