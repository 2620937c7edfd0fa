/**
 * Baseline of the ingest benchmark, run as a child process: a bare node:http server that reads each
 * body, parses it as JSON and responds 202 with a body of the relay's shape. It stores nothing.
 * It sends `{type: 'ready', port}` over IPC once it listens and stops on SIGTERM.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Notification {
  alerts?: Array<{ labels?: { alertname?: string } }>;
}

let nextSequenceId = 1;

function acceptedBody(notification: Notification): string {
  const alerts = notification.alerts ?? [];
  const messages = alerts.map((alert) => ({
    sequenceId: nextSequenceId++,
    status: 'Active',
    trigger: alert.labels?.alertname ?? '',
  }));
  return JSON.stringify({ accepted: messages.length, duplicates: 0, skipped: 0, messages });
}

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    let body: string;
    try {
      body = acceptedBody(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Notification);
    } catch {
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end('{"error":{"code":"BODY_NOT_JSON","message":"the request body is not valid JSON"}}');
      return;
    }
    response.writeHead(202, { 'content-type': 'application/json; charset=utf-8' });
    response.end(body);
  });
});

server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.send?.({ type: 'ready', port: (server.address() as AddressInfo).port });
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
process.once('disconnect', () => process.exit(0));
