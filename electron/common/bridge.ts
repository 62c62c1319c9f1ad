/**
 * The contract between the renderer and its host, written once (VS Code's ProxyChannel model):
 * ForkscopeService lists every call with its arguments and result, ServiceEvents every push.
 * From them and the argument guards (guards.ts SERVICE_GUARDS) come the Electron IPC handlers
 * (main), the preload's transport, the web host's dispatch and the renderer's client for both
 * transports. Adding a call touches this interface, its guard and its implementation
 * (core/hostService.ts), nothing else.
 */
import type { ServerMessage, Snapshot } from './delta';
import type { ProcessDetail } from './detail';
import type { SignalRequest, SignalResult } from './signals';
import type { TimelineBridge, TimelineService, TimelineState } from './timeline';

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

/** Every call the renderer may make of its host, as the renderer sees it. */
export interface ForkscopeService extends TimelineService {
  hello(): Promise<HostInfo>;
  /** Ask for a fresh snapshot (on connect, or after a seq gap). It also arrives as a `message` push. */
  requestSnapshot(): Promise<Snapshot>;
  getDetail(request: DetailRequest): Promise<ProcessDetail>;
  sendSignal(request: SignalRequest): Promise<SignalResult>;
}

export type ServiceMethod = keyof ForkscopeService;
export type ServiceArgs<M extends ServiceMethod> = Parameters<ForkscopeService[M]>;
export type ServiceResult<M extends ServiceMethod> = Awaited<ReturnType<ForkscopeService[M]>>;

/** What a host implements: the same calls, answering at once or later. */
export type ServiceImplementation = {
  [M in ServiceMethod]: (...args: ServiceArgs<M>) => ServiceResult<M> | Promise<ServiceResult<M>>;
};

/** host → renderer pushes, by name. */
export interface ServiceEvents {
  /** Snapshots and deltas of this client's Session subscription. */
  message: ServerMessage;
  /** Every change of the timeline's mode, playback or recording. */
  timeline: TimelineState;
}

export type ServiceEvent = keyof ServiceEvents;

/**
 * One way to reach the host: Electron IPC (the preload exposes it as window.forkscope) or the web
 * host's WebSocket. The renderer's client (renderer/src/bridge/serviceClient.ts) turns either
 * into a ForkscopeBridge.
 */
export interface ServiceTransport {
  call<M extends ServiceMethod>(method: M, args: ServiceArgs<M>): Promise<ServiceResult<M>>;
  /** Listen to a push; returns an unsubscribe function. */
  listen<E extends ServiceEvent>(event: E, listener: (payload: ServiceEvents[E]) => void): () => void;
  /** Tell the Session a delta was applied, so it may send the next (backpressure). Fire and forget. */
  ack(seq: number): void;
}

/** The one interface the renderer knows: the calls, the pushes as listeners, and acks. */
export interface ForkscopeBridge extends ForkscopeService, TimelineBridge {
  /** Receive snapshots and deltas. Returns an unsubscribe function. */
  subscribe(listener: (message: ServerMessage) => void): () => void;
  ack(seq: number): void;
}

declare global {
  interface Window {
    /** Set by the Electron preload; absent in web mode. */
    forkscope?: ServiceTransport;
  }
}
