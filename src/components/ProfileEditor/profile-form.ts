import {
  PROFILE_DEFAULTS,
  TEMPLATE_FIELDS,
  type FieldTemplates,
  type Profile,
  type ProfileInput,
  type ProfileKind,
  type SecretKeyEncoding,
  type TemplateField,
} from '../../contract/profile';

/** One row of the custom headers editor. */
export interface HeaderRow {
  /** Stable React key, because rows can be removed from the middle. */
  key: number;
  name: string;
  value: string;
  /**
   * True while the row represents a credential value that the relay keeps and never returns: it is sent
   * back as `value: null`. Resetting the row clears the flag so a new value can be typed.
   */
  redacted: boolean;
}

/** The editor's state. Secret values in it are only ever typed or generated in this browser. */
export interface ProfileFormState {
  uid: string;
  name: string;
  enabled: boolean;
  kind: ProfileKind;
  url: string;
  signRequests: boolean;
  /** A new secret key to send (pasted or generated here), or empty to leave the stored key unchanged. */
  secretKey: string;
  /** True when the relay stores a key that this form leaves in place. */
  secretKeyConfigured: boolean;
  /** True when the relay stored a key when the form was loaded, so an emptied field means "remove it". */
  secretKeyWasSet: boolean;
  secretKeyEncoding: SecretKeyEncoding;
  headers: HeaderRow[];
  projectName: string;
  level: string;
  levelFromLabel: string;
  timeoutSeconds: string;
  caPem: string;
  insecureSkipVerify: boolean;
  templates: Partial<Record<TemplateField, string>>;
}

let nextHeaderKey = 1;

export function newHeaderRow(name = '', value = '', redacted = false): HeaderRow {
  return { key: nextHeaderKey++, name, value, redacted };
}

export function emptyProfileForm(): ProfileFormState {
  return {
    uid: '',
    name: '',
    enabled: PROFILE_DEFAULTS.enabled,
    kind: 'webhook',
    url: '',
    signRequests: PROFILE_DEFAULTS.signRequests,
    secretKey: '',
    secretKeyConfigured: false,
    secretKeyWasSet: false,
    secretKeyEncoding: PROFILE_DEFAULTS.secretKeyEncoding,
    headers: [],
    projectName: PROFILE_DEFAULTS.projectName,
    level: PROFILE_DEFAULTS.level,
    levelFromLabel: '',
    timeoutSeconds: String(PROFILE_DEFAULTS.timeoutSeconds),
    caPem: '',
    insecureSkipVerify: false,
    templates: {},
  };
}

export function profileToForm(profile: Profile): ProfileFormState {
  return {
    uid: profile.uid,
    name: profile.name,
    enabled: profile.enabled,
    kind: profile.kind,
    url: profile.url,
    signRequests: profile.signRequests,
    secretKey: '',
    secretKeyConfigured: profile.secretKeySet,
    secretKeyWasSet: profile.secretKeySet,
    secretKeyEncoding: profile.secretKeyEncoding,
    headers: profile.headers.map((header) =>
      header.redacted || header.value === null
        ? newHeaderRow(header.name, '', true)
        : newHeaderRow(header.name, header.value)
    ),
    projectName: profile.projectName,
    level: profile.level,
    levelFromLabel: profile.levelFromLabel ?? '',
    timeoutSeconds: String(profile.timeoutSeconds),
    caPem: profile.tls.caPem ?? '',
    insecureSkipVerify: profile.tls.insecureSkipVerify,
    templates: { ...profile.templates },
  };
}

/**
 * Builds the body of `POST /api/v1/profiles` (`isNew`) or `PUT /api/v1/profiles/{uid}`. Every header row
 * is sent, empty ones too, so that the relay's `headers[i]` error fields point at the rows on screen.
 * Number and text checks are left to the relay, whose messages name the field.
 */
export function formToProfileInput(form: ProfileFormState, isNew: boolean): ProfileInput {
  const input: ProfileInput = {
    name: form.name,
    enabled: form.enabled,
    kind: form.kind,
    url: form.url,
    signRequests: form.signRequests,
    secretKeyEncoding: form.secretKeyEncoding,
    headers: form.headers.map((row) => ({ name: row.name, value: row.redacted ? null : row.value })),
    projectName: form.projectName,
    level: form.level,
    levelFromLabel: form.levelFromLabel.trim() === '' ? null : form.levelFromLabel,
    timeoutSeconds: parseTimeoutSeconds(form.timeoutSeconds),
    tls: { caPem: form.caPem.trim() === '' ? null : form.caPem, insecureSkipVerify: form.insecureSkipVerify },
    templates: nonEmptyTemplates(form.templates),
  };

  if (isNew && form.uid.trim() !== '') {
    input.uid = form.uid.trim();
  }

  const secretKey = secretKeyToSend(form);
  if (secretKey !== undefined) {
    input.secretKey = secretKey;
  }
  return input;
}

/** Returns the new key, `null` to remove the stored key, or undefined to keep it. */
function secretKeyToSend(form: ProfileFormState): string | null | undefined {
  if (form.secretKey.trim() !== '') {
    return form.secretKey.trim();
  }
  if (form.secretKeyWasSet && !form.secretKeyConfigured) {
    return null;
  }
  return undefined;
}

/** Returns the number of seconds, or NaN for text that is not a number, which the relay then rejects by name. */
function parseTimeoutSeconds(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}

function nonEmptyTemplates(templates: Partial<Record<TemplateField, string>>): FieldTemplates {
  const result: FieldTemplates = {};
  for (const field of TEMPLATE_FIELDS) {
    const template = templates[field];
    if (template !== undefined && template.trim() !== '') {
      result[field] = template;
    }
  }
  return result;
}

/** Generates a 32-byte random secret key, written as 64 lowercase hex digits, with the browser's CSPRNG. */
export function generateSecretKeyHex(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Tells whether a URL points at Slack's incoming webhooks, so the editor can switch the kind to Slack. */
export function isSlackWebhookUrl(url: string): boolean {
  try {
    return new URL(url).hostname.toLowerCase() === 'hooks.slack.com';
  } catch {
    return false;
  }
}
