import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../common/delta';
import type { ProcEvent } from '../../common/events';
import { ProcessTable } from '../model/ProcessTable';
import { parseStat } from '../procfs/parseStat';
import { readProcessDetail } from '../procfs/readProcessDetail';
import { exportNdjson } from './exportNdjson';
import { exportPerfetto } from './exportPerfetto';
import { openRecording } from './Recording';
import { ReplayEngine } from './ReplayEngine';
import { CLOCK, INITIAL, loopEvents, recordSynthetic, T0 } from './test/synthetic';

const events = loopEvents(400);
const recording = openRecording(recordSynthetic(events, { chunkEvents: 50, keyframeEvents: 300 }));

/** The live model after the events up to and including `ts`, built by a real ProcessTable. */
function liveAt(ts: number) {
  let clock = T0;
  const table = new ProcessTable({ clock: CLOCK, now: () => clock, userName: (uid) => (uid === 0 ? 'root' : 'alice') });
  table.load(INITIAL.map((p) => ({ ...p, rssKb: 0, cpuTicks: 0, kernelThread: false })));
  for (const event of events) {
    if (event.ts > ts) break;
    clock = event.ts;
    table.apply([event]);
  }
  clock = ts;
  table.expireTombstones();
  return table.all().map((p) => ({ key: p.key, ppid: p.ppid, argv: p.argv, exit: p.exit })).sort((a, b) => a.key.localeCompare(b.key));
}

const shape = (processes: ReturnType<typeof recording.stateAt>) =>
  processes.map((p) => ({ key: p.key, ppid: p.ppid, argv: p.argv, exit: p.exit })).sort((a, b) => a.key.localeCompare(b.key));

describe('Recording (synthetic loop)', () => {
  it('stateAt(t) is the model exactly as it was at t, tombstones included', () => {
    for (const ts of [T0, T0 + 3, T0 + 777, T0 + 2003, T0 + 3006, T0 + 3999.5, T0 + 4100]) {
      const state = shape(recording.stateAt(ts));
      expect(state, `at +${ts - T0} ms`).toEqual(liveAt(ts));
      expect(state.length).toBeGreaterThanOrEqual(2);
    }
    // Mid-storm: the child being run is alive with its argv; recent ones are tombstones.
    const mid = recording.stateAt(T0 + 2003);
    const running = mid.find((p) => p.argv?.[3] === 'child-200');
    expect(running?.exit).toBeUndefined();
    expect(mid.find((p) => p.argv?.[3] === 'child-199')?.exit?.code).toBe(199);
    expect(mid.filter((p) => p.exit)).toHaveLength(200); // none is older than the 5 s TTL yet
  });

  it('counts events per bucket and sums to the whole', () => {
    const density = recording.eventDensity(40);
    expect(density.counts).toHaveLength(40);
    expect(density.counts.reduce((a, b) => a + b, 0)).toBe(events.length);
    expect(Math.max(...density.counts) - Math.min(...density.counts)).toBeLessThanOrEqual(6);
    expect(density.losses).toEqual([]);
  });

  it('diffs two moments: started, ended, changed', () => {
    const diff = recording.diff(T0 + 493, T0 + 1000);
    const startedArgv = diff.started.map((p) => p.argv?.[3]);
    expect(startedArgv).toContain('child-50');
    expect(startedArgv).toContain('child-99');
    expect(startedArgv).not.toContain('child-49');
    expect(diff.ended.map((e) => e.process.argv?.[3])).toEqual(['child-49']);
    expect(diff.ended[0]?.exit?.code).toBe(49);
    expect(diff.eventCounts.fork).toBe(50);
    expect(diff.eventCounts.exit).toBe(51);
  });

  it('exports NDJSON lines that parse to the recorded events', () => {
    const lines = [...exportNdjson(recording)];
    expect(lines.map((line) => JSON.parse(line))).toEqual(events);
    const subtree = [...exportNdjson(recording, { pid: 2010, from: T0, to: T0 + 200 })].map((line) => JSON.parse(line));
    expect(subtree.map((e) => e.kind)).toEqual(['fork', 'exec', 'exit']);
  });

  it('exports a Perfetto trace with one slice per process and a flow per fork', () => {
    const trace = JSON.parse(JSON.stringify(exportPerfetto(recording)));
    const slices = trace.traceEvents.filter((e: { ph: string }) => e.ph === 'X');
    expect(slices).toHaveLength(2 + 400);
    const child7 = slices.find((e: { args: { argv: string[] | null } }) => e.args.argv?.[3] === 'child-7');
    expect(child7).toMatchObject({ pid: 2007, tid: 2007, ts: 71_000, dur: 5000, args: { ppid: 1000, exitCode: 7, user: 'alice' } });
    const starts = trace.traceEvents.filter((e: { ph: string }) => e.ph === 's');
    const ends = trace.traceEvents.filter((e: { ph: string }) => e.ph === 'f');
    expect(starts).toHaveLength(400);
    expect(ends.map((e: { id: number }) => e.id)).toEqual(starts.map((e: { id: number }) => e.id));
    expect(starts[0]).toMatchObject({ pid: 1000, tid: 1000 });
  });

  it('replays through a Session: seek, step back and forth, refuse signals', async () => {
    const replay = new ReplayEngine(recording, { label: 'test' });
    const messages: ServerMessage[] = [];
    const sub = replay.subscribe((message) => messages.push(message));
    expect(messages[0]?.type).toBe('snapshot');
    replay.seek(T0 + 2003); // forward: the model is advanced in place
    expect(shape(sub.requestSnapshot().processes)).toEqual(liveAt(T0 + 2003));
    replay.seek(T0 + 1234); // backward: rebuilt from a keyframe, pushed to every subscriber
    const pushed = messages[messages.length - 1];
    if (pushed?.type !== 'snapshot') throw new Error('no snapshot pushed after a backward seek');
    expect(shape(pushed.snapshot.processes)).toEqual(liveAt(T0 + 1234));
    expect(pushed.snapshot.source.kind).toBe('replay');
    replay.seek(T0 + 2003);
    const position = replay.playback().position;
    replay.step(1);
    expect(replay.playback().position).toBe(position + 1);
    replay.step(-1);
    replay.step(-1);
    expect(replay.playback().position).toBe(position - 1);
    expect(replay.signal({ pid: 2000, startTime: 1, signal: 'SIGKILL', subtree: false }).outcomes[0]?.ok).toBe(false);
    const detail = await replay.getDetail(1000, 50);
    expect(detail.cmdline).toEqual({ ok: true, value: ['bash'] });
    expect(detail.cwd).toMatchObject({ ok: false, reason: 'error' });
    expect(() => replay.play(20)).toThrow(/speed must be from 0.1 to 10/);
    sub.close();
    replay.close();
  });

  it('gives a replayed process every /proc field a live one has, each kept or saying why not', async () => {
    const self = `/proc/${process.pid}/stat`;
    const live = await readProcessDetail(process.pid, parseStat(readFileSync(self, 'utf8')).fields.startTime);
    const replay = new ReplayEngine(recording, { label: 'test', startAt: T0 + 2003 });
    const replayed = await replay.getDetail(1000, 50);
    replay.close();
    const fieldNames = (detail: object) =>
      Object.entries(detail)
        .filter(([, value]) => typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean')
        .map(([name]) => name)
        .sort();
    expect(fieldNames(live)).toContain('oomScoreAdj');
    expect(fieldNames(replayed)).toEqual(fieldNames(live));
    expect(replayed.comm).toEqual({ ok: true, value: 'bash' });
    expect(replayed.wchan).toMatchObject({ ok: false, reason: 'error', message: expect.stringMatching(/^from a recording: /) });
  });

  it('positionAfter stops at the first later event in stream order, stragglers included', () => {
    // Every 25th event is followed by a straggler stamped 300 ms earlier (another CPU's backlog).
    const stream: ProcEvent[] = [];
    events.forEach((event, i) => {
      stream.push(event);
      if (i % 25 === 24) stream.push({ kind: 'comm', ts: event.ts - 300, pid: 1000, comm: 'bash' });
    });
    const shuffled = openRecording(recordSynthetic(stream, { chunkEvents: 16, keyframeEvents: 300 }));
    const slow = (from: number, ts: number): number => {
      let end = from;
      while (end < shuffled.endIndex && (shuffled.eventAt(end)?.ts ?? Infinity) <= ts) end++;
      return end;
    };
    let checked = 0;
    for (let from = 0; from <= shuffled.endIndex; from += 37) {
      for (const ts of [T0 - 1, T0 + 250, T0 + 1001, T0 + 1002.5, T0 + 2700, T0 + 4100]) {
        expect(shuffled.positionAfter(from, ts), `from ${from} to +${ts - T0} ms`).toBe(slow(from, ts));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(shuffled.positionAt(T0 + 1001)).toBe(slow(0, T0 + 1001));
  });

  it('plays forward in time at the chosen speed', async () => {
    let wall = 0;
    const replay = new ReplayEngine(recording, { label: 'test', now: () => wall, frameMs: 5 });
    replay.play(10);
    wall = 100; // 100 ms of wall time at 10× = 1 s of recording
    await new Promise((resolve) => setTimeout(resolve, 30));
    replay.pause();
    expect(replay.playback().time).toBe(T0 + 1000);
    expect(replay.playback().position).toBe(recording.positionAt(T0 + 1000));
    replay.close();
  });
});

describe('Recording (a process whose main thread leaves first)', () => {
  // exit_group: the leader's exit can reach us while another thread still runs (it runs its
  // do_exit on another CPU), or the leader called pthread_exit. A keyframe that falls in between
  // must carry the leader's exit, or replay from it never ends the process.
  const startTime = Math.floor(((T0 + 1 - CLOCK.bootEpochMs) * CLOCK.clkTck) / 1000);
  const threaded: ProcEvent[] = [
    { kind: 'fork', ts: T0 + 1, pid: 500, ppid: 1000, startTime, comm: 'worker' },
    { kind: 'thread-start', ts: T0 + 2, pid: 500, tid: 501 },
    { kind: 'exit', ts: T0 + 3, pid: 500, tid: 500, code: 3 },
    { kind: 'thread-exit', ts: T0 + 4, pid: 500, tid: 501 },
  ];
  const file = openRecording(recordSynthetic(threaded, { keyframeEvents: 3 }, 1));

  it('replays its end from a keyframe taken while its last thread ran', () => {
    expect(file.keyframeCount).toBeGreaterThanOrEqual(2); // the initial one, and one after the leader's exit
    const running = file.stateAt(T0 + 3).find((p) => p.pid === 500);
    expect(running?.threads).toBe(1);
    expect(running?.exit).toBeUndefined();
    // The leader's status is how it ended: its last thread reported none.
    expect(file.stateAt(T0 + 4).find((p) => p.pid === 500)?.exit).toEqual({ key: `500@${startTime}`, at: T0 + 4, code: 3 });
  });
});
