/**
 * `npm run bench`: measures the relay against baselines measured in the same run, prints a table and
 * writes bench/results/latest.json. bench/README.md explains the phases and how to read the numbers.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { runBacklogPhase } from './backlog.js';
import { runDeliveryPhase } from './delivery.js';
import { runIngestPhase } from './ingest.js';
import { runLatencyPhase } from './latency.js';
import { parseOptions, USAGE, type BenchOptions, type PhaseName } from './options.js';
import { loadAverage, logProgress, type PhaseReport } from './phase.js';
import { killRelayProcessesSync } from './relay-process.js';
import { formatTable, type ReportRow } from './stats.js';

const PHASES: Record<PhaseName, (options: BenchOptions) => Promise<PhaseReport>> = {
  ingest: runIngestPhase,
  delivery: runDeliveryPhase,
  latency: runLatencyPhase,
  backlog: runBacklogPhase,
};

function describeMachine() {
  const processors = cpus();
  return {
    cpus: processors.length,
    cpuModel: processors[0]?.model ?? 'unknown',
    totalMemoryBytes: totalmem(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

async function runPhases(options: BenchOptions) {
  const rows: ReportRow[] = [];
  const phases: Record<string, unknown> = {};
  const failures: string[] = [];

  for (const name of options.phases) {
    const startedAtMs = Date.now();
    logProgress(`${name} phase started, load average ${loadAverage().join(' ')}`);
    try {
      const report = await PHASES[name](options);
      rows.push(...report.rows);
      phases[name] = { ...report.data, durationMs: Date.now() - startedAtMs, loadAverageAfter: loadAverage() };
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      logProgress(`${name} phase failed: ${message}`);
      failures.push(name);
      phases[name] = { error: message };
      rows.push({ phase: name, measure: 'phase failed (see the log above)', relay: '', baseline: '', result: '', target: '', met: false });
    }
  }
  return { rows, phases, failures };
}

async function main(): Promise<void> {
  let options: BenchOptions | null;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`bench: ${(error as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (options === null) {
    process.stdout.write(USAGE);
    return;
  }

  const startedAt = new Date();
  const machine = describeMachine();
  const loadAverageAtStart = loadAverage();
  logProgress(`${options.quick ? 'quick' : 'full'} run of ${options.phases.join(', ')} on ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.node}`);

  const { rows, phases, failures } = await runPhases(options);
  const loadAverageAtEnd = loadAverage();

  process.stdout.write(`\nBoro relay benchmark, ${startedAt.toISOString()}, ${options.quick ? 'quick' : 'full'} run, ${options.rounds} round(s) per ratio\n`);
  process.stdout.write(`machine: ${machine.cpus} CPUs, ${machine.cpuModel}, Node.js ${machine.node}; load average ${loadAverageAtStart.join(' ')} at start, ${loadAverageAtEnd.join(' ')} at end\n\n`);
  process.stdout.write(`${formatTable(rows)}\n`);

  mkdirSync(options.resultsDir, { recursive: true });
  const resultsFile = join(options.resultsDir, 'latest.json');
  const results = {
    date: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    quick: options.quick,
    rounds: options.rounds,
    sizes: options.sizes,
    relaySettings: { logLevel: options.relayLogLevel, sqliteSynchronous: options.sqliteSynchronous ?? 'relay default (FULL)' },
    machine: { ...machine, loadAverageAtStart, loadAverageAtEnd },
    rows,
    phases,
  };
  writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`\nresults written to ${relative(process.cwd(), resultsFile)}\n`);
  if (options.cpuProfileDir !== undefined) process.stdout.write(`relay CPU profiles in ${relative(process.cwd(), options.cpuProfileDir)}\n`);

  if (failures.length > 0) {
    process.stderr.write(`bench: phases failed: ${failures.join(', ')}\n`);
    process.exitCode = 1;
  }
}

// Relays are plain child processes, so an early exit of the benchmark must end them itself.
process.once('exit', killRelayProcessesSync);
for (const [signal, number] of [['SIGINT', 2], ['SIGTERM', 15]] as const) {
  process.once(signal, () => {
    logProgress(`${signal} received, stopping the relays`);
    process.exit(128 + number);
  });
}

await main();
