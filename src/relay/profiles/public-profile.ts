import type { Profile, ProfileHeader, ProfileKind } from '../../contract/profile.js';
import type { ProfileRecord } from './profile-record.js';

/** Header names whose values are treated as credentials: redacted in responses, never shown in errors. */
export const CREDENTIAL_HEADER_PATTERN =
  /authorization|token|secret|password|passwd|api[-_]?key|cookie|signature|session|credential/i;

const SLACK_WEBHOOK_HOST = 'hooks.slack.com';
const REDACTED_PATH_MARK = '…';

/** Makes the management API's view of a stored profile: no secret key, no Slack path, no credential header values. */
export function toPublicProfile(record: ProfileRecord): Profile {
  return {
    uid: record.uid,
    name: record.name,
    enabled: record.enabled,
    kind: record.kind,
    url: isSecretUrl(record) ? redactSlackUrl(record.url) : record.url,
    signRequests: record.signRequests,
    secretKeySet: record.secretKey !== null,
    secretKeyEncoding: record.secretKeyEncoding,
    headers: record.headers.map(toPublicHeader),
    projectName: record.projectName,
    level: record.level,
    levelFromLabel: record.levelFromLabel,
    timeoutSeconds: record.timeoutSeconds,
    tls: { caPem: record.tls.caPem, insecureSkipVerify: record.tls.insecureSkipVerify },
    templates: { ...record.templates },
    provisioned: record.provisionedFrom !== null,
    provisionedFrom: record.provisionedFrom,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

/** Shortens a URL to scheme, host and port for logs and stored errors; paths and queries may hold tokens. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '(invalid URL)';
  }
  return parsed.host === '' ? parsed.protocol : `${parsed.protocol}//${parsed.host}`;
}

/**
 * Replaces the path of a Slack webhook URL, which is the credential, with `…`:
 * `https://hooks.slack.com/services/T0/B0/xyz` becomes `https://hooks.slack.com/services/…`.
 * Query and fragment are dropped too.
 */
export function redactSlackUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '(invalid URL)';
  }
  const origin = `${parsed.protocol}//${parsed.host}`;
  return parsed.pathname.startsWith('/services/')
    ? `${origin}/services/${REDACTED_PATH_MARK}`
    : `${origin}/${REDACTED_PATH_MARK}`;
}

/** Tells whether a profile's URL is a credential: every Slack profile, and any hooks.slack.com URL. */
export function isSecretUrl(profile: { kind: ProfileKind; url: string }): boolean {
  return profile.kind === 'slack' || isSlackWebhookUrl(profile.url);
}

export function isSlackWebhookUrl(url: string): boolean {
  try {
    return new URL(url).hostname.toLowerCase() === SLACK_WEBHOOK_HOST;
  } catch {
    return false;
  }
}

export function isCredentialHeaderName(name: string): boolean {
  return CREDENTIAL_HEADER_PATTERN.test(name);
}

function toPublicHeader(header: { name: string; value: string }): ProfileHeader {
  if (isCredentialHeaderName(header.name)) return { name: header.name, value: null, redacted: true };
  return { name: header.name, value: header.value };
}
