import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BoroStatus } from '../../contract/message.js';
import { openDatabase, type OpenDatabase } from './database.js';
import { Outbox, type OutboxEntry } from './outbox.js';
import { ProfileStore } from './profile-store.js';
import { SecretBox } from './secret-box.js';

const HOUR_MS = 60 * 60 * 1000;

function entry(status: BoroStatus, fingerprint: string, startsAtMs = 1_000, endsAtMs: number | null = null): OutboxEntry {
  return {
    kind: 'message',
    test: false,
    status,
    fingerprint,
    startsAtMs,
    endsAtMs,
    fields: {
      project_name: 'Grafana',
      probe_name: 'grafana',
      task_uri: 'task',
      task_name: 'task',
      trigger: 'Trigger',
      status,
      level: 'Warning',
      time: '2026-12-04T10:00:00Z',
      profile_name: 'Profile',
    },
  };
}

describe('outbox', () => {
  const dir = mkdtempSync(join(tmpdir(), 'outbox-test-'));
  let database: OpenDatabase;
  let outbox: Outbox;
  let uidCount = 0;

  const newProfile = async () => {
    uidCount += 1;
    const uid = `p${uidCount}`;
    const store = new ProfileStore(database.db, new SecretBox(randomBytes(32)));
    await store.create({
      uid,
      name: uid,
      enabled: true,
      kind: 'webhook',
      url: 'http://127.0.0.1:9/',
      signRequests: false,
      secretKey: null,
      secretKeyEncoding: 'text',
      headers: [],
      projectName: 'Grafana',
      level: 'Warning',
      levelFromLabel: null,
      timeoutSeconds: 10,
      tls: { caPem: null, insecureSkipVerify: false },
      templates: {},
      provisionedFrom: null,
    });
    return uid;
  };
  const leaseAll = (nowMs: number, perProfile = 10) =>
    outbox.lease({ owner: 'test', limit: 100, nowMs, leaseExpiresAtMs: nowMs + 60_000, capacityOf: () => perProfile });

  before(async () => {
    database = await openDatabase(`sqlite:${join(dir, 'relay.sqlite')}`, 'NORMAL');
    outbox = new Outbox(database.db);
  });
  after(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('numbers messages without gaps', async () => {
    const uid = await newProfile();
    const first = await outbox.accept(uid, [entry('Active', 'a'), entry('Active', 'b')], 1);
    const second = await outbox.accept(uid, [entry('Active', 'a'), entry('Event', 'c')], 2);

    assert.deepEqual(
      first.messages.map((message) => message.sequenceId),
      [1, 2],
    );
    assert.deepEqual(
      second.messages.map((message) => message.sequenceId),
      [3],
    );
    assert.equal(second.duplicates, 1);
  });

  it('holds cleared until active ends', async () => {
    const uid = await newProfile();
    await outbox.accept(uid, [entry('Active', 'x')], 10);
    await outbox.accept(uid, [entry('Cleared', 'x', 1_000, 5_000)], 11);

    const firstLease = await leaseAll(20);
    const mine = firstLease.filter((message) => message.profileUid === uid);
    await outbox.recordAttempt(
      { messageId: mine[0]!.id, profileUid: uid, attempt: 1, startedAtMs: 20, durationMs: 1, statusCode: 200, error: null, responseBody: null },
      { state: 'delivered' },
      21,
    );
    const secondLease = (await leaseAll(30)).filter((message) => message.profileUid === uid);

    assert.deepEqual(
      mine.map((message) => message.status),
      ['Active'],
    );
    assert.deepEqual(
      secondLease.map((message) => message.status),
      ['Cleared'],
    );
  });

  it('limits leases per profile', async () => {
    const uid = await newProfile();
    await outbox.accept(uid, [entry('Event', 'e1'), entry('Event', 'e2'), entry('Event', 'e3')], 40);

    const leased = (await leaseAll(50, 1)).filter((message) => message.profileUid === uid);

    assert.equal(leased.length, 1);
    assert.equal(leased[0]!.sequenceId, 1);
  });

  it('releases leases at start', async () => {
    const uid = await newProfile();
    await outbox.accept(uid, [entry('Event', 'r1')], 60);
    const leased = (await leaseAll(70)).filter((message) => message.profileUid === uid);

    const released = await outbox.releaseAllLeases(80);
    const again = (await leaseAll(90)).filter((message) => message.profileUid === uid);

    assert.equal(leased.length, 1);
    assert.ok(released >= 1);
    assert.equal(again[0]?.id, leased[0]?.id);
  });

  it('prunes finished messages only', async () => {
    const uid = await newProfile();
    const nowMs = 100 * HOUR_MS;
    await outbox.accept(uid, [entry('Event', 'old'), entry('Event', 'pending')], nowMs);
    const leased = (await leaseAll(nowMs)).filter((message) => message.profileUid === uid);
    await outbox.recordAttempt(
      { messageId: leased[0]!.id, profileUid: uid, attempt: 1, startedAtMs: nowMs, durationMs: 1, statusCode: 200, error: null, responseBody: null },
      { state: 'delivered' },
      nowMs,
    );

    await outbox.prune(HOUR_MS, nowMs + 2 * HOUR_MS);
    const remaining = await database.db.selectFrom('messages').select('id').where('profile_uid', '=', uid).execute();
    const attempts = await database.db.selectFrom('attempts').select('id').where('profile_uid', '=', uid).execute();

    assert.deepEqual(
      remaining.map((row) => Number(row.id)),
      [leased[1]!.id],
    );
    assert.equal(attempts.length, 0);
  });
});
