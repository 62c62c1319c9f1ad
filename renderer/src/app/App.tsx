/**
 * The window: header (source, loss, host warnings, connection, filter, pause, view settings,
 * actions on the selection), storm meter, the tree and list views, and the detail panes.
 */
import { useCallback, useEffect, useState, type ReactElement } from 'react';
import type { ProcKey } from '../../../electron/common/process';
import type { AllowedSignal } from '../../../electron/common/signals';
import { ALLOWED_SIGNALS } from '../../../electron/common/signals';
import { SignalDialog } from '../actions/SignalDialog';
import { DetailPane } from '../detail/DetailPane';
import { groupFilterText } from '../model/filter';
import { isGroupHeader } from '../model/byGroup';
import { hiddenPredicate } from '../model/kernelThreads';
import type { RNode } from '../model/TreeModel';
import { useAppStore, type ThemeChoice, type ViewMode } from '../store/appStore';
import { StormPanel } from '../storm/StormPanel';
import { TimelineStrip } from '../timeline/TimelineStrip';
import { commandLine, visibleText } from '../text/visibleText';
import { ConnectionBanner } from './ConnectionBanner';
import { FilterField } from './FilterField';
import { ProcessViews } from './ProcessViews';
import { useRuntime } from './RuntimeContext';
import { SourceIndicator } from './SourceIndicator';
import { useFilterResult } from './useFilterResult';
import { ViewBoundary } from './ViewBoundary';

export function App(): ReactElement {
  const { model, bridge, meter, lifetime, clock } = useRuntime();
  const state = useAppStore();
  const { modelVersion: version, selectedKey, pinnedKeys, focusKey, paused, viewMode, theme } = state;
  const fadeMs = state.tombstoneFadeSeconds * 1000;
  // Stable per setting (null or one module-level function), so toggling it is the only change
  // the views see: nothing is recomputed per model version because of it.
  const hidden = hiddenPredicate(state.showKernelThreads);
  const filter = useFilterResult(model, version, state.filterText, state.filterRegex, hidden);
  const [signalTarget, setSignalTarget] = useState<{ key: ProcKey; signal: AllowedSignal } | null>(null);

  useEffect(() => {
    if (theme === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
  }, [theme]);

  const select = useAppStore((s) => s.select);
  const onSelect = useCallback((key: ProcKey | null) => select(key), [select]);

  const selectedNode = selectedKey ? model.get(selectedKey) : undefined;
  const focusNode = focusKey ? model.get(focusKey) : undefined;
  // A group's header row (the list by group) can be selected to move through the list, but is no process to open.
  const paneKeys = selectedKey && !pinnedKeys.includes(selectedKey) && !isGroupHeader(selectedKey) ? [...pinnedKeys, selectedKey] : pinnedKeys;
  const signalNode = signalTarget ? model.get(signalTarget.key) : undefined;
  const closePane = (key: ProcKey): void => {
    state.unpin(key);
    if (selectedKey === key) select(null);
  };

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
          <FilterField
            text={state.filterText}
            regex={state.filterRegex}
            error={filter.error}
            matchCount={filter.result ? filter.result.matches.size : null}
            onChange={state.setFilter}
          />
          <button
            type="button"
            aria-pressed={paused}
            className={paused ? 'paused' : undefined}
            onClick={() => state.setPaused(!paused)}
            data-testid="pause-button"
          >
            {paused ? 'Resume' : 'Pause'}
          </button>
          {focusKey && (
            <span className="focus-note">
              Subtree of {focusNode ? `${focusNode.info.pid} ${commandLine(focusNode.info.argv, focusNode.info.comm, 40)}` : 'a process that is gone'}
              <button type="button" onClick={() => state.setFocus(null)}>
                Show all
              </button>
            </span>
          )}
          <label title="The tree and the list under one header per systemd unit, container or pod">
            <input type="checkbox" checked={state.byGroup} onChange={(event) => state.setByGroup(event.target.checked)} data-testid="by-group-toggle" />{' '}
            By group
          </label>
          <label title="kthreadd and its workers, hidden by default as in htop">
            <input
              type="checkbox"
              checked={state.showKernelThreads}
              onChange={(event) => state.setShowKernelThreads(event.target.checked)}
              data-testid="kernel-threads-toggle"
            />{' '}
            Kernel threads
          </label>
          <label>
            View{' '}
            <select value={viewMode} onChange={(event) => state.setViewMode(event.target.value as ViewMode)}>
              <option value="both">tree + list</option>
              <option value="tree">tree</option>
              <option value="list">list</option>
              <option value="lifetime">lifetimes</option>
              <option value="lifetime-list">lifetimes + list</option>
            </select>
          </label>
          <label>
            Theme{' '}
            <select value={theme} onChange={(event) => state.setTheme(event.target.value as ThemeChoice)}>
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
              onChange={(event) => state.setTombstoneFadeSeconds(Number(event.target.value) || 0)}
              className="fade-input"
            />
          </label>
        </div>
        <div className="toolbar" role="toolbar" aria-label="Selected process">
          <span className="selection-note">
            {selectedNode
              ? `Selected: ${selectedNode.info.pid} ${commandLine(selectedNode.info.argv, selectedNode.info.comm, 60)}`
              : 'No process selected'}
          </span>
          <button type="button" disabled={!selectedNode} onClick={() => selectedKey && state.setFocus(selectedKey)}>
            Focus subtree
          </button>
          {ALLOWED_SIGNALS.map((signal) => (
            <button
              key={signal}
              type="button"
              disabled={!selectedNode || selectedNode.exitedAt !== undefined}
              onClick={() => selectedKey && setSignalTarget({ key: selectedKey, signal })}
            >
              {signal}…
            </button>
          ))}
        </div>
      </header>

      <ViewBoundary view="storm panel">
        <StormPanel meter={meter} model={model} onSelect={(pid) => select(model.liveByPid(pid)?.info.key ?? null)} />
      </ViewBoundary>

      <main className={`app-main mode-${viewMode}`}>
        <div className="views">
          {paused && (
            <div className="banner warning" role="status">
              Paused: the view is frozen; events are still being recorded and will be applied on resume.
            </div>
          )}
          <ProcessViews
            model={model}
            version={version}
            viewMode={viewMode}
            lifetime={lifetime}
            now={clock.now}
            filter={filter.result}
            hidden={hidden}
            focusKey={focusNode ? focusKey : null}
            selectedKey={selectedKey}
            sort={state.sort}
            collapsed={state.collapsed}
            byGroup={state.byGroup}
            fadeMs={fadeMs}
            onSelect={onSelect}
            onOpen={(key) => {
              if (!pinnedKeys.includes(key)) state.togglePin(key);
            }}
            onSort={state.setSort}
            onToggle={state.setCollapsed}
          />
          <ViewBoundary view="timeline">
            <TimelineStrip timeline={bridge} />
          </ViewBoundary>
        </div>
        {paneKeys.length > 0 && (
          <div className="detail-column">
            {paneKeys.map((key) => (
              <ViewBoundary key={key} view={`detail pane of ${key}`} onClose={() => closePane(key)}>
                <DetailPane
                  procKey={key}
                  model={model}
                  version={version}
                  bridge={bridge}
                  pinned={pinnedKeys.includes(key)}
                  onTogglePin={() => state.togglePin(key)}
                  onClose={() => closePane(key)}
                  onFocusSubtree={() => state.setFocus(key)}
                  onSignal={() => setSignalTarget({ key, signal: 'SIGTERM' })}
                  onFilterGroup={(group) => state.setFilter(groupFilterText(group), false)}
                />
              </ViewBoundary>
            ))}
          </div>
        )}
      </main>

      {signalTarget && signalNode && (
        <ViewBoundary key={`${signalTarget.key}/${signalTarget.signal}`} view="signal dialog" onClose={() => setSignalTarget(null)}>
          <SignalDialog
            target={signalNode.info}
            initialSignal={signalTarget.signal}
            descendantCount={countDescendants(signalNode)}
            bridge={bridge}
            onClose={() => setSignalTarget(null)}
          />
        </ViewBoundary>
      )}
    </div>
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
