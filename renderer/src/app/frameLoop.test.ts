import { describe, expect, it } from 'vitest';
import { FrameLoop, type FrameHost } from './frameLoop';

function fakeFrames(): FrameHost & { pending: number; run(now: number): void } {
  let next: ((now: number) => void) | null = null;
  let requests = 0;
  return {
    get pending() {
      return next ? 1 : 0;
    },
    request(callback) {
      if (next) throw new Error('two frames requested at once');
      next = callback;
      return ++requests;
    },
    cancel() {
      next = null;
    },
    run(now) {
      const callback = next;
      next = null;
      callback?.(now);
    },
  };
}

describe('FrameLoop', () => {
  it('runs every scheduled client in one frame, once however often it was scheduled', () => {
    const frames = fakeFrames();
    const loop = new FrameLoop(frames);
    const calls: string[] = [];
    const a = loop.register((now) => (calls.push(`a${now}`), false));
    const b = loop.register((now) => (calls.push(`b${now}`), false));
    a.schedule();
    a.schedule();
    b.schedule();
    expect(frames.pending).toBe(1);
    frames.run(16);
    expect(calls).toEqual(['a16', 'b16']);
    expect(frames.pending).toBe(0);
  });

  it('keeps calling a client that asks for more frames, and only it', () => {
    const frames = fakeFrames();
    const loop = new FrameLoop(frames);
    let left = 2;
    const calls: string[] = [];
    loop.register(() => (calls.push('anim'), --left > 0)).schedule();
    loop.register(() => (calls.push('idle'), false)).schedule();
    frames.run(1);
    frames.run(2);
    expect(frames.pending).toBe(0);
    expect(calls).toEqual(['anim', 'idle', 'anim']);
  });

  it('drops a disposed client and survives one that throws', () => {
    const frames = fakeFrames();
    const loop = new FrameLoop(frames);
    const calls: string[] = [];
    const gone = loop.register(() => (calls.push('gone'), false));
    const broken = loop.register(() => {
      throw new Error('boom');
    });
    const fine = loop.register(() => (calls.push('fine'), false));
    gone.schedule();
    gone.dispose();
    const error = console.error;
    console.error = () => undefined;
    try {
      broken.schedule();
      fine.schedule();
      frames.run(1);
    } finally {
      console.error = error;
    }
    expect(calls).toEqual(['fine']);
  });
});
