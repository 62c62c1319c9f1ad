import { describe, expect, it } from 'vitest';
import { fakeFrames } from './fakeFrames';
import { FrameLoop, type FrameHost } from './frameLoop';

/** A loop on hand-driven frames, its dom phase committed by just running it (no React here). */
function loop(frames: FrameHost): FrameLoop {
  return new FrameLoop(frames, (phase) => phase());
}

describe('FrameLoop', () => {
  it('runs every scheduled client in one frame, once however often it was scheduled', () => {
    const frames = fakeFrames();
    const frameLoop = loop(frames);
    const calls: string[] = [];
    const a = frameLoop.register('canvas', (now) => (calls.push(`a${now}`), false));
    const b = frameLoop.register('canvas', (now) => (calls.push(`b${now}`), false));
    a.schedule();
    a.schedule();
    b.schedule();
    expect(frames.pending).toBe(1);
    frames.run(16);
    expect(calls).toEqual(['a16', 'b16']);
    expect(frames.pending).toBe(0);
  });

  it('runs the phases in order, model then dom then canvas, whatever order they were registered or scheduled in', () => {
    const frames = fakeFrames();
    const frameLoop = loop(frames);
    const calls: string[] = [];
    const canvas = frameLoop.register('canvas', () => (calls.push('canvas'), false));
    const dom = frameLoop.register('dom', () => (calls.push('dom'), false));
    const model = frameLoop.register('model', () => (calls.push('model'), false));
    canvas.schedule();
    dom.schedule();
    model.schedule();
    frames.run(1);
    expect(calls).toEqual(['model', 'dom', 'canvas']);
  });

  it('runs a later phase asked for during the frame in that frame, an earlier one in the next', () => {
    const frames = fakeFrames();
    const frameLoop = loop(frames);
    const calls: string[] = [];
    const canvas = frameLoop.register('canvas', () => (calls.push('canvas'), false));
    const model = frameLoop.register('model', () => (calls.push('model'), false));
    const dom = frameLoop.register('dom', () => {
      calls.push('dom');
      canvas.schedule();
      model.schedule();
      return false;
    });
    dom.schedule();
    frames.run(1);
    expect(calls).toEqual(['dom', 'canvas']);
    expect(frames.pending).toBe(1);
    frames.run(2);
    expect(calls).toEqual(['dom', 'canvas', 'model']);
    expect(frames.pending).toBe(0);
  });

  it('commits the dom phase in one pass, after all its clients and before the canvases', () => {
    const frames = fakeFrames();
    const calls: string[] = [];
    const frameLoop = new FrameLoop(frames, (phase) => {
      calls.push('commit begins');
      phase();
      calls.push('commit ends');
    });
    frameLoop.register('canvas', () => (calls.push('canvas'), false)).schedule();
    frameLoop.register('dom', () => (calls.push('version'), false)).schedule();
    frameLoop.register('dom', () => (calls.push('list'), false)).schedule();
    frames.run(1);
    expect(calls).toEqual(['commit begins', 'version', 'list', 'commit ends', 'canvas']);
  });

  it('keeps calling a client that asks for more frames, and only it', () => {
    const frames = fakeFrames();
    const frameLoop = loop(frames);
    let left = 2;
    const calls: string[] = [];
    frameLoop.register('canvas', () => (calls.push('anim'), --left > 0)).schedule();
    frameLoop.register('canvas', () => (calls.push('idle'), false)).schedule();
    frames.run(1);
    frames.run(2);
    expect(frames.pending).toBe(0);
    expect(calls).toEqual(['anim', 'idle', 'anim']);
  });

  it('drops a disposed client and survives one that throws, and a dom commit that throws', () => {
    const frames = fakeFrames();
    const calls: string[] = [];
    const frameLoop = new FrameLoop(frames, (phase) => {
      phase();
      throw new Error('render failed');
    });
    const gone = frameLoop.register('canvas', () => (calls.push('gone'), false));
    const broken = frameLoop.register('canvas', () => {
      throw new Error('boom');
    });
    const fine = frameLoop.register('canvas', () => (calls.push('fine'), false));
    const dom = frameLoop.register('dom', () => (calls.push('dom'), false));
    gone.schedule();
    gone.dispose();
    const error = console.error;
    console.error = () => undefined;
    try {
      broken.schedule();
      fine.schedule();
      dom.schedule();
      frames.run(1);
    } finally {
      console.error = error;
    }
    expect(calls).toEqual(['dom', 'fine']);
    // The loop still works after a failing frame.
    fine.schedule();
    frames.run(2);
    expect(calls).toEqual(['dom', 'fine', 'fine']);
  });
});
