/**
 * The preload with a stand-in electron: what it exposes is the service's transport, and page
 * script can reach through it only the call channels of the service's methods and the push
 * channels of its events.
 */
import { describe, expect, it, vi } from 'vitest';
import type { ServiceTransport } from '../common/bridge';
import { SERVICE_METHODS } from '../common/guards';
import { ACK_CHANNEL, callChannel, EVENT_CHANNELS } from '../common/ipc';
// Runs the preload against the mocked electron below (vi.mock is hoisted above imports).
import './preload';

const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoked: [] as Array<[string, unknown[]]>,
  sent: [] as Array<[string, unknown]>,
  listeners: new Map<string, (event: unknown, payload: unknown) => void>(),
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => electron.exposed.set(key, api) },
  ipcRenderer: {
    invoke: (channel: string, ...args: unknown[]) => {
      electron.invoked.push([channel, args]);
      return Promise.resolve('answered');
    },
    send: (channel: string, payload: unknown) => electron.sent.push([channel, payload]),
    on: (channel: string, listener: (event: unknown, payload: unknown) => void) => electron.listeners.set(channel, listener),
    removeListener: (channel: string) => electron.listeners.delete(channel),
  },
}));

const transport = electron.exposed.get('forkscope') as ServiceTransport;

describe('the preload', () => {
  it('exposes only the transport, as window.forkscope', () => {
    expect([...electron.exposed.keys()]).toEqual(['forkscope']);
    expect(Object.keys(transport).sort()).toEqual(['ack', 'call', 'listen']);
  });

  it('invokes a call channel per service method with the arguments, and refuses any other name', async () => {
    for (const method of SERVICE_METHODS) expect(await transport.call(method, [] as never)).toBe('answered');
    await transport.call('seek', [5]);
    expect(electron.invoked).toEqual([...SERVICE_METHODS.map((method) => [callChannel(method), []]), [callChannel('seek'), [5]]]);
    electron.invoked.length = 0;
    const untyped = transport.call as (method: string, args: unknown) => Promise<unknown>;
    for (const name of ['__proto__', 'toString', '../ack', 'hello:x']) await expect(untyped(name, [])).rejects.toThrow(/unknown call/);
    await expect(untyped('hello', 'not an array')).rejects.toThrow(/unknown call/);
    expect(electron.invoked).toEqual([]);
  });

  it('hands listeners the payload alone, never the event, and sends acks on their channel', () => {
    const payloads: unknown[] = [];
    const off = transport.listen('timeline', (state) => payloads.push(state));
    electron.listeners.get(EVENT_CHANNELS.timeline)?.({ sender: 'main' }, { mode: 'live' });
    expect(payloads).toEqual([{ mode: 'live' }]);
    off();
    expect(electron.listeners.has(EVENT_CHANNELS.timeline)).toBe(false);
    const untyped = transport.listen as (event: string, listener: () => void) => () => void;
    expect(() => untyped('constructor', () => {})).toThrow(/unknown event/);
    transport.ack(9);
    expect(electron.sent).toEqual([[ACK_CHANNEL, 9]]);
  });
});
