/**
 * `npm run bench -- [options]`: the watcher bench (forkscope vs the C reader vs forkstat on
 * exec, fork and thread storms) and the snapshot bench (10k processes vs ps). Prints tables and
 * writes every figure, with its unit, to bench/out/bench-<timestamp>.json and latest.json.
 */
import { ArgsError, USAGE, parseBenchArgs, type BenchArgs, type WatcherStorm } from './args';
import { machineInfo } from './machine';
import { clockTicksPerSecond } from './procstat';
import { renderPass, renderSnapshot, writeResults } from './report';
import { runSnapshotBench, type SnapshotResult } from './snapshot';
import { defaultStorms, runWatcherBench, type WatcherBenchResult } from './watcher';

const UNITS = {
  cpuSec: 'CPU seconds (utime+stime of the reader and its children) from just before the storm to drain',
  cpuPerEventUs: 'CPU microseconds per event the reader emitted',
  costVsCReader: 'ratio of CPU per event to the C reader of the same pass (dimensionless)',
  costVsForkstat: 'ratio of CPU per event to forkstat -r (privileged pass) or forkstat (unprivileged pass)',
  kernelDrops: 'events the kernel dropped for the reader socket (/proc/net/netlink Drops), count',
  lostReported: 'events the reader reported lost, count',
  tallies: 'seen/expected counts matched by pid against the storm manifest',
  stormMs: 'storm duration, milliseconds',
  drainMs: 'time from storm end until every reader drained, milliseconds',
  medianMs: 'median wall time, milliseconds',
  vsPs: 'ratio of median wall time to ps (dimensionless)',
};

async function main(argv: string[]): Promise<number> {
  let args: BenchArgs;
  try {
    args = parseBenchArgs(argv);
  } catch (error) {
    if (error instanceof ArgsError) {
      process.stderr.write(`bench: ${error.message}\n${USAGE}`);
      return 2;
    }
    throw error;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const startedAt = new Date();
  const machine = machineInfo(clockTicksPerSecond());
  process.stdout.write(
    `machine: ${machine.cpus} cpus (${machine.cpuModel}), kernel ${machine.kernel}, node ${machine.node}, npm ${machine.npm ?? '?'}, ` +
      `forkstat ${machine.forkstat ?? 'not installed'}, CLK_TCK ${machine.clkTck}, rmem_max ${machine.rmemMaxBytes}\n\n`,
  );
  let watcher: WatcherBenchResult | null = null;
  let snapshot: SnapshotResult | null = null;
  if (args.only.includes('watcher')) {
    const wanted = new Set<WatcherStorm>(args.storms);
    const storms = defaultStorms(args.children, args.forks, args.threads).filter((plan) =>
      wanted.has(plan.options.mode as WatcherStorm),
    );
    watcher = await runWatcherBench({ storms, unprivileged: args.unprivileged, drainTimeoutMs: args.drainTimeoutSec * 1000 });
    for (const pass of watcher.passes) process.stdout.write(`${renderPass(pass)}\n\n`);
    for (const note of watcher.notes) process.stdout.write(`note: ${note}\n`);
  }
  if (args.only.includes('snapshot')) {
    snapshot = await runSnapshotBench({ processes: args.processes, runs: args.runs });
    process.stdout.write(`${renderSnapshot(snapshot)}\n\n`);
  }
  const path = writeResults({ startedAt: startedAt.toISOString(), args, machine, units: UNITS, watcher, snapshot }, startedAt);
  process.stdout.write(`results: ${path} (and bench/out/latest.json)\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
