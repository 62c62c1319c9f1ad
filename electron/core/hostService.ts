/**
 * The service (common/bridge.ts) as every host implements it, for one client: a window's page in
 * Electron, a tab on the web host. The transports — Electron IPC (main/ipcHandlers.ts) and the web
 * host's WebSocket (web/clientConnection.ts) — validate each call's arguments with the shared
 * guards (common/guards.ts callService) before it reaches this implementation, and carry the
 * answer or the error back; the pushes go out through `emit`.
 */
import type { HostInfo, ServiceEvent, ServiceEvents, ServiceImplementation } from '../common/bridge';
import { checkSeq } from '../common/guards';
import type { EngineSubscription, HostEngine } from '../common/hostEngine';
import { TimeTravelError, type TimeMachine } from './recording/TimeMachine';

/** The part of the TimeMachine that a client reaches: its calls and its state pushes. */
export type TimelineMachine = Pick<
  TimeMachine,
  | 'state'
  | 'onTimeline'
  | 'density'
  | 'seek'
  | 'play'
  | 'pause'
  | 'step'
  | 'goLive'
  | 'diff'
  | 'exportRecording'
  | 'startRecording'
  | 'stopRecording'
  | 'openRecording'
>;

export type ServiceEmitter = <E extends ServiceEvent>(event: E, payload: ServiceEvents[E]) => void;

export const NO_TIME_TRAVEL_MESSAGE = 'time travel is not available on this host';

export interface HostSession {
  /** The calls, answered for this client; arguments are already validated. */
  readonly service: ServiceImplementation;
  /** This client's Session subscription, opened on first use: its messages go out as `message` events. */
  subscription(): EngineSubscription;
  /** The client applied the delta `seq` (an unchecked value from the transport: throws GuardError). */
  ack(seq: unknown): void;
  /** Close the subscription: a reloaded page starts a new model at seq 0 and gets a new one. */
  endSubscription(): void;
  /** The client is gone: end its subscription and its timeline pushes. */
  close(): void;
}

/** `timeMachine`, when the host has one, answers the timeline calls; without one they fail clearly. */
export function openHostSession(engine: HostEngine, hostInfo: HostInfo, emit: ServiceEmitter, timeMachine?: TimelineMachine): HostSession {
  let subscription: EngineSubscription | undefined;
  const stopTimeline = timeMachine?.onTimeline((state) => emit('timeline', state));

  function currentSubscription(): EngineSubscription {
    subscription ??= engine.subscribe((message) => emit('message', message));
    return subscription;
  }

  function endSubscription(): void {
    subscription?.close();
    subscription = undefined;
  }

  function machine(): TimelineMachine {
    if (!timeMachine) throw new TimeTravelError(NO_TIME_TRAVEL_MESSAGE);
    return timeMachine;
  }

  const service: ServiceImplementation = {
    hello: () => {
      // The page says hello first: from then on its Session's messages flow.
      currentSubscription();
      return hostInfo;
    },
    requestSnapshot: () => currentSubscription().requestSnapshot(),
    getDetail: ({ pid, startTime, translatePid }) =>
      translatePid === undefined ? engine.getDetail(pid, startTime) : engine.getDetail(pid, startTime, translatePid),
    sendSignal: (request) => engine.signal(request),
    timelineState: () => machine().state(),
    timeline: (buckets) => machine().density(buckets),
    seek: (ts) => machine().seek(ts),
    play: (speed) => machine().play(speed),
    pause: () => machine().pause(),
    step: (direction) => machine().step(direction),
    goLive: () => machine().goLive(),
    diff: (from, to) => machine().diff(from, to),
    exportRecording: (request) => machine().exportRecording(request),
    startRecording: () => machine().startRecording(),
    stopRecording: () => machine().stopRecording(),
    openRecording: (name, bytes) => machine().openRecording(name, bytes),
  };

  return {
    service,
    subscription: currentSubscription,
    ack: (seq) => {
      const checked = checkSeq(seq);
      subscription?.ack(checked);
    },
    endSubscription,
    close: () => {
      stopTimeline?.();
      endSubscription();
    },
  };
}
