/**
 * The web bridge — the service client on the WebSocket transport — against a real WebSocket
 * server (the `ws` package, as the web host uses) on loopback: calls, pushed events, acks, a
 * dropped connection and the reconnect.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { ClientFrame, ServerFrame } from '../../../electron/common/wire';
import { snapshot, proc } from '../model/testing';
import type { ConnectionState } from './connection';
import { createServiceClient } from './serviceClient';
import { parseServerFrame, WebSocketTransport, type SocketLike } from './WebSocketTransport';

interface TestServer {
  url: string;
  frames: ClientFrame[];
  sockets: WebSocket[];
  close(): Promise<void>;
}

async function startServer(onCall: (frame: Extract<ClientFrame, { type: 'call' }>, socket: WebSocket) => void): Promise<TestServer> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const frames: ClientFrame[] = [];
  const sockets: WebSocket[] = [];
  server.on('connection', (socket) => {
    sockets.push(socket);
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as ClientFrame;
      frames.push(frame);
      if (frame.type === 'call') onCall(frame, socket);
    });
  });
  const address = server.address();
  if (typeof address === 'string' || address === null) throw new Error('no port');
  return {
    url: `ws://127.0.0.1:${address.port}/ws?token=t`,
    frames,
    sockets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of server.clients) socket.terminate();
        server.close(() => resolve());
      }),
  };
}

const send = (socket: WebSocket, frame: ServerFrame) => socket.send(JSON.stringify(frame));
const nodeSocket = (url: string) => new WebSocket(url) as unknown as SocketLike;

function openBridge(url: string) {
  const transport = new WebSocketTransport(url, nodeSocket);
  cleanups.push(() => transport.close());
  return createServiceClient(transport);
}

function until(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const check = () => {
      if (predicate()) resolve();
      else if (Date.now() - started > timeoutMs) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(check, 10);
    };
    check();
  });
}

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('WebSocketBridge', () => {
  it('makes calls, receives pushed messages and sends acks', async () => {
    const snap = snapshot(7, [proc(1, 0, 1)]);
    const server = await startServer((frame, socket) => {
      if (frame.method === 'hello') send(socket, { type: 'result', id: frame.id, result: { host: 'web', version: '1', runningAsRoot: false, warnings: [] } });
      if (frame.method === 'requestSnapshot') {
        send(socket, { type: 'event', event: 'message', payload: { type: 'snapshot', snapshot: snap } });
        send(socket, { type: 'result', id: frame.id, result: snap });
      }
      if (frame.method === 'getDetail') send(socket, { type: 'error', id: frame.id, error: 'pid must be an integer in 1..4194304' });
    });
    cleanups.push(() => server.close());
    const bridge = openBridge(server.url);
    const pushed: string[] = [];
    bridge.subscribe((message) => pushed.push(message.type));

    // Called before the socket is open: queued, then answered.
    const host = await bridge.hello();
    expect(host.version).toBe('1');
    expect(bridge.connection.status).toBe('connected');
    expect((await bridge.requestSnapshot()).seq).toBe(7);
    expect(pushed).toEqual(['snapshot']);
    await expect(bridge.getDetail({ pid: -1, startTime: 0 })).rejects.toThrow('pid must be an integer');
    bridge.ack(7);
    await until(() => server.frames.some((f) => f.type === 'ack'), 'the ack');
    expect(server.frames.find((f) => f.type === 'ack')).toEqual({ type: 'ack', seq: 7 });
  });

  it('fails calls in flight when the connection drops, shows it, and reconnects', async () => {
    const server = await startServer((frame, socket) => {
      if (frame.method === 'hello') send(socket, { type: 'result', id: frame.id, result: { host: 'web', version: '1', runningAsRoot: false, warnings: [] } });
      // 'snapshot' is never answered: the drop must fail it.
    });
    cleanups.push(() => server.close());
    const bridge = openBridge(server.url);
    const states: ConnectionState['status'][] = [];
    bridge.onConnectionChange((state) => states.push(state.status));
    await bridge.hello();

    const inFlight = bridge.requestSnapshot();
    await until(() => server.frames.some((f) => f.type === 'call' && f.method === 'requestSnapshot'), 'the snapshot call');
    server.sockets[0]?.terminate();
    await expect(inFlight).rejects.toThrow('connection lost');
    await until(() => bridge.connection.status === 'connected' && server.sockets.length === 2, 'the reconnect');
    expect(states).toEqual(['connected', 'disconnected', 'connecting', 'connected']);
    expect((await bridge.hello()).host).toBe('web');
  });

  it('carries timeline calls with their arguments and pushes timeline state to its listeners', async () => {
    const server = await startServer((frame, socket) => {
      const result = frame.method === 'timeline' ? { start: 0, end: 10, bucketMs: 5, counts: [1, 2], losses: [] } : null;
      send(socket, { type: 'result', id: frame.id, result });
      if (frame.method === 'seek') {
        send(socket, { type: 'event', event: 'timeline', payload: { mode: 'ring', label: 'last 5 min (live ring)', liveAvailable: true } });
      }
    });
    cleanups.push(() => server.close());
    const bridge = openBridge(server.url);
    const timeline = bridge;
    const states: string[] = [];
    timeline.onTimeline((state) => states.push(state.mode));
    expect((await timeline.timeline(2)).counts).toEqual([1, 2]);
    await timeline.seek(1234.5);
    await timeline.step(-1);
    await timeline.diff(5, 9);
    await until(() => states.length === 1, 'the timeline push');
    expect(states).toEqual(['ring']);
    const calls = server.frames.filter((f) => f.type === 'call').map((f) => [f.method, f.args]);
    expect(calls).toEqual([
      ['timeline', [2]],
      ['seek', [1234.5]],
      ['step', [-1]],
      ['diff', [5, 9]],
    ]);
  });

  it('ignores malformed frames instead of failing', () => {
    expect(parseServerFrame('{"type":"event","event":"timeline","payload":null}')).toBeNull();
    expect(parseServerFrame('{"type":"event","event":"toString","payload":{"mode":"live"}}')).toBeNull();
    expect(parseServerFrame('not json')).toBeNull();
    expect(parseServerFrame('{"type":"result"}')).toBeNull();
    expect(parseServerFrame('{"type":"event","event":"message","payload":{"type":"exploit"}}')).toBeNull();
    expect(parseServerFrame('{"type":"message","message":{"type":"snapshot"}}')).toBeNull();
    expect(parseServerFrame(new ArrayBuffer(2))).toBeNull();
    expect(parseServerFrame('{"type":"error","id":3,"error":"no"}')).toEqual({ type: 'error', id: 3, error: 'no' });
  });
});

describe('webSocketUrl', () => {
  it('targets /ws on the page host with the page token, wss under https', async () => {
    const { webSocketUrl } = await import('./getBridge');
    expect(webSocketUrl({ protocol: 'http:', host: '127.0.0.1:5000', search: '?token=a%2Bb' })).toBe('ws://127.0.0.1:5000/ws?token=a%2Bb');
    expect(webSocketUrl({ protocol: 'https:', host: 'h:1', search: '' })).toBe('wss://h:1/ws?token=');
  });
});
