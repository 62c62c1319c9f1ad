/**
 * The tree, lifetime and list views as the window lays them out for a view mode: one component,
 * so the renderer bench (dev/bench.tsx) measures exactly what the app mounts. The views take the
 * same props (each the subset it needs).
 */
import type { ReactElement } from 'react';
import { LifetimeView } from '../lifetime/LifetimeView';
import type { LifetimeModel } from '../lifetime/LifetimeModel';
import { ListView, type ListViewProps } from '../list/ListView';
import type { ViewMode } from '../store/appStore';
import { TreeView } from '../tree/TreeView';
import { ViewBoundary } from './ViewBoundary';

export interface ProcessViewsProps extends ListViewProps {
  viewMode: ViewMode;
  lifetime: LifetimeModel;
  /** Now on the processes' clock (LifetimeClock.now). */
  now(): number;
}

export function ProcessViews({ viewMode, lifetime, now, ...views }: ProcessViewsProps): ReactElement {
  const lifetimes = viewMode === 'lifetime' || viewMode === 'lifetime-list';
  return (
    <>
      {lifetimes && (
        <section className="lifetime-pane" aria-label="Process lifetimes">
          <LifetimeView lifetime={lifetime} now={now} selectedKey={views.selectedKey} onSelect={views.onSelect} hidden={views.hidden} />
        </section>
      )}
      {(viewMode === 'tree' || viewMode === 'both') && (
        <section className="tree-pane" aria-label="Process tree">
          <ViewBoundary view="process tree">
            <TreeView {...views} />
          </ViewBoundary>
        </section>
      )}
      {(viewMode === 'list' || viewMode === 'both' || viewMode === 'lifetime-list') && (
        <section className="list-pane" aria-label="Process list">
          <ViewBoundary view="process list">
            <ListView {...views} />
          </ViewBoundary>
        </section>
      )}
    </>
  );
}
