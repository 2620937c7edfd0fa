import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { GroupCommit } from './group-commit.js';

interface TestDatabase {
  items: { name: string };
}

describe('group commit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'group-commit-'));
  let db: Kysely<TestDatabase>;
  let commits = 0;

  before(async () => {
    const database = new SQLite(join(dir, 'test.sqlite'));
    db = new Kysely<TestDatabase>({
      dialect: new SqliteDialect({ database }),
      log: (event) => {
        if (event.query.sql.toLowerCase() === 'commit') commits += 1;
      },
    });
    await db.schema.createTable('items').addColumn('name', 'text', (column) => column.primaryKey()).execute();
  });
  after(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('commits queued work together', async () => {
    const writes = new GroupCommit(db);
    const before = commits;

    await Promise.all(['a', 'b', 'c', 'd'].map((name) => writes.run((trx) => trx.insertInto('items').values({ name }).execute())));

    assert.ok(commits - before <= 2, `${commits - before} commits for 4 writes`);
  });

  it('rolls back a failing write alone', async () => {
    const writes = new GroupCommit(db);

    const results = await Promise.allSettled([
      writes.run((trx) => trx.insertInto('items').values({ name: 'kept' }).execute()),
      writes.run(async (trx) => {
        await trx.insertInto('items').values({ name: 'rolled-back' }).execute();
        throw new Error('write failed');
      }),
      writes.run((trx) => trx.insertInto('items').values({ name: 'also-kept' }).execute()),
    ]);
    const names = (await db.selectFrom('items').select('name').execute()).map((row) => row.name);

    assert.deepEqual(
      results.map((result) => result.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.ok(names.includes('kept'));
    assert.ok(names.includes('also-kept'));
    assert.ok(!names.includes('rolled-back'));
  });
});
