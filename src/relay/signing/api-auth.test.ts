import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import type { SecretKeyEncoding } from '../../contract/profile.js';
import {
  buildCanonicalString,
  computeContentSha256,
  formatHttpDate,
  parseHttpDate,
  requestUriOf,
  signRequest,
  verifyRequest,
  type VerifyRequestInput,
} from './api-auth.js';

interface SigningVector {
  name: string;
  method: string;
  contentType: string;
  body: string;
  requestUri: string;
  date: string;
  accessId: string;
  secretKey: string;
  secretKeyEncoding: SecretKeyEncoding;
  contentSha256: string;
  canonical: string;
  authorization: string;
}

const vectorsPath = new URL('../../../tests/fixtures/signing-vectors.json', import.meta.url);
const { vectors } = JSON.parse(readFileSync(vectorsPath, 'utf8')) as { vectors: SigningVector[] };

describe('signRequest vectors', () => {
  it('reads the vector file', () => {
    assert.ok(vectors.length >= 5);
  });

  for (const vector of vectors) {
    it(`reproduces ${vector.name}`, () => {
      const signature = signRequest(vector);

      assert.equal(signature.contentSha256, vector.contentSha256);
      assert.equal(signature.canonical, vector.canonical);
      assert.equal(signature.authorization, vector.authorization);
    });

    it(`hashes ${vector.name} bytes like its string`, () => {
      const signature = signRequest({ ...vector, body: Buffer.from(vector.body, 'utf8') });

      assert.equal(signature.authorization, vector.authorization);
    });
  }
});

describe('computeContentSha256', () => {
  it('hashes the empty body', () => {
    assert.equal(computeContentSha256(''), '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=');
  });

  it('hashes strings as UTF-8', () => {
    assert.equal(computeContentSha256('é🔥'), computeContentSha256(Buffer.from('é🔥', 'utf8')));
  });
});

describe('buildCanonicalString', () => {
  it('upper-cases the method', () => {
    const canonical = buildCanonicalString({
      method: 'post',
      contentType: 'application/json',
      contentSha256: 'abc=',
      requestUri: '/x',
      date: 'Sat, 01 Jan 2000 00:00:00 GMT',
    });

    assert.equal(canonical, 'POST,application/json,abc=,/x,Sat, 01 Jan 2000 00:00:00 GMT');
  });
});

describe('signRequest hex keys', () => {
  const base = signingInputOf(vectors[3] as SigningVector);

  it('accepts upper-case hex', () => {
    const signature = signRequest({ ...base, secretKey: base.secretKey.toUpperCase() });

    assert.equal(signature.authorization, (vectors[3] as SigningVector).authorization);
  });

  for (const secretKey of ['abc', 'zz', '']) {
    it(`rejects '${secretKey}'`, () => {
      assert.throws(() => signRequest({ ...base, secretKey }), (error: Error) => {
        assert.match(error.message, /secretKeyEncoding is 'hex'/);
        return true;
      });
    });
  }

  it('keeps the key out of the error', () => {
    const secretKey = 'not-hex-secret-value';

    assert.throws(() => signRequest({ ...base, secretKey }), (error: Error) => !error.message.includes(secretKey));
  });
});

describe('formatHttpDate', () => {
  it('writes an IMF-fixdate', () => {
    assert.equal(formatHttpDate(new Date(Date.UTC(2026, 11, 4, 19, 23, 52))), 'Fri, 04 Dec 2026 19:23:52 GMT');
  });

  it('pads single-digit days', () => {
    assert.equal(formatHttpDate(new Date(Date.UTC(2000, 0, 1))), 'Sat, 01 Jan 2000 00:00:00 GMT');
  });
});

describe('parseHttpDate', () => {
  const expectedMs = Date.UTC(1994, 10, 6, 8, 49, 37);
  const cases: Array<{ name: string; text: string; expected: number | null }> = [
    { name: 'IMF-fixdate', text: 'Sun, 06 Nov 1994 08:49:37 GMT', expected: expectedMs },
    { name: 'RFC 850', text: 'Sunday, 06-Nov-94 08:49:37 GMT', expected: expectedMs },
    { name: 'asctime', text: 'Sun Nov  6 08:49:37 1994', expected: expectedMs },
    { name: 'round trip', text: 'Fri, 04 Dec 2026 19:23:52 GMT', expected: Date.UTC(2026, 11, 4, 19, 23, 52) },
    { name: 'local time zone', text: 'Sun, 06 Nov 1994 08:49:37 +0100', expected: null },
    { name: 'ISO 8601', text: '1994-11-06T08:49:37Z', expected: null },
    { name: 'bare number', text: '5', expected: null },
    { name: 'February 31', text: 'Sat, 31 Feb 2026 10:00:00 GMT', expected: null },
    { name: 'hour 24', text: 'Sun, 06 Nov 1994 24:00:00 GMT', expected: null },
    { name: 'empty', text: '', expected: null },
  ];

  for (const { name, text, expected } of cases) {
    it(`parses ${name}`, () => {
      assert.equal(parseHttpDate(text), expected);
    });
  }
});

describe('requestUriOf', () => {
  const cases: Array<{ url: string; expected: string }> = [
    { url: 'https://receiver.example', expected: '/' },
    { url: 'https://receiver.example/', expected: '/' },
    { url: 'https://receiver.example/hooks/boro', expected: '/hooks/boro' },
    { url: 'https://receiver.example/hooks/boro?tenant=a%20b&x=1', expected: '/hooks/boro?tenant=a%20b&x=1' },
    { url: 'https://receiver.example/a b?q=c d', expected: '/a%20b?q=c%20d' },
    { url: 'https://receiver.example/hooks#fragment', expected: '/hooks' },
    { url: 'http://127.0.0.1:9000?x=1', expected: '/?x=1' },
  ];

  for (const { url, expected } of cases) {
    it(`maps ${url}`, () => {
      assert.equal(requestUriOf(new URL(url)), expected);
    });
  }
});

describe('verifyRequest', () => {
  const vector = vectors[2] as SigningVector;
  const dateMs = Date.parse(vector.date);

  function signedRequest(): VerifyRequestInput {
    const signature = signRequest(vector);
    return {
      method: vector.method,
      requestUri: vector.requestUri,
      headers: {
        authorization: signature.authorization,
        'x-authorization-content-sha256': signature.contentSha256,
        date: vector.date,
        'content-type': vector.contentType,
      },
      body: Buffer.from(vector.body, 'utf8'),
      secretKey: vector.secretKey,
      secretKeyEncoding: vector.secretKeyEncoding,
      nowMs: dateMs,
    };
  }

  function reasonOf(input: VerifyRequestInput): string {
    const result = verifyRequest(input);
    assert.equal(result.ok, false);
    return result.ok ? '' : result.reason;
  }

  it('accepts a signed request', () => {
    assert.deepEqual(verifyRequest(signedRequest()), { ok: true, accessId: 'noc-main' });
  });

  it('accepts a hex-key request', () => {
    const hexVector = vectors[3] as SigningVector;
    const input = signedRequest();
    input.headers.authorization = hexVector.authorization;
    input.secretKeyEncoding = 'hex';

    assert.deepEqual(verifyRequest(input), { ok: true, accessId: 'noc-main' });
  });

  it('accepts mixed-case header names', () => {
    const input = signedRequest();
    input.headers = {
      Authorization: input.headers.authorization,
      'X-Authorization-Content-SHA256': input.headers['x-authorization-content-sha256'],
      Date: input.headers.date,
      'Content-Type': input.headers['content-type'],
    };

    assert.equal(verifyRequest(input).ok, true);
  });

  it('accepts a date within the skew', () => {
    const input = { ...signedRequest(), nowMs: dateMs + 899_000 };

    assert.equal(verifyRequest(input).ok, true);
  });

  it('rejects a tampered body', () => {
    const input = { ...signedRequest(), body: Buffer.from(vector.body.replace('Cleared', 'Active '), 'utf8') };

    assert.match(reasonOf(input), /X-Authorization-Content-SHA256 header does not match/);
  });

  it('rejects a body and hash both replaced', () => {
    const body = Buffer.from('{"forged":true}', 'utf8');
    const input = signedRequest();
    input.body = body;
    input.headers['x-authorization-content-sha256'] = computeContentSha256(body);

    assert.match(reasonOf(input), /signature does not match/);
  });

  it('rejects a wrong key', () => {
    const input = { ...signedRequest(), secretKey: 'another-secret' };

    assert.match(reasonOf(input), /signature does not match/);
  });

  it('rejects a wrong key encoding', () => {
    const input = { ...signedRequest(), secretKeyEncoding: 'hex' as const };

    assert.match(reasonOf(input), /signature does not match/);
  });

  it('rejects another request URI', () => {
    const input = { ...signedRequest(), requestUri: '/hooks/other' };

    assert.match(reasonOf(input), /signature does not match/);
  });

  it('rejects a stale date', () => {
    const input = { ...signedRequest(), nowMs: dateMs + 901_000 };

    assert.match(reasonOf(input), /Date header is 901 s away from the receiver's clock/);
  });

  it('rejects a future date', () => {
    const input = { ...signedRequest(), nowMs: dateMs - 3_600_000 };

    assert.match(reasonOf(input), /3600 s away/);
  });

  it('ignores the skew when 0', () => {
    const input = { ...signedRequest(), nowMs: dateMs + 86_400_000, maxClockSkewSeconds: 0 };

    assert.equal(verifyRequest(input).ok, true);
  });

  it('honours a custom skew', () => {
    const input = { ...signedRequest(), nowMs: dateMs + 61_000, maxClockSkewSeconds: 60 };

    assert.match(reasonOf(input), /more than the allowed 60 s/);
  });

  for (const header of ['authorization', 'x-authorization-content-sha256', 'date']) {
    it(`rejects a missing ${header}`, () => {
      const input = signedRequest();
      delete input.headers[header];

      assert.match(reasonOf(input), /header is missing/);
    });
  }

  it('rejects a missing content type', () => {
    const input = signedRequest();
    delete input.headers['content-type'];

    assert.match(reasonOf(input), /signature does not match/);
  });

  for (const authorization of ['Bearer abc', 'APIAuth noc-main:abc', 'APIAuth-HMAC-SHA256 noc-main', 'APIAuth-HMAC-SHA256 :abc']) {
    it(`rejects authorization '${authorization}'`, () => {
      const input = signedRequest();
      input.headers.authorization = authorization;

      assert.match(reasonOf(input), /Authorization header is not in the form/);
    });
  }

  it('rejects an unparsable date', () => {
    const signature = signRequest({ ...vector, date: 'yesterday' });
    const input = signedRequest();
    input.headers.date = 'yesterday';
    input.headers.authorization = signature.authorization;

    assert.match(reasonOf(input), /is not an HTTP date/);
  });

  it('keeps the key out of reasons', () => {
    const input = { ...signedRequest(), secretKey: 'super-secret-key-value' };

    assert.doesNotMatch(reasonOf(input), /super-secret-key-value/);
  });
});

function signingInputOf(vector: SigningVector) {
  const { method, contentType, body, requestUri, date, accessId, secretKey, secretKeyEncoding } = vector;
  return { method, contentType, body, requestUri, date, accessId, secretKey, secretKeyEncoding };
}
