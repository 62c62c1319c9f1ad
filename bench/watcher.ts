/**
 * The watcher bench: race forkscope, the C reference reader and forkstat on the same storms and
 * score each against the storm's manifest: events seen, events dropped, argv captured for
 * short-lived children, and CPU time per event during the storm window.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WatcherStorm } from './args';
import { cpuPerEvent, costRatio, scoreReader, type ReaderScore } from './match';
import { OUT_DIR } from './paths';
import { clockTicksPerSecond, treeCpuTicks } from './procstat';
import { parseForkstat } from './readers/forkstat';
import { parseNdjsonEvents } from './readers/ndjson';
import { RunningReader, lastLines } from './readers/running';
import { installBenchHelper, nobodyDirectListen } from './readers/captureHelper';
import { PRIVILEGED_READERS, UNPRIVILEGED_READERS, readerCommand, type ReaderSpec, type UnprivilegedSetting } from './readers/specs';
import { mergeManifests, runStorm, type StormManifest, type StormOptions } from './storm';
import { STOCK_RMEM_MAX, withRmemMax } from './sysctl';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface StormPlan {
  id: WatcherStorm;
  name: string;
  /** Storms run at the same time and scored as one (their manifests merged). */
  parts: StormOptions[];
}

export interface WatcherConfig {
  storms: StormPlan[];
  /** Also run the unprivileged pass (root only: it switches users and sets rmem_max). */
  unprivileged: boolean;
  /** Give up waiting for readers to drain after this long. */
  drainTimeoutMs: number;
}

export function defaultStorms(children: number, forks: number, threads: number): StormPlan[] {
  const exec: StormOptions = { mode: 'exec', count: children, concurrency: 8 };
  const fork: StormOptions = { mode: 'fork', count: forks, concurrency: 8 };
  const thread: StormOptions = { mode: 'threads', count: threads, concurrency: 8 };
  return [
    { id: 'exec', name: `exec storm: sh -c 'exit N', ${children} children, 8 at a time`, parts: [exec] },
    { id: 'fork', name: `fork storm: fork + _exit, ${forks} children, 8 at a time (machine rate)`, parts: [fork] },
    { id: 'threads', name: `thread storm: ${threads} threads, 8 at a time`, parts: [thread] },
    // Execs among forks and threads: the exec a reader meets after a burst of other events is
    // the one whose argv it is likeliest to read late.
    { id: 'mixed', name: `mixed storm: the exec, fork and thread storms above at once`, parts: [exec, fork, thread] },
  ];
}

export interface ReaderResult {
  id: string;
  label: string;
  user: 'root' | 'nobody';
  /** Present when the reader could not run: why. */
  notRun?: string;
  score?: ReaderScore;
  /** Events the kernel dropped for this reader's socket (/proc/net/netlink Drops). */
  kernelDrops?: number;
  cpuSec?: number;
  cpuPerEventUs?: number | null;
  /** CPU per event relative to the pass's C reader (the floor) and to forkstat -r. */
  costVsCReader?: number | null;
  costVsForkstat?: number | null;
  exit?: string;
  stderrTail?: string;
  malformedLines?: number;
}

export interface PassResult {
  storm: string;
  pass: 'privileged' | 'unprivileged';
  note: string;
  generated: { children: number; execs: number; threads: number; failedStarts: number; stormMs: number };
  drainMs: number;
  drained: boolean;
  readers: ReaderResult[];
}

interface Started {
  spec: ReaderSpec;
  reader: RunningReader;
  cpuTicksBefore: number;
}

async function startReaders(
  specs: readonly ReaderSpec[],
  dir: string,
  results: Map<string, ReaderResult>,
  setting: UnprivilegedSetting | undefined,
): Promise<Started[]> {
  const started: Started[] = [];
  for (const spec of specs) {
    const result: ReaderResult = { id: spec.id, label: spec.label, user: spec.unprivileged ? 'nobody' : 'root' };
    results.set(spec.id, result);
    const command = await readerCommand(spec, setting);
    if ('notRun' in command) {
      result.notRun = command.notRun;
      continue;
    }
    started.push({ spec, reader: new RunningReader(spec, command.command, command.args, dir), cpuTicksBefore: 0 });
  }
  const listening: Started[] = [];
  await Promise.all(
    started.map(async (entry) => {
      try {
        await entry.reader.waitUntilListening(20_000);
        listening.push(entry);
      } catch (error) {
        results.get(entry.spec.id)!.notRun = `did not start listening: ${(error as Error).message}`;
        await entry.reader.stop();
      }
    }),
  );
  return listening;
}

/** Wait until every reader's socket queue is empty and its output stopped growing. */
async function waitForDrain(readers: Started[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let previous = readers.map((r) => r.reader.outputBytes());
  let quietPolls = 0;
  while (Date.now() < deadline) {
    await sleep(250);
    const sizes = readers.map((r) => r.reader.outputBytes());
    const queuesEmpty = readers.every((r) => (r.reader.socketState()?.queuedBytes ?? 0) === 0);
    const unchanged = sizes.every((size, i) => size === previous[i]);
    quietPolls = queuesEmpty && unchanged ? quietPolls + 1 : 0;
    if (quietPolls >= 2) return true;
    previous = sizes;
  }
  return false;
}

function parseOutput(spec: ReaderSpec, text: string) {
  return spec.format === 'forkstat' ? parseForkstat(text) : parseNdjsonEvents(text);
}

async function runPass(
  plan: StormPlan,
  pass: PassResult['pass'],
  specs: readonly ReaderSpec[],
  note: string,
  config: WatcherConfig,
  setting?: UnprivilegedSetting,
): Promise<PassResult> {
  const dir = join(OUT_DIR, 'runs', `${Date.now()}-${plan.id}-${pass}`);
  mkdirSync(dir, { recursive: true });
  const results = new Map<string, ReaderResult>();
  const readers = await startReaders(specs, dir, results, setting);
  let manifest: StormManifest;
  let drained: boolean;
  let drainMs: number;
  const ticksPerSecond = clockTicksPerSecond();
  try {
    // The LISTEN op follows the bind that made the socket visible; give it a moment to land.
    await sleep(300);
    for (const entry of readers) entry.cpuTicksBefore = treeCpuTicks(entry.reader.pid) ?? 0;
    manifest = mergeManifests(await Promise.all(plan.parts.map((part) => runStorm(part))));
    const drainStart = Date.now();
    drained = await waitForDrain(readers, config.drainTimeoutMs);
    drainMs = Date.now() - drainStart;
    for (const entry of readers) {
      const result = results.get(entry.spec.id)!;
      const ticksAfter = treeCpuTicks(entry.reader.pid);
      if (ticksAfter !== null) result.cpuSec = (ticksAfter - entry.cpuTicksBefore) / ticksPerSecond;
      const socket = entry.reader.socketState();
      if (socket) result.kernelDrops = socket.kernelDrops;
    }
  } finally {
    for (const entry of readers) results.get(entry.spec.id)!.exit = await entry.reader.stop();
  }
  for (const entry of readers) {
    const result = results.get(entry.spec.id)!;
    const output = parseOutput(entry.spec, readFileSync(entry.reader.outputPath, 'utf8'));
    result.score = scoreReader(manifest, output);
    result.malformedLines = output.malformedLines;
    result.stderrTail = lastLines(entry.reader.stderrText(), 2);
    if (result.cpuSec !== undefined) {
      const perEvent = cpuPerEvent(result.cpuSec, result.score.eventsEmitted);
      result.cpuPerEventUs = perEvent === null ? null : perEvent * 1e6;
    }
  }
  // The floor is the C reader doing the same job as the same user; where nobody may not
  // listen, the root C reader at normal priority (the same job, the same scheduling).
  const floor =
    (pass === 'unprivileged' ? results.get('c-reader-nobody')?.cpuPerEventUs : undefined) ?? results.get('c-reader')?.cpuPerEventUs ?? null;
  const forkstat = results.get(pass === 'privileged' ? 'forkstat-rt' : 'forkstat')?.cpuPerEventUs ?? null;
  for (const result of results.values()) {
    if (result.cpuPerEventUs === undefined) continue;
    result.costVsCReader = costRatio(result.cpuPerEventUs, floor);
    result.costVsForkstat = costRatio(result.cpuPerEventUs, forkstat);
  }
  return {
    storm: plan.name,
    pass,
    note,
    generated: {
      children: manifest.children.length,
      execs: manifest.children.filter((c) => c.marker !== null).length,
      threads: manifest.threads.length,
      failedStarts: manifest.failedStarts,
      stormMs: manifest.elapsedMs,
    },
    drainMs,
    drained,
    readers: [...results.values()],
  };
}

export interface WatcherBenchResult {
  passes: PassResult[];
  notes: string[];
}

export async function runWatcherBench(config: WatcherConfig): Promise<WatcherBenchResult> {
  const passes: PassResult[] = [];
  const notes: string[] = [];
  const isRoot = process.getuid?.() === 0;
  if (config.unprivileged && !isRoot) {
    notes.push('unprivileged pass not run: it needs root to switch to nobody and set rmem_max (this run is already unprivileged)');
  }
  const installed = config.unprivileged && isRoot ? installBenchHelper() : undefined;
  const setting: UnprivilegedSetting | undefined = installed && {
    helper: 'notRun' in installed ? installed : { path: installed.path, gid: installed.gid },
    directListen: nobodyDirectListen(),
  };
  if (setting) {
    notes.push(`unprivileged pass: ${'notRun' in setting.helper ? setting.helper.notRun : `capture helper installed at ${setting.helper.path}`}; ` +
      `nobody listening directly: ${setting.directListen}`);
  }
  try {
    for (const plan of config.storms) {
      passes.push(await runPass(plan, 'privileged', PRIVILEGED_READERS, isRoot ? 'readers as root' : 'readers as the current user', config));
      if (!setting) continue;
      passes.push(
        await withRmemMax(STOCK_RMEM_MAX, (note) => runPass(plan, 'unprivileged', UNPRIVILEGED_READERS, note, config, setting)),
      );
    }
  } finally {
    if (installed && !('notRun' in installed)) installed.dispose();
  }
  return { passes, notes };
}
