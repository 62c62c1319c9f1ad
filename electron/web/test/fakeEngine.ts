/**
 * A stand-in for the core engine that records what the host asked of it, for the host's
 * protocol and security tests (the real engine is exercised by the e2e suite).
 */
import type { ServerMessage, Snapshot } from '../../common/delta';
import type { ProcessDetail } from '../../common/detail';
import type { EngineSubscription, HostEngine } from '../../common/hostEngine';
import type { SignalRequest, SignalResult } from '../../common/signals';
import type { SourceStatus } from '../../common/source';

export interface RecordingEngine extends HostEngine {
  listeners: Array<(message: ServerMessage) => void>;
  acks: number[];
  closedSubscriptions: number;
  detailCalls: Array<[number, number]>;
  signalCalls: SignalRequest[];
}

const STATUS: SourceStatus = { kind: 'poll', reason: 'test engine', lostEvents: 0, resyncs: 0 };

export function createRecordingEngine(): RecordingEngine {
  const engine: RecordingEngine = {
    listeners: [],
    acks: [],
    closedSubscriptions: 0,
    detailCalls: [],
    signalCalls: [],
    subscribe(listener): EngineSubscription {
      engine.listeners.push(listener);
      return {
        ack: (seq) => engine.acks.push(seq),
        requestSnapshot: (): Snapshot => ({ seq: 7, ts: Date.now(), processes: [], source: STATUS }),
        close: () => {
          engine.closedSubscriptions++;
        },
      };
    },
    getDetail(pid, startTime): Promise<ProcessDetail> {
      engine.detailCalls.push([pid, startTime]);
      return Promise.reject(new Error(`no process ${pid}`));
    },
    signal(request): SignalResult {
      engine.signalCalls.push(request);
      return { outcomes: [{ pid: request.pid, ok: false, error: 'ESRCH' }] };
    },
    status: () => STATUS,
  };
  return engine;
}
