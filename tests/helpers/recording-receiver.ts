import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  receivedAtMs: number;
}

/** The receiver's handling of one request: reply, reply late, or reset the connection. */
export type ScriptedReply =
  | { status: number; headers?: Record<string, string>; body?: string; delayMs?: number }
  | { reset: true };

export type ReplyScript = (request: RecordedRequest, index: number) => ScriptedReply;

export interface RecordingReceiver {
  url: string;
  requests: RecordedRequest[];
  /** Resolves once `count` requests have arrived; rejects after `timeoutMs`. */
  waitForRequests(count: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  close(): Promise<void>;
}

/** Records requests and replies to them as scripted; the HTTP and HTTPS test receivers share it. */
export interface RequestRecorder {
  requests: RecordedRequest[];
  handle(request: IncomingMessage, response: ServerResponse): void;
  /** Resolves once `count` requests have arrived; rejects after `timeoutMs`. */
  waitForRequests(count: number, timeoutMs?: number): Promise<RecordedRequest[]>;
}

export function createRequestRecorder(script: ReplyScript, defaultHeaders: Record<string, string> = {}): RequestRecorder {
  const requests: RecordedRequest[] = [];
  const waiters: Array<() => void> = [];

  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const recorded: RecordedRequest = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks),
        receivedAtMs: Date.now(),
      };
      const index = requests.length;
      requests.push(recorded);
      for (const wake of waiters.splice(0)) wake();

      const reply = script(recorded, index);
      if ('reset' in reply) {
        // A TLS socket cannot send a TCP reset through its TLS layer, so it is closed instead.
        if ('encrypted' in request.socket) request.socket.destroy();
        else request.socket.resetAndDestroy();
        return;
      }

      const send = () => {
        if (response.destroyed) return;
        response.writeHead(reply.status, { ...defaultHeaders, ...reply.headers });
        response.end(reply.body ?? '');
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs).unref();
      else send();
    });
  };

  const waitForRequests = async (count: number, timeoutMs = 15_000) => {
    const deadline = Date.now() + timeoutMs;
    while (requests.length < count) {
      const remainingMs = deadline - Date.now();
      if (remainingMs <= 0) throw new Error(`receiver got ${requests.length} of ${count} requests within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remainingMs);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return requests.slice(0, count);
  };

  return { requests, handle, waitForRequests };
}

/** Starts a real HTTP receiver on a loopback port that records every request and replies as scripted. */
export async function startRecordingReceiver(
  script: ReplyScript = () => ({ status: 200, body: 'ok' }),
  host = '127.0.0.1',
): Promise<RecordingReceiver> {
  const recorder = createRequestRecorder(script);
  const sockets = new Set<Socket>();

  const server: Server = createServer(recorder.handle);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${host}:${port}`,
    requests: recorder.requests,
    waitForRequests: recorder.waitForRequests,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
