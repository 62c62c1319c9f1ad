/**
 * One table of every figure architecture.md §5 holds us to: the value, its unit, the reference it was
 * measured against in the same run (and the ratio), the goal, and whether it was met. Built from
 * the per-stage results; a stage that did not run contributes nothing, a reader that did not run
 * leaves its figure's value null ("not measured", never "met").
 */
import type { LatencyResult } from './latency';
import { costRatio, rate, type Tally } from './match';
import type { MemoryResult } from './memory';
import type { RendererResult } from './renderer';
import type { SnapshotResult } from './snapshot';
import type { PassResult, ReaderResult } from './watcher';

/** One frame at 60 Hz. rAF intervals are vsync-quantised around 16.67 ms (measured 16.70 ms),
 * so the goal "p95 ≤ 16.7 ms" means "p95 is one frame": allow the quantisation error. */
const FRAME_60HZ_MS = 1000 / 60 + 0.1;

export interface Figure {
  stage: string;
  what: string;
  value: number | null;
  unit: string;
  /** What the value was compared with, measured in the same run. */
  reference?: string;
  referenceValue?: number | null;
  /** value / referenceValue. */
  ratio?: number | null;
  goal: string;
  /** null when the value (or its reference) could not be measured. */
  met: boolean | null;
}

export interface StageResults {
  watcher: { passes: PassResult[] } | null;
  latency: LatencyResult | null;
  snapshot: SnapshotResult | null;
  memory: MemoryResult | null;
  renderer: RendererResult | null;
  /** The lifetime view alone, measured like the renderer (optional: older results lack it). */
  lifetime?: RendererResult | null;
}

const percentOf = (t: Tally | undefined): number | null => {
  const r = t === undefined ? null : rate(t);
  return r === null ? null : r * 100;
};

function judge(value: number | null, test: (v: number) => boolean): boolean | null {
  return value === null ? null : test(value);
}

function reader(pass: PassResult, id: string): ReaderResult | undefined {
  const found = pass.readers.find((r) => r.id === id);
  return found?.notRun === undefined ? found : undefined;
}

function watcherFigures(passes: readonly PassResult[]): Figure[] {
  const figures: Figure[] = [];
  for (const pass of passes) {
    const { threads, execs } = pass.generated;
    const mode = threads > 0 ? (execs > 0 ? 'mixed' : 'threads') : execs > 0 ? 'exec' : 'fork';
    const withArgv = mode === 'exec' || mode === 'mixed';
    const stage = `watcher ${mode} (${pass.pass})`;
    if (pass.pass === 'privileged') {
      const forkscope = reader(pass, 'forkscope');
      const seenKinds = mode === 'mixed' ? (['forks', 'threads'] as const) : mode === 'threads' ? (['threads'] as const) : (['forks'] as const);
      for (const kind of seenKinds) {
        const seen = percentOf(forkscope?.score?.[kind]);
        figures.push({ stage, what: `${kind} seen`, value: seen, unit: '%', goal: '100% (0 lost)', met: judge(seen, (v) => v === 100) });
      }
      if (withArgv) {
        const argv = percentOf(forkscope?.score?.argvCaptured);
        const forkstatArgv = percentOf(reader(pass, 'forkstat-rt')?.score?.argvCaptured);
        figures.push({
          stage, what: 'argv captured (SCHED_FIFO)', value: argv, unit: '%', reference: 'forkstat -r', referenceValue: forkstatArgv,
          goal: '≥ 99.9%', met: judge(argv, (v) => v >= 99.9),
        });
      }
      const cpu = forkscope?.cpuPerEventUs ?? null;
      const floor = reader(pass, 'c-reader')?.cpuPerEventUs ?? null;
      const forkstat = reader(pass, 'forkstat-rt')?.cpuPerEventUs ?? null;
      const vsFloor = costRatio(cpu, floor);
      const vsForkstat = costRatio(cpu, forkstat);
      figures.push({
        stage, what: 'CPU per event vs C reader', value: cpu, unit: 'µs', reference: 'C reader', referenceValue: floor, ratio: vsFloor,
        goal: '≤ 1.5×', met: judge(vsFloor, (v) => v <= 1.5),
      });
      figures.push({
        stage, what: 'CPU per event vs forkstat -r', value: cpu, unit: 'µs', reference: 'forkstat -r', referenceValue: forkstat, ratio: vsForkstat,
        goal: '< 1×', met: judge(vsForkstat, (v) => v < 1),
      });
    } else {
      // architecture.md §5: the same figures for a desktop user (stock rmem_max, via the helper) as root's.
      const helper = reader(pass, 'forkscope-helper');
      const seenKinds = mode === 'mixed' ? (['forks', 'threads'] as const) : mode === 'threads' ? (['threads'] as const) : (['forks'] as const);
      for (const kind of seenKinds) {
        const seen = percentOf(helper?.score?.[kind]);
        figures.push({ stage, what: `${kind} seen as nobody via the helper`, value: seen, unit: '%', goal: '100% (0 lost)', met: judge(seen, (v) => v === 100) });
      }
      const forkstat = percentOf(reader(pass, 'forkstat')?.score?.argvCaptured);
      if (withArgv) {
        const argv = percentOf(helper?.score?.argvCaptured);
        figures.push({
          stage, what: 'argv captured as nobody via the helper (SCHED_FIFO)', value: argv, unit: '%', reference: 'forkstat (normal priority)',
          referenceValue: forkstat, goal: '≥ 99.9%', met: judge(argv, (v) => v >= 99.9),
        });
        const direct = percentOf(reader(pass, 'forkscope-nobody')?.score?.argvCaptured);
        if (direct !== null) {
          figures.push({
            stage, what: 'argv captured as nobody, direct', value: direct, unit: '%', reference: 'forkstat (normal priority)', referenceValue: forkstat,
            ratio: costRatio(direct, forkstat), goal: '> forkstat', met: forkstat === null ? null : direct > forkstat,
          });
        }
      }
      const cpu = helper?.cpuPerEventUs ?? null;
      const vsFloor = helper?.costVsCReader ?? null;
      figures.push({
        stage, what: 'CPU per event as nobody via the helper vs C reader', value: cpu, unit: 'µs', reference: 'C reader', ratio: vsFloor,
        referenceValue: (reader(pass, 'c-reader-nobody') ?? reader(pass, 'c-reader'))?.cpuPerEventUs ?? null,
        goal: '≤ 1.5×', met: judge(vsFloor, (v) => v <= 1.5),
      });
    }
  }
  return figures;
}

function latencyFigures(result: LatencyResult): Figure[] {
  return result.passes.flatMap((pass) => [
    { stage: `latency ${pass.storm}`, what: 'fork → delta p50', value: pass.p50Ms, unit: 'ms', goal: '—', met: null },
    { stage: `latency ${pass.storm}`, what: 'fork → delta p99', value: pass.p99Ms, unit: 'ms', goal: '≤ 50 ms', met: judge(pass.p99Ms, (v) => v <= 50) },
  ]);
}

function snapshotFigures(result: SnapshotResult): Figure[] {
  const ps = result.measurements.find((m) => m.id === 'ps')?.medianMs ?? null;
  return result.measurements
    .filter((m) => m.id !== 'ps')
    .map((m) => {
      const value = m.medianMs ?? null;
      const ratio = costRatio(value, ps);
      return {
        stage: `snapshot ${result.heldProcesses} processes`, what: `${m.label} median`, value, unit: 'ms',
        reference: 'ps -e -o pid,ppid,user,args', referenceValue: ps, ratio, goal: '< ps', met: judge(ratio, (v) => v < 1),
      };
    });
}

function memoryFigures(result: MemoryResult): Figure[] {
  const stage = `memory ${result.events} events`;
  return [
    { stage, what: 'main RSS growth (after GC)', value: result.rssGrowthMb, unit: 'MB', goal: '< 100 MB', met: result.rssGrowthMb < 100 },
    { stage, what: 'JS heap growth (after GC)', value: result.heapAfterMb - result.heapBeforeMb, unit: 'MB', goal: 'bounded (< 10 MB)', met: result.heapAfterMb - result.heapBeforeMb < 10 },
    { stage, what: 'peak tombstones', value: result.peakTombstones, unit: 'processes', goal: '≤ maxTombstones', met: null },
  ];
}

function rendererFigures(result: RendererResult, name = 'renderer'): Figure[] {
  if ('notRun' in result) return [];
  return result.measurements.flatMap((m) => {
    const stage = `${name} ${m.nodes} nodes @ ${m.eps}/s`;
    const gated = m.nodes <= 20000; // architecture.md §5 sets the goal at 20k nodes
    return [
      { stage, what: 'frame interval p95', value: m.p95Ms, unit: 'ms', goal: gated ? '≤ 16.7 ms' : '(no goal)', met: gated ? m.p95Ms <= FRAME_60HZ_MS : null },
      { stage, what: 'dropped frames', value: m.droppedPct, unit: '%', goal: gated ? '≤ 1%' : '(no goal)', met: gated ? m.droppedPct <= 1 : null },
      { stage, what: 'long frames > 50 ms', value: m.longFrames, unit: 'count', goal: gated ? '0' : '(no goal)', met: gated && m.longFrames !== null ? m.longFrames === 0 : null },
    ];
  });
}

export function summarize(results: StageResults): Figure[] {
  return [
    ...(results.watcher ? watcherFigures(results.watcher.passes) : []),
    ...(results.latency ? latencyFigures(results.latency) : []),
    ...(results.snapshot ? snapshotFigures(results.snapshot) : []),
    ...(results.memory ? memoryFigures(results.memory) : []),
    ...(results.renderer ? rendererFigures(results.renderer) : []),
    // Issue 12: 20k bars under 20k events/s, at the same frame budget as the tree.
    ...(results.lifetime ? rendererFigures(results.lifetime, 'lifetime view') : []),
  ];
}
