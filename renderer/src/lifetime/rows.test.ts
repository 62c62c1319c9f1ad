import { describe, expect, it } from 'vitest';
import type { ProcKey } from '../../../electron/common/process';
import { isKernelThread } from '../model/kernelThreads';
import { proc } from '../model/testing';
import type { LifetimeEntry } from './LifetimeModel';
import { buildRows, FOLD_MIN, foldId, RowBuilder, type LifetimeRow } from './rows';

function entry(pid: number, lineage: number | null, start: number, end: number | null, command = `p${pid}`): LifetimeEntry {
  const info = proc(pid, lineage ?? 0, pid, { kernelThread: command === 'kworker' });
  return {
    key: info.key,
    info,
    lineageKey: lineage === null ? null : proc(lineage, 0, lineage).key,
    start,
    end,
    exit: end === null ? null : { key: info.key, at: end, code: 0 },
    segments: [{ at: start, command }],
  };
}

function map(entries: LifetimeEntry[]): Map<ProcKey, LifetimeEntry> {
  return new Map(entries.map((e) => [e.key, e]));
}

function describeRows(rows: LifetimeRow[]): string[] {
  return rows.map((row) =>
    row.kind === 'process' ? `${'  '.repeat(row.depth)}${row.entry.info.pid}` : `${'  '.repeat(row.depth)}${row.command}×${row.members.length}${row.open ? ' open' : ''}`,
  );
}

const options = { hidden: null, open: new Set<string>(), now: 100_000, order: 'start' as const };

describe('buildRows', () => {
  it('lists processes in lineage order, children by start time beneath their parent', () => {
    const rows = buildRows(map([entry(1, null, 0, null), entry(30, 1, 300, null), entry(20, 1, 200, 250), entry(40, 20, 210, 220), entry(50, 999, 5, null)]), options);
    expect(describeRows(rows)).toEqual(['1', '  20', '    40', '  30', '50']);
  });

  it('folds many short-lived siblings with one command, and opens the fold by id', () => {
    const kids = Array.from({ length: FOLD_MIN + 2 }, (_, i) => entry(100 + i, 10, 1000 + i * 10, 1005 + i * 10, 'cc'));
    const grandchild = entry(500, 100, 1001, 1002, 'cc1');
    const entries = map([entry(10, null, 0, null, 'make'), entry(11, 10, 999, null, 'cc'), ...kids, grandchild]);
    const closed = buildRows(entries, options);
    expect(describeRows(closed)).toEqual(['10', '  11', `  cc×${FOLD_MIN + 2}`]);
    const fold = closed[2];
    expect(fold?.kind === 'fold' && fold.end).toBe(1005 + (FOLD_MIN + 1) * 10);

    const opened = buildRows(entries, { ...options, open: new Set([foldId(entries.get(proc(10, 0, 10).key)!.key, 'cc')]) });
    expect(describeRows(opened).slice(0, 6)).toEqual(['10', '  11', `  cc×${FOLD_MIN + 2} open`, '    100', '      500', '    101']);
    expect(opened).toHaveLength(3 + FOLD_MIN + 2 + 1);
  });

  it('orders siblings and fold members longest-lived first on request', () => {
    const kids = Array.from({ length: FOLD_MIN + 1 }, (_, i) => entry(100 + i, 10, 1000 + i * 10, 1005 + i * 10 + (i === 4 ? 500 : 0), 'cc'));
    const entries = map([entry(10, null, 0, null, 'make'), entry(11, 10, 999, 1200, 'sh'), ...kids]);
    const open = new Set([foldId(proc(10, 0, 10).key, 'cc')]);
    const rows = buildRows(entries, { ...options, open, order: 'duration' });
    expect(describeRows(rows).slice(0, 4)).toEqual(['10', `  cc×${FOLD_MIN + 1} open`, '    104', '    100']);
    expect(describeRows(rows)).toContain('  11');
  });

  it('does not fold a few siblings, nor long-lived ones', () => {
    const few = Array.from({ length: FOLD_MIN }, (_, i) => entry(100 + i, 10, 1000 + i, 1001 + i, 'cc'));
    const long = Array.from({ length: FOLD_MIN + 1 }, (_, i) => entry(200 + i, 10, 2000 + i, null, 'worker'));
    const rows = buildRows(map([entry(10, null, 0, null), ...few, ...long]), { ...options, now: 60_000 });
    expect(rows.every((row) => row.kind === 'process')).toBe(true);
    expect(rows).toHaveLength(1 + FOLD_MIN + FOLD_MIN + 1);
  });

  it('prunes hidden processes with their descendants', () => {
    const rows = buildRows(map([entry(1, null, 0, null), entry(2, null, 0, null, 'kworker'), entry(3, 2, 1, null)]), { ...options, hidden: isKernelThread });
    expect(describeRows(rows)).toEqual(['1']);
  });

  it('survives a lineage loop in bad data', () => {
    const rows = buildRows(map([entry(1, 2, 0, null), entry(2, 1, 0, null), entry(3, null, 0, null)]), options);
    expect(describeRows(rows)).toEqual(['3']);
  });
});

describe('RowBuilder', () => {
  it('builds in slices the same rows, with an index of keys, fold ids and closed folds\' members', () => {
    const kids = Array.from({ length: 2000 }, (_, i) => entry(1000 + i, 10, 1000 + i, 1001 + i, i % 2 ? 'cc' : `job${i}`));
    const entries = map([entry(10, null, 0, null, 'make'), ...kids]);
    const builder = new RowBuilder(entries, options);
    let steps = 0;
    // A deadline always past: every step does one slice and stops.
    let built = builder.step(0, () => 1);
    while (!built) {
      steps++;
      built = builder.step(0, () => 1);
    }
    expect(steps).toBeGreaterThan(3);
    expect(describeRows(built.rows)).toEqual(describeRows(buildRows(entries, options)));
    const fold = built.rows.findIndex((row) => row.kind === 'fold');
    expect(built.index.get(foldId(proc(10, 0, 10).key, 'cc'))).toBe(fold);
    expect(built.index.get(proc(1001, 0, 1001).key)).toBe(fold);
    expect(built.index.get(proc(1000, 0, 1000).key)).toBe(built.rows.findIndex((row) => row.kind === 'process' && row.entry.info.pid === 1000));
  });
});
