import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import type { SqliteSynchronous } from '../config.js';
import { createMigrationProvider, type SqlDialectName } from './migrations.js';
import type { Database } from './schema.js';

export interface OpenDatabase {
  db: Kysely<Database>;
  dialect: SqlDialectName;
  close(): Promise<void>;
}

/** Prepared statements kept per connection; the relay's queries are a few dozen fixed SQL texts. */
const MAX_CACHED_STATEMENTS = 256;

/**
 * Makes `prepare` reuse statements by SQL text. Kysely prepares each query again on every call, and
 * preparing costs about as much as running one of the relay's small queries.
 */
function cachePreparedStatements(database: SQLite.Database): void {
  const prepare = database.prepare.bind(database);
  const cache = new Map<string, SQLite.Statement>();

  database.prepare = ((source: string) => {
    let statement = cache.get(source);
    if (!statement) {
      statement = prepare(source);
      if (cache.size >= MAX_CACHED_STATEMENTS) cache.delete(cache.keys().next().value as string);
      cache.set(source, statement);
    }
    return statement;
  }) as SQLite.Database['prepare'];
}

function openSqlite(path: string, synchronous: SqliteSynchronous): OpenDatabase {
  mkdirSync(dirname(path), { recursive: true });
  const database = new SQLite(path);

  // WAL lets readers run beside the writer; a committed transaction survives kill -9 in both modes,
  // and a power loss only with synchronous=FULL.
  database.pragma('journal_mode = WAL');
  database.pragma(`synchronous = ${synchronous}`);
  database.pragma('busy_timeout = 5000');

  cachePreparedStatements(database);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

/** Opens the store named by `databaseUrl` and brings its schema up to date. */
export async function openDatabase(databaseUrl: string, synchronous: SqliteSynchronous): Promise<OpenDatabase> {
  if (!databaseUrl.startsWith('sqlite:')) {
    // NOTE: PostgreSQL (shared store for several replicas) is not implemented yet.
    throw new Error('BORO_RELAY_DATABASE_URL: PostgreSQL is not supported by this build yet; unset it to use SQLite');
  }

  const opened = openSqlite(databaseUrl.slice('sqlite:'.length), synchronous);
  const migrator = new Migrator({ db: opened.db, provider: createMigrationProvider(opened.dialect) });
  const { error } = await migrator.migrateToLatest();
  if (error) {
    await opened.close();
    throw error instanceof Error ? error : new Error(String(error));
  }
  return opened;
}
