/**
 * One WebSocket client of the web host: decodes its frames (wire.ts), validates every argument
 * with the shared guards, runs the call against its own host session (core/hostService.ts) and
 * answers with a result or an error frame. Bad input of any kind becomes an error frame; it never
 * throws.
 */
import type { HostInfo } from '../common/bridge';
import { callService, GuardError, isServiceMethod } from '../common/guards';
import type { HostEngine } from '../common/hostEngine';
import { RECORDING_UPLOAD_PATH, UPLOADED_METHOD, type ServerFrame } from '../common/wire';
import { openHostSession, type TimelineMachine } from '../core/hostService';

/** Error frames about a frame that had no usable call id carry this id. */
export const NO_CALL_ID = -1;

export interface ClientConnection {
  /** Handle one text frame from the client. */
  receive(text: string): void;
  /** The socket closed: end the Session subscription. */
  close(): void;
}

/**
 * `timeMachine`, when the host has one, answers the timeline calls and pushes its state to the
 * client; without one those calls fail with a clear error.
 */
export function openClientConnection(
  engine: HostEngine,
  hostInfo: HostInfo,
  send: (frame: ServerFrame) => void,
  timeMachine?: TimelineMachine,
): ClientConnection {
  const session = openHostSession(engine, hostInfo, (event, payload) => send({ type: 'event', event, payload }), timeMachine);
  // Each tab gets its own Session subscription as soon as it connects.
  session.subscription();
  let closed = false;

  async function call(id: number, method: string, args: readonly unknown[]): Promise<void> {
    if (!isServiceMethod(method)) {
      send({ type: 'error', id, error: `unknown method '${method.slice(0, 40)}'` });
      return;
    }
    if (method === UPLOADED_METHOD) {
      send({ type: 'error', id, error: `${method} is an upload (POST ${RECORDING_UPLOAD_PATH}), not a socket call` });
      return;
    }
    try {
      // `undefined` does not survive JSON: a call that returns nothing answers null.
      const result = (await callService(session.service, method, args)) ?? null;
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
          session.ack(fields.seq);
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
      if (fields.args !== undefined && !Array.isArray(fields.args)) {
        send({ type: 'error', id: fields.id, error: 'call args must be an array' });
        return;
      }
      void call(fields.id, fields.method, fields.args ?? []);
    },
    close(): void {
      if (closed) return;
      closed = true;
      session.close();
    },
  };
}

/** Guard errors are the client's fault and say exactly what was wrong; others are reported briefly. */
function describeError(error: unknown): string {
  if (error instanceof GuardError) return `invalid argument: ${error.message}`;
  if (error instanceof Error) return error.message;
  return String(error);
}
