/**
 * A recording's event log as NDJSON: one ProcEvent per line, exactly the schema of
 * `forkscope events --json` (electron/common/events.ts), in recorded order.
 */
import type { Recording } from './Recording';
import { resolveSelection, type Selection } from './selection';

export function* exportNdjson(recording: Recording, selection: Selection = {}): Generator<string> {
  const { from, to, accepts } = resolveSelection(recording, selection);
  for (const event of recording.eventsBetween(from, to)) if (accepts(event)) yield JSON.stringify(event);
}
