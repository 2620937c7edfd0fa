import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ERROR_CATALOGUE } from './errors.js';

/** Reads the rows of the README's error table: `| `CODE` | status | meaning |`. */
function readmeErrorRows(): Map<string, { status: number; description: string }> {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const rows = new Map<string, { status: number; description: string }>();
  for (const match of readme.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \| (.+) \|$/gm)) {
    rows.set(match[1]!, { status: Number(match[2]), description: match[3]! });
  }
  return rows;
}

describe('error catalogue', () => {
  const rows = readmeErrorRows();

  it('lists every code in the readme', () => {
    assert.deepEqual([...rows.keys()].sort(), Object.keys(ERROR_CATALOGUE).sort());
  });

  for (const [code, entry] of Object.entries(ERROR_CATALOGUE)) {
    it(`documents ${code} status`, () => {
      assert.equal(rows.get(code)?.status, entry.status);
    });

    it(`documents ${code} meaning`, () => {
      assert.equal(rows.get(code)?.description, entry.description);
    });
  }
});
