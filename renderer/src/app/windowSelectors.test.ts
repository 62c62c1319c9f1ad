import { afterEach, describe, expect, it } from 'vitest';
import { shallow } from 'zustand/shallow';
import { useAppStore, type AppState } from '../store/appStore';
import appSource from './App.tsx?raw';
import { selectDetails, selectFilterField, selectFocusNote, selectSelection, selectViews, selectWindow } from './windowSelectors';

/**
 * How many times a component reading `useAppStore(useShallow(selector))` would re-render: zustand
 * renders it again exactly when the selection is no longer shallow-equal to the last one. (The
 * unit tests have no DOM to mount the window in; this is the same comparison, on the real store.)
 */
function renderCount(selector: (state: AppState) => object): { count(): number; stop(): void } {
  let last = selector(useAppStore.getState());
  let count = 0;
  const stop = useAppStore.subscribe((state) => {
    const next = selector(state);
    if (shallow(last, next)) return;
    last = next;
    count += 1;
  });
  return { count: () => count, stop };
}

const initial = useAppStore.getState();
afterEach(() => useAppStore.setState(initial, true));

/** A storm: the model version moves every frame. */
function storm(frames: number): void {
  for (let i = 0; i < frames; i++) useAppStore.getState().setModelVersion(useAppStore.getState().modelVersion + 1);
}

describe('window selectors', () => {
  it('keep the window still through a storm and re-render only the views', () => {
    const window = renderCount(selectWindow);
    const views = renderCount(selectViews);
    const quiet = [selectFilterField, selectFocusNote, selectSelection, selectDetails].map(renderCount);
    storm(30);
    expect(window.count()).toBe(0);
    // Nothing filtered, focused, selected or opened: those parts have nothing of the model to show.
    expect(quiet.map((part) => part.count())).toEqual([0, 0, 0, 0]);
    expect(views.count()).toBe(30);
    // The window does follow what it shows.
    useAppStore.getState().setPaused(true);
    useAppStore.getState().setViewMode('list');
    expect(window.count()).toBe(2);
    for (const part of [window, views, ...quiet]) part.stop();
  });

  it('follow the model in the parts that show it, only while they show it', () => {
    const store = useAppStore.getState();
    store.select('100@50');
    store.setFilter('make', false);
    store.setFocus('1@1');
    const window = renderCount(selectWindow);
    const parts = [selectFilterField, selectFocusNote, selectSelection, selectDetails].map(renderCount);
    storm(5);
    expect(window.count()).toBe(0);
    expect(parts.map((part) => part.count())).toEqual([5, 5, 5, 5]);
    for (const part of [window, ...parts]) part.stop();
  });

  it('are how the window reads the store: no component of it selects the whole state', () => {
    const reads = appSource.match(/useAppStore\([^)]*\)?/g) ?? [];
    expect(reads.length).toBeGreaterThan(5);
    expect(reads.filter((read) => read === 'useAppStore()')).toEqual([]);
  });
});
