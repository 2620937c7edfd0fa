import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequestRecorder, type RecordedRequest, type ReplyScript } from './recording-receiver.js';

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
 * Starts a real HTTPS receiver on a loopback port that records every request and replies as scripted.
 * By default it replies `200 ok`, as a Slack incoming webhook does.
 */
export async function startTlsReceiver(
  certificate: SelfSignedCertificate,
  script: ReplyScript = () => ({ status: 200, body: 'ok' }),
): Promise<TlsReceiver> {
  const recorder = createRequestRecorder(script, { 'content-type': 'text/plain' });
  const server: Server = createServer({ key: certificate.keyPem, cert: certificate.certPem }, recorder.handle);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    origin: `https://127.0.0.1:${port}`,
    requests: recorder.requests,
    waitForRequests: recorder.waitForRequests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
