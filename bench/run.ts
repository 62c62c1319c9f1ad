/**
 * `npm run bench -- [options]`: every stage of the pipeline side by side with its reference —
 * the watcher (forkscope vs the C reader vs forkstat on exec, fork and thread storms), fork →
 * delta latency, the snapshot (10k processes vs ps), memory after 1M events, and the renderer
 * (Playwright + Chromium). Prints each stage's table, then one summary table of architecture.md §5,
 * and writes every figure, with its unit, to bench/out/bench-<timestamp>.json and latest.json.
 */
import { ArgsError, USAGE, parseBenchArgs, type BenchArgs, type WatcherStorm } from './args';
import { machineInfo } from './machine';
import { clockTicksPerSecond } from './procstat';
import { runLatencyBench, type LatencyResult } from './latency';
import { runMemoryBench, type MemoryResult } from './memory';
import { renderRecording, runRecordingBench, type RecordingBenchResult } from './recording';
import { runRendererBench, type RendererResult } from './renderer';
import { renderPass, renderSnapshot, renderSummary, table, writeResults } from './report';
import { runSnapshotBench, type SnapshotResult } from './snapshot';
import { summarize } from './summary';
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
  latencyMs: 'kernel fork timestamp → Session delta batch that adds the process, milliseconds (both epoch clocks)',
  rssMb: 'resident set size of the bench process after a full GC, MiB',
  heapMb: 'V8 heap used after a full GC, MiB',
  cpuPerEventUsMemory: 'CPU microseconds per synthetic event through ProcessTable + Session (no I/O)',
  frameMs: 'requestAnimationFrame interval in headless Chromium, milliseconds',
  droppedPct: 'frames missed at 60 Hz, percent of frames',
};

const mb = (value: number): string => `${value.toFixed(1)} MB`;

function renderLatency(result: LatencyResult): string {
  const rows = result.passes.map((p) => [
    p.storm,
    String(p.samples),
    String(p.notAdded),
    p.p50Ms === null ? '—' : `${p.p50Ms.toFixed(1)} ms`,
    p.p99Ms === null ? '—' : `${p.p99Ms.toFixed(1)} ms`,
    p.maxMs === null ? '—' : `${p.maxMs.toFixed(1)} ms`,
    `${mb(p.rssBeforeMb)} → ${mb(p.rssAfterMb)}`,
  ]);
  return `fork → delta latency (engine in-process, reader ${result.priority})
${table(
    ['storm', 'samples', 'never added', 'p50', 'p99', 'max', 'RSS before → after (tombstones expired)'],
    rows,
  )}`;
}

function renderMemory(m: MemoryResult): string {
  return (
    `memory: ${m.events} synthetic events at ${m.eventsPerSecond}/s through ProcessTable + Session (1 acking subscriber)
` +
    table(
      ['RSS before', 'RSS after', 'growth', 'heap before → after', 'peak heap', 'peak tombstones', 'model after', 'batches', 'CPU/event'],
      [[mb(m.rssBeforeMb), mb(m.rssAfterMb), mb(m.rssGrowthMb), `${mb(m.heapBeforeMb)} → ${mb(m.heapAfterMb)}`, mb(m.peakHeapMb), String(m.peakTombstones), String(m.modelSizeAfter), String(m.batchesDelivered), `${m.cpuPerEventUs.toFixed(2)} µs`]],
    )
  );
}

function renderRenderer(result: RendererResult, title = 'renderer'): string {
  if ('notRun' in result) return `${title}: not run: ${result.notRun}`;
  const rows = result.measurements.map((m) => [
    String(m.nodes),
    String(m.eps),
    `${m.p50Ms.toFixed(1)} ms`,
    `${m.p95Ms.toFixed(1)} ms`,
    `${m.droppedPct.toFixed(2)}%`,
    m.longFrames === null ? '—' : String(m.longFrames),
    m.longestLongFrameMs === null ? '—' : `${m.longestLongFrameMs.toFixed(0)} ms`,
  ]);
  return `${title} (headless Chromium, seeded stream)
${table(['nodes', 'events/s', 'frame p50', 'frame p95', 'dropped', 'long frames', 'longest'], rows)}`;
}

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
  let latency: LatencyResult | null = null;
  let snapshot: SnapshotResult | null = null;
  let memory: MemoryResult | null = null;
  let renderer: RendererResult | null = null;
  let lifetime: RendererResult | null = null;
  let recording: RecordingBenchResult | null = null;
  if (args.only.includes('watcher')) {
    const wanted = new Set<WatcherStorm>(args.storms);
    const storms = defaultStorms(args.children, args.forks, args.threads).filter((plan) => wanted.has(plan.id));
    watcher = await runWatcherBench({ storms, unprivileged: args.unprivileged, drainTimeoutMs: args.drainTimeoutSec * 1000 });
    for (const pass of watcher.passes) process.stdout.write(`${renderPass(pass)}\n\n`);
    for (const note of watcher.notes) process.stdout.write(`note: ${note}\n`);
  }
  if (args.only.includes('latency')) {
    latency = await runLatencyBench({
      storms: [
        { name: `exec ${args.children}`, options: { mode: 'exec', count: args.children, concurrency: 8 } },
        { name: `fork ${args.forks}`, options: { mode: 'fork', count: args.forks, concurrency: 8 } },
      ],
    });
    process.stdout.write(`${renderLatency(latency)}\n\n`);
  }
  if (args.only.includes('snapshot')) {
    snapshot = await runSnapshotBench({ processes: args.processes, runs: args.runs });
    process.stdout.write(`${renderSnapshot(snapshot)}\n\n`);
  }
  if (args.only.includes('memory')) {
    memory = runMemoryBench({ events: args.events, eventsPerSecond: 20_000 });
    process.stdout.write(`${renderMemory(memory)}\n\n`);
  }
  if (args.only.includes('recording')) {
    // File size per million events and seek time (issue 5): a synthetic 1M-event recording.
    recording = runRecordingBench({ events: args.events, seeks: 200 });
    process.stdout.write(`${renderRecording(recording)}\n\n`);
  }
  if (args.only.includes('renderer')) {
    renderer = await runRendererBench({ nodes: args.rendererNodes, eventsPerSecond: 20_000, seconds: args.rendererSeconds });
    process.stdout.write(`${renderRenderer(renderer)}\n\n`);
  }
  if (args.only.includes('lifetime')) {
    // The lifetime view alone (issue 12): bars for every process under the same stream.
    lifetime = await runRendererBench({ nodes: args.lifetimeNodes, eventsPerSecond: 20_000, seconds: args.rendererSeconds, view: 'lifetime' });
    process.stdout.write(`${renderRenderer(lifetime, 'lifetime view')}\n\n`);
  }
  const summary = summarize({ watcher, latency, snapshot, memory, renderer, lifetime });
  process.stdout.write(`${renderSummary(summary)}\n\n`);
  const path = writeResults(
    { startedAt: startedAt.toISOString(), args, machine, units: UNITS, summary, watcher, latency, snapshot, memory, recording, renderer, lifetime },
    startedAt,
  );
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
