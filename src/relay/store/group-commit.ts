import { sql, type Kysely, type Transaction } from 'kysely';

type Work<DB, T> = (trx: Transaction<DB>) => Promise<T>;

interface QueuedWork<DB> {
  work: Work<DB, unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Runs write transactions in groups: work queued while a group runs goes into the next group, and a
 * group commits once. With `synchronous=FULL` each commit waits for the disk, so ingest requests and
 * delivery attempts arriving together share one wait. Each piece of work runs in its own savepoint,
 * so a failing one is rolled back alone; every caller's promise settles only after the commit.
 */
export class GroupCommit<DB> {
  readonly #db: Kysely<DB>;
  readonly #queue: Array<QueuedWork<DB>> = [];
  #running = false;

  constructor(db: Kysely<DB>) {
    this.#db = db;
  }

  run<T>(work: Work<DB, T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.#running) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#running = true;
    try {
      while (this.#queue.length > 0) await this.#commitGroup(this.#queue.splice(0));
    } finally {
      this.#running = false;
    }
  }

  async #commitGroup(group: Array<QueuedWork<DB>>): Promise<void> {
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      await this.#db.transaction().execute(async (trx) => {
        for (const item of group) outcomes.push(await this.#runInSavepoint(trx, item.work));
      });
    } catch (error) {
      for (const item of group) item.reject(error);
      return;
    }

    group.forEach((item, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }

  async #runInSavepoint(trx: Transaction<DB>, work: Work<DB, unknown>) {
    await sql`savepoint group_item`.execute(trx);
    try {
      const value = await work(trx);
      await sql`release savepoint group_item`.execute(trx);
      return { ok: true as const, value };
    } catch (error) {
      await sql`rollback to savepoint group_item`.execute(trx);
      await sql`release savepoint group_item`.execute(trx);
      return { ok: false as const, error };
    }
  }
}
