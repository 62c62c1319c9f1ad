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

/** Every invoke channel once: a Record, so the compiler refuses one missing from InvokeChannels or unknown to it. */
const INVOKE_CHANNEL_SET: Readonly<Record<InvokeChannel, true>> = {
  'forkscope:hello': true,
  'forkscope:snapshot': true,
  'forkscope:detail': true,
  'forkscope:signal': true,
  'forkscope:timeline-state': true,
  'forkscope:timeline-density': true,
  'forkscope:timeline-seek': true,
  'forkscope:timeline-play': true,
  'forkscope:timeline-pause': true,
  'forkscope:timeline-step': true,
  'forkscope:timeline-go-live': true,
  'forkscope:timeline-diff': true,
  'forkscope:timeline-export': true,
  'forkscope:timeline-start-recording': true,
  'forkscope:timeline-stop-recording': true,
  'forkscope:timeline-open-recording': true,
};
export const INVOKE_CHANNELS = Object.keys(INVOKE_CHANNEL_SET) as readonly InvokeChannel[];
