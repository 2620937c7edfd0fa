import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

export type SqlDialectName = 'sqlite' | 'postgres';

/** Migrations, in order; the schema works on SQLite and PostgreSQL alike. */
function buildMigrations(dialect: SqlDialectName): Record<string, Migration> {
  const idType = dialect === 'postgres' ? 'bigserial' : 'integer';
  return {
  '0001_initial': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('profiles')
        .addColumn('uid', 'text', (column) => column.primaryKey())
        .addColumn('name', 'text', (column) => column.notNull())
        .addColumn('enabled', 'integer', (column) => column.notNull())
        .addColumn('kind', 'text', (column) => column.notNull())
        .addColumn('url_sealed', 'text', (column) => column.notNull())
        .addColumn('sign_requests', 'integer', (column) => column.notNull())
        .addColumn('secret_key_sealed', 'text')
        .addColumn('secret_key_encoding', 'text', (column) => column.notNull())
        .addColumn('headers_sealed', 'text', (column) => column.notNull())
        .addColumn('project_name', 'text', (column) => column.notNull())
        .addColumn('level', 'text', (column) => column.notNull())
        .addColumn('level_from_label', 'text')
        .addColumn('timeout_seconds', 'integer', (column) => column.notNull())
        .addColumn('tls_json', 'text', (column) => column.notNull())
        .addColumn('templates_json', 'text', (column) => column.notNull())
        .addColumn('provisioned_from', 'text')
        .addColumn('last_sequence_id', 'bigint', (column) => column.notNull().defaultTo(0))
        .addColumn('created_at', 'bigint', (column) => column.notNull())
        .addColumn('updated_at', 'bigint', (column) => column.notNull())
        .execute();

      await db.schema
        .createTable('episodes')
        .addColumn('profile_uid', 'text', (column) => column.notNull())
        .addColumn('fingerprint', 'text', (column) => column.notNull())
        .addColumn('starts_at', 'bigint', (column) => column.notNull())
        .addColumn('reference_number', 'bigint', (column) => column.notNull())
        .addColumn('first_message_id', 'bigint', (column) => column.notNull())
        .addColumn('last_seen_at', 'bigint', (column) => column.notNull())
        .addPrimaryKeyConstraint('episodes_pk', ['profile_uid', 'fingerprint', 'starts_at'])
        .execute();

      await db.schema
        .createTable('messages')
        .addColumn('id', idType, (column) => (dialect === 'postgres' ? column.primaryKey() : column.primaryKey().autoIncrement()))
        .addColumn('profile_uid', 'text', (column) => column.notNull())
        .addColumn('sequence_id', 'bigint', (column) => column.notNull())
        .addColumn('reference_number', 'bigint')
        .addColumn('status', 'text', (column) => column.notNull())
        .addColumn('trigger', 'text', (column) => column.notNull())
        .addColumn('fingerprint', 'text', (column) => column.notNull())
        .addColumn('starts_at', 'bigint', (column) => column.notNull())
        .addColumn('ends_at', 'bigint')
        .addColumn('dedup_key', 'text', (column) => column.unique())
        .addColumn('body', 'text', (column) => column.notNull())
        .addColumn('state', 'text', (column) => column.notNull())
        .addColumn('attempts', 'integer', (column) => column.notNull().defaultTo(0))
        .addColumn('failed_attempts', 'integer', (column) => column.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'bigint')
        .addColumn('lease_owner', 'text')
        .addColumn('lease_expires_at', 'bigint')
        .addColumn('after_message_id', 'bigint')
        .addColumn('last_status_code', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'bigint', (column) => column.notNull())
        .addColumn('queued_at', 'bigint', (column) => column.notNull())
        .addColumn('delivered_at', 'bigint')
        .addColumn('finished_at', 'bigint')
        .addColumn('test', 'integer', (column) => column.notNull().defaultTo(0))
        .execute();
      await db.schema.createIndex('messages_due').on('messages').columns(['state', 'next_attempt_at']).execute();
      await db.schema.createIndex('messages_leases').on('messages').columns(['state', 'lease_expires_at']).execute();
      await db.schema
        .createIndex('messages_queue')
        .on('messages')
        .columns(['profile_uid', 'next_attempt_at', 'id'])
        .where(sql.ref('state'), 'in', [sql.lit('pending'), sql.lit('retrying')])
        .execute();
      await db.schema.createIndex('messages_profile').on('messages').columns(['profile_uid', 'id']).execute();
      await db.schema.createIndex('messages_finished').on('messages').columns(['finished_at']).execute();

      await db.schema
        .createTable('attempts')
        .addColumn('id', idType, (column) => (dialect === 'postgres' ? column.primaryKey() : column.primaryKey().autoIncrement()))
        .addColumn('message_id', 'bigint', (column) => column.notNull())
        .addColumn('profile_uid', 'text', (column) => column.notNull())
        .addColumn('attempt', 'integer', (column) => column.notNull())
        .addColumn('started_at', 'bigint', (column) => column.notNull())
        .addColumn('duration_ms', 'integer', (column) => column.notNull())
        .addColumn('status_code', 'integer')
        .addColumn('error', 'text')
        .addColumn('response_body', 'text')
        .addColumn('outcome', 'text', (column) => column.notNull())
        .execute();
      await db.schema.createIndex('attempts_message').on('attempts').columns(['message_id', 'attempt']).execute();
      await db.schema.createIndex('attempts_started').on('attempts').columns(['started_at']).execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of ['attempts', 'messages', 'episodes', 'profiles']) {
        await sql`drop table if exists ${sql.table(table)}`.execute(db);
      }
    },
  },
  };
}

export function createMigrationProvider(dialect: SqlDialectName): MigrationProvider {
  return {
    async getMigrations() {
      return buildMigrations(dialect);
    },
  };
}
