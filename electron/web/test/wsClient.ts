/** A promise-based WebSocket client speaking wire.ts, for the web host's tests. */
import { WebSocket } from 'ws';
import type { ServiceEvent, ServiceEvents } from '../../common/bridge';
import type { ServerFrame } from '../../common/wire';

/** A pushed event's payload when `frame` is that event: the tests trust the host under test. */
export function pushed<E extends ServiceEvent>(frame: ServerFrame, event: E): ServiceEvents[E] | undefined {
  return frame.type === 'event' && frame.event === event ? (frame.payload as ServiceEvents[E]) : undefined;
}

export interface TestClient {
  frames: ServerFrame[];
  sendRaw(text: string): void;
  /** Resolves with the next frame matching the predicate (already received ones count). */
  next(predicate: (frame: ServerFrame) => boolean): Promise<ServerFrame>;
  close(): Promise<void>;
}

export function connect(url: string, headers: Record<string, string> = {}): Promise<TestClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    const frames: ServerFrame[] = [];
    const waiters: Array<() => void> = [];
    ws.on('message', (data) => {
      frames.push(JSON.parse(data.toString()) as ServerFrame);
      for (const wake of waiters.splice(0)) wake();
    });
    ws.once('unexpected-response', (_request, response) => reject(new Error(`handshake refused: ${response.statusCode}`)));
    ws.once('error', reject);
    ws.once('open', () =>
      resolve({
        frames,
        sendRaw: (text) => ws.send(text),
        next: (predicate) =>
          new Promise((resolveFrame, rejectFrame) => {
            const timer = setTimeout(() => rejectFrame(new Error('no matching frame within 5 s')), 5000);
            const check = (): void => {
              const found = frames.find(predicate);
              if (found) {
                clearTimeout(timer);
                resolveFrame(found);
              } else waiters.push(check);
            };
            check();
          }),
        close: () =>
          new Promise((resolveClose) => {
            if (ws.readyState === ws.CLOSED) return resolveClose();
            ws.once('close', () => resolveClose());
            ws.close();
          }),
      }),
    );
  });
}
