import { sql, type Kysely, type Transaction } from 'kysely';
import type { BoroStatus } from '../../contract/message.js';
import type { IngestResult } from '../../contract/delivery.js';
import type { MappedAlert, MessageFields } from '../mapping/map-alert.js';
import { serialiseMessage } from '../mapping/serialise-message.js';
import { GroupCommit } from './group-commit.js';
import type { Database } from './schema.js';

/** A mapped alert ready for the outbox. */
export type OutboxEntry = Extract<MappedAlert, { kind: 'message' }>;

/** A message leased to a worker for one delivery attempt. */
export interface LeasedMessage {
  id: number;
  profileUid: string;
  sequenceId: number;
  status: BoroStatus;
  body: string;
  attempts: number;
  failedAttempts: number;
  /** Start of the retry window: creation, or the last manual retry. */
  queuedAtMs: number;
  test: boolean;
}

export interface AttemptRecord {
  messageId: number;
  profileUid: string;
  attempt: number;
  startedAtMs: number;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  responseBody: string | null;
}

/** The next state of a message after an attempt, decided by the delivery stage. */
export type AttemptResolution =
  | { state: 'delivered' }
  | { state: 'retrying'; nextAttemptAtMs: number; countsAsFailure: boolean }
  | { state: 'failed' };

/**
 * Builds the identity of a message for repeat detection: profile, fingerprint, status, startsAt and,
 * for Cleared only, endsAt. A firing alert's endsAt is a moving estimate, so repeats may differ in it.
 */
function dedupKey(profileUid: string, entry: OutboxEntry): string {
  const endsAt = entry.status === 'Cleared' ? (entry.endsAtMs ?? '') : '';
  return [profileUid, entry.fingerprint, entry.status, entry.startsAtMs, endsAt].join('|');
}

/**
 * The durable outbox. `accept` commits messages before the ingest route responds. Workers `lease`
 * due messages, and `recordAttempt` stores each attempt's result.
 */
export class Outbox {
  readonly #db: Kysely<Database>;
  readonly #writes: GroupCommit<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
    this.#writes = new GroupCommit(db);
  }

  /**
   * Assigns sequence and reference numbers and stores the messages of one notification in one
   * transaction, skipping repeats of messages already accepted.
   */
  async accept(profileUid: string, entries: OutboxEntry[], nowMs = Date.now()): Promise<IngestResult> {
    return this.#writes.run(async (trx) => {
      const result: IngestResult = { accepted: 0, duplicates: 0, skipped: 0, messages: [] };

      for (const entry of entries) {
        const sequenceId = entry.test
          ? await this.#insertTestMessage(trx, profileUid, entry, nowMs)
          : await this.#insertAlertMessage(trx, profileUid, entry, nowMs);

        if (sequenceId === null) {
          result.duplicates += 1;
          continue;
        }
        result.accepted += 1;
        result.messages.push({ sequenceId, status: entry.status, trigger: entry.fields.trigger });
      }
      return result;
    });
  }

  /**
   * Stores a test message (sequenceId 0, no episode, no repeat check) already leased to the caller,
   * which delivers it at once. Returns its message id and body.
   */
  async acceptLeasedTest(
    profileUid: string,
    entry: OutboxEntry,
    lease: { owner: string; expiresAtMs: number },
    nowMs = Date.now(),
  ): Promise<{ id: number; body: string }> {
    const body = serialiseMessage(entry.fields, 0, undefined);
    const row = this.#messageRow(profileUid, entry, { sequenceId: 0, referenceNumber: null, body, nowMs, test: true });
    const inserted = await this.#db
      .insertInto('messages')
      .values({ ...row, state: 'delivering', next_attempt_at: null, lease_owner: lease.owner, lease_expires_at: lease.expiresAtMs })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: Number(inserted.id), body };
  }

  async #insertTestMessage(trx: Transaction<Database>, profileUid: string, entry: OutboxEntry, nowMs: number) {
    const body = serialiseMessage(entry.fields, 0, undefined);
    await trx
      .insertInto('messages')
      .values(this.#messageRow(profileUid, entry, { sequenceId: 0, referenceNumber: null, body, nowMs, test: true }))
      .execute();
    return 0;
  }

  async #insertAlertMessage(
    trx: Transaction<Database>,
    profileUid: string,
    entry: OutboxEntry,
    nowMs: number,
  ): Promise<number | null> {
    const key = dedupKey(profileUid, entry);
    const repeat = await trx.selectFrom('messages').select('id').where('dedup_key', '=', key).executeTakeFirst();
    if (repeat) {
      await this.#touchEpisode(trx, profileUid, entry, nowMs);
      return null;
    }

    const counter = await trx
      .updateTable('profiles')
      .set({ last_sequence_id: sql`last_sequence_id + 1` })
      .where('uid', '=', profileUid)
      .returning('last_sequence_id')
      .executeTakeFirstOrThrow();
    const sequenceId = Number(counter.last_sequence_id);

    const episode = entry.status === 'Event' ? undefined : await this.#findEpisode(trx, profileUid, entry);
    const referenceNumber = entry.status === 'Event' ? null : (episode?.reference_number ?? sequenceId);
    const afterMessageId = entry.status === 'Cleared' && episode ? Number(episode.first_message_id) : null;

    const body = serialiseMessage(entry.fields, sequenceId, referenceNumber === null ? undefined : Number(referenceNumber));
    const inserted = await trx
      .insertInto('messages')
      .values({
        ...this.#messageRow(profileUid, entry, {
          sequenceId,
          referenceNumber: referenceNumber === null ? null : Number(referenceNumber),
          body,
          nowMs,
          test: false,
        }),
        dedup_key: key,
        after_message_id: afterMessageId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();

    if (entry.status !== 'Event' && !episode) {
      await trx
        .insertInto('episodes')
        .values({
          profile_uid: profileUid,
          fingerprint: entry.fingerprint,
          starts_at: entry.startsAtMs,
          reference_number: sequenceId,
          first_message_id: Number(inserted.id),
          last_seen_at: nowMs,
        })
        .execute();
    } else if (episode) {
      await this.#touchEpisode(trx, profileUid, entry, nowMs);
    }
    return sequenceId;
  }

  #findEpisode(trx: Transaction<Database>, profileUid: string, entry: OutboxEntry) {
    return trx
      .selectFrom('episodes')
      .select(['reference_number', 'first_message_id'])
      .where('profile_uid', '=', profileUid)
      .where('fingerprint', '=', entry.fingerprint)
      .where('starts_at', '=', entry.startsAtMs)
      .executeTakeFirst();
  }

  async #touchEpisode(trx: Transaction<Database>, profileUid: string, entry: OutboxEntry, nowMs: number) {
    if (entry.status === 'Event') return;
    await trx
      .updateTable('episodes')
      .set({ last_seen_at: nowMs })
      .where('profile_uid', '=', profileUid)
      .where('fingerprint', '=', entry.fingerprint)
      .where('starts_at', '=', entry.startsAtMs)
      .execute();
  }

  #messageRow(
    profileUid: string,
    entry: OutboxEntry,
    p: { sequenceId: number; referenceNumber: number | null; body: string; nowMs: number; test: boolean },
  ) {
    return {
      profile_uid: profileUid,
      sequence_id: p.sequenceId,
      reference_number: p.referenceNumber,
      status: entry.status,
      trigger: entry.fields.trigger,
      fingerprint: entry.fingerprint,
      starts_at: entry.startsAtMs,
      ends_at: entry.endsAtMs,
      dedup_key: null,
      body: p.body,
      state: 'pending',
      attempts: 0,
      failed_attempts: 0,
      next_attempt_at: p.nowMs,
      lease_owner: null,
      lease_expires_at: null,
      after_message_id: null,
      last_status_code: null,
      last_error: null,
      created_at: p.nowMs,
      queued_at: p.nowMs,
      delivered_at: null,
      finished_at: null,
      test: p.test ? 1 : 0,
    };
  }

  /**
   * Leases due messages to `owner` until `leaseExpiresAtMs`: at most `limit` in all and at most
   * `capacityOf(uid)` per profile, oldest first within a profile. Each profile is read on its own, so a
   * profile with a large backlog never hides another profile's messages. A Cleared message is due only
   * once its Active message is delivered, failed or pruned.
   */
  async lease(p: {
    owner: string;
    limit: number;
    nowMs: number;
    leaseExpiresAtMs: number;
    capacityOf: (profileUid: string) => number;
  }): Promise<LeasedMessage[]> {
    if (p.limit <= 0) return [];

    return this.#writes.run(async (trx) => {
      await this.#requeueExpiredLeases(trx, p.nowMs);

      const profiles = await trx.selectFrom('profiles').select('uid').orderBy('uid').execute();
      const offset = this.#leaseRound++ % Math.max(profiles.length, 1);
      const rotated = [...profiles.slice(offset), ...profiles.slice(0, offset)];

      const taken: LeasedMessage[] = [];
      for (const { uid } of rotated) {
        const room = Math.min(p.capacityOf(uid), p.limit - taken.length);
        if (room <= 0) continue;
        taken.push(...(await this.#dueMessages(trx, uid, room, p.nowMs)));
        if (taken.length >= p.limit) break;
      }

      if (taken.length > 0) {
        await trx
          .updateTable('messages')
          .set({ state: 'delivering', lease_owner: p.owner, lease_expires_at: p.leaseExpiresAtMs })
          .where(
            'id',
            'in',
            taken.map((message) => message.id),
          )
          .execute();
      }
      return taken;
    });
  }

  #leaseRound = 0;

  /** Returns up to `limit` due messages of one profile, read in order from the partial queue index. */
  async #dueMessages(trx: Transaction<Database>, profileUid: string, limit: number, nowMs: number): Promise<LeasedMessage[]> {
    const rows = await trx
      .selectFrom('messages as m')
      .select(['m.id', 'm.profile_uid', 'm.sequence_id', 'm.status', 'm.body', 'm.attempts', 'm.failed_attempts', 'm.queued_at', 'm.test'])
      .where('m.profile_uid', '=', profileUid)
      // A literal term, so that SQLite can match the partial index `messages_queue`.
      .where(sql<boolean>`m.state in ('pending', 'retrying')`)
      .where('m.next_attempt_at', '<=', nowMs)
      .where((eb) =>
        eb.or([
          eb('m.after_message_id', 'is', null),
          eb.not(
            eb.exists(
              eb
                .selectFrom('messages as a')
                .select('a.id')
                .whereRef('a.id', '=', 'm.after_message_id')
                .where('a.state', 'in', ['pending', 'delivering', 'retrying']),
            ),
          ),
        ]),
      )
      .orderBy('m.next_attempt_at')
      .orderBy('m.id')
      .limit(limit)
      .execute();

    return rows.map((row) => ({
      id: Number(row.id),
      profileUid: row.profile_uid,
      sequenceId: Number(row.sequence_id),
      status: row.status as BoroStatus,
      body: row.body,
      attempts: Number(row.attempts),
      failedAttempts: Number(row.failed_attempts),
      queuedAtMs: Number(row.queued_at),
      test: Number(row.test) === 1,
    }));
  }

  /** Queues again the messages whose lease expired: their worker died, or stopped without recording. */
  async #requeueExpiredLeases(trx: Transaction<Database>, nowMs: number): Promise<void> {
    await trx
      .updateTable('messages')
      .set({ state: 'pending', lease_owner: null, lease_expires_at: null, next_attempt_at: nowMs })
      .where('state', '=', 'delivering')
      .where('lease_expires_at', '<', nowMs)
      .execute();
  }

  /** Stores one attempt and moves its message to the state the attempt led to. */
  async recordAttempt(record: AttemptRecord, resolution: AttemptResolution, nowMs = Date.now()): Promise<void> {
    const outcome = resolution.state === 'retrying' ? 'retried' : resolution.state;

    await this.#writes.run(async (trx) => {
      await trx
        .insertInto('attempts')
        .values({
          message_id: record.messageId,
          profile_uid: record.profileUid,
          attempt: record.attempt,
          started_at: record.startedAtMs,
          duration_ms: Math.round(record.durationMs),
          status_code: record.statusCode,
          error: record.error,
          response_body: record.responseBody,
          outcome,
        })
        .execute();

      const finished = resolution.state === 'retrying' ? null : nowMs;
      await trx
        .updateTable('messages')
        .set({
          state: resolution.state,
          attempts: record.attempt,
          failed_attempts:
            resolution.state === 'retrying' && !resolution.countsAsFailure
              ? sql`failed_attempts`
              : resolution.state === 'delivered'
                ? sql`failed_attempts`
                : sql`failed_attempts + 1`,
          next_attempt_at: resolution.state === 'retrying' ? resolution.nextAttemptAtMs : null,
          lease_owner: null,
          lease_expires_at: null,
          last_status_code: record.statusCode,
          last_error: record.error,
          delivered_at: resolution.state === 'delivered' ? nowMs : null,
          finished_at: finished,
        })
        .where('id', '=', record.messageId)
        .execute();
    });
  }

  /**
   * Returns every leased message to the queue, due now. Only for a store that one relay process owns
   * (SQLite): at start, any lease belongs to a process that is gone. Returns the number released.
   */
  async releaseAllLeases(nowMs = Date.now()): Promise<number> {
    const result = await this.#db
      .updateTable('messages')
      .set({ state: 'pending', lease_owner: null, lease_expires_at: null, next_attempt_at: nowMs })
      .where('state', '=', 'delivering')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Puts a failed message back in the queue, due now; false when it is not in the failed state. */
  async requeue(messageId: number, nowMs = Date.now()): Promise<boolean> {
    const result = await this.#db
      .updateTable('messages')
      .set({ state: 'pending', next_attempt_at: nowMs, failed_attempts: 0, finished_at: null, queued_at: nowMs })
      .where('id', '=', messageId)
      .where('state', '=', 'failed')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Returns the earliest time a queued message becomes due, or null when the queue is empty. */
  async nextDueAtMs(): Promise<number | null> {
    const row = await this.#db
      .selectFrom('messages')
      .select((eb) => eb.fn.min('next_attempt_at').as('next'))
      .where('state', 'in', ['pending', 'retrying'])
      .executeTakeFirst();
    const leaseRow = await this.#db
      .selectFrom('messages')
      .select((eb) => eb.fn.min('lease_expires_at').as('next'))
      .where('state', '=', 'delivering')
      .executeTakeFirst();

    const times = [row?.next, leaseRow?.next].filter((value) => value !== null && value !== undefined).map(Number);
    return times.length === 0 ? null : Math.min(...times);
  }

  /** Deletes finished messages, their attempts and idle episodes older than the retention period. */
  async prune(retentionMs: number, nowMs = Date.now()): Promise<{ messages: number; episodes: number }> {
    const cutoff = nowMs - retentionMs;
    return this.#db.transaction().execute(async (trx) => {
      const old = trx.selectFrom('messages').select('id').where('finished_at', '<', cutoff);
      await trx.deleteFrom('attempts').where('message_id', 'in', old).execute();
      const messages = await trx.deleteFrom('messages').where('finished_at', '<', cutoff).executeTakeFirst();
      const episodes = await trx.deleteFrom('episodes').where('last_seen_at', '<', cutoff).executeTakeFirst();
      return { messages: Number(messages.numDeletedRows), episodes: Number(episodes.numDeletedRows) };
    });
  }
}
