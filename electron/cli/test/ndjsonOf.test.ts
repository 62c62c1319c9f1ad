import { describe, expect, it } from 'vitest';
import type { ProcEvent, RenderedLines } from '../../common/events';
import { ndjsonOf } from '../ndjsonOf';

const fork: ProcEvent = { kind: 'fork', ts: 1, pid: 10, ppid: 1 };
const lost: ProcEvent = { kind: 'lost', ts: 2, pid: 0, count: 3, reason: 'ENOBUFS' };
const exit: ProcEvent = { kind: 'exit', ts: 3, pid: 10, code: 0 };

/** Lines as a source renders them: each event's JSON, except 'lost', left empty. */
function rendered(events: ProcEvent[]): RenderedLines {
  let text = '';
  const lineEnd: number[] = [];
  for (const event of events) {
    if (event.kind !== 'lost') text += `${JSON.stringify(event)}\n`;
    lineEnd.push(Buffer.byteLength(text));
  }
  return { bytes: Buffer.from(text), lineEnd: Uint32Array.from(lineEnd) };
}

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

describe('ndjsonOf', () => {
  it('uses the rendered bytes as they are when every event is printed and rendered', () => {
    const lines = rendered([fork, exit]);
    expect(ndjsonOf([fork, exit], [fork, exit], lines)).toBe(lines.bytes);
  });

  it('stringifies what the source left unrendered, in order', () => {
    const events = [fork, lost, exit];
    expect(text(ndjsonOf(events, events, rendered(events)))).toBe(events.map((e) => `${JSON.stringify(e)}\n`).join(''));
  });

  it('prints only the selected events, and everything without rendered lines', () => {
    const events = [fork, lost, exit];
    expect(text(ndjsonOf(events, [lost, exit], rendered(events)))).toBe(`${JSON.stringify(lost)}\n${JSON.stringify(exit)}\n`);
    expect(text(ndjsonOf(events, [fork], undefined))).toBe(`${JSON.stringify(fork)}\n`);
  });

  it('slices the selected lines out of the rendered bytes instead of stringifying them again', () => {
    // Rendered lines that JSON.stringify would never produce: the output can only come from them.
    const events = [fork, lost, exit];
    const lines: RenderedLines = { bytes: Buffer.from('F\nX\n'), lineEnd: Uint32Array.from([2, 2, 4]) };
    expect(text(ndjsonOf(events, [exit], lines))).toBe('X\n');
    expect(text(ndjsonOf(events, [fork, lost], lines))).toBe(`F\n${JSON.stringify(lost)}\n`);
  });

  it('refuses lines that do not belong to the batch', () => {
    expect(() => ndjsonOf([fork, exit], [fork], rendered([fork]))).toThrow(/1 lines for 2 events/);
  });
});

describe('ndjsonOf with members from the model', () => {
  const group = { kind: 'unit', id: '/system.slice/a.service', name: 'a.service' };
  const membersOf = (event: ProcEvent) => (event.kind === 'fork' ? `"group":${JSON.stringify(group)}` : undefined);

  it('splices them into rendered and unrendered lines alike, as JSON.stringify would write them', () => {
    const events = [fork, lost, exit];
    const expected = `${JSON.stringify({ ...fork, group })}\n${JSON.stringify(lost)}\n${JSON.stringify(exit)}\n`;
    expect(text(ndjsonOf(events, events, rendered(events), membersOf))).toBe(expected);
    expect(text(ndjsonOf(events, events, undefined, membersOf))).toBe(expected);
    expect(JSON.parse(text(ndjsonOf(events, [fork], rendered(events), membersOf)))).toEqual({ ...fork, group });
  });

  it('keeps the rendered buffer as it is when no event gets any', () => {
    const lines = rendered([exit]);
    expect(ndjsonOf([exit], [exit], lines, membersOf)).toBe(lines.bytes);
  });
});
