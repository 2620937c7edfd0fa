/**
 * JSON Schemas (draft-07) of the profile bodies of the management API, for Ajv 8 and the OpenAPI
 * document. They describe structure only. `validateProfileInput` adds the checks a schema cannot
 * express (URL parsing, Slack rules, forbidden headers, secrets kept on PUT) and its own error messages.
 *
 * NOTE: Fastify's default Ajv options remove unknown properties and coerce types, so a route that uses
 * `profileInputSchema` as its body schema would hide mistakes that `validateProfileInput` reports.
 */
import { TEMPLATE_FIELDS } from '../../contract/profile.js';

export const MAX_HEADERS = 50;
export const MAX_HEADER_NAME_LENGTH = 256;
export const MAX_HEADER_VALUE_LENGTH = 4096;
export const MAX_URL_LENGTH = 2048;
export const MAX_TEMPLATE_LENGTH = 2000;
export const MAX_CA_PEM_LENGTH = 262_144;

/** RFC 9110 `token`: one or more tchar. */
export const HTTP_TOKEN_PATTERN = "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$";

/** Prometheus label name; the empty string is accepted and means no label. */
export const LABEL_NAME_PATTERN = '^(?:[A-Za-z_][A-Za-z0-9_]*)?$';

/** 32 to 256 hex digits, an even count. */
export const SECRET_KEY_PATTERN = '^(?:[0-9A-Fa-f]{2}){16,128}$';

const templatesSchema = {
  type: 'object',
  description: 'Handlebars templates that replace the default value of Boro message fields.',
  additionalProperties: false,
  properties: Object.fromEntries(
    TEMPLATE_FIELDS.map((field) => [field, { type: 'string', maxLength: MAX_TEMPLATE_LENGTH }]),
  ),
};

const tlsInputSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    caPem: {
      type: ['string', 'null'],
      maxLength: MAX_CA_PEM_LENGTH,
      description: "PEM CA certificates trusted for the receiver, added to Node's defaults.",
    },
    insecureSkipVerify: { type: 'boolean', default: false },
  },
};

const headerInputSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'value'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: MAX_HEADER_NAME_LENGTH, pattern: HTTP_TOKEN_PATTERN },
    value: {
      type: ['string', 'null'],
      maxLength: MAX_HEADER_VALUE_LENGTH,
      description: 'null on PUT keeps the stored value of the header of this name.',
    },
    redacted: { type: 'boolean', description: 'Ignored; responses set it on redacted values.' },
  },
};

/** Body of `POST /api/v1/profiles` and `PUT /api/v1/profiles/{uid}`. */
export const profileInputSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'ProfileInput',
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    uid: {
      type: 'string',
      pattern: '^[A-Za-z0-9_-]{1,40}$',
      description: 'Generated when omitted on POST. On PUT the path uid applies.',
    },
    name: { type: 'string', minLength: 1, maxLength: 100 },
    enabled: { type: 'boolean', default: true },
    kind: {
      type: 'string',
      enum: ['webhook', 'slack'],
      description: 'Defaults to slack for a hooks.slack.com URL, else webhook.',
    },
    url: {
      type: 'string',
      minLength: 1,
      maxLength: MAX_URL_LENGTH,
      description: 'http or https URL without credentials. Required on POST. PUT without it keeps a Slack URL.',
    },
    signRequests: { type: 'boolean', default: false },
    secretKey: {
      type: ['string', 'null'],
      pattern: SECRET_KEY_PATTERN,
      description: 'Write-only. Omitted on PUT keeps the stored key; null removes it.',
    },
    secretKeyEncoding: { type: 'string', enum: ['text', 'hex'], default: 'text' },
    headers: { type: 'array', maxItems: MAX_HEADERS, items: headerInputSchema },
    projectName: { type: 'string', minLength: 1, maxLength: 200, default: 'Grafana' },
    level: { type: 'string', minLength: 1, maxLength: 50, default: 'Warning' },
    levelFromLabel: {
      type: ['string', 'null'],
      pattern: LABEL_NAME_PATTERN,
      description: 'Label whose value, when an alert has it, replaces level.',
    },
    timeoutSeconds: { type: 'integer', minimum: 1, maximum: 60, default: 10 },
    tls: tlsInputSchema,
    templates: templatesSchema,
  },
} as const;

/** A profile as the management API returns it. */
export const profileSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Profile',
  type: 'object',
  additionalProperties: false,
  required: [
    'uid',
    'name',
    'enabled',
    'kind',
    'url',
    'signRequests',
    'secretKeySet',
    'secretKeyEncoding',
    'headers',
    'projectName',
    'level',
    'levelFromLabel',
    'timeoutSeconds',
    'tls',
    'templates',
    'provisioned',
    'provisionedFrom',
    'createdAt',
    'updatedAt',
  ],
  properties: {
    uid: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,40}$' },
    name: { type: 'string' },
    enabled: { type: 'boolean' },
    kind: { type: 'string', enum: ['webhook', 'slack'] },
    url: { type: 'string', description: 'A Slack URL shows only its scheme and host, the path replaced by …' },
    signRequests: { type: 'boolean' },
    secretKeySet: { type: 'boolean' },
    secretKeyEncoding: { type: 'string', enum: ['text', 'hex'] },
    headers: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'value'],
        properties: {
          name: { type: 'string' },
          value: { type: ['string', 'null'], description: 'null when redacted.' },
          redacted: { type: 'boolean' },
        },
      },
    },
    projectName: { type: 'string' },
    level: { type: 'string' },
    levelFromLabel: { type: ['string', 'null'] },
    timeoutSeconds: { type: 'integer' },
    tls: {
      type: 'object',
      additionalProperties: false,
      required: ['caPem', 'insecureSkipVerify'],
      properties: {
        caPem: { type: ['string', 'null'] },
        insecureSkipVerify: { type: 'boolean' },
      },
    },
    templates: templatesSchema,
    provisioned: { type: 'boolean' },
    provisionedFrom: { type: ['string', 'null'] },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
} as const;
