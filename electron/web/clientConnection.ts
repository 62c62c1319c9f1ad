/**
 * One WebSocket client of the web host: decodes its frames (wire.ts), validates every argument
 * with the shared guards, runs the call against its own Session subscription and answers with a
 * result or an error frame. Bad input of any kind becomes an error frame; it never throws.
 */
import {
  checkDetailRequest,
  checkDiffRange,
  checkExportRequest,
  checkPlaybackSpeed,
  checkSeq,
  checkSignalRequest,
  checkStepDirection,
  checkTimelineBuckets,
  checkTimestamp,
  GuardError,
} from '../common/guards';
import type { HostInfo } from '../common/bridge';
import type { EngineSubscription, HostEngine } from '../common/hostEngine';
import type { ServerFrame, TimelineWireMethod, WireMethod } from '../common/wire';
import type { TimeMachine } from '../core/recording/TimeMachine';

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
  timeMachine?: TimeMachine,
): ClientConnection {
  const subscription: EngineSubscription = engine.subscribe((message) => send({ type: 'message', message }));
  const stopTimeline = timeMachine?.onTimeline((state) => send({ type: 'timeline', state }));
  let closed = false;

  const machine = (): TimeMachine => {
    if (!timeMachine) throw new Error('time travel is not available on this host');
    return timeMachine;
  };
  const timelineCalls: Record<TimelineWireMethod, (params: unknown) => unknown> = {
    'timeline.state': () => machine().state(),
    'timeline.density': (params) => machine().density(checkTimelineBuckets(params)),
    'timeline.seek': (params) => machine().seek(checkTimestamp(params)),
    'timeline.play': (params) => machine().play(checkPlaybackSpeed(params)),
    'timeline.pause': () => machine().pause(),
    'timeline.step': (params) => machine().step(checkStepDirection(params)),
    'timeline.goLive': () => machine().goLive(),
    'timeline.diff': (params) => {
      const { from, to } = checkDiffRange(params);
      return machine().diff(from, to);
    },
    'timeline.export': (params) => machine().exportRecording(checkExportRequest(params)),
    'timeline.startRecording': () => machine().startRecording(),
    'timeline.stopRecording': () => machine().stopRecording(),
  };

  const calls: Record<WireMethod, (params: unknown) => unknown> = {
    ...timelineCalls,
    hello: () => hostInfo,
    snapshot: () => subscription.requestSnapshot(),
    detail: (params) => {
      const request = checkDetailRequest(params);
      return engine.getDetail(request.pid, request.startTime);
    },
    signal: (params) => engine.signal(checkSignalRequest(params)),
  };

  async function call(id: number, method: string, params: unknown): Promise<void> {
    const handler = Object.hasOwn(calls, method) ? calls[method as WireMethod] : undefined;
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
