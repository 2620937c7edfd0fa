import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { Agent, errors as undiciErrors, request } from 'undici';

import { classifyRequestError, classifyResponse, describeLocation, parseRetryAfterMs, type AttemptOutcome, type ResponseSummary } from './classify.js';

const nowMs = Date.UTC(2026, 11, 4, 19, 23, 52);

function response(overrides: Partial<ResponseSummary>): ResponseSummary {
  return { profileKind: 'webhook', statusCode: 200, headers: {}, bodyExcerpt: '', nowMs, ...overrides };
}

describe('classifyResponse webhook', () => {
  const cases: Array<{ statusCode: number; expected: AttemptOutcome }> = [
    { statusCode: 200, expected: { kind: 'delivered' } },
    { statusCode: 201, expected: { kind: 'delivered' } },
    { statusCode: 202, expected: { kind: 'delivered' } },
    { statusCode: 204, expected: { kind: 'delivered' } },
    { statusCode: 299, expected: { kind: 'delivered' } },
    { statusCode: 408, expected: { kind: 'retry', reason: 'receiver responded 408 (request timeout)', retryAfterMs: null, countsAsFailure: true } },
    { statusCode: 425, expected: { kind: 'retry', reason: 'receiver responded 425 (too early)', retryAfterMs: null, countsAsFailure: true } },
    { statusCode: 429, expected: { kind: 'retry', reason: 'receiver responded 429 (rate limited)', retryAfterMs: null, countsAsFailure: false } },
    { statusCode: 500, expected: { kind: 'retry', reason: 'receiver responded 500', retryAfterMs: null, countsAsFailure: true } },
    { statusCode: 502, expected: { kind: 'retry', reason: 'receiver responded 502', retryAfterMs: null, countsAsFailure: true } },
    { statusCode: 503, expected: { kind: 'retry', reason: 'receiver responded 503', retryAfterMs: null, countsAsFailure: true } },
    { statusCode: 599, expected: { kind: 'retry', reason: 'receiver responded 599', retryAfterMs: null, countsAsFailure: true } },
    { statusCode: 400, expected: { kind: 'failed', reason: 'receiver responded 400' } },
    { statusCode: 401, expected: { kind: 'failed', reason: 'receiver responded 401' } },
    { statusCode: 403, expected: { kind: 'failed', reason: 'receiver responded 403' } },
    { statusCode: 404, expected: { kind: 'failed', reason: 'receiver responded 404' } },
    { statusCode: 409, expected: { kind: 'failed', reason: 'receiver responded 409' } },
    { statusCode: 410, expected: { kind: 'failed', reason: 'receiver responded 410' } },
    { statusCode: 413, expected: { kind: 'failed', reason: 'receiver responded 413' } },
    { statusCode: 422, expected: { kind: 'failed', reason: 'receiver responded 422' } },
    { statusCode: 100, expected: { kind: 'failed', reason: 'receiver responded 100, an unexpected status' } },
    { statusCode: 600, expected: { kind: 'failed', reason: 'receiver responded 600, an unexpected status' } },
    { statusCode: 300, expected: { kind: 'failed', reason: 'receiver responded 300, a redirect the relay does not follow' } },
    { statusCode: 304, expected: { kind: 'failed', reason: 'receiver responded 304, a redirect the relay does not follow' } },
  ];

  for (const { statusCode, expected } of cases) {
    it(`classifies ${statusCode}`, () => {
      assert.deepEqual(classifyResponse(response({ statusCode })), expected);
    });
  }

  it('ignores the body of a 200', () => {
    assert.deepEqual(classifyResponse(response({ bodyExcerpt: 'not ok at all' })), { kind: 'delivered' });
  });

  it('keeps a 404 body out of the reason', () => {
    assert.deepEqual(classifyResponse(response({ statusCode: 404, bodyExcerpt: 'channel_not_found' })), {
      kind: 'failed',
      reason: 'receiver responded 404',
    });
  });
});

describe('classifyResponse slack', () => {
  const cases: Array<{ statusCode: number; body: string; expected: AttemptOutcome }> = [
    { statusCode: 200, body: 'ok', expected: { kind: 'delivered' } },
    { statusCode: 200, body: 'ok\n', expected: { kind: 'delivered' } },
    { statusCode: 200, body: 'invalid_payload', expected: { kind: 'failed', reason: 'invalid_payload' } },
    { statusCode: 200, body: 'no_text', expected: { kind: 'failed', reason: 'no_text' } },
    { statusCode: 200, body: '', expected: { kind: 'failed', reason: "Slack responded 200 without the body 'ok'" } },
    { statusCode: 200, body: '<html>secret</html>', expected: { kind: 'failed', reason: "Slack responded 200 without the body 'ok'" } },
    { statusCode: 400, body: 'invalid_payload', expected: { kind: 'failed', reason: 'invalid_payload' } },
    { statusCode: 400, body: 'no_text', expected: { kind: 'failed', reason: 'no_text' } },
    { statusCode: 403, body: 'action_prohibited', expected: { kind: 'failed', reason: 'action_prohibited' } },
    { statusCode: 403, body: 'invalid_token', expected: { kind: 'failed', reason: 'invalid_token' } },
    { statusCode: 404, body: 'no_service', expected: { kind: 'failed', reason: 'no_service' } },
    { statusCode: 404, body: 'channel_not_found', expected: { kind: 'failed', reason: 'channel_not_found' } },
    { statusCode: 410, body: 'channel_is_archived', expected: { kind: 'failed', reason: 'channel_is_archived' } },
    { statusCode: 404, body: 'Not Found: /services/T0/B0/xyz', expected: { kind: 'failed', reason: 'receiver responded 404' } },
    { statusCode: 429, body: 'rate_limited', expected: { kind: 'retry', reason: 'receiver responded 429 (rate limited)', retryAfterMs: null, countsAsFailure: false } },
    { statusCode: 500, body: 'rollup_error', expected: { kind: 'retry', reason: 'receiver responded 500', retryAfterMs: null, countsAsFailure: true } },
  ];

  for (const { statusCode, body, expected } of cases) {
    it(`classifies ${statusCode} ${JSON.stringify(body)}`, () => {
      assert.deepEqual(classifyResponse(response({ profileKind: 'slack', statusCode, bodyExcerpt: body })), expected);
    });
  }
});

describe('classifyResponse redirects', () => {
  for (const statusCode of [307, 308]) {
    it(`follows ${statusCode}`, () => {
      const outcome = classifyResponse(response({ statusCode, headers: { location: '/next?token=abc' } }));

      assert.deepEqual(outcome, { kind: 'redirect', location: '/next?token=abc' });
    });

    it(`fails ${statusCode} without Location`, () => {
      const outcome = classifyResponse(response({ statusCode }));

      assert.deepEqual(outcome, { kind: 'failed', reason: `receiver responded ${statusCode} without a Location header` });
    });
  }

  for (const statusCode of [301, 302, 303]) {
    it(`fails ${statusCode} naming the target`, () => {
      const headers = { location: 'https://user:pass@new.example:8443/hooks/boro?token=secret#frag' };
      const outcome = classifyResponse(response({ statusCode, headers }));

      assert.deepEqual(outcome, { kind: 'failed', reason: 'destination redirects to https://new.example:8443' });
    });
  }

  it('reads a Location array', () => {
    const outcome = classifyResponse(response({ statusCode: 308, headers: { Location: ['https://a.example/x'] } }));

    assert.deepEqual(outcome, { kind: 'redirect', location: 'https://a.example/x' });
  });

  it('fails 301 without Location', () => {
    assert.deepEqual(classifyResponse(response({ statusCode: 301 })), {
      kind: 'failed',
      reason: 'receiver responded 301 without a Location header',
    });
  });
});

describe('describeLocation', () => {
  const cases: Array<{ location: string; expected: string }> = [
    { location: 'https://new.example/hooks?key=1', expected: 'https://new.example' },
    { location: 'http://new.example', expected: 'http://new.example' },
    { location: 'https://user:pass@new.example:8443/x', expected: 'https://new.example:8443' },
    { location: '/moved/here?token=1#x', expected: 'a path on the same host' },
    { location: 'https://hooks.slack.com/services/T0/B0/secret', expected: 'https://hooks.slack.com' },
  ];

  for (const { location, expected } of cases) {
    it(`shortens ${location}`, () => {
      assert.equal(describeLocation(location), expected);
    });
  }

  it('shortens a long host', () => {
    const described = describeLocation(`https://${'x'.repeat(250)}.example/`);

    assert.equal(described.length, 200);
    assert.ok(described.endsWith('…'));
  });
});

describe('parseRetryAfterMs', () => {
  const cases: Array<{ name: string; value: string | string[] | undefined; expected: number | null }> = [
    { name: 'missing', value: undefined, expected: null },
    { name: 'empty', value: '', expected: null },
    { name: 'seconds', value: '120', expected: 120_000 },
    { name: 'zero', value: '0', expected: 0 },
    { name: 'padded seconds', value: ' 30 ', expected: 30_000 },
    { name: 'seconds over 1 h', value: '86400', expected: 3_600_000 },
    { name: 'huge seconds', value: '99999999999999999999', expected: 3_600_000 },
    { name: 'HTTP date', value: 'Fri, 04 Dec 2026 19:25:52 GMT', expected: 120_000 },
    { name: 'HTTP date over 1 h', value: 'Sat, 05 Dec 2026 19:23:52 GMT', expected: 3_600_000 },
    { name: 'past HTTP date', value: 'Fri, 04 Dec 2026 19:00:00 GMT', expected: 0 },
    { name: 'negative', value: '-5', expected: null },
    { name: 'fraction', value: '1.5', expected: null },
    { name: 'words', value: 'soon', expected: null },
    { name: 'ISO date', value: '2026-12-04T19:25:52Z', expected: null },
    { name: 'array', value: ['7', '9'], expected: 7_000 },
  ];

  for (const { name, value, expected } of cases) {
    it(`parses ${name}`, () => {
      assert.equal(parseRetryAfterMs({ 'retry-after': value }, nowMs), expected);
    });
  }

  it('feeds a 503 outcome', () => {
    const outcome = classifyResponse(response({ statusCode: 503, headers: { 'Retry-After': '10' } }));

    assert.deepEqual(outcome, { kind: 'retry', reason: 'receiver responded 503', retryAfterMs: 10_000, countsAsFailure: true });
  });

  it('feeds a 429 outcome', () => {
    const outcome = classifyResponse(response({ statusCode: 429, headers: { 'retry-after': 'Fri, 04 Dec 2026 19:24:52 GMT' } }));

    assert.deepEqual(outcome, { kind: 'retry', reason: 'receiver responded 429 (rate limited)', retryAfterMs: 60_000, countsAsFailure: false });
  });
});

function withCode(message: string, code: string, name = 'Error'): Error {
  const error = new Error(message) as Error & { code: string };
  error.code = code;
  error.name = name;
  return error;
}

function retryReason(reason: string): AttemptOutcome {
  return { kind: 'retry', reason, retryAfterMs: null, countsAsFailure: true };
}

describe('classifyRequestError table', () => {
  const timedOut = retryReason('timed out after the profile timeout');
  const cases: Array<{ name: string; error: unknown; expected: AttemptOutcome }> = [
    { name: 'HeadersTimeoutError', error: new undiciErrors.HeadersTimeoutError(), expected: timedOut },
    { name: 'BodyTimeoutError', error: new undiciErrors.BodyTimeoutError(), expected: timedOut },
    { name: 'ConnectTimeoutError', error: new undiciErrors.ConnectTimeoutError(), expected: retryReason('timed out connecting to the receiver') },
    { name: 'RequestAbortedError', error: new undiciErrors.RequestAbortedError(), expected: timedOut },
    { name: 'TimeoutError', error: new DOMException('The operation was aborted due to timeout', 'TimeoutError'), expected: timedOut },
    { name: 'AbortError', error: new DOMException('This operation was aborted', 'AbortError'), expected: timedOut },
    { name: 'ETIMEDOUT', error: withCode('connect ETIMEDOUT', 'ETIMEDOUT'), expected: timedOut },
    { name: 'SocketError', error: new undiciErrors.SocketError('other side closed'), expected: retryReason('connection closed by the receiver') },
    { name: 'ECONNRESET', error: withCode('read ECONNRESET', 'ECONNRESET'), expected: retryReason('connection reset by the receiver') },
    { name: 'ECONNREFUSED', error: withCode('connect ECONNREFUSED', 'ECONNREFUSED'), expected: retryReason('connection refused by the receiver') },
    { name: 'EPIPE', error: withCode('write EPIPE', 'EPIPE'), expected: retryReason('connection closed by the receiver while the request was sent') },
    { name: 'ENOTFOUND', error: withCode('getaddrinfo ENOTFOUND x', 'ENOTFOUND'), expected: retryReason('receiver host name was not found in DNS') },
    { name: 'EAI_AGAIN', error: withCode('getaddrinfo EAI_AGAIN x', 'EAI_AGAIN'), expected: retryReason('DNS lookup of the receiver host failed temporarily') },
    { name: 'EHOSTUNREACH', error: withCode('connect EHOSTUNREACH', 'EHOSTUNREACH'), expected: retryReason('receiver host is unreachable') },
    {
      name: 'fetch failed cause',
      error: new TypeError('fetch failed', { cause: withCode('read ECONNRESET', 'ECONNRESET') }),
      expected: retryReason('connection reset by the receiver'),
    },
    {
      name: 'AggregateError',
      error: new AggregateError([withCode('connect ECONNREFUSED ::1', 'ECONNREFUSED'), withCode('connect ECONNREFUSED 127.0.0.1', 'ECONNREFUSED')]),
      expected: retryReason('connection refused by the receiver'),
    },
    {
      name: 'expired certificate',
      error: withCode('certificate has expired', 'CERT_HAS_EXPIRED'),
      expected: { kind: 'failed', reason: "receiver's TLS certificate is not trusted (CERT_HAS_EXPIRED): fix the certificate or the profile's TLS settings" },
    },
    {
      name: 'wrong host name',
      error: withCode("Hostname/IP does not match certificate's altnames", 'ERR_TLS_CERT_ALTNAME_INVALID'),
      expected: {
        kind: 'failed',
        reason: "receiver's TLS certificate is not trusted (ERR_TLS_CERT_ALTNAME_INVALID): fix the certificate or the profile's TLS settings",
      },
    },
    {
      name: 'plain HTTP port',
      error: withCode('wrong version number', 'ERR_SSL_WRONG_VERSION_NUMBER'),
      expected: { kind: 'failed', reason: 'receiver does not speak TLS on this port (ERR_SSL_WRONG_VERSION_NUMBER): check the URL scheme and port' },
    },
    {
      name: 'other TLS failure',
      error: withCode('sslv3 alert handshake failure', 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE'),
      expected: retryReason('TLS handshake with the receiver failed (ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE)'),
    },
    {
      name: 'blocked address',
      error: withCode('destination address 127.0.0.2 is in a blocked network', 'BORO_ADDRESS_BLOCKED'),
      expected: { kind: 'failed', reason: 'destination address 127.0.0.2 is in a blocked network' },
    },
    {
      name: 'blocked address in cause',
      error: new TypeError('fetch failed', { cause: withCode('destination address is blocked', 'BORO_ADDRESS_BLOCKED') }),
      expected: { kind: 'failed', reason: 'destination address is blocked' },
    },
    {
      name: 'invalid header value',
      error: new undiciErrors.InvalidArgumentError('invalid x-token header'),
      expected: { kind: 'failed', reason: "request could not be sent as configured (UND_ERR_INVALID_ARG): check the profile's URL and headers" },
    },
    { name: 'unknown code', error: withCode('something odd', 'UND_ERR_INFO'), expected: retryReason('request failed (UND_ERR_INFO)') },
    { name: 'unknown class', error: new RangeError('odd'), expected: retryReason('request failed (RangeError)') },
    { name: 'plain Error', error: new Error('https://x.example/path?token=secret'), expected: retryReason('request failed') },
    { name: 'string', error: 'boom', expected: retryReason('request failed') },
    { name: 'null', error: null, expected: retryReason('request failed') },
  ];

  for (const { name, error, expected } of cases) {
    it(`classifies ${name}`, () => {
      assert.deepEqual(classifyRequestError(error), expected);
    });
  }

  it('stops at a cause cycle', () => {
    const error = new Error('loop') as Error & { cause?: unknown };
    error.cause = error;

    assert.deepEqual(classifyRequestError(error), retryReason('request failed'));
  });

  it('keeps messages out of reasons', () => {
    const secret = 'https://receiver.example/hooks?token=s3cr3t';
    const errors = [withCode(secret, 'ECONNRESET'), withCode(secret, 'CERT_HAS_EXPIRED'), new Error(secret), withCode(secret, 'WEIRD_CODE')];

    for (const error of errors) {
      const outcome = classifyRequestError(error);
      assert.ok(outcome.kind === 'retry' || outcome.kind === 'failed');
      assert.ok(!outcome.reason.includes('s3cr3t'), outcome.reason);
    }
  });
});

describe('classifyRequestError on loopback', () => {
  let server: Server;
  let baseUrl: string;

  before(async () => {
    server = createHttpServer((req, res) => {
      if (req.url === '/reset') {
        req.socket.destroy();
        return;
      }
      // '/hang' never sends a response, so the client times out.
    });
    server.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  async function errorOf(send: () => Promise<unknown>): Promise<unknown> {
    try {
      await send();
    } catch (error) {
      return error;
    }
    assert.fail('the request did not fail');
  }

  it('classifies a closed port', async () => {
    const closed = createHttpServer();
    closed.listen(0, '127.0.0.1');
    await new Promise((resolve) => closed.once('listening', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));

    const error = await errorOf(() => request(`http://127.0.0.1:${port}/`, { method: 'POST', body: '{}' }));

    assert.deepEqual(classifyRequestError(error), retryReason('connection refused by the receiver'));
  });

  it('classifies a dropped connection', async () => {
    const error = await errorOf(() => request(`${baseUrl}/reset`, { method: 'POST', body: '{}' }));

    assert.deepEqual(classifyRequestError(error), retryReason('connection closed by the receiver'));
  });

  it('classifies a headers timeout', async () => {
    const dispatcher = new Agent({ headersTimeout: 50 });
    const error = await errorOf(() => request(`${baseUrl}/hang`, { method: 'POST', body: '{}', dispatcher }));
    await dispatcher.destroy();

    assert.deepEqual(classifyRequestError(error), retryReason('timed out after the profile timeout'));
  });

  it('classifies an abort signal timeout', async () => {
    const error = await errorOf(() => request(`${baseUrl}/hang`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(50) }));

    assert.deepEqual(classifyRequestError(error), retryReason('timed out after the profile timeout'));
  });

  it('classifies a fetch timeout', async () => {
    const error = await errorOf(() => fetch(`${baseUrl}/hang`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(50) }));

    assert.deepEqual(classifyRequestError(error), retryReason('timed out after the profile timeout'));
  });
});

describe('classifyRequestError on TLS', () => {
  const certificateDir = mkdtempSync(path.join(tmpdir(), 'boro-classify-'));
  const openssl = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-keyout', 'key.pem', '-out', 'cert.pem'],
    { cwd: certificateDir, stdio: 'ignore' },
  );
  const skip = openssl.status === 0 ? false : 'openssl is not available to make a test certificate';

  after(() => rmSync(certificateDir, { recursive: true, force: true }));

  it('fails a self-signed certificate', { skip }, async () => {
    const server = createHttpsServer(
      { key: readFileSync(path.join(certificateDir, 'key.pem')), cert: readFileSync(path.join(certificateDir, 'cert.pem')) },
      (req, res) => res.end('ok'),
    );
    server.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;

    let error: unknown;
    try {
      await request(`https://127.0.0.1:${port}/`, { method: 'POST', body: '{}' });
    } catch (caught) {
      error = caught;
    }
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));

    assert.deepEqual(classifyRequestError(error), {
      kind: 'failed',
      reason: "receiver's TLS certificate is not trusted (DEPTH_ZERO_SELF_SIGNED_CERT): fix the certificate or the profile's TLS settings",
    });
  });

  it('fails TLS to a plain HTTP port', async () => {
    const server = createHttpServer((req, res) => res.end('ok'));
    server.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;

    let error: unknown;
    try {
      await request(`https://127.0.0.1:${port}/`, { method: 'POST', body: '{}' });
    } catch (caught) {
      error = caught;
    }
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));

    assert.deepEqual(classifyRequestError(error), {
      kind: 'failed',
      reason: 'receiver does not speak TLS on this port (ERR_SSL_WRONG_VERSION_NUMBER): check the URL scheme and port',
    });
  });
});
