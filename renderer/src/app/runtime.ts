/**
 * Wires the app together once per window: bridge → ModelFeed → TreeModel, model versions into the
 * store (at most one per animation frame, however many deltas arrived), storm meter, host info,
 * connection state and pause.
 */
import type { ForkscopeBridge } from '../../../electron/common/bridge';
import { isConnectionAware } from '../bridge/connection';
import { ModelFeed } from '../bridge/ModelFeed';
import { LifetimeClock } from '../lifetime/LifetimeClock';
import { LifetimeModel } from '../lifetime/LifetimeModel';
import { TreeModel } from '../model/TreeModel';
import { useAppStore } from '../store/appStore';
import { StormMeter } from '../storm/StormMeter';

export interface Runtime {
  bridge: ForkscopeBridge;
  model: TreeModel;
  meter: StormMeter;
  /** Every process's life, kept from the start so the lifetime view has history when opened. */
  lifetime: LifetimeModel;
  /** Now on the processes' clock: the wall clock live, the playhead in a replay. */
  clock: LifetimeClock;
  stop(): void;
}

export function startRuntime(bridge: ForkscopeBridge): Runtime {
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
  });

  let frame = 0;
  const offModel = model.onChange(() => {
    if (frame !== 0) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      const current = useAppStore.getState();
      // The model moved again, so whatever made a snapshot fail has healed.
      if (current.feedError !== null) current.setFeedError(null);
      current.setModelVersion(model.version);
    });
  });
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
    stop() {
      feed.stop();
      lifetime.dispose();
      offTimeline();
      offModel();
      offConnection?.();
      offPause();
      if (frame !== 0) cancelAnimationFrame(frame);
    },
  };
}

async function loadHost(bridge: ForkscopeBridge): Promise<void> {
  try {
    useAppStore.getState().setHost(await bridge.hello());
  } catch (error) {
    useAppStore.getState().setHost(null, error instanceof Error ? error.message : String(error));
  }
}
