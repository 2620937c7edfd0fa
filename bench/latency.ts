/**
 * Latency phase: time from the relay's 202 answer to the receiver's arrival of the same message, at a
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
import { formatMs, formatRate, percentile } from './stats.js';
import { notificationBody } from './payloads.js';

export const LATENCY_TARGET_P99_MS = 50;

/** Connections of the load generator: enough that a slow answer does not delay the next send. */
const CLIENT_CONNECTIONS = 16;
const ARRIVAL_TIMEOUT_MS = 30_000;

interface SentAlert {
  sentAtMs: number;
  answeredAtMs: number;
  sequenceId: number | null;
}

/** Sends `total` notifications on a fixed schedule (open loop): a slow answer never delays later sends. */
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

/** Runs the relay at the default profile concurrency and reports p50 and p99 of answer-to-arrival latency. */
export async function runLatencyPhase(options: BenchOptions): Promise<PhaseReport> {
  const { sizes } = options;
  const total = Math.round((sizes.latencyRatePerSecond * sizes.latencyDurationMs) / 1000);
  const receiver = await startBenchReceiver({ capacity: total });
  const loadBefore = loadAverage();
  let relay;
  let sent: SentAlert[];
  let durationMs: number;
  try {
    relay = await startRelayProcess({
      logLevel: options.relayLogLevel,
      sqliteSynchronous: options.sqliteSynchronous,
      cpuProfileDir: options.cpuProfileDir,
    });
    await relay.createProfile(`${receiver.url}/hooks/boro`);

    const pool = new Pool(relay.baseUrl, { connections: CLIENT_CONNECTIONS, pipelining: 1 });
    const target = { origin: relay.baseUrl, path: `/api/v1/webhook/${BENCH_PROFILE_UID}`, token: relay.ingestToken };
    const startedAtMs = performance.now();
    sent = await sendAtSteadyRate(pool, target, newRunId('latency'), total, sizes.latencyRatePerSecond);
    durationMs = performance.now() - startedAtMs;
    await pool.close();

    const acceptedCount = sent.filter((entry) => entry.sequenceId !== null).length;
    await receiver.waitForDistinct(acceptedCount, ARRIVAL_TIMEOUT_MS);
  } finally {
    await receiver.close();
    await relay?.stop();
  }
  const loadAfter = loadAverage();

  const warmupEndMs = (sent[0]?.sentAtMs ?? 0) + sizes.latencyWarmupMs;
  const measured = sent.filter((entry) => entry.sentAtMs >= warmupEndMs);
  const latencies: number[] = [];
  const answerTimes: number[] = [];
  let missing = 0;
  for (const entry of measured) {
    answerTimes.push(entry.answeredAtMs - entry.sentAtMs);
    const arrivedAtMs = entry.sequenceId === null ? 0 : receiver.arrivalTimeOf(entry.sequenceId);
    if (arrivedAtMs === 0) missing += 1;
    // A delivery may reach the receiver before the 202 reaches the client; such latencies are negative.
    else latencies.push(arrivedAtMs - entry.answeredAtMs);
  }

  const p50 = percentile(latencies, 50);
  const p99 = percentile(latencies, 99);
  const achievedRate = (sent.length * 1000) / durationMs;
  const rejected = sent.filter((entry) => entry.sequenceId === null).length;
  logProgress(`latency: p50 ${formatMs(p50)}, p99 ${formatMs(p99)}, ${missing} missing, ${rejected} not accepted, load ${loadAfter.join(' ')}`);

  const loadText = `load avg ${loadBefore[0]} -> ${loadAfter[0]}`;
  return {
    rows: [
      {
        phase: 'latency',
        measure: `answer -> arrival p50 at ${formatRate(sizes.latencyRatePerSecond)}`,
        relay: formatMs(p50),
        baseline: '',
        result: formatMs(p50),
        target: '',
        met: null,
      },
      {
        phase: 'latency',
        measure: `answer -> arrival p99 at ${formatRate(sizes.latencyRatePerSecond)}, ${loadText}`,
        relay: formatMs(p99),
        baseline: '',
        result: formatMs(p99),
        target: `<= ${LATENCY_TARGET_P99_MS} ms`,
        met: missing === 0 && rejected === 0 && p99 <= LATENCY_TARGET_P99_MS,
      },
      {
        phase: 'latency',
        measure: 'ingest answer time p50 / p99 (send -> 202)',
        relay: `${formatMs(percentile(answerTimes, 50))} / ${formatMs(percentile(answerTimes, 99))}`,
        baseline: '',
        result: '',
        target: '',
        met: null,
      },
    ],
    data: {
      target: { maxP99Ms: LATENCY_TARGET_P99_MS },
      ratePerSecond: sizes.latencyRatePerSecond,
      achievedRatePerSecond: achievedRate,
      sent: sent.length,
      measured: measured.length,
      missing,
      notAccepted: rejected,
      latencyMs: {
        p50,
        p90: percentile(latencies, 90),
        p99,
        max: percentile(latencies, 100),
        min: percentile(latencies, 0),
      },
      answerMs: { p50: percentile(answerTimes, 50), p99: percentile(answerTimes, 99), max: percentile(answerTimes, 100) },
      loadAverageBefore: loadBefore,
      loadAverageAfter: loadAfter,
      profileConcurrency: 'relay default',
    },
  };
}
