import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { bearer, notificationBody } from './payloads.js';

export interface IngestTarget {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  path: string;
  token: string;
}

export interface IngestResponse {
  statusCode: number;
  body: string;
}

/** Posts one notification body through `pool` and returns the response's status code and body. */
export async function postNotification(pool: Pool, target: IngestTarget, body: string): Promise<IngestResponse> {
  const response = await pool.request({
    path: target.path,
    method: 'POST',
    headers: { authorization: bearer(target.token), 'content-type': 'application/json' },
    body,
  });
  return { statusCode: response.statusCode, body: await response.body.text() };
}

export interface ClosedLoopResult {
  /** 202 responses that arrived inside the measurement window. */
  accepted: number;
  /** Other responses and request errors, in the whole run. */
  errors: number;
  firstError: string | null;
  windowMs: number;
  acceptedPerSecond: number;
}

/**
 * Posts one-alert notifications over `connections` connections, each sending its next request as
 * soon as the previous response arrives. Responses count from `warmupMs` after the start for `windowMs`.
 */
export async function runClosedLoopIngest(p: {
  target: IngestTarget;
  runId: string;
  connections: number;
  warmupMs: number;
  windowMs: number;
}): Promise<ClosedLoopResult> {
  const pool = new Pool(p.target.origin, { connections: p.connections, pipelining: 1 });
  const windowStartMs = performance.now() + p.warmupMs;
  const windowEndMs = windowStartMs + p.windowMs;
  const result: ClosedLoopResult = { accepted: 0, errors: 0, firstError: null, windowMs: p.windowMs, acceptedPerSecond: 0 };
  let nextIndex = 1;

  const recordError = (description: string) => {
    result.errors += 1;
    result.firstError ??= description;
  };

  const sendLoop = async () => {
    while (performance.now() < windowEndMs) {
      const body = notificationBody(p.runId, nextIndex++);
      try {
        const answer = await postNotification(pool, p.target, body);
        const answeredAtMs = performance.now();
        if (answer.statusCode !== 202) recordError(`ingest failed with status ${answer.statusCode}: ${answer.body.slice(0, 200)}`);
        else if (answeredAtMs >= windowStartMs && answeredAtMs < windowEndMs) result.accepted += 1;
      } catch (error) {
        recordError(String(error));
      }
    }
  };

  try {
    await Promise.all(Array.from({ length: p.connections }, () => sendLoop()));
  } finally {
    await pool.close();
  }
  result.acceptedPerSecond = (result.accepted * 1000) / p.windowMs;
  return result;
}

export interface BatchIngestResult {
  accepted: number;
  durationMs: number;
}

/**
 * Ingests alert instances 1 to `count` as notifications of `batchSize` alerts, `concurrency` at a
 * time, and checks that each was accepted. `onProgress` is called about every `progressEveryMs`.
 */
export async function ingestInBatches(p: {
  target: IngestTarget;
  runId: string;
  count: number;
  batchSize: number;
  concurrency: number;
  onProgress?: (accepted: number) => void;
  progressEveryMs?: number;
}): Promise<BatchIngestResult> {
  const pool = new Pool(p.target.origin, { connections: p.concurrency, pipelining: 1 });
  const startedAtMs = performance.now();
  let nextIndex = 1;
  let accepted = 0;

  const sendLoop = async () => {
    while (nextIndex <= p.count) {
      const first = nextIndex;
      const size = Math.min(p.batchSize, p.count - first + 1);
      nextIndex += size;

      const answer = await postNotification(pool, p.target, notificationBody(p.runId, first, size));
      const acceptedNow = answer.statusCode === 202 ? (JSON.parse(answer.body) as { accepted: number }).accepted : 0;
      if (acceptedNow !== size) {
        throw new Error(`ingest of alerts ${first}-${first + size - 1} failed with status ${answer.statusCode}: ${answer.body.slice(0, 300)}`);
      }
      accepted += size;
    }
  };

  const progressTimer = setInterval(() => p.onProgress?.(accepted), p.progressEveryMs ?? 5_000);
  try {
    await Promise.all(Array.from({ length: p.concurrency }, () => sendLoop()));
  } finally {
    clearInterval(progressTimer);
    await pool.close();
  }
  return { accepted, durationMs: performance.now() - startedAtMs };
}
