import { describe, expect, it } from 'vitest';
import {
  checkExportRequest,
  checkPlaybackSpeed,
  checkRecordingBytes,
  checkRecordingName,
  checkStepDirection,
  checkTimelineBuckets,
  checkTimestamp,
  GuardError,
  MAX_RECORDING_UPLOAD_BYTES,
  SERVICE_GUARDS,
} from './guards';
import { recordingFileName } from './timeline';

describe('timeline guards', () => {
  it('accepts moments and refuses what is not one', () => {
    expect(checkTimestamp(1_700_000_000_123.5)).toBe(1_700_000_000_123.5);
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, '1700000000000', null, undefined]) {
      expect(() => checkTimestamp(bad)).toThrow(GuardError);
    }
  });

  it('accepts speeds 0.1 to 10 only', () => {
    expect(checkPlaybackSpeed(0.1)).toBe(0.1);
    expect(checkPlaybackSpeed(10)).toBe(10);
    for (const bad of [0, 0.09, 10.5, Number.NaN, '2']) expect(() => checkPlaybackSpeed(bad)).toThrow(/speed must be/);
  });

  it('steps by exactly one event', () => {
    expect(checkStepDirection(1)).toBe(1);
    expect(checkStepDirection(-1)).toBe(-1);
    for (const bad of [0, 2, -2, '1', 1.5]) expect(() => checkStepDirection(bad)).toThrow(GuardError);
  });

  it('bounds the bucket count', () => {
    expect(checkTimelineBuckets(400)).toBe(400);
    for (const bad of [0, 4097, 1.5, '400']) expect(() => checkTimelineBuckets(bad)).toThrow(/buckets/);
  });

  it('checks both moments of a diff, and drops arguments beyond them', () => {
    expect(SERVICE_GUARDS.diff([5, 1, 'extra'])).toEqual([5, 1]);
    expect(() => SERVICE_GUARDS.diff([5])).toThrow(/to must be/);
    expect(() => SERVICE_GUARDS.diff([{ from: 1, to: 2 }])).toThrow(/from must be/);
  });

  it('checks export requests and keeps only known fields', () => {
    expect(checkExportRequest({ format: 'perfetto', from: 1, to: 2, pid: 42, extra: 'dropped' })).toEqual({ format: 'perfetto', from: 1, to: 2, pid: 42 });
    expect(checkExportRequest({ format: 'ndjson' })).toEqual({ format: 'ndjson' });
    expect(() => checkExportRequest({ format: 'csv' })).toThrow(/format must be one of perfetto, ndjson/);
    expect(() => checkExportRequest({ format: 'ndjson', from: 3, to: 2 })).toThrow(/from must not be after to/);
    expect(() => checkExportRequest({ format: 'ndjson', pid: 0 })).toThrow(/pid/);
  });

  it('checks uploaded recordings: a plain name and non-empty bytes under the cap', () => {
    expect(checkRecordingName('storm.fsrec')).toBe('storm.fsrec');
    for (const bad of ['', 'a\nb', 'x'.repeat(256), 7]) expect(() => checkRecordingName(bad)).toThrow(GuardError);
    const bytes = new Uint8Array([1, 2, 3]);
    expect(checkRecordingBytes(bytes)).toBe(bytes);
    expect(() => checkRecordingBytes(new Uint8Array(0))).toThrow(/empty/);
    expect(() => checkRecordingBytes([1, 2, 3])).toThrow(/Uint8Array/);
    expect(() => checkRecordingBytes({ byteLength: MAX_RECORDING_UPLOAD_BYTES + 1 })).toThrow(GuardError);
  });

  it('names recordings by their start, safe for any file system', () => {
    expect(recordingFileName(Date.UTC(2026, 10, 22, 3, 4, 5, 678))).toBe('forkscope-2026-11-22T03-04-05Z.fsrec');
  });
});
