import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordedRequest, ReplyScript } from './recording-receiver.js';

export interface SelfSignedCertificate {
  keyPem: string;
  certPem: string;
}

/** Generates a one-day self-signed certificate for 127.0.0.1 and localhost with the `openssl` CLI. */
export function createSelfSignedCertificate(): SelfSignedCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'boro-tls-receiver-'));
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
        '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-keyout', keyPath, '-out', certPath],
      { stdio: 'pipe' },
    );
    return { keyPem: readFileSync(keyPath, 'utf8'), certPem: readFileSync(certPath, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface TlsReceiver {
  /** `https://127.0.0.1:<port>`, without a trailing slash. */
  origin: string;
  requests: RecordedRequest[];
  /** Resolves once `count` requests have arrived; rejects after `timeoutMs`. */
  waitForRequests(count: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  close(): Promise<void>;
}

/**
 * A real HTTPS receiver on a loopback port that records every request and replies as scripted. By
 * default it replies `200 ok`, as a Slack incoming webhook does.
 */
export async function startTlsReceiver(
  certificate: SelfSignedCertificate,
  script: ReplyScript = () => ({ status: 200, body: 'ok' }),
): Promise<TlsReceiver> {
  const requests: RecordedRequest[] = [];
  const waiters: Array<() => void> = [];

  const server: Server = createServer({ key: certificate.keyPem, cert: certificate.certPem }, (request, response) => {
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
        request.socket.destroy();
        return;
      }
      const send = () => {
        if (response.destroyed) return;
        response.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
        response.end(reply.body ?? '');
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs).unref();
      else send();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    origin: `https://127.0.0.1:${port}`,
    requests,
    async waitForRequests(count, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (requests.length < count) {
        const remainingMs = deadline - Date.now();
        if (remainingMs <= 0) throw new Error(`TLS receiver got ${requests.length} of ${count} requests within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, remainingMs);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return requests.slice(0, count);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
