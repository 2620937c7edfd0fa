import type { Kysely, Selectable } from 'kysely';
import type { FieldTemplates, ProfileKind, SecretKeyEncoding, TlsOptions } from '../../contract/profile.js';
import { RelayError } from '../errors.js';
import type { ProfileRecord, ProfileSpec } from '../profiles/profile-record.js';
import type { Database, ProfilesTable } from './schema.js';
import type { SecretBox } from './secret-box.js';

/** Profiles in the store, secrets sealed at rest and opened on read. */
export class ProfileStore {
  readonly #db: Kysely<Database>;
  readonly #box: SecretBox;

  constructor(db: Kysely<Database>, box: SecretBox) {
    this.#db = db;
    this.#box = box;
  }

  async list(): Promise<ProfileRecord[]> {
    const rows = await this.#db.selectFrom('profiles').selectAll().orderBy('name').orderBy('uid').execute();
    return rows.map((row) => this.#toRecord(row));
  }

  async find(uid: string): Promise<ProfileRecord | null> {
    const row = await this.#db.selectFrom('profiles').selectAll().where('uid', '=', uid).executeTakeFirst();
    return row ? this.#toRecord(row) : null;
  }

  async get(uid: string): Promise<ProfileRecord> {
    const record = await this.find(uid);
    if (!record) throw new RelayError('PROFILE_NOT_FOUND', `profile '${uid}' does not exist`, 'uid');
    return record;
  }

  async create(spec: ProfileSpec, nowMs = Date.now()): Promise<ProfileRecord> {
    const existing = await this.find(spec.uid);
    if (existing) {
      throw new RelayError('PROFILE_UID_TAKEN', `a profile with uid '${spec.uid}' already exists; choose another uid`, 'uid');
    }

    await this.#db
      .insertInto('profiles')
      .values({ ...this.#toColumns(spec), last_sequence_id: 0, created_at: nowMs, updated_at: nowMs })
      .execute();
    return this.get(spec.uid);
  }

  async update(spec: ProfileSpec, nowMs = Date.now()): Promise<ProfileRecord> {
    const result = await this.#db
      .updateTable('profiles')
      .set({ ...this.#toColumns(spec), updated_at: nowMs })
      .where('uid', '=', spec.uid)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) {
      throw new RelayError('PROFILE_NOT_FOUND', `profile '${spec.uid}' does not exist`, 'uid');
    }
    return this.get(spec.uid);
  }

  /** Deletes a profile with its messages, attempts and episodes. */
  async delete(uid: string): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      const result = await trx.deleteFrom('profiles').where('uid', '=', uid).executeTakeFirst();
      if (result.numDeletedRows === 0n) {
        throw new RelayError('PROFILE_NOT_FOUND', `profile '${uid}' does not exist`, 'uid');
      }
      await trx.deleteFrom('attempts').where('profile_uid', '=', uid).execute();
      await trx.deleteFrom('messages').where('profile_uid', '=', uid).execute();
      await trx.deleteFrom('episodes').where('profile_uid', '=', uid).execute();
    });
  }

  #toColumns(spec: ProfileSpec): Omit<ProfilesTable, 'last_sequence_id' | 'created_at' | 'updated_at'> {
    return {
      uid: spec.uid,
      name: spec.name,
      enabled: spec.enabled ? 1 : 0,
      kind: spec.kind,
      url_sealed: this.#box.seal(spec.url),
      sign_requests: spec.signRequests ? 1 : 0,
      secret_key_sealed: spec.secretKey === null ? null : this.#box.seal(spec.secretKey),
      secret_key_encoding: spec.secretKeyEncoding,
      headers_sealed: this.#box.seal(JSON.stringify(spec.headers)),
      project_name: spec.projectName,
      level: spec.level,
      level_from_label: spec.levelFromLabel,
      timeout_seconds: spec.timeoutSeconds,
      tls_json: JSON.stringify(spec.tls),
      templates_json: JSON.stringify(spec.templates),
      provisioned_from: spec.provisionedFrom,
    };
  }

  #toRecord(row: Selectable<ProfilesTable>): ProfileRecord {
    return {
      uid: row.uid,
      name: row.name,
      enabled: Number(row.enabled) === 1,
      kind: row.kind as ProfileKind,
      url: this.#box.open(row.url_sealed),
      signRequests: Number(row.sign_requests) === 1,
      secretKey: row.secret_key_sealed === null ? null : this.#box.open(row.secret_key_sealed),
      secretKeyEncoding: row.secret_key_encoding as SecretKeyEncoding,
      headers: JSON.parse(this.#box.open(row.headers_sealed)) as ProfileRecord['headers'],
      projectName: row.project_name,
      level: row.level,
      levelFromLabel: row.level_from_label,
      timeoutSeconds: Number(row.timeout_seconds),
      tls: JSON.parse(row.tls_json) as TlsOptions,
      templates: JSON.parse(row.templates_json) as FieldTemplates,
      provisionedFrom: row.provisioned_from,
      createdAt: new Date(Number(row.created_at)).toISOString(),
      updatedAt: new Date(Number(row.updated_at)).toISOString(),
    };
  }
}

export interface ProvisioningChanges {
  created: string[];
  updated: string[];
  deleted: string[];
  released: string[];
}

/**
 * Applies profiles as code: creates or updates each provisioned profile (its counters and episodes are
 * kept), deletes those in `deleteProfiles`, and releases to API management any profile whose file no
 * longer provisions it.
 */
export async function applyProvisioning(
  store: ProfileStore,
  profiles: ProfileSpec[],
  deleteUids: string[],
  nowMs = Date.now(),
): Promise<ProvisioningChanges> {
  const changes: ProvisioningChanges = { created: [], updated: [], deleted: [], released: [] };
  const provisionedUids = new Set(profiles.map((profile) => profile.uid));

  for (const spec of profiles) {
    const existing = await store.find(spec.uid);
    if (existing) {
      await store.update(spec, nowMs);
      changes.updated.push(spec.uid);
    } else {
      await store.create(spec, nowMs);
      changes.created.push(spec.uid);
    }
  }

  for (const uid of deleteUids) {
    if (provisionedUids.has(uid) || !(await store.find(uid))) continue;
    await store.delete(uid);
    changes.deleted.push(uid);
  }

  for (const record of await store.list()) {
    if (record.provisionedFrom === null || provisionedUids.has(record.uid)) continue;
    const { createdAt: _createdAt, updatedAt: _updatedAt, ...spec } = record;
    await store.update({ ...spec, provisionedFrom: null }, nowMs);
    changes.released.push(record.uid);
  }
  return changes;
}
