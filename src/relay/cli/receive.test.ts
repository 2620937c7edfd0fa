import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { formatHttpDate, requestUriOf, signRequest } from '../signing/api-auth.js';
import { runReceiveCommand, startReceiver, type Receiver } from './receive.js';

const secretKey = '9c4f0e7ab13d5e2f88a6c1d04b7e3f9a2c5d8e1f0a3b6c9d2e5f8a1b4c7d0e3f';
const message = { version: '1', sequenceId: 42, referenceNumber: 41, trigger: 'DiskFillingUp', status: 'Cleared' };
const body = JSON.stringify(message);

function signedHeaders(url: URL, options: { key?: string; body?: string; date?: Date } = {}): Record<string, string> {
  const date = formatHttpDate(options.date ?? new Date());
  const signature = signRequest({
    method: 'POST',
    contentType: 'application/json',
    body: options.body ?? body,
    requestUri: requestUriOf(url),
    date,
    accessId: 'noc-main',
    secretKey: options.key ?? secretKey,
    secretKeyEncoding: 'text',
  });

  return {
    'Content-Type': 'application/json',
    Date: date,
    'X-Authorization-Content-SHA256': signature.contentSha256,
    Authorization: signature.authorization,
  };
}

describe('startReceiver with a secret', () => {
  let receiver: Receiver;
  const lines: string[] = [];

  before(async () => {
    receiver = await startReceiver({ port: 0, secretKey, output: (line) => lines.push(line) });
  });

  after(() => receiver.close());

  it('listens on loopback', () => {
    assert.match(receiver.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('accepts a signed request', async () => {
    lines.length = 0;
    const url = new URL('/hooks/boro?tenant=a', receiver.url);
    const response = await fetch(url, { method: 'POST', headers: signedHeaders(url), body });

    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { ok: true });
    assert.equal(lines[0], 'verified accessId=noc-main sequenceId=42 status="Cleared" trigger="DiskFillingUp"');
    assert.deepEqual(JSON.parse(lines[1] ?? ''), message);
    assert.equal(lines[1], JSON.stringify(message, null, 2));
  });

  it('rejects a wrong key', async () => {
    lines.length = 0;
    const url = new URL('/hooks/boro', receiver.url);
    const response = await fetch(url, { method: 'POST', headers: signedHeaders(url, { key: 'wrong' }), body });
    const answer = (await response.json()) as { ok: boolean; error: string };

    assert.equal(response.status, 401);
    assert.equal(answer.ok, false);
    assert.match(answer.error, /^signature does not match/);
    assert.match(lines[0] ?? '', /^rejected: signature does not match/);
  });

  it('rejects a tampered body', async () => {
    const url = new URL('/hooks/boro', receiver.url);
    const response = await fetch(url, { method: 'POST', headers: signedHeaders(url), body: body.replace('42', '43') });
    const answer = (await response.json()) as { error: string };

    assert.equal(response.status, 401);
    assert.match(answer.error, /X-Authorization-Content-SHA256 header does not match/);
  });

  it('rejects another path', async () => {
    const url = new URL('/hooks/boro', receiver.url);
    const response = await fetch(new URL('/hooks/other', receiver.url), { method: 'POST', headers: signedHeaders(url), body });

    assert.equal(response.status, 401);
  });

  it('rejects a stale date', async () => {
    const url = new URL('/hooks/boro', receiver.url);
    const headers = signedHeaders(url, { date: new Date(Date.now() - 3_600_000) });
    const response = await fetch(url, { method: 'POST', headers, body });
    const answer = (await response.json()) as { error: string };

    assert.equal(response.status, 401);
    assert.match(answer.error, /Date header is \d+ s away/);
  });

  it('rejects a missing Authorization', async () => {
    const response = await fetch(receiver.url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    const answer = (await response.json()) as { error: string };

    assert.equal(response.status, 401);
    assert.equal(answer.error, 'Authorization header is missing');
  });

  it('rejects a GET', async () => {
    const response = await fetch(receiver.url);
    await response.body?.cancel();

    assert.equal(response.status, 405);
    assert.equal(response.headers.get('allow'), 'POST');
  });

  it('keeps the key out of the output', () => {
    assert.ok(lines.every((line) => !line.includes(secretKey)));
  });
});

describe('startReceiver without a secret', () => {
  let receiver: Receiver;
  const lines: string[] = [];

  before(async () => {
    receiver = await startReceiver({ port: 0, output: (line) => lines.push(line) });
  });

  after(() => receiver.close());

  it('accepts an unsigned request', async () => {
    lines.length = 0;
    const response = await fetch(receiver.url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });

    assert.equal(response.status, 200);
    assert.equal(lines[0], 'unsigned accessId=- sequenceId=42 status="Cleared" trigger="DiskFillingUp"');
  });

  it('shows an unchecked access id', async () => {
    lines.length = 0;
    const url = new URL(receiver.url);
    const response = await fetch(url, { method: 'POST', headers: signedHeaders(url, { key: 'any' }), body });
    await response.body?.cancel();

    assert.equal(lines[0], 'unsigned accessId=noc-main sequenceId=42 status="Cleared" trigger="DiskFillingUp"');
  });

  it('rejects invalid JSON', async () => {
    const response = await fetch(receiver.url, { method: 'POST', body: '{"version":' });
    const answer = (await response.json()) as { error: string };

    assert.equal(response.status, 400);
    assert.equal(answer.error, 'body is not valid JSON');
  });

  it('rejects a body over 10 MiB', async () => {
    const response = await fetch(receiver.url, { method: 'POST', body: 'x'.repeat(10 * 1024 * 1024 + 1) });
    const answer = (await response.json()) as { error: string };

    assert.equal(response.status, 413);
    assert.equal(answer.error, 'body is larger than 10485760 bytes');
  });

  it('prints a message without fields', async () => {
    lines.length = 0;
    const response = await fetch(receiver.url, { method: 'POST', body: '[1,2]' });
    await response.body?.cancel();

    assert.equal(lines[0], 'unsigned accessId=- sequenceId=- status=- trigger=-');
  });
});

describe('startReceiver hex key', () => {
  it('verifies with the decoded key', async () => {
    const lines: string[] = [];
    const receiver = await startReceiver({ port: 0, secretKey, secretKeyEncoding: 'hex', output: (line) => lines.push(line) });
    const url = new URL('/', receiver.url);
    const date = formatHttpDate(new Date());
    const signature = signRequest({
      method: 'POST',
      contentType: 'application/json',
      body,
      requestUri: '/',
      date,
      accessId: 'noc-main',
      secretKey,
      secretKeyEncoding: 'hex',
    });
    const headers = { 'Content-Type': 'application/json', Date: date, 'X-Authorization-Content-SHA256': signature.contentSha256, Authorization: signature.authorization };

    const good = await fetch(url, { method: 'POST', headers, body });
    await good.body?.cancel();
    const textSigned = await fetch(url, { method: 'POST', headers: signedHeaders(url), body });
    await textSigned.body?.cancel();
    await receiver.close();

    assert.equal(good.status, 200);
    assert.equal(textSigned.status, 401);
  });
});

describe('startReceiver options', () => {
  it('rejects a non-hex hex key', async () => {
    await assert.rejects(startReceiver({ port: 0, secretKey: 'not-hex', secretKeyEncoding: 'hex' }), /secretKey is not hex/);
  });

  it('rejects a port in use', async () => {
    const first = await startReceiver({ port: 0, output: () => undefined });
    const port = Number(new URL(first.url).port);

    await assert.rejects(startReceiver({ port, output: () => undefined }), { code: 'EADDRINUSE' });
    await first.close();
  });
});

describe('runReceiveCommand', () => {
  it('starts and stops on abort', async () => {
    const lines: string[] = [];
    const controller = new AbortController();
    const running = runReceiveCommand(['--port', '0', '--secret', secretKey], { output: (line) => lines.push(line), signal: controller.signal });

    while (lines.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const baseUrl = /listening on (\S+),/.exec(lines[0] ?? '')?.[1] ?? '';
    const url = new URL('/boro', baseUrl);
    const response = await fetch(url, { method: 'POST', headers: signedHeaders(url), body });
    await response.body?.cancel();
    controller.abort();
    await running;

    assert.match(lines[0] ?? '', /^boro demo receiver listening on http:\/\/127\.0\.0\.1:\d+, verifying signatures$/);
    assert.equal(response.status, 200);
    assert.equal(lines.at(-1), 'boro demo receiver stopped');
  });

  it('leaves no signal listeners', async () => {
    const before = process.listenerCount('SIGINT');
    const controller = new AbortController();
    const running = runReceiveCommand(['--port', '0'], { output: () => undefined, signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    await running;

    assert.equal(process.listenerCount('SIGINT'), before);
  });

  it('prints help', async () => {
    const lines: string[] = [];
    await runReceiveCommand(['--help'], { output: (line) => lines.push(line) });

    assert.match(lines[0] ?? '', /^Usage: boro-relay receive/);
  });

  const invalid: Array<{ argv: string[]; message: RegExp }> = [
    { argv: ['--port', 'abc'], message: /--port must be an integer from 0 to 65535, got 'abc'/ },
    { argv: ['--port', '70000'], message: /--port must be an integer from 0 to 65535/ },
    { argv: ['--port', '-1'], message: /--port/ },
    { argv: ['--encoding', 'base64'], message: /--encoding must be 'text' or 'hex', got 'base64'/ },
    { argv: ['--encoding', 'hex', '--secret', 'xyz'], message: /--secret is not hex/ },
    { argv: ['--secret', ''], message: /--secret is empty/ },
    { argv: ['--verbose'], message: /Run 'boro-relay receive --help'/ },
    { argv: ['extra'], message: /Run 'boro-relay receive --help'/ },
  ];

  for (const { argv, message: expected } of invalid) {
    it(`rejects ${argv.join(' ')}`, async () => {
      await assert.rejects(runReceiveCommand(argv, { output: () => undefined }), expected);
    });
  }

  it('rejects a port in use', async () => {
    const first = await startReceiver({ port: 0, output: () => undefined });
    const port = new URL(first.url).port;

    await assert.rejects(runReceiveCommand(['--port', port], { output: () => undefined }), {
      message: `port ${port} on 127.0.0.1 is already in use: stop the other process or pass another --port`,
    });
    await first.close();
  });

  it('keeps a bad hex key out of the error', async () => {
    await assert.rejects(runReceiveCommand(['--encoding', 'hex', '--secret', 'my-secret-word'], { output: () => undefined }), (error: Error) => {
      assert.ok(!error.message.includes('my-secret-word'));
      return true;
    });
  });
});
