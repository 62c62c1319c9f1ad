/**
 * A recording's event log as NDJSON, exactly what `forkscope events --json` printed live
 * (electron/common/events.ts), in recorded order: fork and exec lines carry their process's group
 * as the replayed model knows it right after the event, and a group line follows when a re-read
 * the recording kept gives a process those lines named a new group.
 */
import type { GroupLine } from '../../common/events';
import { sameGroup, type ProcessGroup } from '../../common/process';
import type { Recording } from './Recording';
import { resolveSelection, type Selection } from './selection';

export function* exportNdjson(recording: Recording, selection: Selection = {}): Generator<string> {
  const { from, to, accepts } = resolveSelection(recording, selection);
  /** pid → the group its last fork or exec line gave it, until its exit. */
  const named = new Map<number, ProcessGroup | undefined>();
  for (const steps of recording.replayBetween(from, to)) {
    for (const step of steps) {
      if ('placed' in step) {
        const { pid, group } = step.placed;
        if (!group || !named.has(pid) || sameGroup(named.get(pid), group)) continue;
        named.set(pid, group);
        const line: GroupLine = { kind: 'group', ts: step.ts, pid, group };
        yield JSON.stringify(line);
        continue;
      }
      const { event, group } = step;
      if (!accepts(event)) continue;
      if (event.kind === 'fork' || event.kind === 'exec') named.set(event.pid, group);
      else if (event.kind === 'exit' && (event.tid === undefined || event.tid === event.pid)) named.delete(event.pid);
      yield JSON.stringify(group ? { ...event, group } : event);
    }
  }
}
