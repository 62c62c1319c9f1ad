import { describe, expect, it } from 'vitest';
import { decodeKeyframe, encodeKeyframe } from './codec';
import { encodeRecord, MAX_RECORD_BYTES, PREAMBLE_BYTES, RECORD_HEADER_BYTES, RecordingFormatError, RecordType, scanRecords } from './format';
import { openRecording } from './Recording';
import { loopEvents, recordSynthetic, T0 } from './test/synthetic';

const events = loopEvents(300);
const file = recordSynthetic(events, { chunkEvents: 64, keyframeEvents: 200 });

describe('recording format', () => {
  it('round-trips every event in order, with keyframes and chunks', () => {
    const recording = openRecording(file);
    expect(recording.notes).toEqual([]);
    expect(recording.eventCount).toBe(events.length);
    expect([...recording.events()]).toEqual(events);
    expect(recording.keyframeCount).toBeGreaterThanOrEqual(4);
    expect(recording.info.clkTck).toBe(100);
    expect(recording.timeRange.start).toBe(T0);
    expect(recording.timeRange.end).toBe(events[events.length - 1]?.ts);
  });

  it('opens a file cut at every byte of its last record up to the last whole record', () => {
    const records = scanRecords(file).records;
    const last = records[records.length - 1];
    if (!last) throw new Error('no records');
    const whole = openRecording(file.subarray(0, last.offset));
    const wholeEvents = [...whole.events()];
    expect(wholeEvents.length).toBeGreaterThan(0);
    for (let cut = last.offset + 1; cut < file.length; cut++) {
      const recording = openRecording(file.subarray(0, cut));
      expect(recording.notes[0], `cut at ${cut}`).toMatch(new RegExp(`^truncated record at byte ${last.offset}`));
      expect(recording.eventCount).toBe(whole.eventCount);
    }
    expect([...openRecording(file.subarray(0, last.offset + 3)).events()]).toEqual(wholeEvents);
  });

  it('stops at a record whose CRC does not match, naming its byte offset', () => {
    const records = scanRecords(file).records;
    const victim = records[5];
    if (!victim) throw new Error('too few records');
    const damaged = Buffer.from(file);
    const at = victim.offset + RECORD_HEADER_BYTES + 2;
    damaged.writeUInt8(damaged.readUInt8(at) ^ 0xff, at);
    const recording = openRecording(damaged);
    expect(recording.notes).toEqual([`corrupt record at byte ${victim.offset}: CRC mismatch — stopping there`]);
    expect(recording.eventCount).toBeLessThan(events.length);
    expect([...recording.events()]).toEqual(events.slice(0, recording.eventCount));
  });

  it('refuses a hostile length field without allocating it', () => {
    const records = scanRecords(file).records;
    const victim = records[3];
    if (!victim) throw new Error('too few records');
    const damaged = Buffer.from(file);
    damaged.writeUInt32LE(0xfffffff0, victim.offset);
    const recording = openRecording(damaged);
    expect(recording.notes[0]).toBe(`corrupt record at byte ${victim.offset}: length ${0xfffffff0} exceeds the ${MAX_RECORD_BYTES}-byte limit — stopping there`);
  });

  it('says clearly when a file is not a recording, or of another version', () => {
    expect(() => openRecording(Buffer.from('{"kind":"fork"}\n'))).toThrow(new RecordingFormatError('not a Forkscope recording (the file does not start with "FORKSCOPE-REC")'));
    expect(() => openRecording(Buffer.alloc(0))).toThrow(/not a Forkscope recording/);
    const future = Buffer.from(file);
    future.writeUInt16LE(7, PREAMBLE_BYTES - 2);
    expect(() => openRecording(future)).toThrow('unsupported version 7 (this Forkscope reads version 1)');
    expect(() => openRecording('/nonexistent/file.fsrec')).toThrow('cannot read /nonexistent/file.fsrec: ENOENT');
  });

  it('refuses a file cut before its first keyframe', () => {
    const records = scanRecords(file).records;
    expect(() => openRecording(file.subarray(0, (records[1] as { offset: number }).offset + 4))).toThrow(/no keyframe/);
  });

  it('skips whole records of unknown types and reports undecodable ones', () => {
    const records = scanRecords(file).records;
    const cut = (records[1] as { offset: number; payload: Buffer }).offset + RECORD_HEADER_BYTES + (records[1] as { payload: Buffer }).payload.length;
    const unknown = encodeRecord(99 as typeof RecordType.info, Buffer.from('future'));
    const withUnknown = Buffer.concat([file.subarray(0, cut), unknown, file.subarray(cut)]);
    expect(openRecording(withUnknown).eventCount).toBe(events.length);
    const garbage = encodeRecord(RecordType.events, Buffer.from('not a chunk at all, but long enough to hold a summary'));
    const withGarbage = Buffer.concat([file, garbage]);
    const recording = openRecording(withGarbage);
    expect(recording.eventCount).toBe(events.length);
    expect(recording.notes[0]).toMatch(new RegExp(`^corrupt record at byte ${file.length}: .* — stopping there$`));
  });

  it('refuses a keyframe whose links are not keys (recordings are untrusted)', () => {
    const process = { key: '1@5', pid: 1, ppid: 0, startTime: 5, startedAt: T0, uid: 0, user: 'root', comm: 'init', argv: ['/sbin/init'], state: 'S', threads: 1 };
    const keyframe = (extra: object) => encodeKeyframe({ ts: T0, eventIndex: 0, processes: [{ ...process, ...extra } as never] });
    expect(decodeKeyframe(keyframe({ parentKey: '7@3', forkerKey: '7@3' }), 0).processes[0]?.parentKey).toBe('7@3');
    expect(() => decodeKeyframe(keyframe({ parentKey: { toString: 1 } }), 0)).toThrow(/keyframe process 0\.parentKey must be a process key/);
    expect(() => decodeKeyframe(keyframe({ forkerKey: 42 }), 0)).toThrow(/keyframe process 0\.forkerKey must be a process key/);
    expect(() => decodeKeyframe(keyframe({ forkerKey: '1@5; rm -rf' }), 0)).toThrow(/forkerKey must be a process key/);
  });
});
