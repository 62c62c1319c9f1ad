/**
 * What a host (Electron main, web host) needs from the core engine. The engine in
 * electron/core/engine.ts satisfies it structurally; hosts depend on this narrow surface so that
 * they can be tested with a small stand-in and never reach into the core's internals.
 */
import type { ServerMessage, Snapshot } from './delta';
import type { ProcessDetail } from './detail';
import type { SignalRequest, SignalResult } from './signals';
import type { SourceStatus } from './source';

/** One client's view of the Session: its own sequence numbers and backpressure. */
export interface EngineSubscription {
  /** The client applied the delta with this seq: the Session may send the next one. */
  ack(seq: number): void;
  /**
   * A fresh snapshot for this client; deltas after it continue from its seq. Returned, not
   * pushed: the host answers the client's request with it.
   */
  requestSnapshot(): Snapshot;
  close(): void;
}

export interface HostEngine {
  subscribe(listener: (message: ServerMessage) => void): EngineSubscription;
  /** With `translatePid`, detail.translated says which process is that pid in this one's PID namespace (live hosts only). */
  getDetail(pid: number, startTime: number, translatePid?: number): Promise<ProcessDetail>;
  signal(request: SignalRequest): SignalResult | Promise<SignalResult>;
  status(): SourceStatus;
}
