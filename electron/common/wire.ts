/**
 * The web host's WebSocket protocol (JSON text frames). The Electron host uses IPC channels
 * (ipc.ts) instead; both carry the same service (bridge.ts): a call is a method of
 * ForkscopeService with its positional arguments, a push is one of ServiceEvents.
 *
 * Page URL:  http://127.0.0.1:PORT/?token=TOKEN
 * Socket:    ws://127.0.0.1:PORT/ws?token=TOKEN   (Host and Origin must be this server)
 */
import type { ServiceEvent, ServiceMethod } from './bridge';

/** client → server */
export type ClientFrame =
  | { type: 'call'; id: number; method: ServiceMethod; args?: unknown[] }
  | { type: 'ack'; seq: number };

/** server → client; a pushed event's payload is ServiceEvents[event]. */
export type ServerFrame =
  | { type: 'result'; id: number; result: unknown }
  | { type: 'error'; id: number; error: string }
  | { type: 'event'; event: ServiceEvent; payload: unknown };

export const WS_PATH = '/ws';

/**
 * Opening a recording uploads its bytes: `POST /recording?token=TOKEN&name=NAME` with the file as
 * the body (WebSocket frames from clients are capped small), so `openRecording` is no socket call.
 * Answers 204, or 4xx with the reason as text. Same Host/Origin/token checks as the socket.
 */
export const RECORDING_UPLOAD_PATH = '/recording';
export const UPLOADED_METHOD = 'openRecording' satisfies ServiceMethod;
