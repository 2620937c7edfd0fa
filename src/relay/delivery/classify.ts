import { parseHttpDate } from '../signing/api-auth.js';
import { RETRY_AFTER_MAX_MS } from './retry-schedule.js';

/**
 * Outcome of one delivery attempt. Reasons are short sentences for the delivery log, and they never
 * contain a URL query, a header value or a key.
 */
export type AttemptOutcome =
  | { kind: 'delivered' }
  | { kind: 'retry'; reason: string; retryAfterMs: number | null; countsAsFailure: boolean }
  | { kind: 'failed'; reason: string }
  /** A 307 or 308. `location` is the raw Location header, possibly relative, and the caller follows up to 3. */
  | { kind: 'redirect'; location: string };

export interface ResponseSummary {
  profileKind: 'webhook' | 'slack';
  statusCode: number;
  headers: HeaderRecord;
  /** The start of the response body, decoded as UTF-8. */
  bodyExcerpt: string;
  /** Time the response arrived, the base of a Retry-After given as an HTTP date. */
  nowMs: number;
}

/** The `code` of the error that the network policy raises for a blocked destination address. */
export const ADDRESS_BLOCKED_CODE = 'BORO_ADDRESS_BLOCKED';

type HeaderRecord = Record<string, string | string[] | undefined>;

const DELIVERED: AttemptOutcome = { kind: 'delivered' };

/** Status codes that mean "try again later" besides 5xx. */
const RETRYABLE_STATUS_REASONS: Record<number, string> = {
  408: 'receiver responded 408 (request timeout)',
  425: 'receiver responded 425 (too early)',
  429: 'receiver responded 429 (rate limited)',
};

/** A Slack error code such as `channel_not_found`. Any other body stays out of the reason. */
const SLACK_ERROR_CODE_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

/** Classifies a receiver's HTTP response as delivered, retry, failed or redirect. */
export function classifyResponse(r: ResponseSummary): AttemptOutcome {
  const { statusCode } = r;

  if (statusCode >= 200 && statusCode < 300) {
    return r.profileKind === 'slack' ? classifySlackSuccess(r.bodyExcerpt, statusCode) : DELIVERED;
  }

  if (statusCode >= 300 && statusCode < 400) return classifyRedirect(r);

  const retryReason = retryableStatusReason(statusCode);
  if (retryReason !== null) {
    const retryAfterMs = parseRetryAfterMs(r.headers, r.nowMs);
    return { kind: 'retry', reason: retryReason, retryAfterMs, countsAsFailure: statusCode !== 429 };
  }

  if (statusCode >= 400 && statusCode < 500) {
    const slackCode = r.profileKind === 'slack' ? slackErrorCode(r.bodyExcerpt) : null;
    return { kind: 'failed', reason: slackCode ?? `receiver responded ${statusCode}` };
  }

  return { kind: 'failed', reason: `receiver responded ${statusCode}, an unexpected status` };
}

/**
 * Parses Retry-After as delay seconds or an HTTP date relative to `nowMs`. Returns null when the
 * header is missing or invalid. A past date gives 0, and delays longer than 1 h are capped at 1 h.
 */
export function parseRetryAfterMs(headers: HeaderRecord, nowMs: number): number | null {
  const value = headerValue(headers, 'retry-after')?.trim();
  if (value === undefined || value === '') return null;

  let delayMs: number;
  if (/^\d+$/.test(value)) {
    delayMs = Number(value) * 1000;
  } else {
    const dateMs = parseHttpDate(value);
    if (dateMs === null) return null;
    delayMs = Math.max(dateMs - nowMs, 0);
  }

  return Math.min(delayMs, RETRY_AFTER_MAX_MS);
}

function retryableStatusReason(statusCode: number): string | null {
  const reason = RETRYABLE_STATUS_REASONS[statusCode];
  if (reason !== undefined) return reason;

  return statusCode >= 500 && statusCode < 600 ? `receiver responded ${statusCode}` : null;
}

function classifySlackSuccess(bodyExcerpt: string, statusCode: number): AttemptOutcome {
  const body = bodyExcerpt.trim();
  if (body === 'ok') return DELIVERED;

  return { kind: 'failed', reason: slackErrorCode(body) ?? `Slack responded ${statusCode} without the body 'ok'` };
}

function slackErrorCode(bodyExcerpt: string): string | null {
  const body = bodyExcerpt.trim();
  return SLACK_ERROR_CODE_PATTERN.test(body) ? body : null;
}

function classifyRedirect(r: ResponseSummary): AttemptOutcome {
  const location = headerValue(r.headers, 'location')?.trim();
  const { statusCode } = r;

  if (statusCode === 307 || statusCode === 308) {
    if (location === undefined || location === '') {
      return { kind: 'failed', reason: `receiver responded ${statusCode} without a Location header` };
    }
    return { kind: 'redirect', location };
  }

  if (statusCode === 301 || statusCode === 302 || statusCode === 303) {
    if (location === undefined || location === '') {
      return { kind: 'failed', reason: `receiver responded ${statusCode} without a Location header` };
    }
    return { kind: 'failed', reason: `destination redirects to ${describeLocation(location)}` };
  }

  return { kind: 'failed', reason: `receiver responded ${statusCode}, a redirect the relay does not follow` };
}

/**
 * Shortens a Location header for the delivery log to scheme and host: user info, path and query may
 * contain credentials (for Slack the path is the credential), and stored URLs never keep them.
 */
export function describeLocation(location: string): string {
  try {
    const url = new URL(location);
    const described = `${url.protocol}//${url.host}`;
    return described.length > 200 ? `${described.slice(0, 199)}…` : described;
  } catch {
    return 'a path on the same host';
  }
}

/** Error codes of an untrusted receiver certificate. Retrying cannot help until the certificate or profile changes. */
const TLS_CERTIFICATE_ERROR_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_REJECTED',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_CHAIN_TOO_LONG',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'PATH_LENGTH_EXCEEDED',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const TIMEOUT_ERROR_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

const TIMEOUT_ERROR_NAMES = new Set(['TimeoutError', 'AbortError', 'HeadersTimeoutError', 'BodyTimeoutError']);

const CONNECTION_ERROR_REASONS: Record<string, string> = {
  UND_ERR_CONNECT_TIMEOUT: 'timed out connecting to the receiver',
  ECONNRESET: 'connection reset by the receiver',
  ECONNREFUSED: 'connection refused by the receiver',
  ECONNABORTED: 'connection aborted',
  EPIPE: 'connection closed by the receiver while the request was sent',
  UND_ERR_SOCKET: 'connection closed by the receiver',
  UND_ERR_CLOSED: 'connection closed before the response arrived',
  UND_ERR_DESTROYED: 'connection closed before the response arrived',
  EHOSTUNREACH: 'receiver host is unreachable',
  ENETUNREACH: 'receiver network is unreachable',
  EHOSTDOWN: 'receiver host is down',
  ENOTFOUND: 'receiver host name was not found in DNS',
  EAI_AGAIN: 'DNS lookup of the receiver host failed temporarily',
};

/** Error codes of a request that cannot be sent as configured. Retrying cannot help until the profile changes. */
const INVALID_REQUEST_ERROR_CODES = new Set([
  'ERR_INVALID_URL',
  'ERR_INVALID_HTTP_TOKEN',
  'ERR_INVALID_CHAR',
  'UND_ERR_INVALID_ARG',
  'UND_ERR_NOT_SUPPORTED',
]);

const ERROR_CODE_PATTERN = /^[A-Z][A-Z0-9_]{1,47}$/;

/**
 * Classifies an error thrown while sending a request or reading its response. It looks through
 * `cause` chains (fetch's "fetch failed") and AggregateError lists (connection attempts to several
 * addresses). Timeouts, connection and DNS errors retry. TLS certificate errors, a blocked address
 * and an invalid request fail. Unknown errors retry, because the retry window bounds them.
 */
export function classifyRequestError(error: unknown): AttemptOutcome {
  const chain = errorChain(error);

  const blocked = chain.find((item) => item.code === ADDRESS_BLOCKED_CODE);
  if (blocked !== undefined) {
    return { kind: 'failed', reason: blocked.message || 'destination address is blocked by the network policy' };
  }

  const certificate = chain.find((item) => item.code !== undefined && TLS_CERTIFICATE_ERROR_CODES.has(item.code));
  if (certificate !== undefined) {
    return {
      kind: 'failed',
      reason:
        `receiver's TLS certificate is not trusted (${certificate.code}): ` +
        "fix the certificate or the profile's TLS settings",
    };
  }

  const plainHttp = chain.find((item) => item.code === 'ERR_SSL_WRONG_VERSION_NUMBER');
  if (plainHttp !== undefined) {
    return {
      kind: 'failed',
      reason: 'receiver does not speak TLS on this port (ERR_SSL_WRONG_VERSION_NUMBER): check the URL scheme and port',
    };
  }

  const invalid = chain.find((item) => item.code !== undefined && INVALID_REQUEST_ERROR_CODES.has(item.code));
  if (invalid !== undefined) {
    return {
      kind: 'failed',
      reason: `request could not be sent as configured (${invalid.code}): check the profile's URL and headers`,
    };
  }

  for (const item of chain) {
    const reason = connectionErrorReason(item);
    if (reason !== null) return retry(reason);
  }

  return retry(unknownErrorReason(chain[0]));
}

interface ErrorFacts {
  code: string | undefined;
  name: string | undefined;
  message: string;
}

function errorChain(error: unknown): ErrorFacts[] {
  const chain: ErrorFacts[] = [];
  const pending: unknown[] = [error];
  const seen = new Set<unknown>();

  while (pending.length > 0 && chain.length < 20) {
    const item = pending.shift();
    if (item === null || item === undefined || seen.has(item)) continue;
    seen.add(item);

    chain.push(factsOf(item));
    if (typeof item !== 'object') continue;

    const { cause, errors } = item as { cause?: unknown; errors?: unknown };
    pending.push(cause);
    if (Array.isArray(errors)) pending.push(...errors);
  }

  return chain;
}

function factsOf(item: unknown): ErrorFacts {
  if (typeof item !== 'object' || item === null) return { code: undefined, name: undefined, message: '' };

  const { code, name, message } = item as { code?: unknown; name?: unknown; message?: unknown };
  return {
    code: typeof code === 'string' ? code : undefined,
    name: typeof name === 'string' ? name : undefined,
    message: typeof message === 'string' ? message : '',
  };
}

function connectionErrorReason(item: ErrorFacts): string | null {
  const connectionReason = item.code === undefined ? undefined : CONNECTION_ERROR_REASONS[item.code];
  if (connectionReason !== undefined) return connectionReason;

  const timeoutCode = item.code !== undefined && TIMEOUT_ERROR_CODES.has(item.code);
  const timeoutName = item.name !== undefined && TIMEOUT_ERROR_NAMES.has(item.name);
  if (timeoutCode || timeoutName) return 'timed out after the profile timeout';

  if (item.code?.startsWith('ERR_SSL_') === true) return `TLS handshake with the receiver failed (${item.code})`;
  return null;
}

function unknownErrorReason(first: ErrorFacts | undefined): string {
  if (first?.code !== undefined && ERROR_CODE_PATTERN.test(first.code)) return `request failed (${first.code})`;
  if (first?.name !== undefined && /^[A-Za-z]{1,40}$/.test(first.name) && first.name !== 'Error') {
    return `request failed (${first.name})`;
  }
  return 'request failed';
}

function retry(reason: string): AttemptOutcome {
  return { kind: 'retry', reason, retryAfterMs: null, countsAsFailure: true };
}

function headerValue(headers: HeaderRecord, lowerCaseName: string): string | undefined {
  let value = headers[lowerCaseName];
  if (value === undefined) {
    const key = Object.keys(headers).find((name) => name.toLowerCase() === lowerCaseName);
    value = key === undefined ? undefined : headers[key];
  }
  return Array.isArray(value) ? value[0] : value;
}
