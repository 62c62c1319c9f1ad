/**
 * The window's one requestAnimationFrame (Perfetto's raf_scheduler idea). Everything that changes
 * what is on screen registers a client in one of three phases and asks for a frame when it has
 * something to do; a frame runs the clients asked for, phase by phase:
 *
 *   1. model  — apply the deltas that arrived since the last frame (runtime.ts): the only time the
 *               TreeModel changes while the window is visible;
 *   2. dom    — React: the model version into the store, the list's sliced flattening; the
 *               updates its clients make are rendered and committed at the end of the phase, in
 *               one pass (flushSync), not in a microtask after the frame;
 *   3. canvas — the tree and lifetime canvases redraw.
 *
 * So every view reads the same model version in a frame (the model does not move after phase 1),
 * and canvases draw after the DOM they sit beside. A client returns true to be called again next
 * frame (an animation in progress, work left), false when it is idle until its next schedule().
 * A client asked for during the frame runs in this frame if its phase is still to come, else in
 * the next one.
 */
import { flushSync } from 'react-dom';

export type FramePhase = 'model' | 'dom' | 'canvas';
export type FrameDraw = (now: number) => boolean;

export interface FrameClient {
  /** Ask for a call of this client in the next frame (coalesced). */
  schedule(): void;
  /** Unregister; a pending call is dropped. */
  dispose(): void;
}

/** Where frames come from: the browser's requestAnimationFrame, or a test's hand-driven clock. */
export interface FrameHost {
  request(callback: (now: number) => void): number;
  cancel(handle: number): void;
}

const PHASES: readonly FramePhase[] = ['model', 'dom', 'canvas'];

const browserFrames: FrameHost = {
  request: (callback) => requestAnimationFrame(callback),
  cancel: (handle) => cancelAnimationFrame(handle),
};

interface Client {
  draw: FrameDraw;
  due: boolean;
}

export class FrameLoop {
  private readonly clients: Record<FramePhase, Set<Client>> = { model: new Set(), dom: new Set(), canvas: new Set() };
  private handle = 0;
  private running = false;

  /** `commitDom` runs the dom phase and commits what it changed; tests without React just run it. */
  constructor(
    private readonly host: FrameHost = browserFrames,
    private readonly commitDom: (phase: () => void) => void = flushSync,
  ) {}

  register(phase: FramePhase, draw: FrameDraw): FrameClient {
    const client: Client = { draw, due: false };
    const clients = this.clients[phase];
    clients.add(client);
    return {
      schedule: () => {
        if (!clients.has(client)) return;
        client.due = true;
        // During a frame, the frame itself asks for the next one if this call is left over.
        if (!this.running) this.wake();
      },
      dispose: () => {
        clients.delete(client);
        if (this.handle !== 0 && !this.anyDue()) {
          this.host.cancel(this.handle);
          this.handle = 0;
        }
      },
    };
  }

  private anyDue(): boolean {
    return PHASES.some((phase) => this.anyDueIn(phase));
  }

  private anyDueIn(phase: FramePhase): boolean {
    for (const client of this.clients[phase]) if (client.due) return true;
    return false;
  }

  private wake(): void {
    if (this.handle === 0) this.handle = this.host.request((now) => this.frame(now));
  }

  private frame(now: number): void {
    this.handle = 0;
    const again: Client[] = [];
    this.running = true;
    for (const phase of PHASES) {
      if (!this.anyDueIn(phase)) continue;
      const run = (): void => this.runPhase(phase, now, again);
      try {
        if (phase === 'dom') this.commitDom(run);
        else run();
      } catch (error) {
        // A render that failed outside every error boundary: the canvases still draw.
        console.error('frame phase failed', phase, error);
      }
    }
    this.running = false;
    for (const client of again) client.due = true;
    if (this.anyDue()) this.wake();
  }

  private runPhase(phase: FramePhase, now: number, again: Client[]): void {
    for (const client of Array.from(this.clients[phase])) {
      if (!client.due) continue;
      client.due = false;
      try {
        if (client.draw(now)) again.push(client);
      } catch (error) {
        // One broken view must not stop the others from drawing; report it and leave it idle.
        console.error('frame callback failed', error);
      }
    }
  }
}

/** The window's one frame loop; runtime.ts drives the model from it, views draw from it. */
export const frameLoop = new FrameLoop();
