/** The destination type of a profile: a Boro HTTP receiver or a Slack incoming webhook. */
export type ProfileKind = 'webhook' | 'slack';

/**
 * The conversion of the secret key to HMAC key bytes: `text` uses the key's characters as UTF-8 bytes (what
 * api_auth verifiers do with a configured secret), `hex` uses the decoded bytes.
 */
export type SecretKeyEncoding = 'text' | 'hex';

/** Boro message fields that a profile may override with a Handlebars template. */
export const TEMPLATE_FIELDS = [
  'project_name',
  'probe_name',
  'task_uri',
  'task_name',
  'subtask_uri',
  'subtask_description',
  'trigger',
  'level',
  'pid',
  'count',
  'details',
] as const;

export type TemplateField = (typeof TEMPLATE_FIELDS)[number];

export type FieldTemplates = Partial<Record<TemplateField, string>>;

/**
 * A custom HTTP header sent with every delivery. In API responses, the value of a header whose name
 * looks like a credential (Authorization, tokens, keys, cookies, passwords) is `null` with
 * `redacted: true`; sending it back unchanged on PUT keeps the stored value.
 */
export interface ProfileHeader {
  name: string;
  value: string | null;
  redacted?: boolean;
}

export interface TlsOptions {
  /** Extra CA certificates (PEM) trusted for this profile's receiver, added to Node's defaults. */
  caPem: string | null;
  insecureSkipVerify: boolean;
}

/** A webhook profile as the management API returns it: secrets are never included. */
export interface Profile {
  uid: string;
  name: string;
  enabled: boolean;
  kind: ProfileKind;
  /** Slack profiles show `https://hooks.slack.com/services/…`: the path is a credential. */
  url: string;
  signRequests: boolean;
  secretKeySet: boolean;
  secretKeyEncoding: SecretKeyEncoding;
  headers: ProfileHeader[];
  projectName: string;
  level: string;
  /** Label whose value, when an alert has it, replaces `level` (for example `severity`). */
  levelFromLabel: string | null;
  timeoutSeconds: number;
  tls: TlsOptions;
  templates: FieldTemplates;
  provisioned: boolean;
  /** File the profile was provisioned from, when `provisioned`. */
  provisionedFrom: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Body of `POST /api/v1/profiles` and `PUT /api/v1/profiles/{uid}`. */
export interface ProfileInput {
  uid?: string;
  name: string;
  enabled?: boolean;
  kind?: ProfileKind;
  url?: string;
  signRequests?: boolean;
  /** Write-only. Omitted on PUT keeps the stored key; `null` removes it. */
  secretKey?: string | null;
  secretKeyEncoding?: SecretKeyEncoding;
  headers?: ProfileHeader[];
  projectName?: string;
  level?: string;
  levelFromLabel?: string | null;
  timeoutSeconds?: number;
  tls?: Partial<TlsOptions>;
  templates?: FieldTemplates;
}

export const PROFILE_UID_PATTERN = /^[A-Za-z0-9_-]{1,40}$/;

export const PROFILE_DEFAULTS = {
  enabled: true,
  signRequests: false,
  secretKeyEncoding: 'text',
  projectName: 'Grafana',
  level: 'Warning',
  timeoutSeconds: 10,
} as const;
