/**
 * The NDJSON of the events a log prints from one batch. Where the source already rendered the
 * batch (the native reader, RenderedLines) its bytes are used as they are, the whole buffer when
 * every event is printed; an event it did not render is stringified here.
 *
 * `membersOf` may add members to an event's object (`"group":{…}`, the model's knowledge, which
 * the source does not have): they are spliced in before its closing brace, so a rendered line
 * keeps its bytes and stays what JSON.stringify of the extended event would give.
 */
import type { ProcEvent, RenderedLines } from '../common/events';

const encoder = new TextEncoder();

/** `selected` is a subsequence of `events` (same objects, same order). */
export function ndjsonOf(
  events: readonly ProcEvent[],
  selected: readonly ProcEvent[],
  lines?: RenderedLines,
  membersOf?: (event: ProcEvent) => string | undefined,
): Uint8Array {
  if (lines && lines.lineEnd.length !== events.length) {
    throw new Error(`rendered lines do not match the batch: ${lines.lineEnd.length} lines for ${events.length} events`);
  }
  const members = membersOf ? selected.map(membersOf) : [];
  const extended = members.some((each) => each !== undefined);
  if (lines && !extended && selected.length === events.length && everyLineRendered(lines)) return lines.bytes;
  const chunks: Uint8Array[] = [];
  let next = 0;
  for (let i = 0; i < events.length && next < selected.length; i++) {
    const event = events[i]!;
    if (event !== selected[next]) continue;
    const extra = members[next];
    next++;
    const start = i === 0 ? 0 : lines?.lineEnd[i - 1];
    const end = lines?.lineEnd[i];
    const line =
      start !== undefined && end !== undefined && end > start ? lines!.bytes.subarray(start, end) : encoder.encode(JSON.stringify(event) + '\n');
    if (extra === undefined) chunks.push(line);
    else chunks.push(line.subarray(0, line.length - 2), encoder.encode(`,${extra}}\n`)); // drop "}\n"
  }
  return concat(chunks);
}

function everyLineRendered(lines: RenderedLines): boolean {
  let previous = 0;
  for (const end of lines.lineEnd) {
    if (end === previous) return false;
    previous = end;
  }
  return true;
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  let length = 0;
  for (const chunk of chunks) length += chunk.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
