/**
 * A recording is untrusted input. Whatever bytes arrive — random, cut, bit-flipped, or crafted
 * to hurt — opening them gives a RecordingFormatError with a message, or a recording that
 * replays cleanly through every operation a host offers, and every process and event it yields
 * passes the validator. Nothing else may escape, and nothing may hang (inputs are small; each
 * case runs every operation once).
 */
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import type { ProcEvent } from '../../common/events';
import { mulberry32 } from '../../common/mulberry32';
import { encodeChunk, encodeFileHead, encodeKeyframe, encodeStatus, MAX_CHUNK_EVENTS, summarize, type ChunkSummary } from './codec';
import { exportNdjson } from './exportNdjson';
import { exportPerfetto } from './exportPerfetto';
import { encodePreamble, encodeRecord, RECORD_HEADER_BYTES, RecordingFormatError, RecordType, scanRecords, type RecordTypeCode } from './format';
import { MAX_KEYFRAME_INTERVAL, openRecording, type Recording } from './Recording';
import { ReplayEngine } from './ReplayEngine';
import { loopEvents, recordSynthetic, syntheticInfo, T0 } from './test/synthetic';
import { TimeMachine } from './TimeMachine';
import { checkEvent, checkProcess } from './validate';

const events = loopEvents(60);
const file = recordSynthetic(events, { chunkEvents: 16, keyframeEvents: 50 });
const records = scanRecords(file).records;

/**
 * Open `bytes` and, when they open, use the recording as hosts do: timeline, moments, diff,
 * exports, a replay engine seeking and stepping, a time machine showing it. Returns the outcome;
 * throws (failing the test) only when something other than a RecordingFormatError escaped.
 */
function exercise(bytes: Buffer): { refused: string } | { recording: Recording } {
  let recording: Recording;
  try {
    recording = openRecording(bytes);
  } catch (error) {
    if (!(error instanceof RecordingFormatError)) throw error;
    expect(error.message).toMatch(/\S/);
    return { refused: error.message };
  }
  const { start, end } = recording.timeRange;
  const middle = start + (end - start) / 2;
  expect(recording.eventDensity(64).counts).toHaveLength(64);
  recording.lossMarkers();
  let i = 0;
  for (const event of recording.events()) checkEvent(event, `replayed event ${i++}`);
  for (const ts of [start, middle, end]) {
    for (const p of recording.stateAt(ts)) checkProcess(p, `process at ${ts}`);
  }
  recording.diff(start, end);
  [...exportNdjson(recording)].forEach((line) => JSON.parse(line));
  exportPerfetto(recording);
  const messages: unknown[] = [];
  // Its clock reads Date.now at each frame, so the fake timers below drive playback.
  const engine = new ReplayEngine(recording, { label: 'fuzz', now: () => Date.now() });
  const subscription = engine.subscribe((message) => messages.push(message));
  engine.seek(middle);
  engine.step(1);
  engine.step(-1);
  engine.seek(end);
  engine.step(1);
  engine.seek(start);
  // Playback frames run on a timer, where a throw would escape to the process: play it through.
  vi.useFakeTimers();
  try {
    engine.seek(start);
    engine.play(10);
    vi.advanceTimersByTime(100);
    if (end > start) expect(engine.playback().time).toBeGreaterThan(start);
    engine.pause();
  } finally {
    vi.useRealTimers();
  }
  subscription.close();
  engine.close();
  expect(messages.length).toBeGreaterThan(0);
  const machine = new TimeMachine({ recording: { recording, label: 'fuzz.fsrec' } });
  machine.state();
  machine.density(16);
  machine.seek(middle);
  machine.step(1);
  machine.diff(start, end);
  machine.exportRecording({ format: 'perfetto' });
  machine.exportRecording({ format: 'ndjson' });
  machine.close();
  return { recording };
}

function replays(bytes: Buffer): Recording {
  const outcome = exercise(bytes);
  if ('refused' in outcome) throw new Error(`refused: ${outcome.refused}`);
  return outcome.recording;
}

function refusal(bytes: Buffer): string {
  const outcome = exercise(bytes);
  if (!('refused' in outcome)) throw new Error('opened a file it should refuse');
  return outcome.refused;
}

/** A record's bytes in `file`. */
function recordBytes(index: number): Buffer {
  const record = records[index];
  if (!record) throw new Error(`no record ${index}`);
  return file.subarray(record.offset, record.offset + RECORD_HEADER_BYTES + record.payload.length);
}

/** Where the first events chunk starts: a file cut there holds the info and the first keyframe. */
const firstChunk = records.findIndex((record) => record.type === RecordType.events);

/** An events record whose body is `json` verbatim (to craft what JSON.stringify would not write). */
function rawChunk(summary: ChunkSummary, json: string): Buffer {
  const head = encodeChunk(summary, { events: [], patches: [] }).subarray(0, 32);
  return encodeRecord(RecordType.events, Buffer.concat([head, deflateRawSync(Buffer.from(json, 'utf8'))]));
}

/** A keyframe record whose process list is `json` verbatim. */
function rawKeyframe(ts: number, eventIndex: number, json: string): Buffer {
  const head = encodeKeyframe({ ts, eventIndex, processes: [] }).subarray(0, 16);
  return encodeRecord(RecordType.keyframe, Buffer.concat([head, deflateRawSync(Buffer.from(json, 'utf8'))]));
}

/** The synthetic file's head and first keyframe, then a chunk of `json` events (count announced). */
function withChunk(json: string, count: number, ts = T0 + 1): Buffer {
  return Buffer.concat([file.subarray(0, (records[firstChunk] as { offset: number }).offset), rawChunk({ minTs: ts, maxTs: ts, firstIndex: 0, eventCount: count, lostCount: 0 }, json)]);
}

/** A recording whose first keyframe holds `json` as its processes. */
function withKeyframe(json: string): Buffer {
  return Buffer.concat([encodeFileHead(syntheticInfo()), rawKeyframe(T0, 0, json)]);
}

const fork = (fields: Record<string, unknown> = {}): string => JSON.stringify({ kind: 'fork', ts: T0 + 1, pid: 4242, ppid: 1000, startTime: 100_001, comm: 'x', ...fields });
const proc = (fields: Record<string, unknown> = {}): Record<string, unknown> => ({
  key: '7@70',
  pid: 7,
  ppid: 1,
  startTime: 70,
  startedAt: T0,
  uid: 0,
  user: 'root',
  comm: 'p',
  argv: ['p'],
  state: 'S',
  threads: 1,
  ...fields,
});

describe('a hostile recording', () => {
  it('is refused or replayed cleanly, whatever random bytes it holds', () => {
    const random = mulberry32(1);
    const outcomes = { refused: 0, replayed: 0 };
    for (let n = 0; n < 200; n++) {
      const noise = Buffer.from(Array.from({ length: Math.floor(random() * 2048) }, () => Math.floor(random() * 256)));
      // Half start like a recording, so the noise reaches the record walker and the decoders.
      const bytes = n % 2 === 0 ? noise : Buffer.concat([file.subarray(0, Math.floor(random() * file.length)), noise]);
      outcomes['refused' in exercise(bytes) ? 'refused' : 'replayed']++;
    }
    expect(outcomes.refused).toBeGreaterThan(0);
    expect(outcomes.replayed).toBeGreaterThan(0);
  });

  it('cut at every record boundary and at random bytes, replays every whole chunk before the cut', () => {
    const random = mulberry32(2);
    const cuts = records.flatMap((record) => [record.offset, record.offset + 1, record.offset + RECORD_HEADER_BYTES]);
    for (let n = 0; n < 40; n++) cuts.push(Math.floor(random() * file.length));
    let replayedCuts = 0;
    for (const cut of cuts) {
      const before = records.filter((record) => record.offset + RECORD_HEADER_BYTES + record.payload.length <= cut);
      const outcome = exercise(file.subarray(0, cut));
      if (!before.some((record) => record.type === RecordType.keyframe)) {
        expect('refused' in outcome, `cut at ${cut}`).toBe(true);
        continue;
      }
      if ('refused' in outcome) throw new Error(`cut at ${cut} refused: ${outcome.refused}`);
      // A chunk's summary holds its event count at byte 24.
      const whole = before.filter((record) => record.type === RecordType.events).reduce((sum, record) => sum + record.payload.readUInt32LE(24), 0);
      expect(outcome.recording.eventCount, `cut at ${cut}`).toBe(whole);
      expect([...outcome.recording.events()]).toEqual(events.slice(0, outcome.recording.eventCount));
      replayedCuts++;
    }
    expect(replayedCuts).toBeGreaterThan(cuts.length / 2);
  });

  it('with bits flipped, stops at the damaged record; with its CRC made to match, replays the damage as a loss', () => {
    const random = mulberry32(3);
    for (let n = 0; n < 100; n++) {
      const damaged = Buffer.from(file);
      for (let flips = 1 + Math.floor(random() * 4); flips > 0; flips--) {
        const at = Math.floor(random() * damaged.length);
        damaged.writeUInt8(damaged.readUInt8(at) ^ (1 << Math.floor(random() * 8)), at);
      }
      exercise(damaged);
    }
    // The same flips inside one record's payload, its CRC recomputed: the decoders see the damage.
    let lossesReplayed = 0;
    for (let n = 0; n < 100; n++) {
      const index = 1 + Math.floor(random() * (records.length - 1));
      const record = records[index] as { type: RecordTypeCode; payload: Buffer; offset: number };
      const payload = Buffer.from(record.payload);
      const at = Math.floor(random() * payload.length);
      payload.writeUInt8(payload.readUInt8(at) ^ (1 << Math.floor(random() * 8)), at);
      const end = record.offset + RECORD_HEADER_BYTES + record.payload.length;
      const outcome = exercise(Buffer.concat([file.subarray(0, record.offset), encodeRecord(record.type, payload), file.subarray(end)]));
      if ('recording' in outcome && outcome.recording.notes.some((note) => note.endsWith('events are replayed as lost'))) lossesReplayed++;
    }
    expect(lossesReplayed).toBeGreaterThan(0);
  });

  it('refuses a chunk whose events break the contract, naming the event and field, and keeps the moments before it', () => {
    const hostile: Array<[string, RegExp]> = [
      [fork({ pid: -1 }), /event 0\.pid must be an integer in 1\.\.4194304/],
      [fork({ pid: 1e12 }), /event 0\.pid must be/],
      [fork({ pid: '4242' }), /event 0\.pid must be/],
      [fork({ ts: null }), /event 0\.ts must be a time/],
      [fork({ ts: -5 }), /event 0\.ts must be a time/],
      [fork({ kind: 'explode' }), /event 0\.kind must be one of fork, exec/],
      [fork({ kind: '__proto__' }), /event 0\.kind must be one of/],
      [fork({ startTime: -1 }), /event 0\.startTime must be/],
      [fork({ ppid: 1.5 }), /event 0\.ppid must be/],
      [fork({ argv: 'rm -rf /' }), /event 0\.argv must be an array/],
      [fork({ argv: ['ok', 7] }), /event 0\.argv must hold strings only/],
      [fork({ argv: [{ toString: 'x' }] }), /event 0\.argv must hold strings only/],
      [fork({ argv: new Array(300_000).fill('') }), /event 0\.argv must be an array of at most/],
      [fork({ comm: 'x'.repeat(5000) }), /event 0\.comm must be a string of at most 4096/],
      [fork({ comm: { length: 1 } }), /event 0\.comm must be a string/],
      [fork({ code: -1 }), /event 0\.code must be an integer in 0\.\.255/],
      [fork({ signal: '<img src=x onerror=alert(1)>' }), /event 0\.signal must be a signal name/],
      [fork({ core: 'yes' }), /event 0\.core must be true or false/],
      [fork({ ruid: -1 }), /event 0\.ruid must be/],
      [fork({ count: -3 }), /event 0\.count must be a non-negative integer/],
      [fork({ origin: 'kernel' }), /event 0\.origin must be one of/],
      [fork({ ts: T0 + 50 }), /event 0\.ts lies outside the chunk's summary/],
      ['7', /does not hold the 1 events its summary announces/],
      ['{"events":{"length":1}}', /does not hold the 1 events/],
      [`{"events":[${fork()}],"patches":[{"after":5,"pid":1,"startTime":0,"ppid":0}]}`, /parent patch 0\.after must be an integer in 0\.\.1/],
      [`{"events":[${fork()}],"patches":{"0":1}}`, /patches are not a list/],
      [`{"events":${'['.repeat(100_000)}${']'.repeat(100_000)}}`, /event 0 must be an object/],
      [`{"events":${'['.repeat(100_000)}}`, /cannot decode payload \(inflated, it is not JSON\)/],
      // The note must not quote the text: it is printed to terminals (forkscope export).
      ['\u001b]0;owned\u0007\u001b[2J', /cannot decode payload \(inflated, it is not JSON\) — /],
    ];
    for (const [body, reason] of hostile) {
      const json = body.startsWith('{"kind"') ? `{"events":[${body}]}` : body;
      const recording = replays(withChunk(json, 1));
      expect(recording.eventCount).toBe(1);
      const [event] = [...recording.events()];
      expect(event, body.slice(0, 80)).toMatchObject({ kind: 'lost', pid: 0, count: 1 });
      expect(recording.notes).toHaveLength(1);
      expect(recording.notes[0], body.slice(0, 80)).toMatch(reason);
      expect(recording.notes[0]).toMatch(/^corrupt record at byte \d+: .* — its 1 events are replayed as lost$/);
      // eslint-disable-next-line no-control-regex -- no control character may reach a note
      expect(recording.notes[0]).not.toMatch(/[\u0000-\u001f]/);
      // The model before the damage is whole: the keyframe's processes are all there.
      expect(recording.stateAt(T0).map((p) => p.key)).toEqual(['1@0', '1000@50']);
    }
  });

  it('drops prototype-pollution keys and unknown fields, and replays control and bidi characters as text', () => {
    const tricky = '\u202egnp.exe\u0000\u001b[31m\u2066';
    const event = `{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"kind":"fork","ts":${T0 + 1},"pid":4242,"ppid":1000,"startTime":100001,"comm":${JSON.stringify(tricky)},"extra":{"deep":[1,2,3]}}`;
    const recording = replays(withChunk(`{"events":[${event}]}`, 1));
    const [replayed] = [...recording.events()];
    expect(recording.notes).toEqual([]);
    expect(Object.getPrototypeOf(replayed)).toBe(Object.prototype);
    expect(Object.keys(replayed as object).sort()).toEqual(['comm', 'kind', 'pid', 'ppid', 'startTime', 'ts']);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    const child = recording.stateAt(T0 + 2).find((p) => p.pid === 4242);
    expect(child?.comm).toBe(tricky);
    expect(Object.getPrototypeOf(child)).toBe(Object.prototype);

    const keyframe = replays(withKeyframe(`[{"__proto__":{"polluted":true},${JSON.stringify(proc({ comm: tricky, argv: [tricky, '\u200f'] })).slice(1)}]`));
    const [p] = keyframe.stateAt(T0);
    expect(p).toMatchObject({ key: '7@70', comm: tricky, argv: [tricky, '\u200f'] });
    expect(Object.hasOwn(p as object, '__proto__')).toBe(false);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('refuses a file whose first keyframe holds a process that breaks the contract, saying which and why', () => {
    const hostile: Array<[unknown, RegExp]> = [
      [{ processes: 'all' }, /keyframe does not hold a process list/],
      [[proc({ key: '8@70' })], /keyframe process 0\.key must be "pid@startTime" of its own pid and startTime/],
      [[proc({ pid: 0, key: '0@70' })], /keyframe process 0\.pid must be an integer in 1\.\.4194304/],
      [[proc({ threads: -1 })], /keyframe process 0\.threads must be/],
      [[proc({ argv: 'p' })], /keyframe process 0\.argv must be an array of strings or null/],
      [[proc({ argv: [null] })], /keyframe process 0\.argv must hold strings only/],
      [[proc({ uid: 2 ** 32 })], /keyframe process 0\.uid must be/],
      [[proc({ user: 1 })], /keyframe process 0\.user must be a string/],
      [[proc({ startedAt: 1e300 })], /keyframe process 0\.startedAt must be a time/],
      [[proc({ rssKb: -1 })], /keyframe process 0\.rssKb must be a non-negative number/],
      [[proc({ exit: { key: '1@0', at: T0 } })], /keyframe process 0\.exit\.key must be the process's own key/],
      [[proc({ exit: { key: '7@70', at: T0, code: 300 } })], /keyframe process 0\.exit\.code must be an integer in 0\.\.255/],
      [[proc({ parentKey: '1@2@3' })], /keyframe process 0\.parentKey must be a process key "pid@startTime"/],
      [[proc({ forkerKey: '-1@0' })], /keyframe process 0\.forkerKey must be a process key/],
      [[proc({ forkerKey: '01@0' })], /keyframe process 0\.forkerKey must be a process key/],
      [[proc({ group: { kind: 'evil', id: 'x', name: 'x' } })], /keyframe process 0\.group\.kind must be one of unit, scope, slice, container, pod, user, other/],
      [[proc({ group: { kind: 'unit', id: 'x' } })], /keyframe process 0\.group\.name must be a string/],
      [[proc({ nsPid: [7, 0] })], /keyframe process 0\.nsPid must be 1\.\.33 integers in 1\.\.4194304/],
      [[proc({ nsPid: new Array(40).fill(1) })], /keyframe process 0\.nsPid must be/],
      [[proc(), 7], /keyframe process 1 must be an object/],
    ];
    for (const [processes, reason] of hostile) {
      const message = refusal(withKeyframe(JSON.stringify(processes)));
      expect(message, JSON.stringify(processes).slice(0, 120)).toMatch(/^corrupt record at byte \d+: /);
      expect(message).toMatch(reason);
    }
  });

  it('replays processes carrying the agreed lineage, group and namespace fields', () => {
    const extras = { parentKey: '1@0', forkerKey: '1@0', group: { kind: 'container', id: 'abc123', name: 'web', runtime: 'docker' }, nsPid: [7, 1] };
    const recording = replays(withKeyframe(JSON.stringify([proc(extras), proc({ key: '8@80', pid: 8, startTime: 80, group: { kind: 'unit', id: '/system.slice/x.service', name: 'x.service' } })])));
    expect(recording.notes).toEqual([]);
    expect(checkProcess(proc(extras), 'p')).toEqual(proc(extras));
    expect(recording.stateAt(T0).map((p) => p.key).sort()).toEqual(['7@70', '8@80']);
  });

  it('refuses damaged info and stops at a damaged status record, with a clear message', () => {
    const info = (fields: Record<string, unknown>): Buffer => Buffer.concat([encodePreamble(), encodeRecord(RecordType.info, Buffer.from(JSON.stringify({ ...syntheticInfo(), ...fields }))), recordBytes(1)]);
    expect(refusal(info({ clkTck: 0 }))).toMatch(/recording info clkTck must be an integer in 1\.\.1000000/);
    expect(refusal(info({ clkTck: '100' }))).toMatch(/recording info clkTck must be/);
    expect(refusal(info({ bootEpochMs: -1 }))).toMatch(/recording info bootEpochMs must be a time/);
    expect(refusal(info({ machine: 42 }))).toMatch(/recording info machine must be a string/);
    expect(refusal(Buffer.concat([encodePreamble(), encodeRecord(RecordType.info, Buffer.from('[]')), recordBytes(1)]))).toMatch(/recording info must be an object/);
    expect(replays(info({ machine: undefined, writer: undefined })).info.machine).toBe('unknown');

    const head = file.subarray(0, (records[firstChunk] as { offset: number }).offset);
    const status = (body: unknown): Buffer => Buffer.concat([head, encodeRecord(RecordType.status, encodeStatus(body as never))]);
    const good = { ts: T0, eventIndex: 0, status: { kind: 'netlink', reason: 'ok', lostEvents: 0, resyncs: 0 } };
    expect(replays(status(good)).statuses).toHaveLength(1);
    for (const [body, reason] of [
      [{ ...good, status: { ...good.status, kind: 'evil' } }, /status record status\.kind must be one of/],
      [{ ...good, status: { ...good.status, lostEvents: -1 } }, /status record status\.lostEvents must be/],
      [{ ...good, ts: 'now' }, /status record ts must be a time/],
      [{ ...good, status: null }, /status record status must be an object/],
    ] as Array<[unknown, RegExp]>) {
      const recording = replays(status(body));
      expect(recording.statuses).toEqual([]);
      expect(recording.notes[0]).toMatch(reason);
      expect(recording.notes[0]).toMatch(/ — stopping there$/);
    }
  });

  it('refuses summaries and keyframe heads out of range without allocating from them', () => {
    const head = file.subarray(0, (records[firstChunk] as { offset: number }).offset);
    const body = `{"events":[${fork()}]}`;
    for (const summary of [
      { minTs: T0, maxTs: T0, firstIndex: 0, eventCount: 0xffff_ffff, lostCount: 0 },
      { minTs: -1, maxTs: T0, firstIndex: 0, eventCount: 1, lostCount: 0 },
      { minTs: T0 + 5, maxTs: T0, firstIndex: 0, eventCount: 1, lostCount: 0 },
      { minTs: T0, maxTs: 1e300, firstIndex: 0, eventCount: 1, lostCount: 0 },
      { minTs: T0, maxTs: T0, firstIndex: -1, eventCount: 1, lostCount: 0 },
      { minTs: T0, maxTs: T0, firstIndex: 2 ** 60, eventCount: 1, lostCount: 0 },
    ]) {
      const recording = replays(Buffer.concat([head, rawChunk(summary, body)]));
      expect(recording.eventCount).toBe(0);
      expect(recording.notes[0]).toMatch(/corrupt record at byte \d+: events chunk summary is malformed — stopping there/);
    }
    const later = rawKeyframe(1e300, 0, '[]');
    expect(replays(Buffer.concat([head, later])).notes[0]).toMatch(/keyframe head is malformed — stopping there/);
  });

  it('stops at a chunk that would make one seek replay more than the keyframe-interval bound', () => {
    const head = file.subarray(0, (records[firstChunk] as { offset: number }).offset);
    const chunks: Buffer[] = [];
    // Chunks claiming the most events each (their bodies hold none: found only if inflated).
    for (let k = 0; k * MAX_CHUNK_EVENTS <= MAX_KEYFRAME_INTERVAL; k++) {
      chunks.push(rawChunk({ minTs: T0 + k, maxTs: T0 + k, firstIndex: k * MAX_CHUNK_EVENTS, eventCount: MAX_CHUNK_EVENTS, lostCount: 0 }, '{"events":[]}'));
    }
    const recording = openRecording(Buffer.concat([head, ...chunks]));
    const kept = Math.floor(MAX_KEYFRAME_INTERVAL / MAX_CHUNK_EVENTS);
    expect(recording.eventCount).toBe(kept * MAX_CHUNK_EVENTS);
    expect(recording.notes).toEqual([`corrupt record at byte ${head.length + kept * (chunks[0] as Buffer).length}: more than ${MAX_KEYFRAME_INTERVAL} events since the last keyframe — stopping there`]);
  });

  it('names the first 20 damaged records and counts the rest, however many there are', () => {
    const head = file.subarray(0, (records[firstChunk] as { offset: number }).offset);
    const chunks = Array.from({ length: 30 }, (_, k) => rawChunk({ minTs: T0 + k, maxTs: T0 + k, firstIndex: k, eventCount: 1, lostCount: 0 }, '{"events":[]}'));
    const recording = replays(Buffer.concat([head, ...chunks]));
    expect(recording.notes).toHaveLength(21);
    expect(recording.notes[0]).toBe(`corrupt record at byte ${head.length}: events chunk does not hold the 1 events its summary announces — its 1 events are replayed as lost`);
    expect(recording.notes[20]).toBe('… and 10 more damaged records');
    expect(recording.lossMarkers()).toHaveLength(30);
  });

  it('seeks from an earlier keyframe when a later one does not decode', () => {
    const keyframes = records.map((record, index) => ({ record, index })).filter(({ record }) => record.type === RecordType.keyframe);
    const victim = keyframes[2];
    if (!victim) throw new Error('too few keyframes');
    const { record } = victim;
    const hostile = rawKeyframe(record.payload.readDoubleLE(0), record.payload.readDoubleLE(8), JSON.stringify([proc({ pid: -7 })]));
    const end = record.offset + RECORD_HEADER_BYTES + record.payload.length;
    const recording = replays(Buffer.concat([file.subarray(0, record.offset), hostile, file.subarray(end)]));
    const reference = openRecording(file);
    const at = record.payload.readDoubleLE(0) + 1;
    // The live processes are the same; tombstones restored from the earlier keyframe may differ in detail.
    const live = (r: Recording): string[] => r.stateAt(at).filter((p) => !p.exit).map((p) => p.key).sort();
    expect(live(recording)).toEqual(live(reference));
    expect(live(recording).length).toBeGreaterThan(2);
    expect(recording.notes).toEqual([`corrupt record at byte ${record.offset}: keyframe process 0.pid must be an integer in 1..4194304 — seeking from the keyframe before it`]);
  });

  it('replays odd but valid models: a process its own parent, a parent cycle, one pid twice', () => {
    const cycle = [proc({ ppid: 7 }), proc({ key: '8@80', pid: 8, startTime: 80, ppid: 9 }), proc({ key: '9@90', pid: 9, startTime: 90, ppid: 8 }), proc({ key: '7@71', startTime: 71 })];
    const recording = replays(withKeyframe(JSON.stringify(cycle)));
    expect(recording.stateAt(T0).length).toBeGreaterThan(0);
    const selfFork: ProcEvent = { kind: 'fork', ts: T0 + 1, pid: 4242, ppid: 4242, startTime: 100_001 };
    const summary = summarize({ events: [selfFork], patches: [] }, 0, T0);
    replays(Buffer.concat([file.subarray(0, (records[firstChunk] as { offset: number }).offset), encodeRecord(RecordType.events, encodeChunk(summary, { events: [selfFork], patches: [] }))]));
  });
});
