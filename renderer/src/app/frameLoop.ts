/**
 * One requestAnimationFrame for every view that draws per frame (the Perfetto raf-scheduler
 * idea): each view registers a draw callback and asks for a frame when it has something to show;
 * all callbacks asked for run in the same browser frame, in registration order, so views never
 * fight over frames with their own loops. A callback returns true to be called again next frame
 * (an animation in progress), false when it is idle until the next schedule().
 *
 * The lifetime view draws through it; the tree, the list and runtime.ts's version tick can move
 * onto it unchanged (issue 11 §4).
 */
export type FrameDraw = (now: number) => boolean;

export interface FrameClient {
  /** Ask for a call of this client's draw in the next frame (coalesced). */
  schedule(): void;
  /** Unregister; a pending call is dropped. */
  dispose(): void;
}

export interface FrameHost {
  request(callback: (now: number) => void): number;
  cancel(handle: number): void;
}

const browserFrames: FrameHost = {
  request: (callback) => requestAnimationFrame(callback),
  cancel: (handle) => cancelAnimationFrame(handle),
};

export class FrameLoop {
  private readonly clients = new Set<{ draw: FrameDraw; due: boolean }>();
  private handle = 0;

  constructor(private readonly host: FrameHost = browserFrames) {}

  register(draw: FrameDraw): FrameClient {
    const client = { draw, due: false };
    this.clients.add(client);
    return {
      schedule: () => {
        if (!this.clients.has(client)) return;
        client.due = true;
        this.wake();
      },
      dispose: () => {
        this.clients.delete(client);
        if (this.handle !== 0 && ![...this.clients].some((c) => c.due)) {
          this.host.cancel(this.handle);
          this.handle = 0;
        }
      },
    };
  }

  private wake(): void {
    if (this.handle === 0) this.handle = this.host.request((now) => this.frame(now));
  }

  private frame(now: number): void {
    this.handle = 0;
    for (const client of Array.from(this.clients)) {
      if (!client.due) continue;
      client.due = false;
      let again = false;
      try {
        again = client.draw(now);
      } catch (error) {
        // One broken view must not stop the others from drawing; report it and leave it idle.
        console.error('frame callback failed', error);
      }
      if (again && this.clients.has(client)) client.due = true;
    }
    if ([...this.clients].some((c) => c.due)) this.wake();
  }
}

/** The window's one frame loop. */
export const frameLoop = new FrameLoop();
