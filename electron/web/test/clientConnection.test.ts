/**
 * The socket's timeline calls, on one client connection: each reaches its TimeMachine call through
 * the host service (core/hostService.ts), bad arguments come back as "invalid argument" error
 * frames, opening a recording is no socket call (it is an upload), and a host without time travel
 * says so.
 */
import { describe, expect, it } from 'vitest';
import type { HostInfo } from '../../common/bridge';
import type { TimelineState } from '../../common/timeline';
import type { ServerFrame } from '../../common/wire';
import type { TimelineMachine } from '../../core/hostService';
import { openClientConnection } from '../clientConnection';
import { createRecordingEngine } from './fakeEngine';

const HOST_INFO: HostInfo = { host: 'web', version: 'test', runningAsRoot: false, sandboxed: true, warnings: [] };
const STATE: TimelineState = { mode: 'ring', label: 'last 5 min (live ring)', liveAvailable: true };

function fakeMachine(): { machine: TimelineMachine; calls: Array<[string, unknown[]]> } {
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
  } as unknown as TimelineMachine;
  return { machine, calls };
}

function connection(machine?: TimelineMachine) {
  const frames: ServerFrame[] = [];
  const client = openClientConnection(createRecordingEngine(), HOST_INFO, (frame) => frames.push(frame), machine);
  let nextId = 1;
  /** Call `method` and wait for its answer frame. */
  const call = async (method: string, ...args: unknown[]): Promise<ServerFrame> => {
    const id = nextId++;
    client.receive(JSON.stringify({ type: 'call', id, method, args }));
    for (let tries = 0; tries < 100; tries++) {
      const answer = frames.find((frame) => 'id' in frame && frame.id === id);
      if (answer) return answer;
      await new Promise((resolve) => setImmediate(resolve));
    }
    throw new Error(`no answer to ${method}`);
  };
  return { client, call };
}

describe('timeline calls over the socket', () => {
  it('reaches the machine with the validated params and answers its result', async () => {
    const { machine, calls } = fakeMachine();
    const { client, call } = connection(machine);
    expect(await call('timelineState')).toMatchObject({ type: 'result', result: STATE });
    expect(await call('seek', 1_700_000_000_000)).toMatchObject({ type: 'result', result: null });
    expect(await call('diff', 1, 2)).toMatchObject({ type: 'result' });
    expect(await call('exportRecording', { format: 'perfetto' })).toMatchObject({ type: 'result' });
    expect(await call('goLive')).toMatchObject({ type: 'result' });
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
    expect(await call('play', 50)).toMatchObject({ type: 'error', error: expect.stringMatching(/^invalid argument: speed/) });
    expect(await call('step', '1')).toMatchObject({ type: 'error', error: expect.stringMatching(/^invalid argument: step direction/) });
    expect(await call('timeline')).toMatchObject({ type: 'error', error: expect.stringMatching(/^invalid argument: buckets/) });
    expect(calls).toEqual([]);
    client.close();
  });

  it('refuses openRecording as a socket call: recordings arrive as an HTTP upload', async () => {
    const { machine, calls } = fakeMachine();
    const { client, call } = connection(machine);
    expect(await call('openRecording', 'x.fsrec', [1, 2, 3])).toMatchObject({ type: 'error', error: expect.stringMatching(/openRecording is an upload \(POST \/recording\)/) });
    expect(await call('timeline.openRecording', 'x.fsrec')).toMatchObject({ type: 'error', error: expect.stringMatching(/unknown method/) });
    expect(calls).toEqual([]);
    client.close();
  });

  it('says so when the host has no time travel', async () => {
    const { client, call } = connection();
    expect(await call('timelineState')).toMatchObject({ type: 'error', error: 'time travel is not available on this host' });
    client.close();
  });
});
