import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import {
  RETRY_AFTER_MAX_MS,
  RETRY_AFTER_MIN_MS,
  RETRY_DELAYS_MS,
  RETRY_REPEAT_DELAY_MS,
  RETRY_WINDOW_MS,
  nextRetryDelayMs,
  scheduledDelayMs,
} from './retry-schedule.js';

const SECOND_MS = 1_000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const createdAtMs = Date.UTC(2026, 11, 4, 19, 0, 0);

/** A random source that always returns 0.5, which makes the jitter factor exactly 1. */
const noJitter = (): number => 0.5;

/** A small deterministic generator (mulberry32) for property checks over many draws. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('retry schedule data', () => {
  it('lists the documented delays', () => {
    assert.deepEqual(RETRY_DELAYS_MS, [5 * SECOND_MS, 30 * SECOND_MS, 2 * MINUTE_MS, 10 * MINUTE_MS, 30 * MINUTE_MS, HOUR_MS]);
  });

  it('repeats every 2 h', () => {
    assert.equal(RETRY_REPEAT_DELAY_MS, 2 * HOUR_MS);
  });

  it('gives up after 24 h', () => {
    assert.equal(RETRY_WINDOW_MS, 24 * HOUR_MS);
  });
});

describe('scheduledDelayMs', () => {
  const cases: Array<{ failedAttempts: number; expected: number }> = [
    { failedAttempts: 0, expected: 5 * SECOND_MS },
    { failedAttempts: 1, expected: 5 * SECOND_MS },
    { failedAttempts: 2, expected: 30 * SECOND_MS },
    { failedAttempts: 3, expected: 2 * MINUTE_MS },
    { failedAttempts: 4, expected: 10 * MINUTE_MS },
    { failedAttempts: 5, expected: 30 * MINUTE_MS },
    { failedAttempts: 6, expected: HOUR_MS },
    { failedAttempts: 7, expected: 2 * HOUR_MS },
    { failedAttempts: 20, expected: 2 * HOUR_MS },
  ];

  for (const { failedAttempts, expected } of cases) {
    it(`waits ${expected} ms after ${failedAttempts} failures`, () => {
      assert.equal(scheduledDelayMs(failedAttempts), expected);
    });
  }
});

describe('nextRetryDelayMs', () => {
  it('waits 5 s after the first failure', () => {
    const delayMs = nextRetryDelayMs({ failedAttempts: 1, createdAtMs, nowMs: createdAtMs, retryAfterMs: null, random: noJitter });

    assert.equal(delayMs, 5 * SECOND_MS);
  });

  it('jitters down by 20 %', () => {
    const delayMs = nextRetryDelayMs({ failedAttempts: 2, createdAtMs, nowMs: createdAtMs, retryAfterMs: null, random: () => 0 });

    assert.equal(delayMs, 24 * SECOND_MS);
  });

  it('jitters up to 20 %', () => {
    const delayMs = nextRetryDelayMs({ failedAttempts: 2, createdAtMs, nowMs: createdAtMs, retryAfterMs: null, random: () => 0.999999 });

    assert.ok(delayMs !== null, 'a delay');
    assert.ok(delayMs > 35.99 * SECOND_MS, `got ${delayMs}`);
    assert.ok(delayMs <= 36 * SECOND_MS, `got ${delayMs}`);
  });

  it('keeps seeded jitter within 20 %', () => {
    const random = seededRandom(42);
    const delays: number[] = [];
    for (let i = 0; i < 1_000; i++) {
      const delayMs = nextRetryDelayMs({ failedAttempts: 3, createdAtMs, nowMs: createdAtMs, retryAfterMs: null, random });
      delays.push(delayMs ?? Number.NaN);
    }

    assert.ok(Math.min(...delays) >= 96 * SECOND_MS, `minimum ${Math.min(...delays)}`);
    assert.ok(Math.max(...delays) <= 144 * SECOND_MS, `maximum ${Math.max(...delays)}`);
    assert.ok(new Set(delays).size > 100, 'the jitter varies');
  });

  it('uses Math.random by default', () => {
    const delayMs = nextRetryDelayMs({ failedAttempts: 1, createdAtMs, nowMs: createdAtMs, retryAfterMs: null });

    assert.ok(delayMs !== null, 'a delay');
    assert.ok(delayMs >= 4 * SECOND_MS, `got ${delayMs}`);
    assert.ok(delayMs <= 6 * SECOND_MS, `got ${delayMs}`);
  });

  it('replaces the delay with Retry-After', () => {
    const delayMs = nextRetryDelayMs({ failedAttempts: 5, createdAtMs, nowMs: createdAtMs, retryAfterMs: 7 * SECOND_MS, random: () => 0 });

    assert.equal(delayMs, 7 * SECOND_MS);
  });

  it('honours a longer Retry-After', () => {
    const delayMs = nextRetryDelayMs({ failedAttempts: 1, createdAtMs, nowMs: createdAtMs, retryAfterMs: 20 * MINUTE_MS, random: () => 0 });

    assert.equal(delayMs, 20 * MINUTE_MS);
  });

  it('caps Retry-After at 1 h', () => {
    const delayMs = nextRetryDelayMs({ failedAttempts: 1, createdAtMs, nowMs: createdAtMs, retryAfterMs: 5 * HOUR_MS });

    assert.equal(delayMs, RETRY_AFTER_MAX_MS);
  });

  it('raises Retry-After 0 to 1 s', () => {
    const delayMs = nextRetryDelayMs({ failedAttempts: 0, createdAtMs, nowMs: createdAtMs, retryAfterMs: 0 });

    assert.equal(delayMs, RETRY_AFTER_MIN_MS);
  });

  it('repeats the step after a 429', () => {
    const afterFailure = nextRetryDelayMs({ failedAttempts: 3, createdAtMs, nowMs: createdAtMs, retryAfterMs: null, random: noJitter });
    const after429 = nextRetryDelayMs({ failedAttempts: 3, createdAtMs, nowMs: createdAtMs + MINUTE_MS, retryAfterMs: null, random: noJitter });

    assert.equal(after429, afterFailure);
  });

  it('waits 5 s after a first-attempt 429', () => {
    const delayMs = nextRetryDelayMs({ failedAttempts: 0, createdAtMs, nowMs: createdAtMs, retryAfterMs: null, random: noJitter });

    assert.equal(delayMs, 5 * SECOND_MS);
  });

  it('gives up past the window', () => {
    const nowMs = createdAtMs + 23 * HOUR_MS;
    const delayMs = nextRetryDelayMs({ failedAttempts: 12, createdAtMs, nowMs, retryAfterMs: null, random: noJitter });

    assert.equal(delayMs, null);
  });

  it('retries at the window edge', () => {
    const nowMs = createdAtMs + 22 * HOUR_MS;
    const delayMs = nextRetryDelayMs({ failedAttempts: 12, createdAtMs, nowMs, retryAfterMs: null, random: noJitter });

    assert.equal(delayMs, 2 * HOUR_MS);
  });

  it('gives up on a Retry-After past the window', () => {
    const nowMs = createdAtMs + 23.5 * HOUR_MS;
    const delayMs = nextRetryDelayMs({ failedAttempts: 0, createdAtMs, nowMs, retryAfterMs: HOUR_MS });

    assert.equal(delayMs, null);
  });

  it('follows the whole schedule', () => {
    let nowMs = createdAtMs;
    let failedAttempts = 0;
    const delays: number[] = [];
    for (;;) {
      failedAttempts += 1;
      const delayMs = nextRetryDelayMs({ failedAttempts, createdAtMs, nowMs, retryAfterMs: null, random: noJitter });
      if (delayMs === null) break;
      delays.push(delayMs);
      nowMs += delayMs;
    }

    assert.deepEqual(delays.slice(0, 8), [...RETRY_DELAYS_MS, 2 * HOUR_MS, 2 * HOUR_MS]);
    assert.equal(delays.length, 17);
    assert.equal(nowMs - createdAtMs, 23 * HOUR_MS + 42 * MINUTE_MS + 35 * SECOND_MS);
  });

  for (const failedAttempts of [-1, 1.5, Number.NaN]) {
    it(`rejects failedAttempts ${failedAttempts}`, () => {
      assert.throws(
        () => nextRetryDelayMs({ failedAttempts, createdAtMs, nowMs: createdAtMs, retryAfterMs: null }),
        /failedAttempts must be an integer of at least 0/,
      );
    });
  }
});
