/**
 * What happened between two moments of a recording: processes that started (absent, or not yet
 * born, at the first moment), ended (alive at the first, exited or gone at the second, with how
 * they died when known), and changed (alive at both, with the fields that differ).
 */
import type { ProcEvent } from '../../common/events';
import type { ProcessInfo } from '../../common/process';
import type { DiffField, TimelineDiff } from '../../common/timeline';

/** The diff without the two moments, which the caller knows. */
export type StateDiff = Omit<TimelineDiff, 'from' | 'to'>;
type ProcessFieldChange = StateDiff['changed'][number];

const COMPARED: readonly DiffField[] = ['ppid', 'argv', 'comm', 'uid', 'threads', 'execs'];

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * `events` are those between the moments, counted by kind. A process born and expired from the
 * model in between is in neither state: it shows only in those counts.
 */
export function diffStates(before: readonly ProcessInfo[], after: readonly ProcessInfo[], events: readonly ProcEvent[]): StateDiff {
  const then = new Map(before.map((p) => [p.key, p]));
  const now = new Map(after.map((p) => [p.key, p]));
  const started: ProcessInfo[] = [];
  const ended: StateDiff['ended'] = [];
  const changed: ProcessFieldChange[] = [];
  for (const p of after) {
    const old = then.get(p.key);
    if (!old) {
      started.push(p);
      continue;
    }
    if (old.exit) continue;
    if (p.exit) {
      ended.push({ process: p, exit: p.exit });
      continue;
    }
    const fields: ProcessFieldChange['fields'] = {};
    for (const field of COMPARED) if (!same(old[field], p[field])) fields[field] = { before: old[field], after: p[field] };
    if (Object.keys(fields).length > 0) changed.push({ key: p.key, pid: p.pid, fields });
  }
  for (const p of before) if (!p.exit && !now.has(p.key)) ended.push({ process: p });
  const eventCounts: StateDiff['eventCounts'] = {};
  for (const event of events) eventCounts[event.kind] = (eventCounts[event.kind] ?? 0) + 1;
  return { started, ended, changed, eventCounts };
}
