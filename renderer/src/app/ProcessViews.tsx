/**
 * The tree and list views as the window lays them out for a view mode: one component, so the
 * renderer bench (dev/bench.tsx) measures exactly what the app mounts. Both views take the same
 * props (the tree the subset it needs).
 */
import type { ReactElement } from 'react';
import { ListView, type ListViewProps } from '../list/ListView';
import type { ViewMode } from '../store/appStore';
import { TreeView } from '../tree/TreeView';
import { ViewBoundary } from './ViewBoundary';

export interface ProcessViewsProps extends ListViewProps {
  viewMode: ViewMode;
}

export function ProcessViews({ viewMode, ...views }: ProcessViewsProps): ReactElement {
  return (
    <>
      {viewMode !== 'list' && (
        <section className="tree-pane" aria-label="Process tree">
          <ViewBoundary view="process tree">
            <TreeView {...views} />
          </ViewBoundary>
        </section>
      )}
      {viewMode !== 'tree' && (
        <section className="list-pane" aria-label="Process list">
          <ViewBoundary view="process list">
            <ListView {...views} />
          </ViewBoundary>
        </section>
      )}
    </>
  );
}
