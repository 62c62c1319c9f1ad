/**
 * Wires the app together once per window: bridge → ModelFeed → TreeModel, model versions into the
 * store, storm meter, host info, connection state and pause.
 *
 * The model moves only in the frame loop's model phase (frameLoop.ts): the feed holds what the
 * host sends until then, applies it all, and the dom phase puts the new version in the store once
 * per frame, however many deltas arrived (React renders it before the canvases draw). While
 * the window is hidden there are no frames: the feed applies as messages arrive then, so the model,
 * the lifetimes and the storm meter keep up (and acks keep flowing) with nobody looking.
 */
import type { ForkscopeBridge } from '../../../electron/common/bridge';
import { isConnectionAware } from '../bridge/connection';
import { ModelFeed } from '../bridge/ModelFeed';
import { LifetimeClock } from '../lifetime/LifetimeClock';
import { LifetimeModel } from '../lifetime/LifetimeModel';
import { TreeModel } from '../model/TreeModel';
import { useAppStore } from '../store/appStore';
import { StormMeter } from '../storm/StormMeter';
import { frameLoop, type FrameLoop } from './frameLoop';

export interface Runtime {
  bridge: ForkscopeBridge;
  model: TreeModel;
  meter: StormMeter;
  /** Every process's life, kept from the start so the lifetime view has history when opened. */
  lifetime: LifetimeModel;
  /** Now on the processes' clock: the wall clock live, the playhead in a replay. */
  clock: LifetimeClock;
  /** The window's frame loop, which every view draws from. */
  frames: FrameLoop;
  stop(): void;
}

export function startRuntime(bridge: ForkscopeBridge, frames: FrameLoop = frameLoop): Runtime {
  const store = useAppStore.getState();
  const model = new TreeModel();
  const meter = new StormMeter();
  const clock = new LifetimeClock();
  clock.setPaused(store.paused);
  const lifetime = new LifetimeModel(model, clock.now);
  let timelinePushed = false;
  const offTimeline = bridge.onTimeline((state) => {
    timelinePushed = true;
    clock.setTimeline(state);
  });
  bridge.timelineState().then(
    (state) => timelinePushed || clock.setTimeline(state),
    // No timeline yet (a host without one, or not connected): live until a push says otherwise.
    () => undefined,
  );
  const feed = new ModelFeed(bridge, model, {
    onSource: (status) => store.setSource(status),
    onDelta: (batch) => meter.record(batch),
    onError: (error) => store.setFeedError(`snapshot failed: ${error.message}`),
    onPending: () => (windowHidden() ? feed.applyPending() : applyPhase.schedule()),
  });
  const applyPhase = frames.register('model', () => {
    feed.applyPending();
    return false;
  });
  const versionPhase = frames.register('dom', () => {
    const current = useAppStore.getState();
    // The model moved again, so whatever made a snapshot fail has healed.
    if (current.feedError !== null) current.setFeedError(null);
    current.setModelVersion(model.version);
    return false;
  });
  const offModel = model.onChange(() => versionPhase.schedule());
  const offConnection = isConnectionAware(bridge)
    ? bridge.onConnectionChange((state) => {
        store.setConnection(state);
        if (state.status === 'connected') void loadHost(bridge);
      })
    : null;
  if (isConnectionAware(bridge)) store.setConnection(bridge.connection);
  else store.setConnection({ status: 'connected' });
  const offPause = useAppStore.subscribe((state, previous) => {
    if (state.paused !== previous.paused) {
      feed.setPaused(state.paused);
      clock.setPaused(state.paused);
    }
  });

  feed.start();
  if (!isConnectionAware(bridge) || bridge.connection.status === 'connected') void loadHost(bridge);

  return {
    bridge,
    model,
    meter,
    lifetime,
    clock,
    frames,
    stop() {
      feed.stop();
      lifetime.dispose();
      offTimeline();
      offModel();
      offConnection?.();
      offPause();
      applyPhase.dispose();
      versionPhase.dispose();
    },
  };
}

/** No frames come while the window is hidden (node, in tests, has no window: frames are driven). */
function windowHidden(): boolean {
  return typeof document !== 'undefined' && document.visibilityState === 'hidden';
}

async function loadHost(bridge: ForkscopeBridge): Promise<void> {
  try {
    useAppStore.getState().setHost(await bridge.hello());
  } catch (error) {
    useAppStore.getState().setHost(null, error instanceof Error ? error.message : String(error));
  }
}
