/**
 * The one interface the renderer knows. Implemented by the Electron preload (contextBridge + IPC)
 * and by the web host's WebSocket client. Same renderer bundle for both.
 */
import type { ServerMessage, Snapshot } from './delta';
import type { ProcessDetail } from './detail';
import type { SignalRequest, SignalResult } from './signals';
import type { TimelineBridge } from './timeline';

export interface HostInfo {
  host: 'electron' | 'web';
  version: string;
  /** Running as root: Chromium's sandbox is off in Electron then, and the UI says so. */
  runningAsRoot: boolean;
  /** Electron only: whether the renderer sandbox is on. */
  sandboxed?: boolean;
  /** Free-form warnings to show in the window (e.g. "running as root: sandbox disabled"). */
  warnings: string[];
}

export interface DetailRequest {
  pid: number;
  startTime: number;
  /** Also find the process that is this pid inside the PID namespace of `pid` (ProcessDetail.translated). */
  translatePid?: number;
}

export interface ForkscopeBridge {
  hello(): Promise<HostInfo>;
  /** Receive snapshots and deltas. Returns an unsubscribe function. */
  subscribe(listener: (message: ServerMessage) => void): () => void;
  /** Ask for a fresh snapshot (on connect, or after a seq gap). It also arrives via subscribe. */
  requestSnapshot(): Promise<Snapshot>;
  /** Tell the Session a delta was applied, so it may send the next (backpressure). */
  ack(seq: number): void;
  getDetail(request: DetailRequest): Promise<ProcessDetail>;
  sendSignal(request: SignalRequest): Promise<SignalResult>;
  /** Time travel (timeline.ts). Absent on a host that cannot record or replay. */
  timeline?: TimelineBridge;
}

declare global {
  interface Window {
    /** Set by the Electron preload; absent in web mode. */
    forkscope?: ForkscopeBridge;
  }
}
