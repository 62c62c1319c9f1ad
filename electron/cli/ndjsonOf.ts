/**
 * The NDJSON of the events a log prints from one batch. Where the source already rendered the
 * batch (the native reader, RenderedLines) its bytes are used as they are, the whole buffer when
 * every event is printed; an event it did not render is stringified here.
 */
import type { ProcEvent, RenderedLines } from '../common/events';

const encoder = new TextEncoder();

/** `selected` is a subsequence of `events` (same objects, same order). */
export function ndjsonOf(events: readonly ProcEvent[], selected: readonly ProcEvent[], lines?: RenderedLines): Uint8Array {
  if (lines && lines.lineEnd.length !== events.length) {
    throw new Error(`rendered lines do not match the batch: ${lines.lineEnd.length} lines for ${events.length} events`);
  }
  if (lines && selected.length === events.length && everyLineRendered(lines)) return lines.bytes;
  const chunks: Uint8Array[] = [];
  let next = 0;
  for (let i = 0; i < events.length && next < selected.length; i++) {
    const event = events[i]!;
    if (event !== selected[next]) continue;
    next++;
    const start = i === 0 ? 0 : lines?.lineEnd[i - 1];
    const end = lines?.lineEnd[i];
    if (start !== undefined && end !== undefined && end > start) chunks.push(lines!.bytes.subarray(start, end));
    else chunks.push(encoder.encode(JSON.stringify(event) + '\n'));
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
