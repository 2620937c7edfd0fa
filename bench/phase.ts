import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ReportRow } from './stats.js';

/** Result of a phase: rows for the table and its measurements for the JSON results. */
export interface PhaseReport {
  rows: ReportRow[];
  data: Record<string, unknown>;
}

/** Writes a progress line to stderr, so that stdout keeps only the report. */
export function logProgress(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** Returns the 1, 5 and 15 minute load averages, rounded to two decimals. */
export function loadAverage(): number[] {
  return loadavg().map((value) => Math.round(value * 100) / 100);
}

/** Polls `condition` every 20 ms; returns whether it became true within `timeoutMs`. */
export async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

/** Returns a run id that makes alert fingerprints unique across runs. */
export function newRunId(label: string): string {
  return `${label}-${Date.now().toString(36)}`;
}
