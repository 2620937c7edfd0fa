import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';

import type { SecretKeyEncoding } from '../../contract/profile.js';
import { verifyRequest } from '../signing/api-auth.js';

/** Options of the demo Boro receiver, which prints every message it receives and can verify signatures. */
export interface ReceiverOptions {
  /** Listen address, 127.0.0.1 when omitted. */
  host?: string;
  /** Listen port. 0 picks a free port. */
  port: number;
  /** The profile's secret key. Without it, requests are accepted unverified. */
  secretKey?: string;
  secretKeyEncoding?: SecretKeyEncoding;
  /** Receives each output line. Lines go to process.stdout when omitted. */
  output?: (line: string) => void;
}

export interface Receiver {
  /** Base URL to put in a profile, for example `http://127.0.0.1:9000`. */
  url: string;
  close(): Promise<void>;
}

export const DEFAULT_RECEIVER_PORT = 9000;

export const DEFAULT_RECEIVER_HOST = '127.0.0.1';

/** Maximum request body the receiver reads, equal to the relay's default ingest limit. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

const HEX_KEY_PATTERN = /^(?:[0-9a-fA-F]{2})+$/;

const USAGE = `Usage: boro-relay receive [--port <n>] [--host <address>] [--secret <key>] [--encoding text|hex]

Starts a demo Boro receiver that prints every message it receives.

  --port <n>          listen port (default ${DEFAULT_RECEIVER_PORT}, 0 picks a free port)
  --host <address>    listen address (default ${DEFAULT_RECEIVER_HOST})
  --secret <key>      the profile's secret key. When set, unsigned or wrongly signed requests get 401
  --encoding text|hex how the relay turns the key into HMAC key bytes (default text)
  --help              prints this help`;

/** Starts the receiver and resolves once it listens. Throws when a `hex` secret key is not hex. */
export async function startReceiver(o: ReceiverOptions): Promise<Receiver> {
  if (o.secretKeyEncoding === 'hex' && o.secretKey !== undefined && !HEX_KEY_PATTERN.test(o.secretKey)) {
    throw new Error("secretKey is not hex although secretKeyEncoding is 'hex': use an even number of 0-9 a-f digits");
  }

  const host = o.host ?? DEFAULT_RECEIVER_HOST;
  const output = o.output ?? ((line: string) => process.stdout.write(`${line}\n`));
  const verification: Verification | null =
    o.secretKey === undefined ? null : { secretKey: o.secretKey, secretKeyEncoding: o.secretKeyEncoding ?? 'text' };

  const server = createServer((req, res) => {
    handleRequest(req, res, verification, output).catch((error: unknown) => {
      output(`error: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'receiver failed to handle the request' });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

interface Verification {
  secretKey: string;
  secretKeyEncoding: SecretKeyEncoding;
}

async function handleRequest(
  req: IncomingMessage,
  res: ServerResponse,
  verification: Verification | null,
  output: (line: string) => void,
): Promise<void> {
  if (req.method !== 'POST') {
    output(`rejected: method ${req.method ?? ''} is not allowed`);
    res.setHeader('Allow', 'POST');
    sendJson(res, 405, { ok: false, error: `method ${req.method ?? ''} is not allowed, send a POST` });
    return;
  }

  const body = await readBody(req);
  if (body === null) {
    output(`rejected: body is larger than ${MAX_BODY_BYTES} bytes`);
    sendJson(res, 413, { ok: false, error: `body is larger than ${MAX_BODY_BYTES} bytes` });
    return;
  }

  let signatureState = 'unsigned';
  let accessId = readAccessId(req.headers.authorization);
  if (verification !== null) {
    const result = verifyRequest({
      method: req.method,
      requestUri: req.url ?? '/',
      headers: req.headers,
      body,
      ...verification,
    });
    if (!result.ok) {
      output(`rejected: ${result.reason}`);
      sendJson(res, 401, { ok: false, error: result.reason });
      return;
    }
    signatureState = 'verified';
    accessId = result.accessId;
  }

  let message: unknown;
  try {
    message = JSON.parse(body.toString('utf8'));
  } catch {
    output(`rejected: body is not valid JSON (${body.length} bytes)`);
    sendJson(res, 400, { ok: false, error: 'body is not valid JSON' });
    return;
  }

  output(describeMessage(signatureState, accessId, message));
  output(JSON.stringify(message, null, 2));
  sendJson(res, 200, { ok: true });
}

/** Reads the whole body, or returns null once it exceeds MAX_BODY_BYTES (the rest is drained unread). */
async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;

  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) tooLarge = true;
    if (!tooLarge) chunks.push(chunk);
  }

  return tooLarge ? null : Buffer.concat(chunks);
}

/** Returns the access id of an APIAuth Authorization header without checking it, or '-'. */
function readAccessId(authorization: string | undefined): string {
  const match = /^APIAuth-HMAC-SHA256 ([^\s:]+):/.exec(authorization ?? '');
  return match?.[1] ?? '-';
}

function describeMessage(signatureState: string, accessId: string, message: unknown): string {
  const fields = typeof message === 'object' && message !== null ? (message as Record<string, unknown>) : {};
  const show = (value: unknown): string => (value === undefined ? '-' : JSON.stringify(value));

  return [
    signatureState,
    `accessId=${accessId}`,
    `sequenceId=${show(fields.sequenceId)}`,
    `status=${show(fields.status)}`,
    `trigger=${show(fields.trigger)}`,
  ].join(' ');
}

function sendJson(res: ServerResponse, statusCode: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(statusCode, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export interface ReceiveCommandOptions {
  output?: (line: string) => void;
  /** Signal that stops the receiver as SIGINT does, for tests and embedding. */
  signal?: AbortSignal;
}

/**
 * Runs `receive`: parses the options, starts the receiver and resolves after SIGINT, SIGTERM or
 * `signal` stopped it. Throws an Error naming the option for invalid arguments.
 */
export async function runReceiveCommand(argv: string[], io: ReceiveCommandOptions = {}): Promise<void> {
  const output = io.output ?? ((line: string) => process.stdout.write(`${line}\n`));
  const options = parseReceiveArguments(argv);
  if (options === 'help') {
    output(USAGE);
    return;
  }

  const receiver = await startReceiver({ ...options, output }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE') throw error;
    const where = `port ${options.port} on ${options.host ?? DEFAULT_RECEIVER_HOST}`;
    throw new Error(`${where} is already in use: stop the other process or pass another --port`);
  });
  const mode =
    options.secretKey === undefined
      ? 'accepting unsigned requests (pass --secret to verify signatures)'
      : 'verifying signatures';
  output(`boro demo receiver listening on ${receiver.url}, ${mode}`);

  await waitForStop(io.signal);
  await receiver.close();
  output('boro demo receiver stopped');
}

function parseReceiveArguments(argv: string[]): Omit<ReceiverOptions, 'output'> | 'help' {
  const values = parseReceiveOptions(argv);
  if (values.help === true) return 'help';

  const port = values.port === undefined ? DEFAULT_RECEIVER_PORT : Number(values.port);
  if (values.port !== undefined && (!/^\d+$/.test(values.port) || port > 65535)) {
    throw new Error(`--port must be an integer from 0 to 65535, got '${values.port}'`);
  }

  const encoding = values.encoding ?? 'text';
  if (encoding !== 'text' && encoding !== 'hex') {
    throw new Error(`--encoding must be 'text' or 'hex', got '${encoding}'`);
  }
  if (encoding === 'hex' && values.secret !== undefined && !HEX_KEY_PATTERN.test(values.secret)) {
    throw new Error(
      "--secret is not hex although --encoding is 'hex': pass an even number of 0-9 a-f digits or use --encoding text",
    );
  }
  if (values.secret === '') {
    throw new Error("--secret is empty: pass the profile's secret key or leave the option out");
  }

  return { host: values.host ?? DEFAULT_RECEIVER_HOST, port, secretKey: values.secret, secretKeyEncoding: encoding };
}

function parseReceiveOptions(argv: string[]) {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        secret: { type: 'string' },
        encoding: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
    return values;
  } catch (error) {
    throw new Error(`${(error as Error).message}. Run 'boro-relay receive --help' to list the options.`);
  }
}

function waitForStop(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      signal?.removeEventListener('abort', stop);
      resolve();
    };

    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (signal?.aborted === true) stop();
    else signal?.addEventListener('abort', stop, { once: true });
  });
}
