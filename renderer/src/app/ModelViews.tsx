/**
 * The tree, list and lifetime views as the store says to show them, following the model version:
 * the part of the window that re-renders per version in a storm (App.tsx does not). The renderer
 * bench (dev/bench.tsx) mounts it too, so it measures what the app mounts.
 */
import type { ReactElement } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ProcKey } from '../../../electron/common/process';
import type { LifetimeClock } from '../lifetime/LifetimeClock';
import type { LifetimeModel } from '../lifetime/LifetimeModel';
import { hiddenPredicate } from '../model/kernelThreads';
import type { TreeModel } from '../model/TreeModel';
import { useAppStore } from '../store/appStore';
import { ProcessViews } from './ProcessViews';
import { useFilterResult } from './useFilterResult';
import { selectViews } from './windowSelectors';

export function ModelViews(props: { model: TreeModel; lifetime: LifetimeModel; clock: LifetimeClock; onSelect(key: ProcKey | null): void }): ReactElement {
  const { model, lifetime, clock, onSelect } = props;
  const state = useAppStore(useShallow(selectViews));
  const { modelVersion: version, focusKey } = state;
  // Stable per setting (null or one module-level function), so toggling it is the only change
  // the views see: nothing is recomputed per model version because of it.
  const hidden = hiddenPredicate(state.showKernelThreads);
  const filter = useFilterResult(model, version, state.filterText, state.filterRegex, hidden);
  const focusNode = focusKey ? model.get(focusKey) : undefined;
  return (
    <ProcessViews
      model={model}
      version={version}
      viewMode={state.viewMode}
      lifetime={lifetime}
      now={clock.now}
      filter={filter.result}
      hidden={hidden}
      focusKey={focusNode ? focusKey : null}
      selectedKey={state.selectedKey}
      sort={state.sort}
      collapsed={state.collapsed}
      byGroup={state.byGroup}
      fadeMs={state.tombstoneFadeSeconds * 1000}
      onSelect={onSelect}
      onOpen={(key) => {
        const store = useAppStore.getState();
        if (!store.pinnedKeys.includes(key)) store.togglePin(key);
      }}
      onSort={useAppStore.getState().setSort}
      onToggle={useAppStore.getState().setCollapsed}
    />
  );
}
