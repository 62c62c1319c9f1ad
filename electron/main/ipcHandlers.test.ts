/**
 * The Electron IPC wiring with a stand-in ipcMain: every invoke channel has a handler, the
 * timeline channels reach their TimeMachine calls through the shared table with validated
 * arguments, and a sender that is not our window's main frame is refused before anything runs.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { HostInfo } from '../common/bridge';
import type { HostEngine } from '../common/hostEngine';
import { INVOKE_CHANNELS } from '../common/ipc';
import type { TimelineMachine } from '../core/recording/timelineCalls';
import type { TimeMachine } from '../core/recording/TimeMachine';
import { APP_PAGE_URL } from './appProtocol';
import { wireIpc } from './ipcHandlers';

type Handler = (event: unknown, ...args: unknown[]) => unknown;
const handlers = vi.hoisted(() => new Map<string, Handler>());

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: Handler) => handlers.set(channel, handler),
    removeHandler: (channel: string) => handlers.delete(channel),
    on: () => {},
    off: () => {},
  },
  protocol: {},
}));

const HOST_INFO: HostInfo = { host: 'electron', version: 'test', runningAsRoot: false, sandboxed: true, warnings: [] };

function fakeContents() {
  const mainFrame = { url: APP_PAGE_URL };
  return { mainFrame, isDestroyed: () => false, send: () => {}, on: () => {}, once: () => {} };
}

function fakeMachine(): { machine: TimelineMachine & Pick<TimeMachine, 'onTimeline'>; calls: Array<[string, unknown[]]> } {
  const calls: Array<[string, unknown[]]> = [];
  const record = (name: string) => (...args: unknown[]) => void calls.push([name, args]);
  const machine = {
    onTimeline: () => () => {},
    ...Object.fromEntries(
      ['state', 'density', 'seek', 'play', 'pause', 'step', 'goLive', 'diff', 'exportRecording', 'startRecording', 'stopRecording', 'openRecording'].map((name) => [name, record(name)]),
    ),
  } as unknown as TimelineMachine & Pick<TimeMachine, 'onTimeline'>;
  return { machine, calls };
}

function wire() {
  const contents = fakeContents();
  const { machine, calls } = fakeMachine();
  const wiring = wireIpc(contents as never, {} as HostEngine, HOST_INFO, machine);
  const fromPage = { sender: contents, senderFrame: contents.mainFrame };
  const invoke = async (channel: string, ...args: unknown[]): Promise<unknown> => (handlers.get(channel) as Handler)(fromPage, ...args);
  return { contents, calls, wiring, invoke };
}

beforeEach(() => handlers.clear());

describe('wireIpc', () => {
  it('handles every invoke channel, and removes them all on dispose', () => {
    const { wiring } = wire();
    expect([...handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    wiring.dispose();
    expect(handlers.size).toBe(0);
  });

  it('passes timeline calls with valid arguments to the machine', async () => {
    const { calls, invoke, wiring } = wire();
    const bytes = new Uint8Array([1, 2, 3]);
    await invoke('forkscope:timeline-seek', 1_700_000_000_000);
    await invoke('forkscope:timeline-go-live');
    await invoke('forkscope:timeline-diff', { from: 5, to: 9 });
    await invoke('forkscope:timeline-open-recording', 'storm.fsrec', bytes);
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
    await expect(invoke('forkscope:timeline-play', 50)).rejects.toThrow(/speed must be a number from/);
    await expect(invoke('forkscope:timeline-open-recording', 'storm.fsrec', 'not bytes')).rejects.toThrow(/recording must be bytes/);
    expect(calls).toEqual([]);
    wiring.dispose();
  });

  it('refuses a sender that is not our main frame showing our page, before validating or calling', async () => {
    const { contents, calls, wiring } = wire();
    const handler = handlers.get('forkscope:timeline-seek') as Handler;
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
});
