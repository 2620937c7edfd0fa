import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { formatDuration } from './duration.js';

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

describe('formatDuration', () => {
  const cases: Array<[number, string]> = [
    [0, '0 s'],
    [999, '0 s'],
    [SECOND_MS, '1 s'],
    [SECOND_MS + 999, '1 s'],
    [59 * SECOND_MS, '59 s'],
    [MINUTE_MS, '1 min'],
    [21 * MINUTE_MS, '21 min'],
    [22 * MINUTE_MS + 15 * SECOND_MS, '22 min 15 s'],
    [HOUR_MS, '1 h'],
    [HOUR_MS + 5 * SECOND_MS, '1 h 5 s'],
    [DAY_MS + 2 * HOUR_MS + 3 * MINUTE_MS + 4 * SECOND_MS, '1 d 2 h 3 min 4 s'],
    [DAY_MS + 4 * SECOND_MS, '1 d 4 s'],
    [DAY_MS - 1, '23 h 59 min 59 s'],
    [400 * DAY_MS, '400 d'],
    [-5 * SECOND_MS, '0 s'],
    [-1, '0 s'],
  ];

  for (const [durationMs, expected] of cases) {
    it(`formats ${durationMs} ms as ${expected}`, () => {
      assert.equal(formatDuration(durationMs), expected);
    });
  }
});
