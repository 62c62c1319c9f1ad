/**
 * The web host's WebSocket protocol (JSON text frames). The Electron host uses IPC channels
 * (ipc.ts) instead; both carry the same ForkscopeBridge calls.
 *
 * Page URL:  http://127.0.0.1:PORT/?token=TOKEN
 * Socket:    ws://127.0.0.1:PORT/ws?token=TOKEN   (Host and Origin must be this server)
 */
import type { ServerMessage } from './delta';
import type { TimelineState } from './timeline';

/** Calls of TimelineBridge (timeline.ts) are `timeline.*`; openRecording is an HTTP upload. */
export type TimelineWireMethod =
  | 'timeline.state'
  | 'timeline.density'
  | 'timeline.seek'
  | 'timeline.play'
  | 'timeline.pause'
  | 'timeline.step'
  | 'timeline.goLive'
  | 'timeline.diff'
  | 'timeline.export'
  | 'timeline.startRecording'
  | 'timeline.stopRecording';

export type WireMethod = 'hello' | 'snapshot' | 'detail' | 'signal' | TimelineWireMethod;

/** client → server */
export type ClientFrame =
  | { type: 'call'; id: number; method: WireMethod; params?: unknown }
  | { type: 'ack'; seq: number };

/** server → client */
export type ServerFrame =
  | { type: 'result'; id: number; result: unknown }
  | { type: 'error'; id: number; error: string }
  | { type: 'message'; message: ServerMessage }
  | { type: 'timeline'; state: TimelineState };

export const WS_PATH = '/ws';

/**
 * Opening a recording uploads its bytes: `POST /recording?token=TOKEN&name=NAME` with the file as
 * the body (WebSocket frames from clients are capped small). Answers 204, or 4xx with the reason
 * as text. Same Host/Origin/token checks as the socket.
 */
export const RECORDING_UPLOAD_PATH = '/recording';
