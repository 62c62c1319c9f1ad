/**
 * ForkscopeBridge over the web host's WebSocket (electron/common/wire.ts). Calls are request/
 * response frames matched by id; pushed ServerMessages go to subscribers. The socket reconnects
 * with exponential backoff; calls made while it is down wait for the next connection, and calls
 * in flight when it drops fail with a clear error (their answers will never come).
 */
import type { DetailRequest, ForkscopeBridge, HostInfo } from '../../../electron/common/bridge';
import type { ServerMessage, Snapshot } from '../../../electron/common/delta';
import type { ProcessDetail } from '../../../electron/common/detail';
import type { SignalRequest, SignalResult } from '../../../electron/common/signals';
import type { DownloadableFile, ExportRequest, TimelineBridge, TimelineDensity, TimelineDiff, TimelineState } from '../../../electron/common/timeline';
import { RECORDING_UPLOAD_PATH, type ClientFrame, type ServerFrame, type WireMethod } from '../../../electron/common/wire';
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

interface PendingCall {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export class WebSocketBridge implements ForkscopeBridge, ConnectionAware {
  connection: ConnectionState = { status: 'connecting', attempt: 1 };

  private socket: SocketLike | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, PendingCall>();
  /** Frames of calls made while disconnected, sent on the next open. */
  private readonly outbox: string[] = [];
  private readonly subscribers = new Set<(message: ServerMessage) => void>();
  private readonly connectionListeners = new Set<(state: ConnectionState) => void>();
  private readonly timelineListeners = new Set<(state: TimelineState) => void>();
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly createSocket: SocketFactory = (u) => new WebSocket(u) as unknown as SocketLike,
  ) {
    this.connect();
  }

  readonly timeline: TimelineBridge = {
    timelineState: () => this.call('timeline.state') as Promise<TimelineState>,
    onTimeline: (listener) => {
      this.timelineListeners.add(listener);
      return () => {
        this.timelineListeners.delete(listener);
      };
    },
    timeline: (buckets) => this.call('timeline.density', buckets) as Promise<TimelineDensity>,
    seek: (ts) => this.call('timeline.seek', ts).then(() => undefined),
    play: (speed) => this.call('timeline.play', speed).then(() => undefined),
    pause: () => this.call('timeline.pause').then(() => undefined),
    step: (direction) => this.call('timeline.step', direction).then(() => undefined),
    goLive: () => this.call('timeline.goLive').then(() => undefined),
    diff: (from, to) => this.call('timeline.diff', { from, to }) as Promise<TimelineDiff>,
    exportRecording: (request: ExportRequest) => this.call('timeline.export', request) as Promise<DownloadableFile>,
    startRecording: () => this.call('timeline.startRecording').then(() => undefined),
    stopRecording: () => this.call('timeline.stopRecording') as Promise<DownloadableFile>,
    openRecording: (name, bytes) => this.uploadRecording(name, bytes),
  };

  hello(): Promise<HostInfo> {
    return this.call('hello') as Promise<HostInfo>;
  }

  requestSnapshot(): Promise<Snapshot> {
    return this.call('snapshot') as Promise<Snapshot>;
  }

  getDetail(request: DetailRequest): Promise<ProcessDetail> {
    return this.call('detail', request) as Promise<ProcessDetail>;
  }

  sendSignal(request: SignalRequest): Promise<SignalResult> {
    return this.call('signal', request) as Promise<SignalResult>;
  }

  ack(seq: number): void {
    // An ack for a connection that is gone means nothing to the next one: drop it.
    if (this.socket?.readyState === OPEN) this.send({ type: 'ack', seq });
  }

  subscribe(listener: (message: ServerMessage) => void): () => void {
    this.subscribers.add(listener);
    return () => {
      this.subscribers.delete(listener);
    };
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

  private call(method: WireMethod, params?: unknown): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('bridge closed'));
    const id = this.nextId++;
    const frame: ClientFrame = params === undefined ? { type: 'call', id, method } : { type: 'call', id, method, params };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (this.socket?.readyState === OPEN) this.send(frame);
      else this.outbox.push(JSON.stringify(frame));
    });
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
    if (frame.type === 'message') {
      for (const subscriber of Array.from(this.subscribers)) subscriber(frame.message);
      return;
    }
    if (frame.type === 'timeline') {
      for (const listener of Array.from(this.timelineListeners)) listener(frame.state);
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

/** Shape-check a server frame; the payloads inside are trusted as much as the host itself. */
export function parseServerFrame(data: unknown): ServerFrame | null {
  if (typeof data !== 'string') return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const frame = value as Record<string, unknown>;
  switch (frame.type) {
    case 'result':
      return typeof frame.id === 'number' ? (frame as unknown as ServerFrame) : null;
    case 'error':
      return typeof frame.id === 'number' && typeof frame.error === 'string' ? (frame as unknown as ServerFrame) : null;
    case 'timeline':
      return typeof frame.state === 'object' && frame.state !== null ? (frame as unknown as ServerFrame) : null;
    case 'message': {
      const message = frame.message as { type?: unknown } | undefined;
      return message && (message.type === 'snapshot' || message.type === 'delta') ? (frame as unknown as ServerFrame) : null;
    }
    default:
      return null;
  }
}
