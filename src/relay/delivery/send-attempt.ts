import { request, type Dispatcher } from 'undici';
import type { ProfileRecord } from '../profiles/profile-record.js';
import { classifyRequestError, classifyResponse, type AttemptOutcome } from './classify.js';
import { prepareRequest, type PreparedRequest } from './prepare-request.js';

/** Receivers' response bodies are kept up to this size in the delivery log. */
export const RESPONSE_EXCERPT_BYTES = 2048;

/** 307 and 308 redirects followed per attempt; each hop is re-checked by the network policy and re-signed. */
export const MAX_REDIRECTS = 3;

/** What one delivery attempt did, before the retry policy decides what comes next. */
export interface AttemptReport {
  outcome: Exclude<AttemptOutcome, { kind: 'redirect' }>;
  statusCode: number | null;
  responseBody: string | null;
  durationMs: number;
  /** The last request sent, for the test endpoint. */
  lastRequest: PreparedRequest;
}

async function readExcerpt(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    chunks.push(buffer);
    size += buffer.length;
    if (size >= RESPONSE_EXCERPT_BYTES) break;
  }
  return Buffer.concat(chunks).subarray(0, RESPONSE_EXCERPT_BYTES).toString('utf8');
}

function followLocation(location: string, current: URL): URL | null {
  try {
    const next = new URL(location, current);
    return next.protocol === 'http:' || next.protocol === 'https:' ? next : null;
  } catch {
    return null;
  }
}

/**
 * Sends one delivery attempt: POSTs the body, follows up to three 307/308 redirects, reads a
 * response excerpt and classifies the result. The profile's timeout covers the whole attempt.
 */
export async function sendAttempt(p: {
  profile: ProfileRecord;
  body: Buffer;
  idempotencyKey: string;
  dispatcher: Dispatcher;
  now?: () => Date;
}): Promise<AttemptReport> {
  const now = p.now ?? (() => new Date());
  const startedAt = performance.now();
  const signal = AbortSignal.timeout(p.profile.timeoutSeconds * 1000);
  let url = new URL(p.profile.url);

  for (let hop = 0; ; hop++) {
    const prepared = prepareRequest({ profile: p.profile, url, body: p.body, idempotencyKey: p.idempotencyKey, now: now() });
    const elapsed = () => performance.now() - startedAt;

    let statusCode: number;
    let headers: Record<string, string | string[] | undefined>;
    let excerpt: string;
    try {
      const response = await request(url, {
        method: 'POST',
        headers: prepared.headers,
        body: prepared.body,
        dispatcher: p.dispatcher,
        signal,
      });
      statusCode = response.statusCode;
      headers = response.headers;
      excerpt = await readExcerpt(response.body);
    } catch (error) {
      const outcome = classifyRequestError(signal.aborted ? signal.reason ?? error : error);
      return { outcome: outcome.kind === 'redirect' ? { kind: 'failed', reason: 'unexpected redirect' } : outcome, statusCode: null, responseBody: null, durationMs: elapsed(), lastRequest: prepared };
    }

    const outcome = classifyResponse({ profileKind: p.profile.kind, statusCode, headers, bodyExcerpt: excerpt, nowMs: Date.now() });
    if (outcome.kind !== 'redirect') {
      return { outcome, statusCode, responseBody: excerpt, durationMs: elapsed(), lastRequest: prepared };
    }

    const next = followLocation(outcome.location, url);
    if (next === null || hop >= MAX_REDIRECTS) {
      const reason = next === null ? 'destination redirects to a location that is not an http or https URL' : `destination redirected more than ${MAX_REDIRECTS} times`;
      return { outcome: { kind: 'failed', reason }, statusCode, responseBody: excerpt, durationMs: elapsed(), lastRequest: prepared };
    }
    url = next;
  }
}
