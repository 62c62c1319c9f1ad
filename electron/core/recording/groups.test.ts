/**
 * Groups in recordings: a group re-read after a process's exec (a placement patch) is replayed
 * where it happened and exported as `events --json` printed it; a recording without groups or
 * placement patches (as writers before them made) replays as before; a malformed patch is named.
 */
import { describe, expect, it } from 'vitest';
import type { ProcEvent } from '../../common/events';
import type { ProcessGroup } from '../../common/process';
import { ProcessTable } from '../model/ProcessTable';
import { encodeChunk, encodeFileHead, summarize } from './codec';
import { exportNdjson } from './exportNdjson';
import { encodeRecord, RecordType } from './format';
import { openRecording } from './Recording';
import { RecordingWriter } from './RecordingWriter';
import { CLOCK, INITIAL, loopEvents, recordSynthetic, syntheticInfo, T0 } from './test/synthetic';

const SHELL: ProcessGroup = { kind: 'scope', id: '/user.slice/session-3.scope', name: 'session-3.scope' };
const SERVICE: ProcessGroup = { kind: 'unit', id: '/system.slice/web.service', name: 'web.service' };
const startTime = (ts: number) => Math.floor(((ts - CLOCK.bootEpochMs) * CLOCK.clkTck) / 1000);

/**
 * bash (in its session scope) forks 3000, which execs; 150 ms later the engine reads that 3000
 * was moved to web.service; then bash forks and reaps a few more children. Written through the
 * real writer, with a keyframe before and after the move.
 */
function movedRecording(): Buffer {
  const records: Buffer[] = [encodeFileHead(syntheticInfo())];
  let clock = T0;
  const table = new ProcessTable({ clock: CLOCK, now: () => clock, userName: () => 'alice' });
  table.load(INITIAL.map((p) => ({ ...p, rssKb: 0, cpuTicks: 0, kernelThread: false, ...(p.pid === 1000 ? { group: SHELL } : {}) })));
  const writer = new RecordingWriter({ append: (record) => records.push(record) }, () => table.all(), clock, { keyframeEvents: 6 });
  const feed = (events: ProcEvent[]) => {
    clock = events[events.length - 1]!.ts;
    table.apply(events);
    writer.addEvents(events, clock);
  };
  const st = startTime(T0 + 1);
  feed([
    { kind: 'fork', ts: T0 + 1, pid: 3000, ppid: 1000, startTime: st, comm: 'bash' },
    { kind: 'exec', ts: T0 + 2, pid: 3000, ppid: 1000, startTime: st, argv: ['/usr/bin/web'], comm: 'web' },
  ]);
  feed(loopEvents(1, 4000).map((event) => ({ ...event, ts: event.ts + 50 })));
  clock = T0 + 150;
  const change = table.setPlacement({ pid: 3000, startTime: st }, { group: SERVICE });
  expect(change).toEqual({ pid: 3000, startTime: st, group: SERVICE });
  writer.addPlacementPatch(change!, clock);
  feed(loopEvents(3, 5000).map((event) => ({ ...event, ts: event.ts + 200 })));
  writer.flushChunk(clock);
  return Buffer.concat(records);
}

describe('groups in recordings', () => {
  it('replays a group re-read where it happened, keyframes carry it, and the export prints it as events --json does', () => {
    const recording = openRecording(movedRecording());
    expect(recording.notes).toEqual([]);
    const web = (ts: number) => recording.stateAt(ts).find((p) => p.pid === 3000);
    expect(web(T0 + 10)?.group).toEqual(SHELL); // inherited at fork, the exec's group not read yet
    expect(web(T0 + 150)?.group).toEqual(SERVICE);
    expect(web(recording.timeRange.end)?.group).toEqual(SERVICE);

    const lines = [...exportNdjson(recording)].map((line) => JSON.parse(line) as { kind: string; pid: number; group?: ProcessGroup; ts: number });
    const mine = lines.filter((line) => line.pid === 3000);
    expect(mine.map((line) => [line.kind, line.group?.name])).toEqual([
      ['fork', 'session-3.scope'],
      ['exec', 'session-3.scope'],
      ['group', 'web.service'],
    ]);
    // The group line stands between the events it came between, at the recording's clock then
    // (a patch has no time of its own: the last event's).
    const at = lines.indexOf(mine[2]!);
    expect(mine[2]).toEqual({ kind: 'group', ts: lines[at - 1]!.ts, pid: 3000, group: SERVICE });
    expect(lines[at - 1]!.ts).toBeLessThan(T0 + 150);
    expect(lines[at + 1]!.ts).toBeGreaterThan(T0 + 150);
    // Children forked by bash print bash's group; a range from after the move has no group line.
    expect(lines.filter((line) => line.kind === 'fork' && line.pid !== 3000).every((line) => line.group?.name === 'session-3.scope')).toBe(true);
    expect([...exportNdjson(recording, { from: T0 + 200 })].some((line) => line.includes('"kind":"group"'))).toBe(false);
  });

  it('replays and exports a recording made before groups were recorded exactly as before', () => {
    const events = loopEvents(50);
    const recording = openRecording(recordSynthetic(events, { chunkEvents: 20, keyframeEvents: 60 }));
    expect(recording.notes).toEqual([]);
    expect([...exportNdjson(recording)].map((line) => JSON.parse(line) as ProcEvent)).toEqual(events);
    expect(recording.stateAt(recording.timeRange.end).every((p) => p.group === undefined)).toBe(true);
  });

  it('names a malformed placement patch and replays its chunk as lost', () => {
    const events = loopEvents(2);
    const body = { events, patches: [], placements: [{ after: 1, pid: 2000, startTime: 1, group: { kind: 'galaxy', id: 'x', name: 'x' } }] };
    const chunk = encodeRecord(RecordType.events, encodeChunk(summarize(body as never, 0, T0), body as never));
    const recording = openRecording(Buffer.concat([recordSynthetic([]), chunk]));
    expect([...recording.events()].map((event) => event.kind)).toEqual(Array(events.length).fill('lost'));
    expect(recording.notes.join('\n')).toMatch(/placement patch 0\.group\.kind must be one of unit, scope/);
  });
});
