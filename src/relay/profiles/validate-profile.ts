import { X509Certificate } from 'node:crypto';

import { Ajv, type ErrorObject } from 'ajv';

import {
  PROFILE_DEFAULTS,
  PROFILE_UID_PATTERN,
  TEMPLATE_FIELDS,
  type FieldTemplates,
  type ProfileHeader,
  type ProfileInput,
  type ProfileKind,
  type TlsOptions,
} from '../../contract/profile.js';
import { RelayError, describeValue } from '../errors.js';
import { compileFieldTemplate } from '../mapping/templates.js';
import type { ProfileRecord, ProfileSpec } from './profile-record.js';
import {
  MAX_CA_PEM_LENGTH,
  MAX_HEADERS,
  MAX_HEADER_NAME_LENGTH,
  MAX_HEADER_VALUE_LENGTH,
  MAX_TEMPLATE_LENGTH,
  MAX_URL_LENGTH,
  profileInputSchema,
} from './profile-schema.js';
import { isCredentialHeaderName, isSecretUrl, isSlackWebhookUrl, redactSlackUrl } from './public-profile.js';

export interface ValidateProfileOptions {
  /** The stored profile when the request is a PUT, null when it creates one. */
  existing: ProfileRecord | null;
  /** The `{uid}` of `PUT /api/v1/profiles/{uid}`, which overrides the body's uid. */
  uidFromPath?: string;
  /** Path of the YAML file that provisions the profile, null or omitted for the API. */
  provisionedFrom?: string | null;
  generateUid: () => string;
}

/**
 * Validates a ProfileInput body and returns the profile to store, defaults applied. On PUT (`existing`
 * set), an omitted secretKey, an omitted or redacted Slack URL and `null` header values keep the
 * stored values. Throws `RelayError` `PROFILE_INVALID` naming the field of the first problem found.
 */
export function validateProfileInput(input: unknown, options: ValidateProfileOptions): ProfileSpec {
  const body = checkStructure(input);
  const { existing } = options;

  const uid = resolveUid(body.uid, options);
  const url = resolveUrl(body.url, existing);
  const kind = resolveKind(body.kind, url, existing);
  checkUrlFitsKind(url, kind);

  const signRequests = body.signRequests ?? PROFILE_DEFAULTS.signRequests;
  const secretKey = body.secretKey === undefined ? (existing?.secretKey ?? null) : body.secretKey;
  if (signRequests && secretKey === null) {
    throw invalid(
      'secretKey',
      'signRequests is true but the profile has no secretKey; send a secretKey of 32 to 256 hex digits ' +
        '(for example from `openssl rand -hex 32`) or set signRequests to false',
    );
  }

  return {
    uid,
    name: body.name,
    enabled: body.enabled ?? PROFILE_DEFAULTS.enabled,
    kind,
    url,
    signRequests,
    secretKey,
    secretKeyEncoding: body.secretKeyEncoding ?? PROFILE_DEFAULTS.secretKeyEncoding,
    headers: resolveHeaders(body.headers ?? [], existing, signRequests),
    projectName: body.projectName ?? PROFILE_DEFAULTS.projectName,
    level: body.level ?? PROFILE_DEFAULTS.level,
    levelFromLabel: body.levelFromLabel === '' ? null : (body.levelFromLabel ?? null),
    timeoutSeconds: body.timeoutSeconds ?? PROFILE_DEFAULTS.timeoutSeconds,
    tls: resolveTls(body.tls),
    templates: resolveTemplates(body.templates),
    provisionedFrom: options.provisionedFrom ?? null,
  };
}

// ---- Structural pass: Ajv with the schema, errors translated into messages naming field, value and fix.

const ajv = new Ajv({ allErrors: false, strict: true, verbose: true });
const matchesSchema = ajv.compile<ProfileInput>(profileInputSchema);

const INPUT_FIELDS: readonly string[] = Object.keys(profileInputSchema.properties);
const RESPONSE_ONLY_FIELDS = new Set(['secretKeySet', 'provisioned', 'provisionedFrom', 'createdAt', 'updatedAt']);
const TRIMMED_FIELDS = ['name', 'url', 'projectName', 'level', 'levelFromLabel'] as const;

/** Expected form of each field in error messages, keyed by field path without array indexes (`headers[].name`). */
const FIELD_RULES: Record<string, string> = {
  uid: '1 to 40 letters, digits, underscores or hyphens',
  name: 'a string of 1 to 100 characters',
  enabled: 'true or false',
  kind: "'webhook' or 'slack'",
  url: `an http or https URL of at most ${MAX_URL_LENGTH} characters`,
  signRequests: 'true or false',
  secretKey: '32 to 256 hex digits (an even count, for example from `openssl rand -hex 32`), or null to remove the key',
  secretKeyEncoding: "'text' or 'hex'",
  headers: `an array of at most ${MAX_HEADERS} {name, value} objects`,
  'headers[]': 'an object {name, value}',
  'headers[].name':
    `an HTTP header name of at most ${MAX_HEADER_NAME_LENGTH} characters ` +
    "(letters, digits and !#$%&'*+-.^_`|~, no spaces or colons)",
  'headers[].value': `a string of at most ${MAX_HEADER_VALUE_LENGTH} characters, or null to keep the stored value`,
  'headers[].redacted': 'true or false',
  projectName: 'a string of 1 to 200 characters',
  level: "a string of 1 to 50 characters, such as 'Warning', 'Critical' or 'Minor'",
  levelFromLabel: "a Prometheus label name (letters, digits and '_', not starting with a digit), or null",
  timeoutSeconds: 'an integer from 1 to 60',
  tls: 'an object {caPem, insecureSkipVerify}',
  'tls.caPem': `PEM text of CA certificates of at most ${MAX_CA_PEM_LENGTH} characters, or null`,
  'tls.insecureSkipVerify': 'true or false',
  templates: `an object whose keys are Boro fields (${TEMPLATE_FIELDS.join(', ')})`,
  ...Object.fromEntries(
    TEMPLATE_FIELDS.map((field) => [
      `templates.${field}`,
      `a Handlebars template of at most ${MAX_TEMPLATE_LENGTH} characters`,
    ]),
  ),
};

function checkStructure(input: unknown): ProfileInput {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new RelayError('PROFILE_INVALID', `the profile must be a JSON object, got ${describeValue(input)}`);
  }

  const body = trimFields(input as Record<string, unknown>);
  rejectUnknownFields(body);

  if (!matchesSchema(body)) {
    const [error] = matchesSchema.errors ?? [];
    throw error === undefined ? invalid(undefined, 'the profile is invalid') : translateSchemaError(error, body);
  }
  return body;
}

/** Returns a copy whose free-text fields have surrounding whitespace removed. */
function trimFields(input: Record<string, unknown>): Record<string, unknown> {
  const body = { ...input };
  for (const field of TRIMMED_FIELDS) {
    const value = body[field];
    if (typeof value === 'string') body[field] = value.trim();
  }
  return body;
}

/** Names every unknown top-level field at once, which the schema's first error would not. */
function rejectUnknownFields(body: Record<string, unknown>): void {
  const unknownFields = Object.keys(body).filter((field) => !INPUT_FIELDS.includes(field));
  const [firstField] = unknownFields;
  if (firstField === undefined) return;

  const listed = unknownFields.map((field) => describeValue(field)).join(', ');
  const single = unknownFields.length === 1;
  if (unknownFields.every((field) => RESPONSE_ONLY_FIELDS.has(field))) {
    throw invalid(
      firstField,
      `${listed} ${single ? 'is a read-only field' : 'are read-only fields'} of the Profile response; ` +
        `remove ${single ? 'it' : 'them'} from the request body`,
    );
  }
  throw invalid(
    firstField,
    `unknown ${single ? 'field' : 'fields'} ${listed}; remove ${single ? 'it' : 'them'} ` +
      `(the fields of a profile are ${INPUT_FIELDS.join(', ')})`,
  );
}

function translateSchemaError(error: ErrorObject, body: Record<string, unknown>): RelayError {
  const parent = toFieldPath(error.instancePath);

  if (error.keyword === 'required') {
    const field = joinField(parent, String(error.params.missingProperty));
    return invalid(field, `${field} is required: send ${ruleFor(field)}`);
  }

  if (error.keyword === 'additionalProperties') {
    const property = String(error.params.additionalProperty);
    const knownFields = Object.keys((error.parentSchema?.properties as object | undefined) ?? {});
    return invalid(
      joinField(parent, property),
      `${parent} has an unknown field ${describeValue(property)}; remove it or use one of ${knownFields.join(', ')}`,
    );
  }

  return invalid(parent, `${parent} must be ${ruleFor(parent)}${describeReceived(parent, error.data, body)}`);
}

/** Turns Ajv's `/headers/0/name` into `headers[0].name`. */
function toFieldPath(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : joinField(path, segment)), '');
}

function joinField(parent: string, child: string): string {
  return parent === '' ? child : `${parent}.${child}`;
}

function ruleFor(field: string): string {
  return FIELD_RULES[field.replace(/\[\d+\]/g, '[]')] ?? 'valid';
}

/**
 * Returns `, got <value>` for an error message, or nothing when the value may be a secret: a key, or a
 * header list or header that is not an object and so has no name to judge it by.
 */
function describeReceived(field: string, value: unknown, body: Record<string, unknown>): string {
  if (field === 'secretKey' || /^headers(\[\d+\])?$/.test(field)) return '';
  if (field === 'url' && typeof value === 'string') return `, got ${describeUrl(value)}`;

  const headerValue = /^headers\[(\d+)\]\.value$/.exec(field);
  if (headerValue !== null) {
    const headers = Array.isArray(body.headers) ? (body.headers as unknown[]) : [];
    const header = headers[Number(headerValue[1])] as { name?: unknown } | undefined;
    if (typeof header?.name !== 'string' || isCredentialHeaderName(header.name)) return '';
  }

  return `, got ${describeText(value)}`;
}

// ---- Semantic checks.

function resolveUid(bodyUid: string | undefined, options: ValidateProfileOptions): string {
  const pathUid = options.uidFromPath ?? options.existing?.uid;
  if (pathUid === undefined) return bodyUid ?? options.generateUid();

  if (!PROFILE_UID_PATTERN.test(pathUid)) {
    throw invalid('uid', `uid in the path must be ${ruleFor('uid')}, got ${describeText(pathUid)}`);
  }
  if (bodyUid !== undefined && bodyUid !== pathUid) {
    throw invalid(
      'uid',
      `uid in the body (${describeValue(bodyUid)}) differs from the uid in the path (${describeValue(pathUid)}); ` +
        'leave uid out of the body or make the two equal',
    );
  }
  return pathUid;
}

/** Returns the URL to store. A Slack profile's PUT without a URL, or with its redacted form, keeps the stored one. */
function resolveUrl(url: string | undefined, existing: ProfileRecord | null): string {
  if (existing !== null && isSecretUrl(existing)) {
    if (url === undefined || url === redactSlackUrl(existing.url)) return existing.url;
  }
  if (url === undefined) throw invalid('url', `url is required: send ${ruleFor('url')}`);

  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid('url', `url must be an absolute http or https URL, got ${describeUrl(url)}`);
  }

  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw invalid('url', `url must be an http or https URL, got ${describeUrl(url)}`);
  }
  if (parsed.hostname === '') {
    throw invalid('url', `url must name a host, got ${describeUrl(url)}`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw invalid(
      'url',
      'url must not contain credentials (user:password@); send them in an Authorization header instead, ' +
        `got ${describeUrl(url)}`,
    );
  }
  if (isSlackWebhookUrl(url) && url.endsWith('…')) {
    throw invalid(
      'url',
      'url is the redacted form of a Slack webhook URL; send the full incoming webhook URL from Slack',
    );
  }
  return url;
}

/**
 * Returns the profile kind: the body's, else `slack` for a hooks.slack.com URL, else the stored kind.
 * A Slack profile whose stored URL is kept cannot become a webhook profile, because the API would then
 * show that URL, a credential, in full.
 */
function resolveKind(kind: ProfileKind | undefined, url: string, existing: ProfileRecord | null): ProfileKind {
  const keptSlackUrl = existing !== null && existing.kind === 'slack' && url === existing.url;
  if (kind === 'webhook' && keptSlackUrl) {
    throw invalid('url', 'url is required when a slack profile becomes a webhook profile; send the new receiver URL');
  }
  if (kind !== undefined) return kind;
  if (isSlackWebhookUrl(url)) return 'slack';
  return existing?.kind ?? 'webhook';
}

function checkUrlFitsKind(url: string, kind: ProfileKind): void {
  if (kind === 'slack' && new URL(url).protocol !== 'https:') {
    // The path of a Slack URL is its credential, so the message shows the origin only.
    throw invalid('url', `url must be an https URL for a slack profile, got '${new URL(url).origin}/…'`);
  }
}

/** Headers the HTTP client sets itself, or rejects (undici 7 throws on Keep-Alive, Upgrade and Expect). */
const RESERVED_HEADERS = new Map([
  ['host', 'the relay sets it from the URL'],
  ['content-length', 'the relay sets it from the body'],
  ['transfer-encoding', 'the relay sets it from the body'],
  ['connection', 'the HTTP client manages connections'],
  ['keep-alive', 'the HTTP client manages connections'],
  ['upgrade', 'the HTTP client manages connections'],
  ['expect', 'the HTTP client does not support it'],
]);

const SIGNATURE_HEADERS = new Set(['authorization', 'date', 'x-authorization-content-sha256']);

/** C0 controls except tab, and DEL. */
const CONTROL_CHARACTER = /[\u0000-\u0008\u000a-\u001f\u007f]/;
const BEYOND_LATIN1 = /[^\u0000-\u00ff]/;

function resolveHeaders(
  headers: ProfileHeader[],
  existing: ProfileRecord | null,
  signRequests: boolean,
): Array<{ name: string; value: string }> {
  const firstIndexByName = new Map<string, number>();

  return headers.map((header, index) => {
    const field = `headers[${index}]`;
    const lowerName = header.name.toLowerCase();
    checkHeaderName(header.name, `${field}.name`, signRequests);

    const firstIndex = firstIndexByName.get(lowerName);
    if (firstIndex !== undefined) {
      throw invalid(
        `${field}.name`,
        `${field}.name ${describeValue(header.name)} repeats headers[${firstIndex}].name ` +
          '(header names are case-insensitive); remove one of them',
      );
    }
    firstIndexByName.set(lowerName, index);

    const value =
      header.value === null
        ? keepStoredHeaderValue(header.name, `${field}.value`, existing)
        : checkHeaderValue(header.name, header.value, `${field}.value`);
    return { name: header.name, value };
  });
}

function checkHeaderName(name: string, field: string, signRequests: boolean): void {
  const lowerName = name.toLowerCase();

  const reason = RESERVED_HEADERS.get(lowerName);
  if (reason !== undefined) {
    throw invalid(field, `${field} ${describeValue(name)} cannot be set, because ${reason}; remove the header`);
  }
  if (signRequests && SIGNATURE_HEADERS.has(lowerName)) {
    throw invalid(
      field,
      `${field} ${describeValue(name)} cannot be set while signRequests is true, because the signature sets it; ` +
        'remove the header or set signRequests to false',
    );
  }
}

/** Returns the value to store: HTTP ignores surrounding spaces and tabs in a field value, so they are removed. */
function checkHeaderValue(name: string, value: string, field: string): string {
  const received = isCredentialHeaderName(name) ? '' : `, got ${describeText(value)}`;

  if (CONTROL_CHARACTER.test(value)) {
    throw invalid(field, `${field} must not contain CR, LF or other control characters (tab is allowed)${received}`);
  }
  if (BEYOND_LATIN1.test(value)) {
    throw invalid(
      field,
      `${field} must contain only characters up to U+00FF, because header values are sent as single bytes${received}`,
    );
  }
  return value.replace(/^[ \t]+|[ \t]+$/g, '');
}

function keepStoredHeaderValue(name: string, field: string, existing: ProfileRecord | null): string {
  const lowerName = name.toLowerCase();
  const stored = existing?.headers.find((header) => header.name.toLowerCase() === lowerName);
  if (stored !== undefined) return stored.value;

  const where =
    existing === null
      ? 'a new profile has no stored headers'
      : `the profile has no stored header ${describeValue(name)}`;
  throw invalid(field, `${field} is null, which keeps the stored value, but ${where}; send the value`);
}

function resolveTls(tls: Partial<TlsOptions> | undefined): TlsOptions {
  const caPem = tls?.caPem?.trim() || null;
  if (caPem !== null) checkCaPem(caPem);
  return { caPem, insecureSkipVerify: tls?.insecureSkipVerify ?? false };
}

function checkCaPem(caPem: string): void {
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(caPem)) {
    throw invalid('tls.caPem', 'tls.caPem contains a private key; paste only the CA certificates');
  }

  const blocks = caPem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) {
    throw invalid(
      'tls.caPem',
      `tls.caPem must contain a PEM certificate (a -----BEGIN CERTIFICATE----- block), got ${describeText(caPem)}`,
    );
  }

  blocks.forEach((block, index) => {
    try {
      new X509Certificate(block);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw invalid(
        'tls.caPem',
        `tls.caPem certificate ${index + 1} is not a valid X.509 certificate (${reason}); ` +
          'paste the CA certificate in PEM form',
      );
    }
  });
}

/** Compiles each template; an empty or blank one is dropped, so the field keeps its default. */
function resolveTemplates(templates: FieldTemplates | undefined): FieldTemplates {
  const resolved: FieldTemplates = {};
  for (const field of TEMPLATE_FIELDS) {
    const source = templates?.[field];
    if (source === undefined || source.trim() === '') continue;

    compileFieldTemplate(field, source);
    resolved[field] = source;
  }
  return resolved;
}

// ---- Messages.

function invalid(field: string | undefined, message: string): RelayError {
  return new RelayError('PROFILE_INVALID', message, field);
}

/** Like describeValue, with control characters escaped so that a message stays on one line. */
function describeText(value: unknown): string {
  if (typeof value !== 'string') return describeValue(value);
  return describeValue(value.replace(/[\u0000-\u001f\u007f]/g, escapeControlCharacter));
}

function escapeControlCharacter(character: string): string {
  if (character === '\r') return '\\r';
  if (character === '\n') return '\\n';
  if (character === '\t') return '\\t';
  return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Shows a URL in a message without its credentials: userinfo and any Slack webhook path are left out. */
function describeUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    const slackHost = /hooks\.slack\.com/i.exec(url);
    return slackHost === null ? describeText(url) : describeText(`${url.slice(0, slackHost.index)}hooks.slack.com/…`);
  }

  if (isSlackWebhookUrl(url)) return describeText(redactSlackUrl(url));
  if (parsed.username === '' && parsed.password === '') return describeText(url);

  parsed.username = '';
  parsed.password = '';
  return describeText(parsed.href);
}
