import { resolve } from 'node:path';

export const PHASE_NAMES = ['ingest', 'delivery', 'latency', 'backlog'] as const;
export type PhaseName = (typeof PHASE_NAMES)[number];

/** Sizes of the four phases; `--quick` shrinks each of them. */
export interface PhaseSizes {
  /** Requests before the ingest window opens, to let JIT compilation and connection setup settle. */
  ingestWarmupMs: number;
  ingestWindowMs: number;
  /** Concurrent client connections (and requests in flight) of the ingest load. */
  ingestConnections: number;
  deliveryMessages: number;
  /** Profile concurrencies compared with the baseline sender at the same concurrency. */
  deliveryConcurrencies: number[];
  latencyRatePerSecond: number;
  /** Part of the latency run left out of the statistics. */
  latencyWarmupMs: number;
  latencyDurationMs: number;
  backlogMessages: number;
  /** BORO_RELAY_PROFILE_CONCURRENCY while the backlog drains. */
  backlogConcurrency: number;
  /** Alert instances per notification when a backlog is ingested. */
  backlogBatchSize: number;
}

export interface BenchOptions {
  quick: boolean;
  phases: PhaseName[];
  /** Alternating baseline and relay runs per ratio; the report shows the median ratio. */
  rounds: number;
  relayLogLevel: string;
  /** BORO_RELAY_SQLITE_SYNCHRONOUS for every relay; undefined keeps the relay's default (FULL). */
  sqliteSynchronous: string | undefined;
  /** Directory for V8 CPU profiles of the relay processes, or undefined without `--cpu-prof`. */
  cpuProfileDir: string | undefined;
  resultsDir: string;
  sizes: PhaseSizes;
}

export const USAGE = `Usage: npm run bench -- [options]

Measures the relay against baselines measured in the same run and writes bench/results/latest.json.

Options:
  --quick                 shrink every phase for a smoke run (about a minute)
  --backlog <n>           pending messages in the backlog phase (default 100000; 5000 with --quick)
  --rounds <n>            alternating baseline and relay runs per ratio (default 3; 1 with --quick)
  --phases <list>         comma-separated phases to run: ${PHASE_NAMES.join(', ')} (default all)
  --synchronous <mode>    BORO_RELAY_SQLITE_SYNCHRONOUS of the relays, FULL or NORMAL (default: the relay's, FULL)
  --log-level <level>     BORO_RELAY_LOG_LEVEL of the relays (default info)
  --cpu-prof              write V8 CPU profiles of the relay processes to bench/results/profiles/
  --help                  print this help
`;

const FULL_SIZES: PhaseSizes = {
  ingestWarmupMs: 1_000,
  ingestWindowMs: 8_000,
  ingestConnections: 8,
  deliveryMessages: 5_000,
  deliveryConcurrencies: [1, 8],
  latencyRatePerSecond: 500,
  latencyWarmupMs: 1_000,
  latencyDurationMs: 11_000,
  backlogMessages: 100_000,
  backlogConcurrency: 8,
  backlogBatchSize: 100,
};

const QUICK_SIZES: PhaseSizes = {
  ...FULL_SIZES,
  ingestWarmupMs: 500,
  ingestWindowMs: 2_000,
  deliveryMessages: 1_000,
  latencyWarmupMs: 500,
  latencyDurationMs: 3_000,
  backlogMessages: 5_000,
};

function readPositiveInteger(name: string, text: string | undefined): number {
  const value = Number(text);
  if (text === undefined || !Number.isInteger(value) || value < 1) {
    throw new Error(`${name} must be a positive integer, got '${text ?? ''}'`);
  }
  return value;
}

function readPhases(text: string | undefined): PhaseName[] {
  const names = (text ?? '').split(',').map((name) => name.trim()).filter((name) => name !== '');
  const unknown = names.filter((name) => !(PHASE_NAMES as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length > 0) {
    throw new Error(`--phases must list phases among ${PHASE_NAMES.join(', ')}, got '${text ?? ''}'`);
  }
  return PHASE_NAMES.filter((name) => names.includes(name));
}

function readSynchronous(text: string | undefined): string {
  const mode = (text ?? '').toUpperCase();
  if (mode !== 'FULL' && mode !== 'NORMAL') throw new Error(`--synchronous must be FULL or NORMAL, got '${text ?? ''}'`);
  return mode;
}

/** Parses the command line; returns null when `--help` was given. Throws with the option and its value when one is invalid. */
export function parseOptions(argv: readonly string[]): BenchOptions | null {
  const flags = new Set<string>();
  const values = new Map<string, string | undefined>();
  const valueOptions = new Set(['--backlog', '--rounds', '--phases', '--synchronous', '--log-level']);
  const flagOptions = new Set(['--quick', '--cpu-prof', '--help']);

  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index] as string;
    const [name, inlineValue] = argument.includes('=') ? argument.split('=', 2) : [argument, undefined];
    if (name === undefined) continue;
    if (flagOptions.has(name)) flags.add(name);
    else if (valueOptions.has(name)) values.set(name, inlineValue ?? argv[++index]);
    else throw new Error(`unknown option '${argument}'; run with --help for the options`);
  }
  if (flags.has('--help')) return null;

  const quick = flags.has('--quick');
  const base = quick ? QUICK_SIZES : FULL_SIZES;
  const defaultRounds = quick ? 1 : 3;
  const backlogText = values.get('--backlog');
  const roundsText = values.get('--rounds');
  const resultsDir = resolve('bench/results');

  return {
    quick,
    phases: values.has('--phases') ? readPhases(values.get('--phases')) : [...PHASE_NAMES],
    rounds: roundsText === undefined ? defaultRounds : readPositiveInteger('--rounds', roundsText),
    relayLogLevel: values.get('--log-level') ?? 'info',
    sqliteSynchronous: values.has('--synchronous') ? readSynchronous(values.get('--synchronous')) : undefined,
    cpuProfileDir: flags.has('--cpu-prof') ? resolve(resultsDir, 'profiles') : undefined,
    resultsDir,
    sizes: {
      ...base,
      backlogMessages: backlogText === undefined ? base.backlogMessages : readPositiveInteger('--backlog', backlogText),
    },
  };
}
