/**
 * The one timeline call table both hosts use: valid arguments reach the machine unchanged,
 * invalid ones are refused with the guard's message before the machine is touched.
 */
import { describe, expect, it } from 'vitest';
import { GuardError } from '../../common/guards';
import type { TimelineState } from '../../common/timeline';
import { callTimeline, NO_TIME_TRAVEL_MESSAGE, type TimelineCall, type TimelineMachine } from './timelineCalls';
import { TimeTravelError } from './TimeMachine';

const STATE: TimelineState = { mode: 'live', label: 'live', liveAvailable: true };
const FILE = { fileName: 'f', mimeType: 'text/plain', encoding: 'utf8', data: '' } as const;

/** A machine that records every call it gets, with its arguments. */
function fakeMachine(): { machine: TimelineMachine; calls: Array<[string, unknown[]]> } {
  const calls: Array<[string, unknown[]]> = [];
  const record =
    <R>(name: string, result: R) =>
    (...args: unknown[]): R => {
      calls.push([name, args]);
      return result;
    };
  const machine: TimelineMachine = {
    state: record('state', STATE),
    density: record('density', { start: 0, end: 0, bucketMs: 1, counts: [], losses: [] }),
    seek: record('seek', undefined),
    play: record('play', undefined),
    pause: record('pause', undefined),
    step: record('step', undefined),
    goLive: record('goLive', undefined),
    diff: record('diff', { from: 1, to: 2, started: [], ended: [], changed: [], eventCounts: {} }),
    exportRecording: record('exportRecording', FILE),
    startRecording: record('startRecording', Promise.resolve()),
    stopRecording: record('stopRecording', Promise.resolve(FILE)),
    openRecording: record('openRecording', undefined),
  };
  return { machine, calls };
}

describe('callTimeline', () => {
  it('passes valid arguments to the machine method of each call, and returns its answer', async () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const cases: Array<[TimelineCall, unknown[], string, unknown[]]> = [
      ['state', [], 'state', []],
      ['density', [64], 'density', [64]],
      ['seek', [1_700_000_000_000], 'seek', [1_700_000_000_000]],
      ['play', [2], 'play', [2]],
      ['pause', [], 'pause', []],
      ['step', [-1], 'step', [-1]],
      ['goLive', [], 'goLive', []],
      ['diff', [{ from: 1, to: 2 }], 'diff', [1, 2]],
      ['export', [{ format: 'ndjson', pid: 42 }], 'exportRecording', [{ format: 'ndjson', pid: 42 }]],
      ['startRecording', [], 'startRecording', []],
      ['stopRecording', [], 'stopRecording', []],
      ['openRecording', ['storm.fsrec', bytes], 'openRecording', ['storm.fsrec', bytes]],
    ];
    for (const [call, args, method, expected] of cases) {
      const { machine, calls } = fakeMachine();
      const result = await callTimeline(machine, call, args);
      expect(calls, call).toEqual([[method, expected]]);
      if (call === 'state') expect(result).toBe(STATE);
      if (call === 'stopRecording' || call === 'export') expect(result).toBe(FILE);
    }
  });

  it('refuses invalid arguments with the guard message, before the machine is touched', () => {
    const cases: Array<[TimelineCall, unknown[], RegExp]> = [
      ['density', [0], /buckets must be an integer/],
      ['density', ['64'], /buckets must be an integer/],
      ['seek', [-1], /ts must be a finite, non-negative number/],
      ['seek', [Number.NaN], /ts must be a finite/],
      ['play', [50], /speed must be a number from/],
      ['step', [2], /step direction must be 1 or -1/],
      ['diff', [{ from: 1 }], /to must be a finite/],
      ['diff', [[1, 2]], /diff range must be an object/],
      ['export', [{ format: 'pdf' }], /format must be one of/],
      ['export', [{ format: 'ndjson', from: 5, to: 1 }], /from must not be after to/],
      ['openRecording', ['bad\nname', new Uint8Array([1])], /recording name must be/],
      ['openRecording', ['storm.fsrec', [1, 2, 3]], /recording must be bytes/],
      ['openRecording', ['storm.fsrec', new Uint8Array(0)], /recording is empty/],
    ];
    for (const [call, args, message] of cases) {
      const { machine, calls } = fakeMachine();
      expect(() => callTimeline(machine, call, args), `${call} ${String(args[0])}`).toThrow(GuardError);
      expect(() => callTimeline(machine, call, args)).toThrow(message);
      expect(calls).toEqual([]);
    }
  });

  it('says so when the host has no time travel', () => {
    expect(() => callTimeline(undefined, 'state', [])).toThrow(TimeTravelError);
    expect(() => callTimeline(undefined, 'seek', [1])).toThrow(NO_TIME_TRAVEL_MESSAGE);
  });

  it('refuses a name that is no call, even one the prototype has', () => {
    const { machine, calls } = fakeMachine();
    for (const name of ['toString', '__proto__', 'hasOwnProperty', 'rm -rf']) {
      expect(() => callTimeline(machine, name as TimelineCall, [])).toThrow(/unknown timeline call/);
    }
    expect(calls).toEqual([]);
  });
});
