/**
 * The sandboxed preload: exposes window.forkscope, the service's IPC transport (ServiceTransport,
 * common/bridge.ts), through contextBridge; the renderer builds its typed client on it. The page
 * reaches only the channels of ipc.ts, derived from the service's method and event lists: no raw
 * ipcRenderer, no event objects (they carry `sender`), no way to name another channel.
 * Sandboxed preloads may require only 'electron' (bundled by esbuild into one CJS file).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ServiceTransport } from '../common/bridge';
import { isServiceMethod } from '../common/guards';
import { ACK_CHANNEL, callChannel, EVENT_CHANNELS, isServiceEvent } from '../common/ipc';

const transport: ServiceTransport = {
  call: (method, args) => {
    // Page script can pass anything here: only a call of the service opens a channel.
    if (!isServiceMethod(method) || !Array.isArray(args)) return Promise.reject(new Error(`unknown call '${String(method).slice(0, 40)}'`));
    return ipcRenderer.invoke(callChannel(method), ...args);
  },
  listen: (event, listener) => {
    if (!isServiceEvent(event)) throw new Error(`unknown event '${String(event).slice(0, 40)}'`);
    const channel = EVENT_CHANNELS[event];
    const forward = (_event: IpcRendererEvent, payload: Parameters<typeof listener>[0]): void => listener(payload);
    ipcRenderer.on(channel, forward);
    return () => void ipcRenderer.removeListener(channel, forward);
  },
  ack: (seq) => ipcRenderer.send(ACK_CHANNEL, seq),
};

contextBridge.exposeInMainWorld('forkscope', transport);
