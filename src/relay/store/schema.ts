import type { Generated } from 'kysely';

/**
 * Tables of the relay's store. Times are epoch milliseconds; booleans are 0/1 integers so that
 * SQLite and PostgreSQL share one schema.
 */
export interface ProfilesTable {
  uid: string;
  name: string;
  enabled: number;
  kind: string;
  /** URL, sealed: a Slack URL is a credential. */
  url_sealed: string;
  sign_requests: number;
  secret_key_sealed: string | null;
  secret_key_encoding: string;
  /** JSON array of {name, value}, sealed: header values may carry credentials. */
  headers_sealed: string;
  project_name: string;
  level: string;
  level_from_label: string | null;
  timeout_seconds: number;
  tls_json: string;
  templates_json: string;
  provisioned_from: string | null;
  /** The last sequenceId given to a message of this profile; 0 before the first. */
  last_sequence_id: number;
  created_at: number;
  updated_at: number;
}

/** An alert episode: its first message's sequenceId is the referenceNumber of every later message. */
export interface EpisodesTable {
  profile_uid: string;
  fingerprint: string;
  starts_at: number;
  reference_number: number;
  first_message_id: number;
  last_seen_at: number;
}

/** The outbox and the delivery log: one row per Boro message. */
export interface MessagesTable {
  id: Generated<number>;
  profile_uid: string;
  sequence_id: number;
  reference_number: number | null;
  status: string;
  trigger: string;
  fingerprint: string;
  starts_at: number;
  ends_at: number | null;
  /** profile, fingerprint, status, startsAt and endsAt: a repeat of an accepted message has the same key. */
  dedup_key: string | null;
  /** The Boro message serialised once; every attempt sends (or renders for Slack) these bytes. */
  body: string;
  state: string;
  attempts: number;
  failed_attempts: number;
  next_attempt_at: number | null;
  lease_owner: string | null;
  lease_expires_at: number | null;
  /** A Cleared message waits until this Active message is delivered or failed. */
  after_message_id: number | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: number;
  /** When the message entered the queue (again, after a manual retry): the retry window starts here. */
  queued_at: number;
  delivered_at: number | null;
  finished_at: number | null;
  test: number;
}

export interface AttemptsTable {
  id: Generated<number>;
  message_id: number;
  profile_uid: string;
  attempt: number;
  started_at: number;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  response_body: string | null;
  /** delivered, retried or failed: what this attempt led to. */
  outcome: string;
}

export interface Database {
  profiles: ProfilesTable;
  episodes: EpisodesTable;
  messages: MessagesTable;
  attempts: AttemptsTable;
}
