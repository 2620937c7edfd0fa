import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

import type { SecretKeyEncoding } from '../../contract/profile.js';

/**
 * The api_auth `APIAuth-HMAC-SHA256` request signature. The signer hashes the body, builds the
 * canonical string `METHOD,Content-Type,X-Authorization-Content-SHA256,request-URI,Date` and sends
 * `Authorization: APIAuth-HMAC-SHA256 <access id>:<base64 HMAC-SHA256(key, canonical)>`.
 */
export const AUTHORIZATION_SCHEME = 'APIAuth-HMAC-SHA256';

export const CONTENT_HASH_HEADER = 'X-Authorization-Content-SHA256';

/** The clock skew that api_auth verifiers accept by default, in seconds. */
export const DEFAULT_MAX_CLOCK_SKEW_SECONDS = 900;

export interface SigningInput {
  method: string;
  /** The Content-Type header as sent, or '' when the request has none. */
  contentType: string;
  /** The body bytes exactly as sent. A string is hashed as UTF-8. */
  body: Uint8Array | string;
  /** Path and query as on the request line, see `requestUriOf`. */
  requestUri: string;
  /** The Date header as sent, see `formatHttpDate`. */
  date: string;
  accessId: string;
  secretKey: string;
  secretKeyEncoding: SecretKeyEncoding;
}

export interface Signature {
  /** Value of the X-Authorization-Content-SHA256 header. */
  contentSha256: string;
  /** The string that was signed. */
  canonical: string;
  /** Value of the Authorization header. */
  authorization: string;
}

export interface CanonicalStringParts {
  method: string;
  contentType: string;
  contentSha256: string;
  requestUri: string;
  date: string;
}

export interface VerifyRequestInput {
  method: string;
  /** Path and query exactly as on the request line (`req.url` in `node:http`). */
  requestUri: string;
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
  secretKey: string;
  secretKeyEncoding: SecretKeyEncoding;
  nowMs?: number;
  /** Maximum distance between the Date header and `nowMs` in seconds, 900 by default. 0 turns the check off. */
  maxClockSkewSeconds?: number;
}

export type VerifyResult = { ok: true; accessId: string } | { ok: false; reason: string };

const AUTHORIZATION_PATTERN = /^APIAuth-HMAC-SHA256 ([^\s:]+):(\S+)$/;

/** Returns the base64 SHA-256 digest of the body, the X-Authorization-Content-SHA256 value. */
export function computeContentSha256(body: Uint8Array | string): string {
  return createHash('sha256').update(body).digest('base64');
}

export function buildCanonicalString(p: CanonicalStringParts): string {
  return [p.method.toUpperCase(), p.contentType, p.contentSha256, p.requestUri, p.date].join(',');
}

/**
 * Computes the content hash, the canonical string and the Authorization header of one request.
 * Throws when a `hex` secret key is not hex, with a message that leaves the key out.
 */
export function signRequest(input: SigningInput): Signature {
  const contentSha256 = computeContentSha256(input.body);
  const canonical = buildCanonicalString({
    method: input.method,
    contentType: input.contentType,
    contentSha256,
    requestUri: input.requestUri,
    date: input.date,
  });
  const digest = computeHmac(canonical, input.secretKey, input.secretKeyEncoding);

  return { contentSha256, canonical, authorization: `${AUTHORIZATION_SCHEME} ${input.accessId}:${digest}` };
}

/** Formats an instant as an IMF-fixdate (`Fri, 04 Dec 2026 19:23:52 GMT`), the form of the Date header. */
export function formatHttpDate(date: Date): string {
  return date.toUTCString();
}

/** Returns the path and query that undici puts on the request line for this URL: `/` when the path is empty. */
export function requestUriOf(url: URL): string {
  const path = url.pathname === '' ? '/' : url.pathname;
  return `${path}${url.search}`;
}

/**
 * Checks a signed request as an api_auth verifier does: the content hash header must match the body,
 * the signature must match the canonical string (compared in constant time), and the Date header must
 * be within the clock skew. The reason of a failure names the header at fault, never a key.
 */
export function verifyRequest(p: VerifyRequestInput): VerifyResult {
  const authorization = headerValue(p.headers, 'authorization');
  if (authorization === undefined) return fail('Authorization header is missing');

  const match = AUTHORIZATION_PATTERN.exec(authorization);
  if (match === null) {
    return fail(`Authorization header is not in the form '${AUTHORIZATION_SCHEME} <access id>:<signature>'`);
  }

  const accessId = match[1] as string;
  const receivedSignature = match[2] as string;

  const contentSha256 = headerValue(p.headers, CONTENT_HASH_HEADER.toLowerCase());
  if (contentSha256 === undefined) return fail(`${CONTENT_HASH_HEADER} header is missing`);
  if (!equalInConstantTime(contentSha256, computeContentSha256(p.body))) {
    return fail(`${CONTENT_HASH_HEADER} header does not match the SHA-256 of the body`);
  }

  const date = headerValue(p.headers, 'date');
  if (date === undefined) return fail('Date header is missing');

  const canonical = buildCanonicalString({
    method: p.method,
    contentType: headerValue(p.headers, 'content-type') ?? '',
    contentSha256,
    requestUri: p.requestUri,
    date,
  });
  const expectedSignature = computeHmac(canonical, p.secretKey, p.secretKeyEncoding);
  if (!equalInConstantTime(receivedSignature, expectedSignature)) {
    return fail('signature does not match: check the secret key, its encoding and the request URI');
  }

  const maxClockSkewSeconds = p.maxClockSkewSeconds ?? DEFAULT_MAX_CLOCK_SKEW_SECONDS;
  const skewFailure = checkClockSkew(date, p.nowMs ?? Date.now(), maxClockSkewSeconds);
  if (skewFailure !== null) return fail(skewFailure);

  return { ok: true, accessId };
}

/**
 * Parses an HTTP date in any of the three forms that RFC 9110 section 5.6.7 requires recipients to
 * accept (IMF-fixdate, RFC 850, asctime), all in UTC. Returns epoch milliseconds, or null when the
 * text is not an HTTP date.
 */
export function parseHttpDate(text: string): number | null {
  const trimmed = text.trim();

  const fields = IMF_FIXDATE_PATTERN.exec(trimmed)?.groups ?? ASCTIME_DATE_PATTERN.exec(trimmed)?.groups;
  if (fields !== undefined) return utcMs(fields);

  const rfc850Fields = RFC850_DATE_PATTERN.exec(trimmed)?.groups;
  if (rfc850Fields !== undefined) {
    return utcMs({ ...rfc850Fields, year: expandTwoDigitYear(rfc850Fields.year ?? '') });
  }

  return null;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH = `(?<month>${MONTHS.join('|')})`;
const TIME = '(?<hour>\\d{2}):(?<minute>\\d{2}):(?<second>\\d{2})';
const IMF_FIXDATE_PATTERN = new RegExp(
  `^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (?<day>\\d{2}) ${MONTH} (?<year>\\d{4}) ${TIME} GMT$`,
);
const RFC850_DATE_PATTERN = new RegExp(
  `^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (?<day>\\d{2})-${MONTH}-(?<year>\\d{2}) ${TIME} GMT$`,
);
const ASCTIME_DATE_PATTERN = new RegExp(
  `^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ${MONTH} (?<day>[ \\d]\\d) ${TIME} (?<year>\\d{4})$`,
);

type DateFields = Record<string, string | undefined>;

function utcMs(fields: DateFields): number | null {
  const year = Number(fields.year);
  const month = MONTHS.indexOf(fields.month ?? '');
  const day = Number(fields.day);
  const hour = Number(fields.hour);
  const minute = Number(fields.minute);
  const second = Number(fields.second);
  if (hour > 23 || minute > 59 || second > 60) return null;

  // Date.UTC rolls 31 Feb over into March, so a day that does not survive the round trip is invalid.
  const ms = Date.UTC(year, month, day, hour, minute, Math.min(second, 59));
  if (new Date(ms).getUTCDate() !== day) return null;
  return ms;
}

/** RFC 9110: a two-digit year more than 50 years in the future means the most recent past year with those digits. */
function expandTwoDigitYear(digits: string): string {
  const currentYear = new Date().getUTCFullYear();
  let year = Math.floor(currentYear / 100) * 100 + Number(digits);
  if (year > currentYear + 50) year -= 100;
  return String(year);
}

function computeHmac(canonical: string, secretKey: string, encoding: SecretKeyEncoding): string {
  return createHmac('sha256', secretKeyBytes(secretKey, encoding)).update(canonical, 'utf8').digest('base64');
}

function secretKeyBytes(secretKey: string, encoding: SecretKeyEncoding): Buffer {
  if (encoding === 'text') return Buffer.from(secretKey, 'utf8');

  if (!/^(?:[0-9a-fA-F]{2})+$/.test(secretKey)) {
    throw new Error(
      "secretKey is not hex although secretKeyEncoding is 'hex': " +
        "use an even number of 0-9 a-f digits or set secretKeyEncoding to 'text'",
    );
  }
  return Buffer.from(secretKey, 'hex');
}

function checkClockSkew(date: string, nowMs: number, maxClockSkewSeconds: number): string | null {
  if (maxClockSkewSeconds === 0) return null;

  const dateMs = parseHttpDate(date);
  if (dateMs === null) {
    return `Date header '${date.slice(0, 40)}' is not an HTTP date such as 'Fri, 04 Dec 2026 19:23:52 GMT'`;
  }

  const skewSeconds = Math.round(Math.abs(nowMs - dateMs) / 1000);
  if (skewSeconds > maxClockSkewSeconds) {
    return (
      `Date header is ${skewSeconds} s away from the receiver's clock, ` +
      `more than the allowed ${maxClockSkewSeconds} s: check both clocks`
    );
  }
  return null;
}

type HeaderRecord = Record<string, string | string[] | undefined>;

function headerValue(headers: HeaderRecord, lowerCaseName: string): string | undefined {
  let value = headers[lowerCaseName];
  if (value === undefined) {
    const key = Object.keys(headers).find((name) => name.toLowerCase() === lowerCaseName);
    value = key === undefined ? undefined : headers[key];
  }

  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? undefined : first;
}

function equalInConstantTime(received: string, expected: string): boolean {
  const receivedBytes = Buffer.from(received, 'utf8');
  const expectedBytes = Buffer.from(expected, 'utf8');

  // timingSafeEqual needs equal lengths, and the length of a base64 digest is public anyway.
  if (receivedBytes.length !== expectedBytes.length) return false;
  return timingSafeEqual(receivedBytes, expectedBytes);
}

function fail(reason: string): VerifyResult {
  return { ok: false, reason };
}
