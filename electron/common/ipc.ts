/**
 * The IPC channel map: every channel the renderer may use, with its argument and result types.
 * The preload exposes only these; main validates every argument (see guards.ts).
 */
import type { ServerMessage, Snapshot } from './delta';
import type { ProcessDetail } from './detail';
import type { SignalRequest, SignalResult } from './signals';
import type { DetailRequest, HostInfo } from './bridge';
import type { DownloadableFile, ExportRequest, TimelineDensity, TimelineDiff, TimelineState } from './timeline';

/** renderer → main, request/response (ipcRenderer.invoke / ipcMain.handle). */
export interface InvokeChannels {
  'forkscope:hello': { args: []; result: HostInfo };
  'forkscope:snapshot': { args: []; result: Snapshot };
  'forkscope:detail': { args: [DetailRequest]; result: ProcessDetail };
  'forkscope:signal': { args: [SignalRequest]; result: SignalResult };
  'forkscope:timeline-state': { args: []; result: TimelineState };
  'forkscope:timeline-density': { args: [number]; result: TimelineDensity };
  'forkscope:timeline-seek': { args: [number]; result: void };
  'forkscope:timeline-play': { args: [number]; result: void };
  'forkscope:timeline-pause': { args: []; result: void };
  'forkscope:timeline-step': { args: [1 | -1]; result: void };
  'forkscope:timeline-go-live': { args: []; result: void };
  'forkscope:timeline-diff': { args: [{ from: number; to: number }]; result: TimelineDiff };
  'forkscope:timeline-export': { args: [ExportRequest]; result: DownloadableFile };
  'forkscope:timeline-start-recording': { args: []; result: void };
  'forkscope:timeline-stop-recording': { args: []; result: DownloadableFile };
  'forkscope:timeline-open-recording': { args: [string, Uint8Array]; result: void };
}

/** renderer → main, fire and forget (ipcRenderer.send / ipcMain.on). */
export interface SendChannels {
  'forkscope:ack': { args: [number] };
}

/** main → renderer pushes (webContents.send / ipcRenderer.on). */
export interface PushChannels {
  'forkscope:message': { args: [ServerMessage] };
  'forkscope:timeline': { args: [TimelineState] };
}

export type InvokeChannel = keyof InvokeChannels;
export type SendChannel = keyof SendChannels;
export type PushChannel = keyof PushChannels;

export const INVOKE_CHANNELS: readonly InvokeChannel[] = [
  'forkscope:hello',
  'forkscope:snapshot',
  'forkscope:detail',
  'forkscope:signal',
  'forkscope:timeline-state',
  'forkscope:timeline-density',
  'forkscope:timeline-seek',
  'forkscope:timeline-play',
  'forkscope:timeline-pause',
  'forkscope:timeline-step',
  'forkscope:timeline-go-live',
  'forkscope:timeline-diff',
  'forkscope:timeline-export',
  'forkscope:timeline-start-recording',
  'forkscope:timeline-stop-recording',
  'forkscope:timeline-open-recording',
];
export const SEND_CHANNELS: readonly SendChannel[] = ['forkscope:ack'];
export const PUSH_CHANNELS: readonly PushChannel[] = ['forkscope:message', 'forkscope:timeline'];
