import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { sequenceIdOfKey } from './payloads.js';

/**
 * `up` responds 200 at once. `hold` leaves each request unanswered, as a stalled receiver does, so
 * that the relay's messages stay pending. `release()` responds 200 to the held requests.
 */
export type ReceiverMode = 'up' | 'hold';

export interface BenchReceiverOptions {
  /** Highest sequenceId expected; arrivals are tracked per sequenceId from 1 to this. */
  capacity: number;
  mode?: ReceiverMode;
  /**
   * A held request gets a 503 response with `Retry-After: 1` after this long, before the relay's attempt
   * timeout (at most 60 s) ends it, so the message is retried within a second or two.
   */
  holdMs?: number;
}

/** A loopback HTTP receiver that records, per sequenceId, when a message got a 200 response. */
export interface BenchReceiver {
  url: string;
  /** Requests that got a 200 response, repeats included. */
  readonly delivered: number;
  /** Distinct sequenceIds that got a 200 response. */
  readonly distinct: number;
  /** 200 responses to a sequenceId that already got one (at-least-once repeats). */
  readonly repeats: number;
  /** Requests without a valid Idempotency-Key header. */
  readonly unknown: number;
  /** Requests currently held in `hold` mode. */
  readonly held: number;
  /** Body bytes of the requests that got a 200 response. */
  readonly bodyBytes: number;
  /** performance.now() of the first 200 response to `sequenceId`, or 0 when it got none yet. */
  arrivalTimeOf(sequenceId: number): number;
  /** Responds 200 to every held request, switches to `up` and returns how many were held. */
  release(): number;
  /** Resolves once `count` distinct sequenceIds have arrived, with performance.now() of the latest; null after `timeoutMs`. */
  waitForDistinct(count: number, timeoutMs: number): Promise<number | null>;
  close(): Promise<void>;
}

const DEFAULT_HOLD_MS = 45_000;

interface HeldRequest {
  sequenceId: number | null;
  bodyBytes: number;
  response: ServerResponse;
  timer: NodeJS.Timeout;
}

/** Starts a receiver on 127.0.0.1 and an ephemeral port. */
export async function startBenchReceiver(options: BenchReceiverOptions): Promise<BenchReceiver> {
  const holdMs = options.holdMs ?? DEFAULT_HOLD_MS;
  const arrivals = new Float64Array(options.capacity + 1);
  const held = new Set<HeldRequest>();
  const sockets = new Set<Socket>();
  const waiters = new Set<() => void>();
  let mode: ReceiverMode = options.mode ?? 'up';
  const counts = { delivered: 0, distinct: 0, repeats: 0, unknown: 0, bodyBytes: 0, lastDistinctAtMs: 0 };

  const recordDelivered = (sequenceId: number | null, bodyBytes: number, nowMs: number) => {
    counts.delivered += 1;
    counts.bodyBytes += bodyBytes;
    if (sequenceId === null || sequenceId > options.capacity) {
      counts.unknown += 1;
      return;
    }
    if (arrivals[sequenceId] !== 0) {
      counts.repeats += 1;
      return;
    }
    arrivals[sequenceId] = nowMs;
    counts.distinct += 1;
    counts.lastDistinctAtMs = nowMs;
    for (const wake of waiters) wake();
  };

  const respond = (response: ServerResponse, status: number, headers: Record<string, string> = {}) => {
    if (response.destroyed) return;
    response.writeHead(status, { 'content-type': 'text/plain', ...headers });
    response.end(status === 200 ? 'ok' : 'held');
  };

  const hold = (entry: Omit<HeldRequest, 'timer'>) => {
    const request: HeldRequest = {
      ...entry,
      timer: setTimeout(() => {
        held.delete(request);
        respond(entry.response, 503, { 'retry-after': '1' });
      }, holdMs),
    };
    held.add(request);
  };

  const handle = (request: IncomingMessage, response: ServerResponse) => {
    let bodyBytes = 0;
    request.on('data', (chunk: Buffer) => {
      bodyBytes += chunk.length;
    });
    request.on('end', () => {
      const sequenceId = sequenceIdOfKey(request.headers['idempotency-key']);
      if (mode === 'hold') {
        hold({ sequenceId, bodyBytes, response });
        return;
      }
      recordDelivered(sequenceId, bodyBytes, performance.now());
      respond(response, 200);
    });
  };

  const server = createServer({ keepAliveTimeout: 60_000 }, handle);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    get delivered() {
      return counts.delivered;
    },
    get distinct() {
      return counts.distinct;
    },
    get repeats() {
      return counts.repeats;
    },
    get unknown() {
      return counts.unknown;
    },
    get held() {
      return held.size;
    },
    get bodyBytes() {
      return counts.bodyBytes;
    },
    arrivalTimeOf: (sequenceId) => arrivals[sequenceId] ?? 0,
    release() {
      mode = 'up';
      const releasedAtMs = performance.now();
      const count = held.size;
      for (const entry of held) {
        clearTimeout(entry.timer);
        recordDelivered(entry.sequenceId, entry.bodyBytes, releasedAtMs);
        respond(entry.response, 200);
      }
      held.clear();
      return count;
    },
    async waitForDistinct(count, timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      while (counts.distinct < count) {
        const remainingMs = deadline - performance.now();
        if (remainingMs <= 0) return null;
        await new Promise<void>((resolve) => {
          const wake = () => {
            if (counts.distinct < count) return;
            clearTimeout(timer);
            waiters.delete(wake);
            resolve();
          };
          const timer = setTimeout(() => {
            waiters.delete(wake);
            resolve();
          }, remainingMs);
          waiters.add(wake);
        });
      }
      return counts.lastDistinctAtMs;
    },
    async close() {
      for (const entry of held) clearTimeout(entry.timer);
      held.clear();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
