/**
 * Backlog phase: the relay ingests `backlogMessages` alerts while its receiver leaves every request
 * unanswered, so they all stay pending. The relay's RSS is read from /proc at that point. Then the receiver responds
 * again and the phase checks that every sequenceId arrives.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { ingestInBatches } from './client.js';
import type { BenchOptions } from './options.js';
import { logProgress, newRunId, waitUntil, type PhaseReport } from './phase.js';
import type { ProcessMemory } from './processes.js';
import { startBenchReceiver, type BenchReceiver } from './receiver.js';
import { BENCH_PROFILE_UID, startRelayProcess, type RelayProcess } from './relay-process.js';
import { formatMebibytes, formatRate } from './stats.js';

/** 250 MB, read as mebibytes as /proc and ps count them. */
export const BACKLOG_TARGET_RSS_BYTES = 250 * 1024 * 1024;

const MEMORY_SAMPLE_INTERVAL_MS = 500;
const PROGRESS_INTERVAL_MS = 10_000;
/** Pause between the end of the ingest and the RSS reading at full backlog. */
const SETTLE_MS = 3_000;
const FIRST_LEASE_TIMEOUT_MS = 10_000;
/** The slowest drain accepted before the phase gives up and reports the missing messages. */
const MIN_DRAIN_RATE_PER_SECOND = 10;

/** Returns the relay's RSS, or 0 once the process has exited (whileRunning reports the exit). */
function rssOf(relay: RelayProcess): number {
  try {
    return relay.memory().rssBytes;
  } catch {
    return 0;
  }
}

/** Samples the relay's RSS every MEMORY_SAMPLE_INTERVAL_MS until stopped and keeps the maximum. */
function sampleMemory(relay: RelayProcess): { maxRssBytes: () => number; stop: () => void } {
  let maxRssBytes = rssOf(relay);
  const timer = setInterval(() => {
    maxRssBytes = Math.max(maxRssBytes, rssOf(relay));
  }, MEMORY_SAMPLE_INTERVAL_MS);
  return { maxRssBytes: () => maxRssBytes, stop: () => clearInterval(timer) };
}

async function readPendingCount(relay: RelayProcess): Promise<number | null> {
  const status = (await relay.api('/api/v1/status')) as { profiles?: Array<{ uid: string; pending: number }> };
  return status.profiles?.find((profile) => profile.uid === BENCH_PROFILE_UID)?.pending ?? null;
}

async function drain(receiver: BenchReceiver, relay: RelayProcess, messages: number) {
  const timeoutMs = 60_000 + (messages * 1000) / MIN_DRAIN_RATE_PER_SECOND;
  const memory = sampleMemory(relay);
  const startedAtMs = performance.now();
  const released = receiver.release();
  const progress = setInterval(() => {
    const seconds = (performance.now() - startedAtMs) / 1000;
    logProgress(`backlog: ${receiver.distinct}/${messages} delivered after ${seconds.toFixed(0)} s, relay RSS ${formatMebibytes(rssOf(relay))}`);
  }, PROGRESS_INTERVAL_MS);

  let finishedAtMs: number | null;
  try {
    finishedAtMs = await relay.whileRunning(receiver.waitForDistinct(messages, timeoutMs));
  } finally {
    clearInterval(progress);
    memory.stop();
  }

  const drainMs = (finishedAtMs ?? performance.now()) - startedAtMs;
  return {
    complete: finishedAtMs !== null,
    drainMs,
    messagesPerSecond: ((receiver.distinct - released) * 1000) / drainMs,
    maxRssBytes: memory.maxRssBytes(),
  };
}

/** Builds the backlog, reads the relay's RSS, then drains the backlog and counts the sequenceIds that never arrived. */
export async function runBacklogPhase(options: BenchOptions): Promise<PhaseReport> {
  const { sizes } = options;
  const messages = sizes.backlogMessages;
  const receiver = await startBenchReceiver({ capacity: messages, mode: 'hold' });
  let relay: RelayProcess | undefined;
  try {
    relay = await startRelayProcess({
      profileConcurrency: sizes.backlogConcurrency,
      logLevel: options.relayLogLevel,
      sqliteSynchronous: options.sqliteSynchronous,
      cpuProfileDir: options.cpuProfileDir,
    });
    await relay.createProfile(`${receiver.url}/hooks/boro`);
    const startMemory = relay.memory();

    const ingestMemory = sampleMemory(relay);
    const ingest = await relay.whileRunning(ingestInBatches({
      target: { origin: relay.baseUrl, path: `/api/v1/webhook/${BENCH_PROFILE_UID}`, token: relay.ingestToken },
      runId: newRunId('backlog'),
      count: messages,
      batchSize: sizes.backlogBatchSize,
      concurrency: 4,
      onProgress: (accepted) => logProgress(`backlog: ${accepted}/${messages} ingested, relay RSS ${formatMebibytes(relay ? rssOf(relay) : 0)}`),
      progressEveryMs: PROGRESS_INTERVAL_MS,
    }));
    await waitUntil(() => receiver.held > 0, FIRST_LEASE_TIMEOUT_MS);
    await sleep(SETTLE_MS);
    ingestMemory.stop();

    const backlogMemory: ProcessMemory = relay.memory();
    const pending = await readPendingCount(relay);
    logProgress(`backlog: ${pending ?? '?'} pending, relay RSS ${formatMebibytes(backlogMemory.rssBytes)}; the receiver responds again`);

    const drained = await drain(receiver, relay, messages);
    const finalMemory = relay.memory();
    const lost = messages - receiver.distinct;
    const rssAtBacklog = Math.max(backlogMemory.rssBytes, ingestMemory.maxRssBytes());
    logProgress(`backlog: drained ${receiver.distinct}/${messages} in ${(drained.drainMs / 1000).toFixed(1)} s, ${receiver.repeats} repeats`);

    return {
      rows: [
        {
          phase: 'backlog',
          measure: `relay RSS with ${messages} pending (max sampled during ingest)`,
          relay: formatMebibytes(rssAtBacklog),
          baseline: `idle ${formatMebibytes(startMemory.rssBytes)}`,
          result: formatMebibytes(rssAtBacklog),
          target: `<= ${formatMebibytes(BACKLOG_TARGET_RSS_BYTES)}`,
          met: rssAtBacklog <= BACKLOG_TARGET_RSS_BYTES,
        },
        {
          phase: 'backlog',
          measure: `drain, concurrency ${sizes.backlogConcurrency}: every sequenceId arrives`,
          relay: `${receiver.distinct}/${messages} in ${(drained.drainMs / 1000).toFixed(1)} s (${formatRate(drained.messagesPerSecond)})`,
          baseline: '',
          result: lost === 0 ? 'no loss' : `${lost} lost`,
          target: 'no loss',
          met: lost === 0,
        },
        {
          phase: 'backlog',
          measure: 'relay peak RSS (VmHWM) over the phase',
          relay: formatMebibytes(finalMemory.peakRssBytes),
          baseline: '',
          result: '',
          target: '',
          met: null,
        },
      ],
      data: {
        target: { maxRssBytes: BACKLOG_TARGET_RSS_BYTES, lost: 0 },
        messages,
        pendingReported: pending,
        ingest: { durationMs: ingest.durationMs, alertsPerSecond: (ingest.accepted * 1000) / ingest.durationMs, batchSize: sizes.backlogBatchSize },
        rss: {
          idleBytes: startMemory.rssBytes,
          maxDuringIngestBytes: ingestMemory.maxRssBytes(),
          atBacklogBytes: backlogMemory.rssBytes,
          maxDuringDrainBytes: drained.maxRssBytes,
          afterDrainBytes: finalMemory.rssBytes,
          peakBytes: finalMemory.peakRssBytes,
        },
        drain: {
          complete: drained.complete,
          durationMs: drained.drainMs,
          messagesPerSecond: drained.messagesPerSecond,
          concurrency: sizes.backlogConcurrency,
          delivered: receiver.distinct,
          repeats: receiver.repeats,
          lost,
        },
      },
    };
  } finally {
    await receiver.close();
    await relay?.stop();
  }
}
