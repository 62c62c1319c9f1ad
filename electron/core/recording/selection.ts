/**
 * A selection of a recording for export: a time range and/or the subtree of one process. The
 * subtree is followed through the events — every process forked by a member joins it — starting
 * from the descendants the process had at the start of the range.
 */
import type { ProcEvent } from '../../common/events';
import type { ProcessInfo } from '../../common/process';
import type { Recording } from './Recording';

export interface Selection {
  /** ms since epoch; default the recording's start. */
  from?: number;
  /** ms since epoch; default the recording's end. */
  to?: number;
  /** Only this process and its descendants. */
  pid?: number;
}

export interface ResolvedSelection {
  from: number;
  to: number;
  /** Processes alive (or tombstoned) at `from` that the selection covers. */
  initial: ProcessInfo[];
  /** Whether an event belongs to the selection; call in event order (it follows forks). */
  accepts(event: ProcEvent): boolean;
}

export function resolveSelection(recording: Recording, selection: Selection): ResolvedSelection {
  const range = recording.timeRange;
  const from = selection.from ?? range.start;
  const to = selection.to ?? range.end;
  if (!(from <= to)) throw new RangeError(`selection --from ${from} is after --to ${to}`);
  const state = recording.stateAt(from);
  if (selection.pid === undefined) return { from, to, initial: state, accepts: () => true };

  const root = selection.pid;
  const members = new Set<number>([root]);
  const childrenOf = new Map<number, number[]>();
  for (const p of state) {
    if (p.exit) continue;
    const siblings = childrenOf.get(p.ppid);
    if (siblings) siblings.push(p.pid);
    else childrenOf.set(p.ppid, [p.pid]);
  }
  for (const pid of members) for (const child of childrenOf.get(pid) ?? []) members.add(child);
  const initial = state.filter((p) => members.has(p.pid) && (!p.exit || p.pid === root));
  return {
    from,
    to,
    initial,
    accepts(event) {
      if (event.kind === 'lost') return true; // loss concerns every process: never hide it
      if (event.kind === 'fork' && event.ppid !== undefined && members.has(event.ppid)) members.add(event.pid);
      const member = members.has(event.pid);
      // Once a member has exited its pid may be reused by a stranger.
      if (member && event.kind === 'exit' && (event.tid === undefined || event.tid === event.pid)) members.delete(event.pid);
      return member;
    },
  };
}
