import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ForkscopeBridge } from '../../../electron/common/bridge';
import type { ServerMessage, Snapshot } from '../../../electron/common/delta';
import { delta, proc, snapshot } from '../model/testing';
import { useAppStore } from '../store/appStore';
import { fakeFrames } from './fakeFrames';
import { FrameLoop } from './frameLoop';
import { startRuntime, type Runtime } from './runtime';

/**
 * A host that answers the first snapshot request at once and lets the test push deltas; every
 * other call of the bridge fails loudly (the runtime must not need it here).
 */
function scriptedBridge(first: Snapshot) {
  const listeners = new Set<(message: ServerMessage) => void>();
  const acks: number[] = [];
  const known: Partial<ForkscopeBridge> = {
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    requestSnapshot: () => Promise.resolve(first),
    ack: (seq) => acks.push(seq),
    onTimeline: () => () => undefined,
  };
  const bridge = new Proxy(known, {
    get: (target, name) => (name in target ? target[name as keyof ForkscopeBridge] : () => Promise.reject(new Error(`${String(name)}: not in this test`))),
  }) as ForkscopeBridge;
  return { bridge, acks, push: (message: ServerMessage) => listeners.forEach((listener) => listener(message)) };
}

/** Let the snapshot reply (a resolved promise) and the host info's failure land. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

let runtime: Runtime | null = null;
afterEach(() => {
  runtime?.stop();
  runtime = null;
  vi.unstubAllGlobals();
});

describe('runtime on the frame loop', () => {
  it('moves the model only in the model phase, so the list (dom) and the tree (canvas) see one version per frame', async () => {
    const frames = fakeFrames();
    const loop = new FrameLoop(frames, (phase) => phase());
    const host = scriptedBridge(snapshot(10, [proc(1, 0, 1), proc(100, 1, 50)]));
    runtime = startRuntime(host.bridge, loop);
    const { model } = runtime;
    const seen: string[] = [];
    // Registered after the runtime's clients, as the views are (they mount after it starts).
    const list = loop.register('dom', () => {
      seen.push(`list model ${model.version} store ${useAppStore.getState().modelVersion}`);
      // A delta landing mid-frame (a task cannot, but nothing in the frame may depend on that).
      host.push({ type: 'delta', batch: delta(12, { added: [proc(201, 100, 61)] }) });
      return false;
    });
    const tree = loop.register('canvas', () => (seen.push(`tree model ${model.version}`), false));
    model.onChange(() => {
      list.schedule();
      tree.schedule();
    });

    await settle();
    host.push({ type: 'delta', batch: delta(11, { added: [proc(200, 100, 60)] }) });
    // Snapshot and delta received, none applied or acked: they wait for the frame.
    expect(model.nodes.size).toBe(0);
    expect(host.acks).toEqual([]);
    expect(frames.pending).toBe(1);

    frames.run(16);
    const version = model.version;
    expect(version).toBeGreaterThan(0);
    expect(model.get('200@60')).toBeDefined();
    expect(seen).toEqual([`list model ${version} store ${version}`, `tree model ${version}`]);
    // 12 arrived during the frame: applied in the next frame's model phase, not this one's.
    expect(model.get('201@61')).toBeUndefined();
    expect(host.acks).toEqual([11]);

    frames.run(32);
    expect(model.get('201@61')).toBeDefined();
    expect(host.acks).toEqual([11, 12]);
    expect(useAppStore.getState().modelVersion).toBe(model.version);
    expect(seen.at(-1)).toBe(`tree model ${model.version}`);
  });

  it('applies deltas as they arrive while the window is hidden (no frames come then)', async () => {
    vi.stubGlobal('document', { visibilityState: 'hidden' });
    const frames = fakeFrames();
    const host = scriptedBridge(snapshot(10, [proc(1, 0, 1), proc(100, 1, 50)]));
    runtime = startRuntime(host.bridge, new FrameLoop(frames, (phase) => phase()));
    await settle();
    host.push({ type: 'delta', batch: delta(11, { added: [proc(200, 100, 60)] }) });
    expect(runtime.model.get('200@60')).toBeDefined();
    expect(host.acks).toEqual([11]);
  });
});
