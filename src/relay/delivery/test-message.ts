import type { TestMessageResult } from '../../contract/delivery.js';
import type { NormalizedAlert } from '../ingest/notification.js';
import { mapAlert } from '../mapping/map-alert.js';
import type { ProfileRecord } from '../profiles/profile-record.js';
import { isCredentialHeaderName, isSecretUrl, redactSlackUrl } from '../profiles/public-profile.js';
import type { RelayServices } from '../services.js';
import { encodeBody } from './prepare-request.js';
import { scrubSecrets, secretValuesOf } from './scrub.js';
import { sendAttempt } from './send-attempt.js';
import { idempotencyKeyOf } from './worker-pool.js';

const REDACTED = '[redacted]';

/** Builds the alert of a test message: Grafana's own test alert, so it maps to a test Event. */
function testAlert(nowMs: number): NormalizedAlert {
  return {
    status: 'firing',
    labels: { alertname: 'TestAlert', instance: 'Grafana' },
    annotations: { summary: 'Test message from the Boro webhook relay' },
    startsAtMs: nowMs,
    endsAtMs: null,
    generatorURL: null,
    dashboardURL: null,
    panelURL: null,
    silenceURL: null,
    fingerprint: 'relay-test-message',
    ruleUID: null,
    values: null,
    valueString: null,
  };
}

/** Headers the relay computes when it signs: an HMAC, a body hash and a date, none of them a secret. */
const SIGNING_HEADERS = new Set(['authorization', 'date', 'x-authorization-content-sha256']);

/**
 * Redacts the custom header values of a sent request (but Content-Type and User-Agent), and any other
 * credential-like header. The signing headers stay, because receivers need them to debug their verifier.
 */
function redactHeaders(headers: Record<string, string>, profile: ProfileRecord, signed: boolean): Record<string, string> {
  const custom = new Set(profile.headers.map((header) => header.name.toLowerCase()));
  const redacted: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    const isSigningHeader = signed && SIGNING_HEADERS.has(lower);
    const isCustomValue = custom.has(lower) && lower !== 'content-type' && lower !== 'user-agent';
    redacted[name] = !isSigningHeader && (isCredentialHeaderName(name) || isCustomValue) ? REDACTED : value;
  }
  return redacted;
}

/**
 * Sends a test message (sequenceId 0, status Event) through the real delivery path, records it in the
 * delivery log as a test, and returns what was sent and received with secret values redacted.
 */
export async function sendTestMessage(services: RelayServices, profile: ProfileRecord): Promise<TestMessageResult> {
  const nowMs = Date.now();
  const mapped = mapAlert(testAlert(nowMs), {
    profile,
    grafanaUrl: services.config.grafanaUrl,
    externalURL: services.config.grafanaUrl,
    receivedAtMs: nowMs,
  });
  if (mapped.kind !== 'message') throw new Error('the test alert did not map to a message');

  const stored = await services.outbox.acceptLeasedTest(
    profile.uid,
    mapped,
    { owner: 'test-endpoint', expiresAtMs: nowMs + 4 * profile.timeoutSeconds * 1000 + 30_000 },
    nowMs,
  );
  if (profile.kind === 'slack') await services.slackPacer.waitForSlot(profile.url);
  const report = await sendAttempt({
    profile,
    body: encodeBody(profile, stored.body),
    idempotencyKey: idempotencyKeyOf(profile.uid, { id: stored.id, sequenceId: 0, test: true }),
    dispatcher: services.dispatchers.get(profile.tls),
  });

  const secrets = secretValuesOf(profile);
  const error = report.outcome.kind === 'delivered' ? null : scrubSecrets(report.outcome.reason, secrets);
  const responseBody = report.responseBody === null ? null : scrubSecrets(report.responseBody, secrets);
  const delivered = report.outcome.kind === 'delivered';
  await services.outbox.recordAttempt(
    {
      messageId: stored.id,
      profileUid: profile.uid,
      attempt: 1,
      startedAtMs: nowMs,
      durationMs: report.durationMs,
      statusCode: report.statusCode,
      error,
      responseBody,
    },
    delivered ? { state: 'delivered' } : { state: 'failed' },
  );

  const sent = report.lastRequest;
  const result: TestMessageResult = {
    delivered,
    statusCode: report.statusCode,
    durationMs: Math.round(report.durationMs),
    error,
    responseBody,
    request: {
      url: isSecretUrl(profile) ? redactSlackUrl(sent.url.toString()) : sent.url.toString(),
      headers: redactHeaders(sent.headers, profile, sent.canonicalString !== null),
      body: sent.body.toString('utf8'),
    },
  };
  if (sent.canonicalString !== null) result.request.canonicalString = sent.canonicalString;

  services.logger.info(
    { profileUid: profile.uid, deliveryId: stored.id, statusCode: report.statusCode, delivered },
    'test message sent',
  );
  return result;
}
