import { describe, expect, it } from 'vitest';
import { proc } from '../model/testing';
import type { LifetimeEntry } from './LifetimeModel';
import { foldTooltip, processText, processTooltip } from './lifetimeText';
import type { FoldRow } from './rows';

const HOSTILE = '<img src=x onerror=alert(1)>\n\u202eevil';

function entry(pid: number, start: number, end: number | null, extra: Partial<LifetimeEntry> = {}): LifetimeEntry {
  const info = proc(pid, 1, pid, { comm: HOSTILE.slice(0, 15), argv: [HOSTILE, '-c', 'x.c'] });
  return { key: info.key, info, lineageKey: null, start, end, exit: end === null ? null : { key: info.key, at: end, code: 0 }, segments: [{ at: start, command: 'cc' }], ...extra };
}

describe('lifetime text', () => {
  it('says how long a process lived, its argv and how it ended, with hostile bytes escaped', () => {
    const tip = processTooltip(entry(42, 1000, 1250, { segments: [{ at: 1000, command: 'make' }, { at: 1010, command: 'cc' }] }), 5000);
    expect(tip).toContain('42 ');
    expect(tip).toContain('lived 250ms');
    expect(tip).toContain('exit 0');
    expect(tip).toContain('execs: make → cc');
    expect(tip).toContain('<img src=x onerror=alert(1)>\\n\\u202eevil -c x.c');
    expect(tip.split('\n')).toHaveLength(5);
  });

  it('says a living process is running, and one that vanished unseen ended unseen', () => {
    expect(processText(entry(7, 1000, null), 4000)).toMatch(/— 3\.0s, running$/);
    expect(processTooltip({ ...entry(7, 1000, 2000), exit: null }, 4000)).toContain('ended unseen');
  });

  it('sums up a fold: count, running, failed, shortest to longest', () => {
    const members = [entry(1, 0, 100), entry(2, 0, 300, { exit: { key: 'k', at: 300, signal: 'SIGKILL' } }), entry(3, 0, null)];
    const fold: FoldRow = { kind: 'fold', id: 'f', depth: 1, command: 'cc\n', members, start: 0, end: null, open: false };
    const tip = foldTooltip(fold, 1000);
    expect(tip).toContain('3 × cc\\n (1 running, 1 failed)');
    expect(tip).toContain('lived 100ms – 1.0s, median 300ms');
    expect(tip).toContain('click to open');
  });
});
