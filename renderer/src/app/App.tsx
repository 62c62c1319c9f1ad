/**
 * The window: header (source, loss, host warnings, connection, filter, pause, view settings,
 * actions on the selection), storm meter, the tree and list views, and the detail panes.
 *
 * The window itself does not follow the model: each part that shows it (the views, the detail
 * panes, the selection's toolbar, a filter's count) is its own component selecting the model
 * version from the store (windowSelectors.ts), so a storm re-renders those parts, not the window.
 */
import { useCallback, useEffect, useState, type ReactElement } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ForkscopeBridge } from '../../../electron/common/bridge';
import type { ProcKey } from '../../../electron/common/process';
import type { AllowedSignal } from '../../../electron/common/signals';
import { ALLOWED_SIGNALS } from '../../../electron/common/signals';
import { SignalDialog } from '../actions/SignalDialog';
import { DetailPane } from '../detail/DetailPane';
import { groupFilterText } from '../model/filter';
import { isGroupHeader } from '../model/byGroup';
import { hiddenPredicate } from '../model/kernelThreads';
import type { RNode, TreeModel } from '../model/TreeModel';
import { useAppStore, type ThemeChoice, type ViewMode } from '../store/appStore';
import { StormPanel } from '../storm/StormPanel';
import { TimelineStrip } from '../timeline/TimelineStrip';
import { commandLine, visibleText } from '../text/visibleText';
import { ConnectionBanner } from './ConnectionBanner';
import { FilterField } from './FilterField';
import { ModelViews } from './ModelViews';
import { useRuntime } from './RuntimeContext';
import { SourceIndicator } from './SourceIndicator';
import { useFilterResult } from './useFilterResult';
import { ViewBoundary } from './ViewBoundary';
import { selectDetails, selectFilterField, selectFocusNote, selectSelection, selectWindow } from './windowSelectors';

type SignalTarget = { key: ProcKey; signal: AllowedSignal };

/** The store's actions: stable functions, read where they are called rather than selected. */
const actions = () => useAppStore.getState();

export function App(): ReactElement {
  const { model, bridge, meter, lifetime, clock } = useRuntime();
  const state = useAppStore(useShallow(selectWindow));
  const { paused, viewMode, theme } = state;
  const [signalTarget, setSignalTarget] = useState<SignalTarget | null>(null);

  useEffect(() => {
    if (theme === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
  }, [theme]);

  const select = useAppStore((s) => s.select);
  const onSelect = useCallback((key: ProcKey | null) => select(key), [select]);
  const onStormSelect = useCallback((pid: number) => select(model.liveByPid(pid)?.info.key ?? null), [select, model]);

  return (
    <div className="app">
      <header className="app-header">
        <div className="header-row">
          <h1>Forkscope</h1>
          <SourceIndicator source={state.source} />
          {state.host && (
            <span className="host-info">
              {state.host.host} {visibleText(state.host.version)}
            </span>
          )}
        </div>
        <ConnectionBanner connection={state.connection} />
        {state.hostError && (
          <div className="banner alarm" role="alert">
            Host not reachable: {visibleText(state.hostError)}
          </div>
        )}
        {state.feedError && (
          <div className="banner alarm" role="alert">
            {visibleText(state.feedError)}
          </div>
        )}
        {state.host && (state.host.warnings.length > 0 || state.host.runningAsRoot) && (
          <ul className="banner warning host-warnings" data-testid="host-warnings">
            {state.host.runningAsRoot && !state.host.warnings.some((w) => /root/i.test(w)) && (
              <li>Running as root{state.host.sandboxed === false ? ': renderer sandbox disabled' : ''}.</li>
            )}
            {state.host.warnings.map((warning, i) => (
              <li key={i}>{visibleText(warning)}</li>
            ))}
          </ul>
        )}
        <div className="toolbar" role="toolbar" aria-label="View">
          <FilterControl model={model} />
          <button
            type="button"
            aria-pressed={paused}
            className={paused ? 'paused' : undefined}
            onClick={() => actions().setPaused(!paused)}
            data-testid="pause-button"
          >
            {paused ? 'Resume' : 'Pause'}
          </button>
          <FocusNote model={model} />
          <label title="The tree and the list under one header per systemd unit, container or pod">
            <input type="checkbox" checked={state.byGroup} onChange={(event) => actions().setByGroup(event.target.checked)} data-testid="by-group-toggle" />{' '}
            By group
          </label>
          <label title="kthreadd and its workers, hidden by default as in htop">
            <input
              type="checkbox"
              checked={state.showKernelThreads}
              onChange={(event) => actions().setShowKernelThreads(event.target.checked)}
              data-testid="kernel-threads-toggle"
            />{' '}
            Kernel threads
          </label>
          <label>
            View{' '}
            <select value={viewMode} onChange={(event) => actions().setViewMode(event.target.value as ViewMode)}>
              <option value="both">tree + list</option>
              <option value="tree">tree</option>
              <option value="list">list</option>
              <option value="lifetime">lifetimes</option>
              <option value="lifetime-list">lifetimes + list</option>
            </select>
          </label>
          <label>
            Theme{' '}
            <select value={theme} onChange={(event) => actions().setTheme(event.target.value as ThemeChoice)}>
              <option value="system">system</option>
              <option value="light">light</option>
              <option value="dark">dark</option>
            </select>
          </label>
          <label>
            Exited fade (s){' '}
            <input
              type="number"
              min={0}
              max={600}
              value={state.tombstoneFadeSeconds}
              onChange={(event) => actions().setTombstoneFadeSeconds(Number(event.target.value) || 0)}
              className="fade-input"
            />
          </label>
        </div>
        <SelectionToolbar model={model} onSignal={setSignalTarget} />
      </header>

      <ViewBoundary view="storm panel">
        <StormPanel meter={meter} model={model} onSelect={onStormSelect} />
      </ViewBoundary>

      <main className={`app-main mode-${viewMode}`}>
        <div className="views">
          {paused && (
            <div className="banner warning" role="status">
              Paused: the view is frozen; events are still being recorded and will be applied on resume.
            </div>
          )}
          <ModelViews model={model} lifetime={lifetime} clock={clock} onSelect={onSelect} />
          <ViewBoundary view="timeline">
            <TimelineStrip timeline={bridge} />
          </ViewBoundary>
        </div>
        <DetailColumn model={model} bridge={bridge} onSignal={setSignalTarget} />
      </main>

      {signalTarget && (
        <ViewBoundary key={`${signalTarget.key}/${signalTarget.signal}`} view="signal dialog" onClose={() => setSignalTarget(null)}>
          <SignalTargetDialog target={signalTarget} model={model} bridge={bridge} onClose={() => setSignalTarget(null)} />
        </ViewBoundary>
      )}
    </div>
  );
}

/** The filter field, with the match count of the current model version while a filter is typed. */
function FilterControl({ model }: { model: TreeModel }): ReactElement {
  const { filterText, filterRegex, showKernelThreads, modelVersion } = useAppStore(useShallow(selectFilterField));
  // The same computation as the views' (useFilterResult keeps the last one per model).
  const filter = useFilterResult(model, modelVersion ?? model.version, filterText, filterRegex, hiddenPredicate(showKernelThreads));
  return (
    <FilterField
      text={filterText}
      regex={filterRegex}
      error={filter.error}
      matchCount={filter.result ? filter.result.matches.size : null}
      onChange={actions().setFilter}
    />
  );
}

function FocusNote({ model }: { model: TreeModel }): ReactElement | null {
  const { focusKey } = useAppStore(useShallow(selectFocusNote));
  if (!focusKey) return null;
  const focusNode = model.get(focusKey);
  return (
    <span className="focus-note">
      Subtree of {focusNode ? `${focusNode.info.pid} ${commandLine(focusNode.info.argv, focusNode.info.comm, 40)}` : 'a process that is gone'}
      <button type="button" onClick={() => actions().setFocus(null)}>
        Show all
      </button>
    </span>
  );
}

function SelectionToolbar({ model, onSignal }: { model: TreeModel; onSignal(target: SignalTarget): void }): ReactElement {
  const { selectedKey } = useAppStore(useShallow(selectSelection));
  const selectedNode = selectedKey ? model.get(selectedKey) : undefined;
  return (
    <div className="toolbar" role="toolbar" aria-label="Selected process">
      <span className="selection-note">
        {selectedNode ? `Selected: ${selectedNode.info.pid} ${commandLine(selectedNode.info.argv, selectedNode.info.comm, 60)}` : 'No process selected'}
      </span>
      <button type="button" disabled={!selectedNode} onClick={() => selectedKey && actions().setFocus(selectedKey)}>
        Focus subtree
      </button>
      {ALLOWED_SIGNALS.map((signal) => (
        <button
          key={signal}
          type="button"
          disabled={!selectedNode || selectedNode.exitedAt !== undefined}
          onClick={() => selectedKey && onSignal({ key: selectedKey, signal })}
        >
          {signal}…
        </button>
      ))}
    </div>
  );
}

function DetailColumn({ model, bridge, onSignal }: { model: TreeModel; bridge: ForkscopeBridge; onSignal(target: SignalTarget): void }): ReactElement | null {
  const { pinnedKeys, selectedKey, modelVersion } = useAppStore(useShallow(selectDetails));
  // A group's header row (the list by group) can be selected to move through the list, but is no process to open.
  const paneKeys = selectedKey && !pinnedKeys.includes(selectedKey) && !isGroupHeader(selectedKey) ? [...pinnedKeys, selectedKey] : pinnedKeys;
  if (paneKeys.length === 0) return null;
  const closePane = (key: ProcKey): void => {
    actions().unpin(key);
    if (selectedKey === key) actions().select(null);
  };
  return (
    <div className="detail-column">
      {paneKeys.map((key) => (
        <ViewBoundary key={key} view={`detail pane of ${key}`} onClose={() => closePane(key)}>
          <DetailPane
            procKey={key}
            model={model}
            version={modelVersion ?? model.version}
            bridge={bridge}
            pinned={pinnedKeys.includes(key)}
            onTogglePin={() => actions().togglePin(key)}
            onClose={() => closePane(key)}
            onFocusSubtree={() => actions().setFocus(key)}
            onSignal={() => onSignal({ key, signal: 'SIGTERM' })}
            onFilterGroup={(group) => actions().setFilter(groupFilterText(group), false)}
          />
        </ViewBoundary>
      ))}
    </div>
  );
}

/** Mounted only while the dialog is open: it follows the model (the target may exit, its children change). */
function SignalTargetDialog(props: { target: SignalTarget; model: TreeModel; bridge: ForkscopeBridge; onClose(): void }): ReactElement | null {
  const { target, model, bridge, onClose } = props;
  useAppStore((s) => s.modelVersion);
  const node = model.get(target.key);
  if (!node) return null;
  return (
    <SignalDialog target={node.info} initialSignal={target.signal} descendantCount={countDescendants(node)} bridge={bridge} onClose={onClose} />
  );
}

function countDescendants(node: RNode): number {
  let count = 0;
  const stack = node.children.slice();
  while (stack.length > 0) {
    const next = stack.pop() as RNode;
    if (next.exitedAt === undefined) count += 1;
    // Not push(...children): spreading a storm parent's 100k+ children overflows the call stack.
    for (const child of next.children) stack.push(child);
  }
  return count;
}
