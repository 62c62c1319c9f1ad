/**
 * The one implementation of the service both hosts use, behind the shared guards: valid arguments
 * reach the engine or the machine unchanged, invalid ones are refused with the guard's message
 * before anything is touched, the subscription opens on first use, and pushes go out as events.
 */
import { describe, expect, it } from 'vitest';
import type { HostInfo, ServiceMethod } from '../common/bridge';
import type { ServerMessage, Snapshot } from '../common/delta';
import { callService, GuardError, SERVICE_METHODS } from '../common/guards';
import type { EngineSubscription, HostEngine } from '../common/hostEngine';
import type { TimelineState } from '../common/timeline';
import { NO_TIME_TRAVEL_MESSAGE, openHostSession, type TimelineMachine } from './hostService';
import { TimeTravelError } from './recording/TimeMachine';

const HOST_INFO: HostInfo = { host: 'web', version: 'test', runningAsRoot: false, warnings: [] };
const STATE: TimelineState = { mode: 'live', label: 'live', liveAvailable: true };
const FILE = { fileName: 'f', mimeType: 'text/plain', encoding: 'utf8', data: '' } as const;
const SNAPSHOT: Snapshot = { seq: 3, ts: 1, processes: [], source: { kind: 'poll', reason: 'test', lostEvents: 0, resyncs: 0 } };

/** An engine and a machine that record every call they get, with its arguments. */
function fakeHost() {
  const calls: Array<[string, unknown[]]> = [];
  const record =
    <R>(name: string, result: R) =>
    (...args: unknown[]): R => {
      calls.push([name, args]);
      return result;
    };
  const listeners: Array<(message: ServerMessage) => void> = [];
  const timelineListeners: Array<(state: TimelineState) => void> = [];
  const subscription: EngineSubscription = { ack: record('ack', undefined), requestSnapshot: record('requestSnapshot', SNAPSHOT), close: record('close', undefined) };
  const engine: HostEngine = {
    subscribe: (listener) => {
      calls.push(['subscribe', []]);
      listeners.push(listener);
      return subscription;
    },
    getDetail: (...args) => {
      calls.push(['getDetail', args]);
      return Promise.reject(new Error('no process'));
    },
    signal: record('signal', { outcomes: [] }),
    status: () => SNAPSHOT.source,
  };
  const machine: TimelineMachine = {
    onTimeline: (listener) => {
      timelineListeners.push(listener);
      return () => timelineListeners.splice(timelineListeners.indexOf(listener), 1);
    },
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
  return { engine, machine, calls, listeners, timelineListeners };
}

describe('the host service', () => {
  it('passes valid arguments of every call to its engine or machine method, and returns its answer', async () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const signal = { pid: 42, startTime: 7, signal: 'SIGTERM', subtree: false };
    const cases: Record<ServiceMethod, [unknown[], string, unknown[]]> = {
      hello: [[], 'subscribe', []],
      requestSnapshot: [[], 'requestSnapshot', []],
      getDetail: [[{ pid: 42, startTime: 7 }], 'getDetail', [42, 7]],
      sendSignal: [[{ ...signal, extra: 'dropped' }], 'signal', [signal]],
      timelineState: [[], 'state', []],
      timeline: [[64], 'density', [64]],
      seek: [[1_700_000_000_000], 'seek', [1_700_000_000_000]],
      play: [[2], 'play', [2]],
      pause: [[], 'pause', []],
      step: [[-1], 'step', [-1]],
      goLive: [[], 'goLive', []],
      diff: [[1, 2], 'diff', [1, 2]],
      exportRecording: [[{ format: 'ndjson', pid: 42 }], 'exportRecording', [{ format: 'ndjson', pid: 42 }]],
      startRecording: [[], 'startRecording', []],
      stopRecording: [[], 'stopRecording', []],
      openRecording: [['storm.fsrec', bytes], 'openRecording', ['storm.fsrec', bytes]],
    };
    expect(Object.keys(cases).sort()).toEqual([...SERVICE_METHODS].sort());
    for (const method of SERVICE_METHODS) {
      const [args, reached, expected] = cases[method];
      const { engine, machine, calls } = fakeHost();
      const session = openHostSession(engine, HOST_INFO, () => {}, machine);
      const answer = callService(session.service, method, args);
      if (method === 'getDetail') await expect(answer).rejects.toThrow('no process');
      else await answer;
      // Calls that need the subscription open it first (once).
      expect(calls.filter(([name]) => name !== 'subscribe'), method).toEqual(reached === 'subscribe' ? [] : [[reached, expected]]);
      if (method === 'hello') expect(await answer).toBe(HOST_INFO);
      if (method === 'timelineState') expect(await answer).toBe(STATE);
      if (method === 'stopRecording' || method === 'exportRecording') expect(await answer).toBe(FILE);
    }
  });

  it('refuses invalid arguments with the guard message, before anything is touched', () => {
    const cases: Array<[ServiceMethod, unknown[], RegExp]> = [
      ['getDetail', [{ pid: -5, startTime: 1 }], /pid must be an integer/],
      ['getDetail', [], /detail request must be an object/],
      ['sendSignal', [{ pid: 1, startTime: 1, signal: 'SIGHUP', subtree: false }], /signal must be one of/],
      ['timeline', [0], /buckets must be an integer/],
      ['timeline', ['64'], /buckets must be an integer/],
      ['seek', [-1], /ts must be a finite, non-negative number/],
      ['seek', [Number.NaN], /ts must be a finite/],
      ['play', [50], /speed must be a number from/],
      ['step', [2], /step direction must be 1 or -1/],
      ['diff', [1], /to must be a finite/],
      ['diff', [{ from: 1, to: 2 }], /from must be a finite/],
      ['exportRecording', [{ format: 'pdf' }], /format must be one of/],
      ['exportRecording', [{ format: 'ndjson', from: 5, to: 1 }], /from must not be after to/],
      ['openRecording', ['bad\nname', new Uint8Array([1])], /recording name must be/],
      ['openRecording', ['storm.fsrec', [1, 2, 3]], /recording must be bytes/],
      ['openRecording', ['storm.fsrec', new Uint8Array(0)], /recording is empty/],
    ];
    for (const [method, args, message] of cases) {
      const { engine, machine, calls } = fakeHost();
      const session = openHostSession(engine, HOST_INFO, () => {}, machine);
      expect(() => callService(session.service, method, args), `${method} ${String(args[0])}`).toThrow(GuardError);
      expect(() => callService(session.service, method, args)).toThrow(message);
      expect(calls).toEqual([]);
    }
  });

  it('says so when the host has no time travel', () => {
    const { engine } = fakeHost();
    const session = openHostSession(engine, HOST_INFO, () => {});
    expect(() => callService(session.service, 'timelineState', [])).toThrow(TimeTravelError);
    expect(() => callService(session.service, 'seek', [1])).toThrow(NO_TIME_TRAVEL_MESSAGE);
  });

  it('opens one subscription on first use, pushes its messages and the timeline as events, and checks acks', () => {
    const { engine, machine, calls, listeners, timelineListeners } = fakeHost();
    const events: Array<[string, unknown]> = [];
    const session = openHostSession(engine, HOST_INFO, (event, payload) => events.push([event, payload]), machine);
    session.ack(1); // no subscription yet: nothing to move
    expect(calls).toEqual([]);
    callService(session.service, 'hello', []);
    callService(session.service, 'requestSnapshot', []);
    expect(listeners).toHaveLength(1);
    const message: ServerMessage = { type: 'snapshot', snapshot: SNAPSHOT };
    listeners[0]?.(message);
    timelineListeners[0]?.(STATE);
    expect(events).toEqual([
      ['message', message],
      ['timeline', STATE],
    ]);
    session.ack(4);
    expect(() => session.ack(-1)).toThrow(/seq must be/);
    expect(() => session.ack('4')).toThrow(GuardError);
    session.endSubscription();
    callService(session.service, 'hello', []);
    expect(listeners).toHaveLength(2);
    session.close();
    expect(timelineListeners).toHaveLength(0);
    expect(calls.map(([name]) => name)).toEqual(['subscribe', 'requestSnapshot', 'ack', 'close', 'subscribe', 'close']);
  });
});
