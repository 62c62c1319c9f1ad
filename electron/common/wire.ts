/**
 * The web host's WebSocket protocol (JSON text frames). The Electron host uses IPC channels
 * (ipc.ts) instead; both carry the same ForkscopeBridge calls.
 *
 * Page URL:  http://127.0.0.1:PORT/?token=TOKEN
 * Socket:    ws://127.0.0.1:PORT/ws?token=TOKEN   (Host and Origin must be this server)
 */
import type { ServerMessage } from './delta';

export type WireMethod = 'hello' | 'snapshot' | 'detail' | 'signal';

/** client → server */
export type ClientFrame =
  | { type: 'call'; id: number; method: WireMethod; params?: unknown }
  | { type: 'ack'; seq: number };

/** server → client */
export type ServerFrame =
  | { type: 'result'; id: number; result: unknown }
  | { type: 'error'; id: number; error: string }
  | { type: 'message'; message: ServerMessage };

export const WS_PATH = '/ws';
