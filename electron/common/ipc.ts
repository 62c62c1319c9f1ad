/**
 * The IPC channel map: every channel the renderer may use, with its argument and result types.
 * The preload exposes only these; main validates every argument (see guards.ts).
 */
import type { ServerMessage, Snapshot } from './delta';
import type { ProcessDetail } from './detail';
import type { SignalRequest, SignalResult } from './signals';
import type { DetailRequest, HostInfo } from './bridge';

/** renderer → main, request/response (ipcRenderer.invoke / ipcMain.handle). */
export interface InvokeChannels {
  'forkscope:hello': { args: []; result: HostInfo };
  'forkscope:snapshot': { args: []; result: Snapshot };
  'forkscope:detail': { args: [DetailRequest]; result: ProcessDetail };
  'forkscope:signal': { args: [SignalRequest]; result: SignalResult };
}

/** renderer → main, fire and forget (ipcRenderer.send / ipcMain.on). */
export interface SendChannels {
  'forkscope:ack': { args: [number] };
}

/** main → renderer pushes (webContents.send / ipcRenderer.on). */
export interface PushChannels {
  'forkscope:message': { args: [ServerMessage] };
}

export type InvokeChannel = keyof InvokeChannels;
export type SendChannel = keyof SendChannels;
export type PushChannel = keyof PushChannels;

export const INVOKE_CHANNELS: readonly InvokeChannel[] = [
  'forkscope:hello',
  'forkscope:snapshot',
  'forkscope:detail',
  'forkscope:signal',
];
export const SEND_CHANNELS: readonly SendChannel[] = ['forkscope:ack'];
export const PUSH_CHANNELS: readonly PushChannel[] = ['forkscope:message'];
