/** Statistics and the report table of the benchmark. */

/** Nearest-rank percentile of `values` (not necessarily sorted); NaN for an empty list. */
export function percentile(values: readonly number[], percent: number): number {
  if (values.length === 0) return Number.NaN;

  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((percent / 100) * sorted.length);
  return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1] as number;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** One line of the report: a measured value next to its target. */
export interface ReportRow {
  phase: string;
  measure: string;
  relay: string;
  baseline: string;
  /** The value compared with the target: a ratio, a percentile or a size. */
  result: string;
  target: string;
  /** Whether the target is met; null for rows that only inform. */
  met: boolean | null;
}

export function formatRate(perSecond: number): string {
  return `${Math.round(perSecond).toLocaleString('en-US')}/s`;
}

export function formatPercent(ratio: number): string {
  return `${(ratio * 100).toFixed(1)} %`;
}

export function formatMs(ms: number): string {
  return `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
}

export function formatMebibytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

const COLUMNS: Array<{ title: string; cell: (row: ReportRow) => string }> = [
  { title: 'phase', cell: (row) => row.phase },
  { title: 'measure', cell: (row) => row.measure },
  { title: 'relay', cell: (row) => row.relay },
  { title: 'baseline', cell: (row) => row.baseline },
  { title: 'result', cell: (row) => row.result },
  { title: 'target', cell: (row) => row.target },
  { title: 'met', cell: (row) => (row.met === null ? '' : row.met ? 'yes' : 'NO') },
];

/** Formats rows as a plain-text table with a header line. */
export function formatTable(rows: readonly ReportRow[]): string {
  const widths = COLUMNS.map((column) => Math.max(column.title.length, ...rows.map((row) => column.cell(row).length)));
  const line = (cells: string[]) => cells.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join('  ').trimEnd();

  return [
    line(COLUMNS.map((column) => column.title)),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map((row) => line(COLUMNS.map((column) => column.cell(row)))),
  ].join('\n');
}
