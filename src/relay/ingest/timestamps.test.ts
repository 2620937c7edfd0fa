import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { GO_ZERO_TIME, GO_ZERO_TIME_MS, formatBoroTime, parseRfc3339 } from './timestamps.js';

const TEN_OH_TWO_MS = Date.UTC(2026, 10, 24, 10, 2, 0);

describe('parseRfc3339', () => {
  const validCases: Array<[string, number]> = [
    ['2026-11-24T10:02:00Z', TEN_OH_TWO_MS],
    ['2026-11-24T15:32:00+05:30', TEN_OH_TWO_MS],
    ['2026-11-24T02:02:00-08:00', TEN_OH_TWO_MS],
    ['2026-11-24T10:02:00+00:00', TEN_OH_TWO_MS],
    ['2026-11-24T10:02:00-00:00', TEN_OH_TWO_MS],
    ['2026-11-24t10:02:00z', TEN_OH_TWO_MS],
    ['2026-11-24T23:30:00-01:00', Date.UTC(2026, 10, 25, 0, 30, 0)],
    ['2026-11-24T10:02:00.5Z', TEN_OH_TWO_MS + 500],
    ['2026-11-24T10:02:00.05Z', TEN_OH_TWO_MS + 50],
    ['2026-11-24T10:02:00.123Z', TEN_OH_TWO_MS + 123],
    ['2026-12-04T19:45:17.932721Z', Date.UTC(2026, 11, 4, 19, 45, 17, 932)],
    ['2026-11-24T10:02:00.123456789Z', TEN_OH_TWO_MS + 123],
    ['2026-11-24T10:02:00.999999999Z', TEN_OH_TWO_MS + 999],
    ['2026-11-24T15:32:00.000000001+05:30', TEN_OH_TWO_MS],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['2000-02-29T12:00:00Z', Date.UTC(2000, 1, 29, 12)],
    ['1970-01-01T00:00:00Z', 0],
    ['1969-12-31T23:59:59.999Z', -1],
    ['9999-12-31T23:59:59Z', Date.UTC(9999, 11, 31, 23, 59, 59)],
    [GO_ZERO_TIME, GO_ZERO_TIME_MS],
  ];

  for (const [text, expectedMs] of validCases) {
    it(`parses ${text}`, () => {
      assert.equal(parseRfc3339(text), expectedMs);
    });
  }

  const invalidCases = [
    'yesterday',
    '',
    '2026-11-24',
    '2026-11-24T10:02:00',
    '2026-11-24 10:02:00Z',
    ' 2026-11-24T10:02:00Z',
    '2026-11-24T10:02:00Z ',
    '2026-11-24T10:02Z',
    '2026-11-24T10:02:00.Z',
    '2026-11-24T10:02:00.1234567890Z',
    '2026-11-24T10:02:00,5Z',
    '2026-11-24T10:02:00+0530',
    '2026-11-24T10:02:00+05',
    '2026-11-24T10:02:00+24:00',
    '2026-11-24T10:02:00+05:60',
    '2026-00-24T10:02:00Z',
    '2026-13-24T10:02:00Z',
    '2026-11-00T10:02:00Z',
    '2026-11-31T10:02:00Z',
    '2023-02-29T10:02:00Z',
    '1900-02-29T10:02:00Z',
    '2026-11-24T24:00:00Z',
    '2026-11-24T10:60:00Z',
    '2026-11-24T10:02:60Z',
    '+2026-11-24T10:02:00Z',
    '26-11-24T10:02:00Z',
    '２０２６-11-24T10:02:00Z',
  ];

  for (const text of invalidCases) {
    it(`rejects '${text}'`, () => {
      assert.equal(parseRfc3339(text), undefined);
    });
  }

  it('agrees with Date on millisecond times', () => {
    const startMs = Date.UTC(1950, 0, 1);
    const spanMs = Date.UTC(2100, 0, 1) - startMs;
    for (let i = 0; i < 2000; i += 1) {
      const epochMs = startMs + Math.floor(Math.random() * spanMs);
      const text = new Date(epochMs).toISOString();
      assert.equal(parseRfc3339(text), epochMs, text);
    }
  });

  it('matches the zero time constant', () => {
    const zeroTime = new Date(0);
    zeroTime.setUTCFullYear(1, 0, 1);
    zeroTime.setUTCHours(0, 0, 0, 0);
    assert.equal(GO_ZERO_TIME_MS, zeroTime.getTime());
  });
});

describe('formatBoroTime', () => {
  const cases: Array<[number, string]> = [
    [TEN_OH_TWO_MS, '2026-11-24T10:02:00Z'],
    [TEN_OH_TWO_MS + 999, '2026-11-24T10:02:00Z'],
    [TEN_OH_TWO_MS - 1, '2026-11-24T10:01:59Z'],
    [0, '1970-01-01T00:00:00Z'],
    [-1, '1969-12-31T23:59:59Z'],
    [GO_ZERO_TIME_MS, GO_ZERO_TIME],
  ];

  for (const [epochMs, expected] of cases) {
    it(`formats ${epochMs} as ${expected}`, () => {
      assert.equal(formatBoroTime(epochMs), expected);
    });
  }
});
