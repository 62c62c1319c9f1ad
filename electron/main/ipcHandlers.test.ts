/**
 * The Electron IPC wiring with a stand-in ipcMain: every call of the service has a handler, calls
 * reach the host service with validated arguments, pushes go out on their channels, and a sender
 * that is not our window's main frame is refused before anything runs.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { HostInfo, ServiceMethod } from '../common/bridge';
import type { ServerMessage } from '../common/delta';
import type { HostEngine } from '../common/hostEngine';
import { SERVICE_METHODS } from '../common/guards';
import { ACK_CHANNEL, callChannel, EVENT_CHANNELS } from '../common/ipc';
import type { TimelineMachine } from '../core/hostService';
import { APP_PAGE_URL } from './appProtocol';
import { wireIpc } from './ipcHandlers';

type Handler = (event: unknown, ...args: unknown[]) => unknown;
const handlers = vi.hoisted(() => new Map<string, Handler>());
const listeners = vi.hoisted(() => new Map<string, Handler>());

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: Handler) => handlers.set(channel, handler),
    removeHandler: (channel: string) => handlers.delete(channel),
    on: (channel: string, listener: Handler) => listeners.set(channel, listener),
    off: (channel: string) => listeners.delete(channel),
  },
  protocol: {},
}));

const HOST_INFO: HostInfo = { host: 'electron', version: 'test', runningAsRoot: false, sandboxed: true, warnings: [] };

function fakeContents() {
  const mainFrame = { url: APP_PAGE_URL };
  const sent: Array<[string, unknown]> = [];
  return { mainFrame, sent, isDestroyed: () => false, send: (channel: string, payload: unknown) => sent.push([channel, payload]), on: () => {}, once: () => {} };
}

/** An engine whose one subscription records its acks and lets the test push a message. */
function fakeEngine() {
  const acks: number[] = [];
  let push: (message: ServerMessage) => void = () => {};
  const engine = {
    subscribe: (listener: (message: ServerMessage) => void) => {
      push = listener;
      return { ack: (seq: number) => acks.push(seq), requestSnapshot: () => undefined, close: () => {} };
    },
  } as unknown as HostEngine;
  return { engine, acks, push: (message: ServerMessage) => push(message) };
}

function fakeMachine(): { machine: TimelineMachine; calls: Array<[string, unknown[]]> } {
  const calls: Array<[string, unknown[]]> = [];
  const record = (name: string) => (...args: unknown[]) => void calls.push([name, args]);
  const machine = {
    onTimeline: () => () => {},
    ...Object.fromEntries(
      ['state', 'density', 'seek', 'play', 'pause', 'step', 'goLive', 'diff', 'exportRecording', 'startRecording', 'stopRecording', 'openRecording'].map((name) => [name, record(name)]),
    ),
  } as unknown as TimelineMachine;
  return { machine, calls };
}

function wire() {
  const contents = fakeContents();
  const { machine, calls } = fakeMachine();
  const engine = fakeEngine();
  const wiring = wireIpc(contents as never, engine.engine, HOST_INFO, machine);
  const fromPage = { sender: contents, senderFrame: contents.mainFrame };
  const invoke = async (method: ServiceMethod, ...args: unknown[]): Promise<unknown> => (handlers.get(callChannel(method)) as Handler)(fromPage, ...args);
  return { contents, calls, wiring, invoke, engine, fromPage };
}

beforeEach(() => {
  handlers.clear();
  listeners.clear();
});

describe('wireIpc', () => {
  it('handles a channel per call of the service, and removes them all on dispose', () => {
    const { wiring } = wire();
    expect(SERVICE_METHODS.length).toBeGreaterThan(0);
    expect([...handlers.keys()].sort()).toEqual(SERVICE_METHODS.map(callChannel).sort());
    expect([...listeners.keys()]).toEqual([ACK_CHANNEL]);
    wiring.dispose();
    expect(handlers.size).toBe(0);
    expect(listeners.size).toBe(0);
  });

  it('passes timeline calls with valid arguments to the machine', async () => {
    const { calls, invoke, wiring } = wire();
    const bytes = new Uint8Array([1, 2, 3]);
    await invoke('seek', 1_700_000_000_000);
    await invoke('goLive');
    await invoke('diff', 5, 9);
    await invoke('openRecording', 'storm.fsrec', bytes);
    expect(calls).toEqual([
      ['seek', [1_700_000_000_000]],
      ['goLive', []],
      ['diff', [5, 9]],
      ['openRecording', ['storm.fsrec', bytes]],
    ]);
    wiring.dispose();
  });

  it('refuses invalid timeline arguments with the guard message', async () => {
    const { calls, invoke, wiring } = wire();
    await expect(invoke('play', 50)).rejects.toThrow(/speed must be a number from/);
    await expect(invoke('openRecording', 'storm.fsrec', 'not bytes')).rejects.toThrow(/recording must be bytes/);
    await expect(invoke('getDetail', { pid: 0, startTime: 1 })).rejects.toThrow(/pid must be an integer/);
    expect(calls).toEqual([]);
    wiring.dispose();
  });

  it('refuses a sender that is not our main frame showing our page, before validating or calling', async () => {
    const { contents, calls, wiring } = wire();
    const handler = handlers.get(callChannel('seek')) as Handler;
    const strangers = [
      { sender: {}, senderFrame: contents.mainFrame },
      { sender: contents, senderFrame: { url: APP_PAGE_URL } },
      { sender: contents, senderFrame: null },
    ];
    for (const event of strangers) {
      await expect(async () => handler(event, 1)).rejects.toThrow(/refused: the sender is not Forkscope's window/);
    }
    contents.mainFrame.url = 'https://example.com/';
    await expect(async () => handler({ sender: contents, senderFrame: contents.mainFrame }, 1)).rejects.toThrow(/refused/);
    expect(calls).toEqual([]);
    wiring.dispose();
  });

  it('pushes the Session messages and timeline states on their channels, and takes only good acks from our page', async () => {
    const { contents, engine, invoke, wiring, fromPage } = wire();
    expect(await invoke('hello')).toEqual(HOST_INFO);
    const message: ServerMessage = { type: 'snapshot', snapshot: { seq: 1, ts: 1, processes: [], source: { kind: 'poll', reason: 'test', lostEvents: 0, resyncs: 0 } } };
    engine.push(message);
    expect(contents.sent).toEqual([[EVENT_CHANNELS.message, message]]);
    const ack = listeners.get(ACK_CHANNEL) as Handler;
    ack(fromPage, 1);
    ack(fromPage, -1);
    ack(fromPage, '2');
    ack({ sender: {}, senderFrame: contents.mainFrame }, 3);
    expect(engine.acks).toEqual([1]);
    wiring.dispose();
  });
});
