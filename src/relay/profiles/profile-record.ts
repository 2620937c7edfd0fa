import type { FieldTemplates, ProfileKind, SecretKeyEncoding, TlsOptions } from '../../contract/profile.js';

/**
 * A profile as the relay stores and uses it, secrets in clear. It never leaves the process as is:
 * `toPublicProfile` makes the API's view of it.
 */
export interface ProfileRecord {
  uid: string;
  name: string;
  enabled: boolean;
  kind: ProfileKind;
  url: string;
  signRequests: boolean;
  secretKey: string | null;
  secretKeyEncoding: SecretKeyEncoding;
  headers: Array<{ name: string; value: string }>;
  projectName: string;
  level: string;
  levelFromLabel: string | null;
  timeoutSeconds: number;
  tls: TlsOptions;
  templates: FieldTemplates;
  /** Path of the YAML file that provisions this profile, or null when it is managed through the API. */
  provisionedFrom: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The part of a record that validation produces; the store sets the timestamps. */
export type ProfileSpec = Omit<ProfileRecord, 'createdAt' | 'updatedAt'>;
