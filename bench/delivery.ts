/**
 * Delivery phase: messages/s that the relay delivers, signed, to a local receiver against a bare
 * undici POST loop with the same concurrency to the same kind of receiver. The relay first ingests a
 * backlog while the receiver leaves its requests unanswered. The drain is timed from the moment the
 * receiver starts responding until every sequenceId has arrived.
 */
import { performance } from 'node:perf_hooks';
import { ingestInBatches } from './client.js';
import type { BenchOptions } from './options.js';
import { logProgress, newRunId, waitUntil, type PhaseReport } from './phase.js';
import { forkBenchScript, stopChild, waitForMessage } from './processes.js';
import { startBenchReceiver } from './receiver.js';
import { BENCH_PROFILE_UID, startRelayProcess } from './relay-process.js';
import { formatPercent, formatRate, median, type ReportRow } from './stats.js';

export const DELIVERY_TARGET_RATIO = 0.5;

const CHILD_READY_TIMEOUT_MS = 15_000;
/** Time the relay gets to lease the first messages after the backlog is ingested. */
const FIRST_LEASE_TIMEOUT_MS = 10_000;
/** The slowest drain accepted before a run is reported as incomplete. */
const MIN_DRAIN_RATE_PER_SECOND = 20;

interface DeliveryRun {
  delivered: number;
  repeats: number;
  /** Messages that had not arrived when the run's time limit ended it. */
  missing: number;
  drainMs: number;
  messagesPerSecond: number;
  meanBodyBytes: number;
  /** CPU time of the sending process during the drain, as a share of one core. */
  senderCpuShare?: number;
  errors?: number;
}

interface DeliveryRound {
  baseline: DeliveryRun;
  relay: DeliveryRun;
  ratio: number;
}

function drainTimeoutMs(messages: number): number {
  return 30_000 + (messages * 1000) / MIN_DRAIN_RATE_PER_SECOND;
}

/** Counts what the receiver got once the run ended, or once the drain timed out. */
function summarise(
  receiver: Awaited<ReturnType<typeof startBenchReceiver>>,
  messages: number,
  startedAtMs: number,
  finishedAtMs: number | null,
  countedMessages: number,
): DeliveryRun {
  const drainMs = (finishedAtMs ?? performance.now()) - startedAtMs;
  return {
    delivered: receiver.distinct,
    repeats: receiver.repeats,
    missing: messages - receiver.distinct,
    drainMs,
    messagesPerSecond: finishedAtMs === null ? 0 : (countedMessages * 1000) / drainMs,
    meanBodyBytes: receiver.delivered === 0 ? 0 : receiver.bodyBytes / receiver.delivered,
  };
}

async function measureBaseline(messages: number, concurrency: number): Promise<DeliveryRun> {
  const receiver = await startBenchReceiver({ capacity: messages });
  const sender = forkBenchScript('bare-sender.ts', [`${receiver.url}/hooks/boro`, String(messages), String(concurrency)]);
  try {
    await waitForMessage(sender, 'ready', CHILD_READY_TIMEOUT_MS);
    const done = waitForMessage<{ type: string; errors: number }>(sender, 'done', drainTimeoutMs(messages));

    const startedAtMs = performance.now();
    sender.send({ type: 'start' });
    const finishedAtMs = await receiver.waitForDistinct(messages, drainTimeoutMs(messages));
    const { errors } = await done;
    return { ...summarise(receiver, messages, startedAtMs, finishedAtMs, messages), errors };
  } finally {
    await stopChild(sender);
    await receiver.close();
  }
}

/** Ingests `messages` alerts while the receiver holds its requests, then releases them and times the drain. */
async function measureRelay(options: BenchOptions, messages: number, concurrency: number): Promise<DeliveryRun> {
  const receiver = await startBenchReceiver({ capacity: messages, mode: 'hold' });
  let relay;
  try {
    relay = await startRelayProcess({
      profileConcurrency: concurrency,
      logLevel: options.relayLogLevel,
      sqliteSynchronous: options.sqliteSynchronous,
      cpuProfileDir: options.cpuProfileDir,
    });
    await relay.createProfile(`${receiver.url}/hooks/boro`);
    await relay.whileRunning(ingestInBatches({
      target: { origin: relay.baseUrl, path: `/api/v1/webhook/${BENCH_PROFILE_UID}`, token: relay.ingestToken },
      runId: newRunId('delivery'),
      count: messages,
      batchSize: options.sizes.backlogBatchSize,
      concurrency: 4,
    }));
    await waitUntil(() => receiver.held >= Math.min(concurrency, messages), FIRST_LEASE_TIMEOUT_MS);

    const cpuBeforeMs = relay.cpuMs();
    const startedAtMs = performance.now();
    const released = receiver.release();
    const finishedAtMs = await relay.whileRunning(receiver.waitForDistinct(messages, drainTimeoutMs(messages)));
    const run = summarise(receiver, messages, startedAtMs, finishedAtMs, messages - released);
    return { ...run, senderCpuShare: (relay.cpuMs() - cpuBeforeMs) / run.drainMs };
  } finally {
    await receiver.close();
    await relay?.stop();
  }
}

function describeRun(run: DeliveryRun): string {
  const problems = [
    run.missing > 0 ? `${run.missing} missing` : '',
    run.repeats > 0 ? `${run.repeats} repeats` : '',
    (run.errors ?? 0) > 0 ? `${run.errors} errors` : '',
  ].filter((problem) => problem !== '');
  return `${formatRate(run.messagesPerSecond)}${problems.length === 0 ? '' : ` (${problems.join(', ')})`}`;
}

function rowOf(concurrency: number, messages: number, rounds: DeliveryRound[]): ReportRow {
  const ratio = median(rounds.map((round) => round.ratio));
  const complete = rounds.every((round) => round.relay.missing === 0 && round.baseline.missing === 0);
  return {
    phase: 'delivery',
    measure: `messages/s, signed, concurrency ${concurrency}, ${messages} messages`,
    relay: formatRate(median(rounds.map((round) => round.relay.messagesPerSecond))),
    baseline: formatRate(median(rounds.map((round) => round.baseline.messagesPerSecond))),
    result: formatPercent(ratio),
    target: `>= ${formatPercent(DELIVERY_TARGET_RATIO)}`,
    met: complete && ratio >= DELIVERY_TARGET_RATIO,
  };
}

/** Compares the relay with the baseline sender at each concurrency of `options.sizes.deliveryConcurrencies`. */
export async function runDeliveryPhase(options: BenchOptions): Promise<PhaseReport> {
  const messages = options.sizes.deliveryMessages;
  const rows: ReportRow[] = [];
  const byConcurrency: Record<string, unknown> = {};

  for (const concurrency of options.sizes.deliveryConcurrencies) {
    const rounds: DeliveryRound[] = [];
    for (let round = 1; round <= options.rounds; round++) {
      const baseline = await measureBaseline(messages, concurrency);
      logProgress(`delivery concurrency ${concurrency} round ${round}: baseline ${describeRun(baseline)}`);
      const relay = await measureRelay(options, messages, concurrency);
      logProgress(`delivery concurrency ${concurrency} round ${round}: relay ${describeRun(relay)}`);
      rounds.push({ baseline, relay, ratio: relay.messagesPerSecond / baseline.messagesPerSecond });
    }

    rows.push(rowOf(concurrency, messages, rounds));
    byConcurrency[String(concurrency)] = {
      ratio: median(rounds.map((round) => round.ratio)),
      relayMessagesPerSecond: median(rounds.map((round) => round.relay.messagesPerSecond)),
      baselineMessagesPerSecond: median(rounds.map((round) => round.baseline.messagesPerSecond)),
      relayCpuShare: median(rounds.map((round) => round.relay.senderCpuShare ?? 0)),
      rounds,
    };
  }

  const relayCpu = options.sizes.deliveryConcurrencies
    .map((concurrency) => `c${concurrency} ${formatPercent((byConcurrency[String(concurrency)] as { relayCpuShare: number }).relayCpuShare)}`)
    .join(', ');
  rows.push({ phase: 'delivery', measure: 'relay CPU while draining (1 core = 100 %)', relay: relayCpu, baseline: '', result: '', target: '', met: null });

  return {
    rows,
    data: { target: { minRatio: DELIVERY_TARGET_RATIO }, messages, concurrency: byConcurrency },
  };
}
