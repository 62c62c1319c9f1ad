/**
 * One WebSocket client of the web host: decodes its frames (wire.ts), validates every argument
 * with the shared guards, runs the call against its own Session subscription and answers with a
 * result or an error frame. Bad input of any kind becomes an error frame; it never throws.
 */
import { checkDetailRequest, checkSeq, checkSignalRequest, GuardError } from '../common/guards';
import type { HostInfo } from '../common/bridge';
import type { EngineSubscription, HostEngine } from '../common/hostEngine';
import type { ServerFrame, TimelineWireMethod, WireMethod } from '../common/wire';
import { callTimeline, type TimelineCall, type TimelineMachine } from '../core/recording/timelineCalls';
import type { TimeMachine } from '../core/recording/TimeMachine';

/** Each `timeline.*` method's call (core/recording/timelineCalls.ts validates and runs it). */
const TIMELINE_CALLS: Readonly<Record<TimelineWireMethod, Exclude<TimelineCall, 'openRecording'>>> = {
  'timeline.state': 'state',
  'timeline.density': 'density',
  'timeline.seek': 'seek',
  'timeline.play': 'play',
  'timeline.pause': 'pause',
  'timeline.step': 'step',
  'timeline.goLive': 'goLive',
  'timeline.diff': 'diff',
  'timeline.export': 'export',
  'timeline.startRecording': 'startRecording',
  'timeline.stopRecording': 'stopRecording',
};

/** Error frames about a frame that had no usable call id carry this id. */
export const NO_CALL_ID = -1;

export interface ClientConnection {
  /** Handle one text frame from the client. */
  receive(text: string): void;
  /** The socket closed: end the Session subscription. */
  close(): void;
}

/**
 * `timeMachine`, when the host has one, answers the `timeline.*` calls and pushes its state to
 * the client; without one those calls fail with a clear error.
 */
export function openClientConnection(
  engine: HostEngine,
  hostInfo: HostInfo,
  send: (frame: ServerFrame) => void,
  timeMachine?: TimelineMachine & Pick<TimeMachine, 'onTimeline'>,
): ClientConnection {
  const subscription: EngineSubscription = engine.subscribe((message) => send({ type: 'message', message }));
  const stopTimeline = timeMachine?.onTimeline((state) => send({ type: 'timeline', state }));
  let closed = false;

  const calls: Record<Exclude<WireMethod, TimelineWireMethod>, (params: unknown) => unknown> = {
    hello: () => hostInfo,
    snapshot: () => subscription.requestSnapshot(),
    detail: (params) => {
      const request = checkDetailRequest(params);
      return engine.getDetail(request.pid, request.startTime, request.translatePid);
    },
    signal: (params) => engine.signal(checkSignalRequest(params)),
  };

  /** Own keys only: a method named '__proto__' or 'toString' is unknown, not a prototype's member. */
  function handlerFor(method: string): ((params: unknown) => unknown) | undefined {
    if (Object.hasOwn(TIMELINE_CALLS, method)) {
      const timelineCall = TIMELINE_CALLS[method as TimelineWireMethod];
      return (params) => callTimeline(timeMachine, timelineCall, [params]);
    }
    return Object.hasOwn(calls, method) ? calls[method as keyof typeof calls] : undefined;
  }

  async function call(id: number, method: string, params: unknown): Promise<void> {
    const handler = handlerFor(method);
    if (!handler) {
      send({ type: 'error', id, error: `unknown method '${method.slice(0, 40)}'` });
      return;
    }
    try {
      // `undefined` does not survive JSON: a call that returns nothing answers null.
      const result = (await handler(params)) ?? null;
      if (!closed) send({ type: 'result', id, result });
    } catch (error) {
      if (!closed) send({ type: 'error', id, error: describeError(error) });
    }
  }

  return {
    receive(text: string): void {
      if (closed) return;
      let frame: unknown;
      try {
        frame = JSON.parse(text);
      } catch {
        send({ type: 'error', id: NO_CALL_ID, error: 'frame is not valid JSON' });
        return;
      }
      if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) {
        send({ type: 'error', id: NO_CALL_ID, error: 'frame must be a JSON object' });
        return;
      }
      const fields = frame as Record<string, unknown>;
      if (fields.type === 'ack') {
        try {
          subscription.ack(checkSeq(fields.seq));
        } catch (error) {
          send({ type: 'error', id: NO_CALL_ID, error: describeError(error) });
        }
        return;
      }
      if (fields.type !== 'call') {
        send({ type: 'error', id: NO_CALL_ID, error: "frame type must be 'call' or 'ack'" });
        return;
      }
      if (typeof fields.id !== 'number' || !Number.isSafeInteger(fields.id) || fields.id < 0) {
        send({ type: 'error', id: NO_CALL_ID, error: 'call id must be a non-negative integer' });
        return;
      }
      if (typeof fields.method !== 'string') {
        send({ type: 'error', id: fields.id, error: 'call method must be a string' });
        return;
      }
      void call(fields.id, fields.method, fields.params);
    },
    close(): void {
      if (closed) return;
      closed = true;
      stopTimeline?.();
      subscription.close();
    },
  };
}

/** Guard errors are the client's fault and say exactly what was wrong; others are reported briefly. */
function describeError(error: unknown): string {
  if (error instanceof GuardError) return `invalid argument: ${error.message}`;
  if (error instanceof Error) return error.message;
  return String(error);
}
