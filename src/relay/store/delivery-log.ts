import type { Kysely, Selectable } from 'kysely';
import type {
  Delivery,
  DeliveryDetail,
  DeliveryList,
  DeliveryState,
  ProfileStatus,
  StatsBucket,
  StatsOutcome,
} from '../../contract/delivery.js';
import type { BoroMessage, BoroStatus } from '../../contract/message.js';
import type { Database, MessagesTable } from './schema.js';

const DAY_MS = 24 * 60 * 60 * 1000;

function isoOrNull(epochMs: number | null): string | null {
  return epochMs === null ? null : new Date(Number(epochMs)).toISOString();
}

function toDelivery(row: Selectable<MessagesTable>): Delivery {
  return {
    id: Number(row.id),
    profileUid: row.profile_uid,
    sequenceId: Number(row.sequence_id),
    referenceNumber: row.reference_number === null ? null : Number(row.reference_number),
    status: row.status as BoroStatus,
    trigger: row.trigger,
    state: row.state as DeliveryState,
    attempts: Number(row.attempts),
    nextAttemptAt: row.state === 'pending' || row.state === 'retrying' ? isoOrNull(row.next_attempt_at) : null,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    deliveredAt: isoOrNull(row.delivered_at),
    test: Number(row.test) === 1,
  };
}

export interface DeliveryQuery {
  profileUid?: string;
  state?: DeliveryState;
  limit: number;
  /** Only deliveries with a smaller id: the `next` cursor of the previous page. */
  beforeId?: number;
  fromMs?: number;
  toMs?: number;
}

/** Read side of the outbox: the delivery log, profile status and time-bucketed stats. */
export class DeliveryLog {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async list(query: DeliveryQuery): Promise<DeliveryList> {
    let select = this.#db.selectFrom('messages').selectAll().orderBy('id', 'desc').limit(query.limit + 1);
    if (query.profileUid !== undefined) select = select.where('profile_uid', '=', query.profileUid);
    if (query.state !== undefined) select = select.where('state', '=', query.state);
    if (query.beforeId !== undefined) select = select.where('id', '<', query.beforeId);
    if (query.fromMs !== undefined) select = select.where('created_at', '>=', query.fromMs);
    if (query.toMs !== undefined) select = select.where('created_at', '<=', query.toMs);

    const rows = await select.execute();
    const page = rows.slice(0, query.limit).map(toDelivery);
    const last = page.at(-1);
    return { deliveries: page, next: rows.length > query.limit && last ? String(last.id) : null };
  }

  async find(id: number): Promise<DeliveryDetail | null> {
    const row = await this.#db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return null;

    const attempts = await this.#db
      .selectFrom('attempts')
      .selectAll()
      .where('message_id', '=', id)
      .orderBy('attempt')
      .execute();

    return {
      ...toDelivery(row),
      message: JSON.parse(row.body) as BoroMessage,
      attemptLog: attempts.map((attempt) => ({
        attempt: Number(attempt.attempt),
        startedAt: new Date(Number(attempt.started_at)).toISOString(),
        durationMs: Number(attempt.duration_ms),
        statusCode: attempt.status_code,
        error: attempt.error,
        responseBody: attempt.response_body,
      })),
    };
  }

  /** Returns the state of one message, or null when it does not exist. */
  async stateOf(id: number): Promise<DeliveryState | null> {
    const row = await this.#db.selectFrom('messages').select('state').where('id', '=', id).executeTakeFirst();
    return row ? (row.state as DeliveryState) : null;
  }

  async profileStatus(
    profiles: Array<{ uid: string; name: string; enabled: boolean; kind: 'webhook' | 'slack' }>,
    nowMs = Date.now(),
  ): Promise<ProfileStatus[]> {
    const since = nowMs - DAY_MS;
    const statuses: ProfileStatus[] = [];

    for (const profile of profiles) {
      const last = await this.#db
        .selectFrom('messages')
        .select(['state', 'last_error', 'created_at', 'delivered_at', 'finished_at'])
        .where('profile_uid', '=', profile.uid)
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();

      const counts = await this.#db
        .selectFrom('messages')
        .select((eb) => [
          eb.fn.countAll<number>().filterWhere('state', '=', 'delivered').filterWhere('finished_at', '>=', since).as('delivered'),
          eb.fn.countAll<number>().filterWhere('state', '=', 'failed').filterWhere('finished_at', '>=', since).as('failed'),
          eb.fn.countAll<number>().filterWhere('state', 'in', ['pending', 'delivering', 'retrying']).as('pending'),
          eb.fn.min('created_at').filterWhere('state', 'in', ['pending', 'delivering', 'retrying']).as('oldestPending'),
        ])
        .where('profile_uid', '=', profile.uid)
        .executeTakeFirstOrThrow();

      const oldest = counts.oldestPending === null ? null : Number(counts.oldestPending);
      statuses.push({
        ...profile,
        lastDeliveryAt: last ? isoOrNull(last.finished_at ?? last.created_at) : null,
        lastState: last ? (last.state as DeliveryState) : null,
        lastError: last?.last_error ?? null,
        delivered24h: Number(counts.delivered),
        failed24h: Number(counts.failed),
        pending: Number(counts.pending),
        oldestPendingSeconds: oldest === null ? null : Math.max(0, Math.floor((nowMs - oldest) / 1000)),
      });
    }
    return statuses;
  }

  /** Counts attempts by outcome in buckets of `stepMs` from `fromMs` to `toMs`. */
  async stats(p: { fromMs: number; toMs: number; stepMs: number; profileUid?: string }): Promise<StatsBucket[]> {
    let select = this.#db
      .selectFrom('attempts')
      .select(['profile_uid', 'outcome', 'started_at'])
      .where('started_at', '>=', p.fromMs)
      .where('started_at', '<', p.toMs);
    if (p.profileUid !== undefined) select = select.where('profile_uid', '=', p.profileUid);

    const counts = new Map<string, StatsBucket>();
    for (const row of await select.execute()) {
      const bucketStart = p.fromMs + Math.floor((Number(row.started_at) - p.fromMs) / p.stepMs) * p.stepMs;
      const key = `${bucketStart}|${row.profile_uid}|${row.outcome}`;
      const bucket = counts.get(key);
      if (bucket) bucket.count += 1;
      else {
        counts.set(key, {
          time: new Date(bucketStart).toISOString(),
          profileUid: row.profile_uid,
          outcome: row.outcome as StatsOutcome,
          count: 1,
        });
      }
    }
    return [...counts.values()].sort((a, b) => a.time.localeCompare(b.time) || a.profileUid.localeCompare(b.profileUid));
  }

  /** Queue depth and oldest pending age per profile, for the metrics endpoint. */
  async queueGauges(nowMs = Date.now()): Promise<Array<{ profileUid: string; depth: number; oldestAgeSeconds: number }>> {
    const rows = await this.#db
      .selectFrom('messages')
      .select((eb) => ['profile_uid', eb.fn.countAll<number>().as('depth'), eb.fn.min('created_at').as('oldest')])
      .where('state', 'in', ['pending', 'delivering', 'retrying'])
      .groupBy('profile_uid')
      .execute();
    return rows.map((row) => ({
      profileUid: row.profile_uid,
      depth: Number(row.depth),
      oldestAgeSeconds: Math.max(0, (nowMs - Number(row.oldest)) / 1000),
    }));
  }
}
