import type { BoroMessage } from '../../contract/message.js';
import type { ProfileRecord } from '../profiles/profile-record.js';
import { formatHttpDate, requestUriOf, signRequest } from '../signing/api-auth.js';
import { buildSlackMessage } from '../slack/slack-message.js';
import { DEFAULT_USER_AGENT } from '../version.js';

/** One HTTP request of a delivery attempt, ready to send. */
export interface PreparedRequest {
  url: URL;
  headers: Record<string, string>;
  body: Buffer;
  /** The string that was signed, for signed webhook profiles. */
  canonicalString: string | null;
}

/** Encodes the body a profile sends for a stored message: the Boro JSON itself, or a Slack message built from it. */
export function encodeBody(profile: ProfileRecord, storedBody: string): Buffer {
  if (profile.kind === 'slack') {
    return Buffer.from(JSON.stringify(buildSlackMessage(JSON.parse(storedBody) as BoroMessage)), 'utf8');
  }
  return Buffer.from(storedBody, 'utf8');
}

/**
 * Builds the headers of one request: defaults, then the profile's custom headers (which may override
 * Content-Type and User-Agent), then the idempotency key and, for signed webhook profiles, a fresh
 * Date and signature over the final Content-Type and this request's URI.
 */
export function prepareRequest(p: {
  profile: ProfileRecord;
  url: URL;
  body: Buffer;
  idempotencyKey: string;
  now: Date;
}): PreparedRequest {
  const headers = new Map<string, [string, string]>();
  const set = (name: string, value: string) => headers.set(name.toLowerCase(), [name, value]);

  set('Content-Type', 'application/json');
  set('User-Agent', DEFAULT_USER_AGENT);
  for (const header of p.profile.headers) set(header.name, header.value);
  set('Idempotency-Key', p.idempotencyKey);

  let canonicalString: string | null = null;
  if (p.profile.kind === 'webhook' && p.profile.signRequests && p.profile.secretKey !== null) {
    const date = formatHttpDate(p.now);
    const signature = signRequest({
      method: 'POST',
      contentType: headers.get('content-type')?.[1] ?? '',
      body: p.body,
      requestUri: requestUriOf(p.url),
      date,
      accessId: p.profile.uid,
      secretKey: p.profile.secretKey,
      secretKeyEncoding: p.profile.secretKeyEncoding,
    });
    set('Date', date);
    set('X-Authorization-Content-SHA256', signature.contentSha256);
    set('Authorization', signature.authorization);
    canonicalString = signature.canonical;
  }

  return { url: p.url, headers: Object.fromEntries(headers.values()), body: p.body, canonicalString };
}
