import { createHash } from 'node:crypto';

import { Ajv, type ErrorObject } from 'ajv';

import { RelayError, describeValue } from '../errors.js';
import {
  NOTIFICATION_SCHEMA,
  type AlertStatus,
  type NormalizedAlert,
  type NormalizedNotification,
} from './notification.js';
import { GO_ZERO_TIME_MS, parseRfc3339 } from './timestamps.js';

interface RawAlert {
  status?: AlertStatus | null;
  labels?: Record<string, string> | null;
  annotations?: Record<string, string> | null;
  startsAt: string;
  endsAt?: string | null;
  generatorURL?: string | null;
  dashboardURL?: string | null;
  panelURL?: string | null;
  silenceURL?: string | null;
  fingerprint?: string | null;
  ruleUID?: string | null;
  values?: Record<string, number | null> | null;
  valueString?: string | null;
}

interface RawNotification {
  version: '1' | '4';
  receiver?: string | null;
  status: AlertStatus;
  externalURL?: string | null;
  groupKey?: string | null;
  alerts: RawAlert[];
}

// `verbose` puts the offending value on each error, for the message. Formats are not validated by
// Ajv because `parseRfc3339` checks every timestamp with a precise message.
const ajv = new Ajv({ allErrors: false, allowUnionTypes: true, validateFormats: false, verbose: true });
const validateRawNotification = ajv.compile<RawNotification>(NOTIFICATION_SCHEMA);

const TIMESTAMP_EXAMPLE = '2026-11-24T10:02:00Z';

/** Expected values of the fields that have a fixed set of them or are required, for error messages. */
const FIELD_HINTS: Record<string, string> = {
  version: "'1' for a Grafana webhook body or '4' for an Alertmanager webhook body",
  status: "'firing' or 'resolved'",
  alerts: 'an array of alerts',
  startsAt: `an RFC 3339 timestamp such as ${TIMESTAMP_EXAMPLE}`,
};

/**
 * Validates a Grafana webhook body (Grafana 11 to 13) or an Alertmanager webhook body (version 4) and
 * returns it in one shape. Throws `RelayError` `NOTIFICATION_INVALID` whose `field` is the path of the
 * first invalid value, such as `alerts[2].startsAt`.
 */
export function parseNotification(body: unknown): NormalizedNotification {
  if (!validateRawNotification(body)) {
    throw schemaErrorToRelayError(validateRawNotification.errors?.[0]);
  }

  return {
    source: body.version === '4' ? 'alertmanager' : 'grafana',
    receiver: body.receiver ?? '',
    status: body.status,
    externalURL: nonEmptyOrNull(body.externalURL),
    groupKey: nonEmptyOrNull(body.groupKey),
    alerts: body.alerts.map((alert, index) => normalizeAlert(alert, `alerts[${index}]`, body.status)),
  };
}

function normalizeAlert(alert: RawAlert, path: string, groupStatus: AlertStatus): NormalizedAlert {
  const labels = alert.labels ?? {};

  return {
    status: alert.status ?? groupStatus,
    labels,
    annotations: alert.annotations ?? {},
    startsAtMs: parseStartsAt(alert.startsAt, `${path}.startsAt`),
    endsAtMs: parseEndsAt(alert.endsAt, `${path}.endsAt`),
    generatorURL: nonEmptyOrNull(alert.generatorURL),
    dashboardURL: nonEmptyOrNull(alert.dashboardURL),
    panelURL: nonEmptyOrNull(alert.panelURL),
    silenceURL: nonEmptyOrNull(alert.silenceURL),
    fingerprint: nonEmptyOrNull(alert.fingerprint) ?? fingerprintLabels(labels),
    ruleUID: nonEmptyOrNull(alert.ruleUID),
    values: alert.values ?? null,
    valueString: nonEmptyOrNull(alert.valueString),
  };
}

function parseStartsAt(text: string, field: string): number {
  const epochMs = parseRfc3339(text);
  if (epochMs === undefined) throw invalidTimestamp(text, field);

  if (epochMs === GO_ZERO_TIME_MS) {
    throw new RelayError(
      'NOTIFICATION_INVALID',
      `${field} must be the time the alert started, got the zero time ${describeValue(text)}`,
      field,
    );
  }
  return epochMs;
}

function parseEndsAt(text: string | null | undefined, field: string): number | null {
  if (text === undefined || text === null || text === '') return null;

  const epochMs = parseRfc3339(text);
  if (epochMs === undefined) throw invalidTimestamp(text, field);
  return epochMs === GO_ZERO_TIME_MS ? null : epochMs;
}

function invalidTimestamp(text: string, field: string): RelayError {
  return new RelayError(
    'NOTIFICATION_INVALID',
    `${field} must be an RFC 3339 timestamp such as ${TIMESTAMP_EXAMPLE}, got ${describeValue(text)}`,
    field,
  );
}

/**
 * Returns a fingerprint for an alert that came without one: the first 16 hex digits of the SHA-256 of
 * its labels sorted by name, so the same label set always gets the same fingerprint.
 */
export function fingerprintLabels(labels: Record<string, string>): string {
  const sorted = Object.entries(labels).sort(([nameA], [nameB]) => compareCodeUnits(nameA, nameB));
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 16);
}

/** Orders strings by UTF-16 code units, the same in every locale. */
function compareCodeUnits(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function nonEmptyOrNull(text: string | null | undefined): string | null {
  return text === undefined || text === null || text === '' ? null : text;
}

function schemaErrorToRelayError(error: ErrorObject | undefined): RelayError {
  if (error === undefined) {
    return new RelayError('NOTIFICATION_INVALID', 'The notification body is invalid.');
  }

  const path = jsonPointerToPath(error.instancePath);
  if (error.keyword === 'required') {
    const missing = String(error.params.missingProperty);
    const field = path === '' ? missing : `${path}.${missing}`;
    const hint = FIELD_HINTS[missing];
    const expected = hint === undefined ? '' : ` (expected ${hint})`;
    return new RelayError('NOTIFICATION_INVALID', `${field} is missing${expected}`, field);
  }

  const subject = path === '' ? 'The notification body' : path;
  const fieldName = path.replace(/^.*[.\]]/, '');
  const expected = (error.keyword === 'enum' ? FIELD_HINTS[fieldName] : undefined) ?? describeExpectation(error);
  const message = `${subject} must be ${expected}, got ${describeValue(error.data)}`;
  return new RelayError('NOTIFICATION_INVALID', message, path === '' ? undefined : path);
}

function describeExpectation(error: ErrorObject): string {
  if (error.keyword === 'enum') {
    const allowed = (error.params.allowedValues as unknown[]).filter((value) => value !== null);
    return `one of ${allowed.map((value) => describeValue(value)).join(', ')}`;
  }

  if (error.keyword === 'type') {
    const types = String(error.params.type).split(',');
    return types.map(describeJsonType).join(' or ');
  }

  return error.message ?? 'valid';
}

function describeJsonType(type: string): string {
  if (type === 'object') return 'a JSON object';
  if (type === 'array') return 'an array';
  if (type === 'null') return 'null';
  return `a ${type}`;
}

/** Turns Ajv's JSON pointer `/alerts/2/labels/team` into `alerts[2].labels.team`. */
function jsonPointerToPath(pointer: string): string {
  if (pointer === '') return '';

  let path = '';
  for (const encoded of pointer.slice(1).split('/')) {
    const segment = encoded.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(segment)) path += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) path += path === '' ? segment : `.${segment}`;
    else path += `[${JSON.stringify(segment)}]`;
  }
  return path;
}
