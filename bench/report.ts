/** Render bench results as text tables, and write them as JSON under bench/out/. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rate, type Tally } from './match';
import { OUT_DIR } from './paths';
import type { SnapshotResult } from './snapshot';
import type { Figure } from './summary';
import type { PassResult } from './watcher';

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function pct(t: Tally): string {
  const r = rate(t);
  return r === null ? '—' : `${(r * 100).toFixed(2)}% (${t.seen}/${t.expected})`;
}

const num = (value: number | null | undefined, digits: number, unit = ''): string =>
  value === null || value === undefined ? '—' : `${value.toFixed(digits)}${unit}`;

export function renderPass(pass: PassResult): string {
  const g = pass.generated;
  const head =
    `${pass.storm} — ${pass.pass} pass (${pass.note})\n` +
    `generated: ${g.children} children, ${g.execs} execs, ${g.threads} threads in ${g.stormMs.toFixed(0)} ms` +
    (g.failedStarts ? `, ${g.failedStarts} failed starts` : '') +
    `; drain ${pass.drained ? `${pass.drainMs} ms` : `timed out after ${pass.drainMs} ms`}`;
  const rows = pass.readers.map((r) => {
    if (r.notRun !== undefined) return [r.label, r.user, `not run: ${r.notRun}`];
    const s = r.score!;
    const threadsOrForks = g.threads > 0 ? pct(s.threads) : pct(s.forks);
    return [
      r.label,
      r.user,
      threadsOrForks,
      g.execs > 0 ? pct(s.argvCaptured) : '—',
      pct(s.exitCodesRight),
      `${r.kernelDrops ?? '?'} / ${s.lostReported}`,
      num(r.cpuSec, 2, ' s'),
      String(s.eventsEmitted),
      num(r.cpuPerEventUs, 2, ' µs'),
      num(r.costVsCReader, 2, '×'),
      num(r.costVsForkstat, 2, '×'),
    ];
  });
  const header = [
    'reader',
    'user',
    g.threads > 0 ? 'threads seen' : 'forks seen',
    'argv captured',
    'exits (right code)',
    'dropped: kernel / reported',
    'CPU',
    'events out',
    'CPU/event',
    'vs C reader',
    pass.pass === 'privileged' ? 'vs forkstat -r' : 'vs forkstat',
  ];
  return `${head}\n${table(header, rows)}`;
}

export function renderSnapshot(result: SnapshotResult): string {
  const rows = result.measurements.map((m) =>
    m.notRun !== undefined
      ? [m.label, `not run: ${m.notRun}`]
      : [m.label, num(m.medianMs, 1, ' ms'), (m.runsMs ?? []).map((v) => v.toFixed(0)).join(', '), `${m.heldSeen}/${result.heldProcesses}`, num(m.vsPs, 2, '×')],
  );
  return (
    `snapshot with ${result.heldProcesses} extra sleeping processes` +
    (result.failedStarts ? ` (${result.failedStarts} could not be started)` : '') +
    `\n${table(['tool', 'median', 'runs (ms)', 'held pids listed', 'vs ps'], rows)}`
  );
}

/** Write bench/out/bench-<timestamp>.json and bench/out/latest.json; returns the first path. */
export function writeResults(results: object, startedAt: Date): string {
  mkdirSync(OUT_DIR, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const path = join(OUT_DIR, `bench-${stamp}.json`);
  const text = `${JSON.stringify(results, null, 2)}\n`;
  writeFileSync(path, text);
  writeFileSync(join(OUT_DIR, 'latest.json'), text);
  return path;
}

const figureNumber = (value: number | null | undefined): string =>
  value === null || value === undefined ? '—' : Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(2);

/** The one table of every architecture.md §5 figure, with its reference, ratio, goal and verdict. */
export function renderSummary(figures: readonly Figure[]): string {
  const rows = figures.map((f) => [
    f.stage,
    f.what,
    `${figureNumber(f.value)} ${f.unit}`,
    f.reference === undefined ? '' : `${f.reference}: ${figureNumber(f.referenceValue)}`,
    f.ratio === undefined || f.ratio === null ? '' : `${f.ratio.toFixed(2)}×`,
    f.goal,
    f.met === null ? 'n/a' : f.met ? 'met' : 'MISSED',
  ]);
  return `summary (architecture.md §5)\n${table(['stage', 'figure', 'value', 'reference (same run)', 'ratio', 'goal', ''], rows)}`;
}
