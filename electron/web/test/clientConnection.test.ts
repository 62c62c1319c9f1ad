/**
 * The socket's `timeline.*` methods, on one client connection: each reaches its TimeMachine call
 * through the shared table (core/recording/timelineCalls.ts), bad arguments come back as
 * "invalid argument" error frames, opening a recording is no socket method (it is an upload),
 * and a host without time travel says so.
 */
import { describe, expect, it } from 'vitest';
import type { HostInfo } from '../../common/bridge';
import type { TimelineState } from '../../common/timeline';
import type { ServerFrame } from '../../common/wire';
import type { TimelineMachine } from '../../core/recording/timelineCalls';
import type { TimeMachine } from '../../core/recording/TimeMachine';
import { openClientConnection } from '../clientConnection';
import { createRecordingEngine } from './fakeEngine';

const HOST_INFO: HostInfo = { host: 'web', version: 'test', runningAsRoot: false, sandboxed: true, warnings: [] };
const STATE: TimelineState = { mode: 'ring', label: 'last 5 min (live ring)', liveAvailable: true };

function fakeMachine(): { machine: TimelineMachine & Pick<TimeMachine, 'onTimeline'>; calls: Array<[string, unknown[]]> } {
  const calls: Array<[string, unknown[]]> = [];
  const record = (name: string, result?: unknown) => (...args: unknown[]) => {
    calls.push([name, args]);
    return result;
  };
  const machine = {
    onTimeline: () => () => {},
    state: record('state', STATE),
    density: record('density'),
    seek: record('seek'),
    play: record('play'),
    pause: record('pause'),
    step: record('step'),
    goLive: record('goLive'),
    diff: record('diff'),
    exportRecording: record('exportRecording'),
    startRecording: record('startRecording'),
    stopRecording: record('stopRecording'),
    openRecording: record('openRecording'),
  } as unknown as TimelineMachine & Pick<TimeMachine, 'onTimeline'>;
  return { machine, calls };
}

function connection(machine?: TimelineMachine & Pick<TimeMachine, 'onTimeline'>) {
  const frames: ServerFrame[] = [];
  const client = openClientConnection(createRecordingEngine(), HOST_INFO, (frame) => frames.push(frame), machine);
  let nextId = 1;
  /** Call `method` and wait for its answer frame. */
  const call = async (method: string, params?: unknown): Promise<ServerFrame> => {
    const id = nextId++;
    client.receive(JSON.stringify({ type: 'call', id, method, params }));
    for (let tries = 0; tries < 100; tries++) {
      const answer = frames.find((frame) => 'id' in frame && frame.id === id);
      if (answer) return answer;
      await new Promise((resolve) => setImmediate(resolve));
    }
    throw new Error(`no answer to ${method}`);
  };
  return { client, call };
}

describe('timeline.* over the socket', () => {
  it('reaches the machine with the validated params and answers its result', async () => {
    const { machine, calls } = fakeMachine();
    const { client, call } = connection(machine);
    expect(await call('timeline.state')).toMatchObject({ type: 'result', result: STATE });
    expect(await call('timeline.seek', 1_700_000_000_000)).toMatchObject({ type: 'result', result: null });
    expect(await call('timeline.diff', { from: 1, to: 2 })).toMatchObject({ type: 'result' });
    expect(await call('timeline.export', { format: 'perfetto' })).toMatchObject({ type: 'result' });
    expect(await call('timeline.goLive')).toMatchObject({ type: 'result' });
    expect(calls).toEqual([
      ['state', []],
      ['seek', [1_700_000_000_000]],
      ['diff', [1, 2]],
      ['exportRecording', [{ format: 'perfetto' }]],
      ['goLive', []],
    ]);
    client.close();
  });

  it('answers bad params with an invalid-argument error frame and leaves the machine alone', async () => {
    const { machine, calls } = fakeMachine();
    const { client, call } = connection(machine);
    expect(await call('timeline.play', 50)).toMatchObject({ type: 'error', error: expect.stringMatching(/^invalid argument: speed/) });
    expect(await call('timeline.step', '1')).toMatchObject({ type: 'error', error: expect.stringMatching(/^invalid argument: step direction/) });
    expect(await call('timeline.density')).toMatchObject({ type: 'error', error: expect.stringMatching(/^invalid argument: buckets/) });
    expect(calls).toEqual([]);
    client.close();
  });

  it('has no openRecording method: recordings arrive as an HTTP upload', async () => {
    const { machine, calls } = fakeMachine();
    const { client, call } = connection(machine);
    expect(await call('timeline.openRecording', 'x.fsrec')).toMatchObject({ type: 'error', error: expect.stringMatching(/unknown method/) });
    expect(await call('openRecording', 'x.fsrec')).toMatchObject({ type: 'error', error: expect.stringMatching(/unknown method/) });
    expect(calls).toEqual([]);
    client.close();
  });

  it('says so when the host has no time travel', async () => {
    const { client, call } = connection();
    expect(await call('timeline.state')).toMatchObject({ type: 'error', error: 'time travel is not available on this host' });
    client.close();
  });
});
