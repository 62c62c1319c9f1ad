/**
 * Seeking shortcuts must be invisible: a seek that skips a keyframe's expired tombstones, or that
 * reuses a cached keyframe, returns exactly the model a cold, full restore of the keyframe does.
 */
import { describe, expect, it } from 'vitest';
import type { ProcEvent } from '../../common/events';
import { decodeKeyframe, decodeKeyframeHead, decodeInfo } from './codec';
import { RecordType, scanRecords } from './format';
import { openRecording } from './Recording';
import { ReplayModel } from './ReplayModel';
import { CLOCK, recordSynthetic, T0 } from './test/synthetic';

/**
 * A shell loop whose children reuse 250 pids: child k runs as pid 3000 + k % 250, so a pid comes
 * back 2.5 s after its last holder died, while that holder is still a tombstone (TTL 5 s) — and
 * every third child leaves a grandchild that outlives it, so exits reparent live processes. Every
 * 37th child's fork is delivered again 3 s late (another CPU's backlog): by then a keyframe holds
 * that child as a tombstone, and the duplicate must find it there rather than start a new one.
 */
function reusingLoop(children: number): ProcEvent[] {
  const delivered: Array<{ at: number; event: ProcEvent }> = [];
  const events = { push: (...list: ProcEvent[]) => delivered.push(...list.map((event) => ({ at: event.ts, event }))) };
  const startTimeAt = (ts: number): number => Math.floor(((ts - CLOCK.bootEpochMs) * CLOCK.clkTck) / 1000);
  for (let k = 0; k < children; k++) {
    const pid = 3000 + (k % 250);
    const ts = T0 + 10 * k + 1;
    const startTime = startTimeAt(ts);
    events.push({ kind: 'fork', ts, pid, ppid: 1000, startTime, comm: 'sh' });
    if (k % 37 === 0) delivered.push({ at: ts + 3000, event: { kind: 'fork', ts, pid, ppid: 1000, startTime, comm: 'sh' } });
    events.push({ kind: 'exec', ts: ts + 1, pid, ppid: 1000, startTime, argv: ['sh', '-c', `child-${k}`], comm: 'sh' });
    if (k % 3 === 0) {
      const grandchild = 9000 + (k % 40);
      events.push({ kind: 'fork', ts: ts + 2, pid: grandchild, ppid: pid, startTime: startTimeAt(ts + 2), comm: 'sleep' });
      events.push({ kind: 'exit', ts: ts + 300, pid: grandchild, ppid: 1, startTime: startTimeAt(ts + 2), code: 0 });
    }
    events.push({ kind: 'exit', ts: ts + 5, pid, ppid: 1000, startTime, code: k % 256 });
  }
  return delivered.sort((a, b) => a.at - b.at).map(({ event }) => event);
}

const events = reusingLoop(1500); // 15 s: keyframes hold tombstones that expire mid-interval
const file = recordSynthetic(events, { chunkEvents: 64, keyframeEvents: 900 });
const moments = [0.5, 2.2, 3.1, 4.999, 5.6, 7.3, 8.05, 9.9, 11.2, 12.7, 14.4, 15.3, 18.5].map((s) => T0 + s * 1000);

/**
 * The reference seek: the keyframe Recording picks, restored in full (every tombstone, no cache,
 * no hint), then the events up to the moment replayed on it.
 */
function fullRestoreAt(ts: number): ReplayModel {
  const recording = openRecording(file);
  const position = recording.positionAt(ts);
  const { records } = scanRecords(file);
  const info = decodeInfo((records[0] as (typeof records)[0]).payload, 0);
  let chosen: { payload: Buffer; offset: number; eventIndex: number } | undefined;
  for (const record of records) {
    if (record.type !== RecordType.keyframe) continue;
    const head = decodeKeyframeHead(record.payload, record.offset);
    if (head.eventIndex <= position && head.ts <= ts) chosen = { payload: record.payload, offset: record.offset, eventIndex: head.eventIndex };
  }
  if (!chosen) throw new Error('no keyframe before the moment');
  const model = new ReplayModel(info, decodeKeyframe(chosen.payload, chosen.offset));
  recording.applyRange(model, chosen.eventIndex, position);
  model.advanceTo(ts);
  return model;
}

describe('Recording seek', () => {
  it('the recording has keyframes whose tombstones expire inside their interval', () => {
    const recording = openRecording(file);
    expect(recording.keyframeCount).toBeGreaterThanOrEqual(4);
    // Past 5 s of loop, a moment holds ~500 tombstones, some for pids a live child holds again.
    const state = recording.stateAt(T0 + 7300);
    const tombstones = state.filter((p) => p.exit);
    expect(tombstones.length).toBeGreaterThan(400);
    const livePids = new Set(state.filter((p) => !p.exit).map((p) => p.pid));
    expect(tombstones.some((p) => livePids.has(p.pid))).toBe(true);
  });

  it('every seek equals a full restore of its keyframe, field for field and in order', () => {
    const recording = openRecording(file);
    for (const ts of moments) {
      const state = recording.stateAt(ts);
      expect(state.length, `at +${ts - T0} ms`).toBeGreaterThan(2);
      expect(state, `at +${ts - T0} ms`).toEqual(fullRestoreAt(ts).processes());
    }
  });

  it('a warm seek (cached keyframes and chunks, any order) equals a cold one, field for field', () => {
    const warm = openRecording(file);
    const order = [...moments, ...moments.slice().reverse(), ...moments.filter((_, i) => i % 2 === 0)];
    for (const ts of order) {
      const cold = openRecording(file).stateAt(ts);
      expect(cold.length).toBeGreaterThan(2);
      expect(warm.stateAt(ts), `at +${ts - T0} ms`).toEqual(cold);
    }
  });

  it('a model built by a seek goes on replaying exactly like a fully restored one', () => {
    const recording = openRecording(file);
    const from = recording.positionAt(T0 + 4200);
    const to = recording.positionAt(T0 + 9700);
    const model = recording.modelAt(from, T0 + 4200);
    const reference = fullRestoreAt(T0 + 4200);
    for (const replay of [model, reference]) {
      recording.applyRange(replay, from, to);
      replay.advanceTo(T0 + 9700);
    }
    const state = model.processes();
    expect(state.filter((p) => p.exit).length).toBeGreaterThan(400);
    expect(state).toEqual(reference.processes());
  });
});
