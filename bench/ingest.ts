/**
 * Ingest phase: alerts/s that the relay accepts (one alert per request, several connections) against a
 * bare node:http server that parses the same JSON and responds 202, with the same client in the same run.
 */
import { performance } from 'node:perf_hooks';
import { runClosedLoopIngest, type ClosedLoopResult } from './client.js';
import type { BenchOptions } from './options.js';
import { logProgress, newRunId, type PhaseReport } from './phase.js';
import { forkBenchScript, readProcessCpuMs, stopChild, waitForMessage } from './processes.js';
import { BENCH_PROFILE_UID, startRelayProcess } from './relay-process.js';
import { formatPercent, formatRate, median } from './stats.js';

export const INGEST_TARGET_RATIO = 0.4;

const CHILD_READY_TIMEOUT_MS = 15_000;

interface IngestRun extends ClosedLoopResult {
  /** CPU time of the server process over the run (warm-up included), as a share of one core. */
  serverCpuShare: number;
}

interface IngestRound {
  baseline: IngestRun;
  relay: IngestRun & { deliveredDuringRun: number };
  ratio: number;
}

async function measureServer(
  pid: number,
  options: BenchOptions,
  target: { origin: string; path: string; token: string },
  label: string,
): Promise<IngestRun> {
  const { sizes } = options;
  const cpuBeforeMs = readProcessCpuMs(pid);
  const startedAtMs = performance.now();
  const result = await runClosedLoopIngest({
    target,
    runId: newRunId(label),
    connections: sizes.ingestConnections,
    warmupMs: sizes.ingestWarmupMs,
    windowMs: sizes.ingestWindowMs,
  });
  const serverCpuShare = (readProcessCpuMs(pid) - cpuBeforeMs) / (performance.now() - startedAtMs);
  return { ...result, serverCpuShare };
}

async function measureBaseline(options: BenchOptions): Promise<IngestRun> {
  const server = forkBenchScript('bare-ingest-server.ts');
  try {
    const { port } = await waitForMessage<{ type: string; port: number }>(server, 'ready', CHILD_READY_TIMEOUT_MS);
    const target = { origin: `http://127.0.0.1:${port}`, path: `/api/v1/webhook/${BENCH_PROFILE_UID}`, token: 'baseline' };
    return await measureServer(server.pid as number, options, target, 'ingest-baseline');
  } finally {
    await stopChild(server);
  }
}

async function measureRelay(options: BenchOptions): Promise<IngestRound['relay']> {
  // The receiver runs in its own process, so the relay's deliveries do not slow the load generator.
  const receiver = forkBenchScript('receiver-process.ts');
  let relay;
  try {
    const { port } = await waitForMessage<{ type: string; port: number }>(receiver, 'ready', CHILD_READY_TIMEOUT_MS);
    relay = await startRelayProcess({
      logLevel: options.relayLogLevel,
      sqliteSynchronous: options.sqliteSynchronous,
      cpuProfileDir: options.cpuProfileDir,
    });
    await relay.createProfile(`http://127.0.0.1:${port}/hooks/boro`);

    const target = { origin: relay.baseUrl, path: `/api/v1/webhook/${BENCH_PROFILE_UID}`, token: relay.ingestToken };
    const run = await relay.whileRunning(measureServer(relay.pid, options, target, 'ingest-relay'));

    receiver.send({ type: 'stats' });
    const stats = await waitForMessage<{ type: string; delivered: number }>(receiver, 'stats', CHILD_READY_TIMEOUT_MS);
    return { ...run, deliveredDuringRun: stats.delivered };
  } finally {
    await relay?.stop();
    await stopChild(receiver);
  }
}

function describeErrors(run: IngestRun): string {
  return run.errors === 0 ? '' : ` (${run.errors} errors, first: ${run.firstError})`;
}

/** Runs `options.rounds` baseline and relay runs alternately and reports the median ratio. */
export async function runIngestPhase(options: BenchOptions): Promise<PhaseReport> {
  const rounds: IngestRound[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    const baseline = await measureBaseline(options);
    logProgress(`ingest round ${round}: baseline ${formatRate(baseline.acceptedPerSecond)}${describeErrors(baseline)}`);
    const relay = await measureRelay(options);
    logProgress(`ingest round ${round}: relay ${formatRate(relay.acceptedPerSecond)}${describeErrors(relay)}`);
    rounds.push({ baseline, relay, ratio: relay.acceptedPerSecond / baseline.acceptedPerSecond });
  }

  const ratio = median(rounds.map((round) => round.ratio));
  const relayRate = median(rounds.map((round) => round.relay.acceptedPerSecond));
  const baselineRate = median(rounds.map((round) => round.baseline.acceptedPerSecond));
  const relayCpu = median(rounds.map((round) => round.relay.serverCpuShare));
  const errors = rounds.reduce((sum, round) => sum + round.relay.errors + round.baseline.errors, 0);

  return {
    rows: [
      {
        phase: 'ingest',
        measure: `alerts/s, 1 alert per request, ${options.sizes.ingestConnections} connections`,
        relay: formatRate(relayRate),
        baseline: formatRate(baselineRate),
        result: formatPercent(ratio),
        target: `>= ${formatPercent(INGEST_TARGET_RATIO)}`,
        met: errors === 0 && ratio >= INGEST_TARGET_RATIO,
      },
      {
        phase: 'ingest',
        measure: 'server CPU while loaded (1 core = 100 %)',
        relay: formatPercent(relayCpu),
        baseline: formatPercent(median(rounds.map((round) => round.baseline.serverCpuShare))),
        result: '',
        target: '',
        met: null,
      },
    ],
    data: {
      target: { minRatio: INGEST_TARGET_RATIO },
      ratio,
      relayAlertsPerSecond: relayRate,
      baselineAlertsPerSecond: baselineRate,
      errors,
      connections: options.sizes.ingestConnections,
      warmupMs: options.sizes.ingestWarmupMs,
      windowMs: options.sizes.ingestWindowMs,
      rounds,
    },
  };
}
