/**
 * The service's transport over the web host's WebSocket (electron/common/wire.ts); the renderer's
 * client (serviceClient.ts) makes it a ForkscopeBridge. Calls are request/response frames matched
 * by id; pushed events go to their listeners. The socket reconnects with exponential backoff;
 * calls made while it is down wait for the next connection, and calls in flight when it drops fail
 * with a clear error (their answers will never come).
 */
import type { ServerMessage } from '../../../electron/common/delta';
import type { TimelineState } from '../../../electron/common/timeline';
import type { ServiceArgs, ServiceEvent, ServiceImplementation, ServiceEvents, ServiceMethod, ServiceResult, ServiceTransport } from '../../../electron/common/bridge';
import { RECORDING_UPLOAD_PATH, UPLOADED_METHOD, type ClientFrame, type ServerFrame } from '../../../electron/common/wire';
import type { ConnectionAware, ConnectionState } from './connection';

/** The part of the DOM WebSocket this client uses (so tests can pass the `ws` package's). */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  send(data: string): void;
  close(): void;
}

export type SocketFactory = (url: string) => SocketLike;

const OPEN = 1;
export const BACKOFF_MIN_MS = 250;
export const BACKOFF_MAX_MS = 10_000;

/**
 * `resolve` is a method, so a call's typed resolver fits here: the answer is trusted as much as
 * the host itself, which implements the same interface.
 */
interface PendingCall {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

type Listeners = { [E in ServiceEvent]: Set<(payload: ServiceEvents[E]) => void> };

export class WebSocketTransport implements ServiceTransport, ConnectionAware {
  connection: ConnectionState = { status: 'connecting', attempt: 1 };

  private socket: SocketLike | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, PendingCall>();
  /** Frames of calls made while disconnected, sent on the next open. */
  private readonly outbox: string[] = [];
  private readonly listeners: Listeners = { message: new Set(), timeline: new Set() };
  private readonly connectionListeners = new Set<(state: ConnectionState) => void>();
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly createSocket: SocketFactory = (u) => new WebSocket(u) as unknown as SocketLike,
  ) {
    this.connect();
  }

  /** Calls that do not travel as socket frames. */
  private readonly direct: Partial<ServiceImplementation> = {
    [UPLOADED_METHOD]: (name: string, bytes: Uint8Array) => this.uploadRecording(name, bytes),
  };

  call<M extends ServiceMethod>(method: M, args: ServiceArgs<M>): Promise<ServiceResult<M>> {
    const direct = this.direct[method];
    if (direct) return Promise.resolve(direct(...args));
    if (this.closed) return Promise.reject(new Error('bridge closed'));
    const id = this.nextId++;
    const frame: ClientFrame = args.length === 0 ? { type: 'call', id, method } : { type: 'call', id, method, args };
    return new Promise<ServiceResult<M>>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (this.socket?.readyState === OPEN) this.send(frame);
      else this.outbox.push(JSON.stringify(frame));
    });
  }

  listen<E extends ServiceEvent>(event: E, listener: (payload: ServiceEvents[E]) => void): () => void {
    const listeners: Listeners[E] = this.listeners[event];
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }

  ack(seq: number): void {
    // An ack for a connection that is gone means nothing to the next one: drop it.
    if (this.socket?.readyState === OPEN) this.send({ type: 'ack', seq });
  }

  onConnectionChange(listener: (state: ConnectionState) => void): () => void {
    this.connectionListeners.add(listener);
    return () => {
      this.connectionListeners.delete(listener);
    };
  }

  /** Stop for good: close the socket, fail pending calls, no reconnect. */
  close(): void {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.socket?.close();
    this.failPending('connection closed');
  }

  /** Recordings are too big for a client frame: they go up as one HTTP POST (wire.ts). */
  private async uploadRecording(name: string, bytes: Uint8Array): Promise<void> {
    const socketUrl = new URL(this.url);
    const url = new URL(RECORDING_UPLOAD_PATH, `${socketUrl.protocol === 'wss:' ? 'https:' : 'http:'}//${socketUrl.host}`);
    url.searchParams.set('token', socketUrl.searchParams.get('token') ?? '');
    url.searchParams.set('name', name);
    const response = await fetch(url, { method: 'POST', body: bytes as BodyInit, headers: { 'Content-Type': 'application/octet-stream' } });
    if (!response.ok) throw new Error((await response.text()).trim() || `upload failed (HTTP ${response.status})`);
  }

  private send(frame: ClientFrame): void {
    this.socket?.send(JSON.stringify(frame));
  }

  private connect(): void {
    this.attempt += 1;
    this.setConnection({ status: 'connecting', attempt: this.attempt });
    let socket: SocketLike;
    try {
      socket = this.createSocket(this.url);
    } catch (error) {
      this.scheduleReconnect(error instanceof Error ? error.message : String(error));
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      for (const frame of this.outbox.splice(0)) socket.send(frame);
      this.setConnection({ status: 'connected' });
    };
    socket.onmessage = (event) => this.receive(event.data);
    socket.onerror = () => {
      // The close event that follows carries the code; reconnect from there.
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.failPending('connection lost before the answer arrived');
      if (!this.closed) this.scheduleReconnect(event.reason || `socket closed (code ${event.code})`);
    };
  }

  private scheduleReconnect(reason: string): void {
    const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.min(this.attempt, 10));
    this.setConnection({ status: 'disconnected', reason, retryAt: Date.now() + delay });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.closed) this.connect();
    }, delay);
  }

  private receive(data: unknown): void {
    const frame = parseServerFrame(data);
    if (!frame) {
      console.warn('forkscope: ignored a malformed frame from the server');
      return;
    }
    if (frame.type === 'event') {
      // One case per event: the union narrows each payload to its listeners' type.
      if (frame.event === 'message') notify(this.listeners.message, frame.payload);
      else notify(this.listeners.timeline, frame.payload);
      return;
    }
    const call = this.pending.get(frame.id);
    if (!call) return;
    this.pending.delete(frame.id);
    if (frame.type === 'result') call.resolve(frame.result);
    else call.reject(new Error(frame.error));
  }

  private failPending(reason: string): void {
    const calls = Array.from(this.pending.values());
    this.pending.clear();
    for (const call of calls) call.reject(new Error(reason));
  }

  private setConnection(state: ConnectionState): void {
    this.connection = state;
    for (const listener of Array.from(this.connectionListeners)) listener(state);
  }
}

function notify<T>(listeners: Set<(payload: T) => void>, payload: T): void {
  for (const listener of Array.from(listeners)) listener(payload);
}

/** A server frame as the client acts on it: a pushed event carries its own payload type. */
export type ReceivedFrame =
  | Exclude<ServerFrame, { type: 'event' }>
  | { [E in ServiceEvent]: { type: 'event'; event: E; payload: ServiceEvents[E] } }[ServiceEvent];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isServerMessage(value: unknown): value is ServerMessage {
  return isObject(value) && (value.type === 'snapshot' || value.type === 'delta');
}

function isTimelineState(value: unknown): value is TimelineState {
  return isObject(value) && typeof value.mode === 'string';
}

/** Shape-check a server frame; the payloads inside are trusted as much as the host itself. */
export function parseServerFrame(data: unknown): ReceivedFrame | null {
  if (typeof data !== 'string') return null;
  let frame: unknown;
  try {
    frame = JSON.parse(data);
  } catch {
    return null;
  }
  if (!isObject(frame)) return null;
  const { id, payload } = frame;
  switch (frame.type) {
    case 'result':
      return typeof id === 'number' ? { type: 'result', id, result: frame.result } : null;
    case 'error':
      return typeof id === 'number' && typeof frame.error === 'string' ? { type: 'error', id, error: frame.error } : null;
    case 'event':
      if (frame.event === 'message' && isServerMessage(payload)) return { type: 'event', event: 'message', payload };
      if (frame.event === 'timeline' && isTimelineState(payload)) return { type: 'event', event: 'timeline', payload };
      return null;
    default:
      return null;
  }
}
