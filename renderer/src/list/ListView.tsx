/**
 * htop-like indented process list: an ARIA treegrid, virtualized (only the rows in view are in
 * the DOM, so 20k processes scroll like 20), sortable within siblings, keyboard-driven, and
 * anchored: when rows appear or vanish above the row under the pointer (or the selected row, or
 * the top row), the scroll position moves with them so that row does not jump. While the model
 * streams in, the rows are flattened again at most every LIST_REFRESH_MS (see listRows.ts), in
 * slices in the frame loop's dom phase (app/frameLoop.ts).
 */
import { useEffect, useLayoutEffect, useReducer, useRef, useState, type KeyboardEvent, type ReactElement } from 'react';
import type { ProcessInfo, ProcKey } from '../../../electron/common/process';
import type { FrameClient } from '../app/frameLoop';
import { useFrameLoop } from '../app/RuntimeContext';
import { sameQuery, type FilterResult } from '../model/filter';
import { lineageNote } from '../model/lineage';
import type { TreeModel } from '../model/TreeModel';
import { commandLine } from '../text/visibleText';
import { describeExitShort, formatDuration, formatKb, formatPct } from '../text/format';
import { describeGroup, describeNsPid, groupHeaderLabel, groupName, innerPid } from '../text/processGroup';
import { anchoredScrollTop, anchorKey, rowIndexOf, type FlatList, type ListRow, type SortColumn, type SortSpec } from './flattenTree';
import { ThrottledRows } from './listRows';
import { isGroupHeader } from '../model/byGroup';
import { navigate } from './keyboardNavigation';

export const ROW_HEIGHT = 22;
const OVERSCAN = 8;
/** Main-thread time per frame for flattening a held-back model version (the tree takes 5). */
const LIST_SLICE_MS = 3;

const COLUMNS: Array<{ id: SortColumn; label: string; className: string }> = [
  { id: 'pid', label: 'PID', className: 'col-pid' },
  { id: 'user', label: 'User', className: 'col-user' },
  { id: 'group', label: 'Group', className: 'col-group' },
  { id: 'state', label: 'S', className: 'col-state' },
  { id: 'cpu', label: 'CPU %', className: 'col-num' },
  { id: 'rss', label: 'RSS', className: 'col-num' },
  { id: 'threads', label: 'Thr', className: 'col-num' },
  { id: 'age', label: 'Age', className: 'col-num' },
  { id: 'command', label: 'Command', className: 'col-command' },
];

export interface ListViewProps {
  model: TreeModel;
  version: number;
  filter: FilterResult | null;
  /** Processes not listed, with their subtrees (kernel threads when hidden); null hides none. */
  hidden: ((info: ProcessInfo) => boolean) | null;
  focusKey: ProcKey | null;
  selectedKey: ProcKey | null;
  sort: SortSpec;
  collapsed: ReadonlySet<ProcKey>;
  /** One header row per service, container or pod, its processes below it. */
  byGroup?: boolean;
  fadeMs: number;
  onSelect(key: ProcKey | null): void;
  /** Enter / double click: open the detail pane. */
  onOpen(key: ProcKey): void;
  onSort(sort: SortSpec): void;
  onToggle(key: ProcKey, collapsed: boolean): void;
}

export function rowId(key: ProcKey): string {
  return `proc-row-${key}`;
}

export function ListView(props: ListViewProps): ReactElement {
  const { model, version, filter, hidden, focusKey, selectedKey, sort, collapsed, byGroup, fadeMs } = props;
  const viewportRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewportHeight, setViewportHeight] = useState(400);
  const hoveredKey = useRef<ProcKey | null>(null);
  const throttleRef = useRef<ThrottledRows | null>(null);
  const throttle = (throttleRef.current ??= new ThrottledRows());
  // Re-renders the list when a model version it held back has been flattened (see listRows.ts).
  const [flattened, refresh] = useReducer((count: number) => count + 1, 0);
  const { list, dueAt } = throttle.rows({ model, focusKey, collapsed, sort, filter, hidden, selectedKey, byGroup }, version, performance.now());
  const rows = list.rows;
  /** The list and filter of the last layout, to anchor the next one against. */
  const previous = useRef<{ list: FlatList; filter: FilterResult | null } | null>(null);

  // Flatten a held-back model version a slice per frame once due, then show it. Until it is due
  // (LIST_REFRESH_MS after the last flatten) the client only looks at the time each frame: in a
  // storm the frames run anyway, and otherwise it is a few idle frames, not a timer of its own.
  const frames = useFrameLoop();
  const slices = useRef<FrameClient | null>(null);
  useEffect(() => {
    const client = frames.register('dom', () => {
      const start = performance.now();
      if (!throttle.advance(start, start + LIST_SLICE_MS, () => performance.now())) return throttle.pending;
      refresh();
      return false;
    });
    slices.current = client;
    return () => {
      client.dispose();
      slices.current = null;
    };
  }, [frames, throttle]);
  useEffect(() => {
    if (dueAt !== null) slices.current?.schedule();
  }, [dueAt, flattened]);

  useLayoutEffect(() => {
    const viewport = viewportRef.current;
    if (!viewport) return;
    const observer = new ResizeObserver(() => setViewportHeight(viewport.clientHeight));
    observer.observe(viewport);
    setViewportHeight(viewport.clientHeight);
    return () => observer.disconnect();
  }, []);

  // Keep the anchor row still when rows change above it.
  useLayoutEffect(() => {
    const viewport = viewportRef.current;
    const before = previous.current;
    previous.current = { list, filter };
    if (!viewport || !before || before.list === list || before.list.rows.length === 0) return;
    // Where `before` was scrolled to, not viewport.scrollTop: when the rows just shrank the browser
    // has already clamped that to the shorter list, and shifting the clamped value by the rows
    // gone above the anchor moved the view twice (the selected row, among the newest and so the
    // last rows, left the screen whenever processes above it ended).
    const top = scrollTop;
    const anchor = anchorKey({
      before: before.list,
      after: list,
      scrollTop: top,
      viewportHeight: viewport.clientHeight,
      rowHeight: ROW_HEIGHT,
      selectedKey,
      hoveredKey: hoveredKey.current,
      queryChanged: !sameQuery(before.filter, filter),
    });
    const next = anchoredScrollTop({
      previousIndex: rowIndexOf(before.list, anchor),
      nextIndex: rowIndexOf(list, anchor),
      scrollTop: top,
      rowHeight: ROW_HEIGHT,
      rowCount: rows.length,
      viewportHeight: viewport.clientHeight,
    });
    if (next !== viewport.scrollTop) viewport.scrollTop = next;
    if (next !== top) setScrollTop(next);
    // Only a new list moves rows; `filter`, `selectedKey` and `scrollTop` are read as of that list.
  }, [list]);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + viewportHeight) / ROW_HEIGHT) + OVERSCAN);
  const selectedIndex = rowIndexOf(list, selectedKey);
  const now = Date.now();
  const perfNow = performance.now();

  const scrollIntoView = (index: number) => {
    const viewport = viewportRef.current;
    if (!viewport) return;
    const y = index * ROW_HEIGHT;
    if (y < viewport.scrollTop) viewport.scrollTop = y;
    else if (y + ROW_HEIGHT > viewport.scrollTop + viewport.clientHeight) {
      viewport.scrollTop = y + ROW_HEIGHT - viewport.clientHeight;
    }
    setScrollTop(viewport.scrollTop);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const pageRows = Math.max(1, Math.floor(viewportHeight / ROW_HEIGHT) - 1);
    const result = navigate(event.key, rows, selectedIndex, pageRows);
    if (result.kind === 'none') return;
    event.preventDefault();
    const row = rows[result.index];
    if (!row) return;
    const key = row.node.info.key;
    if (result.kind === 'open' && isGroupHeader(key)) return; // a header is no process to open
    if (result.kind === 'select') {
      props.onSelect(key);
      scrollIntoView(result.index);
    } else if (result.kind === 'expand') {
      props.onToggle(key, !result.expanded);
    } else {
      props.onOpen(key);
    }
  };

  const visibleRows: ReactElement[] = [];
  for (let index = first; index < last; index++) {
    const row = rows[index] as ListRow;
    if (isGroupHeader(row.node.info.key)) {
      visibleRows.push(<GroupHeaderRow key={row.node.info.key} row={row} index={index} onToggle={() => props.onToggle(row.node.info.key, row.expanded)} />);
      continue;
    }
    visibleRows.push(
      <Row
        key={row.node.info.key}
        row={row}
        index={index}
        selected={index === selectedIndex}
        match={filter?.matches.has(row.node) ?? false}
        lineage={lineageNote(model, row.node.info)}
        nowEpoch={now}
        nowPerf={perfNow}
        fadeMs={fadeMs}
        onSelect={() => props.onSelect(row.node.info.key)}
        onOpen={() => props.onOpen(row.node.info.key)}
        onToggle={() => props.onToggle(row.node.info.key, row.expanded)}
        onHover={(hovered) => {
          hoveredKey.current = hovered ? row.node.info.key : null;
        }}
      />,
    );
  }

  return (
    <div className="list-view">
      <div className="list-header" role="presentation">
        {COLUMNS.map((column) => {
          const active = sort.column === column.id;
          return (
            <button
              key={column.id}
              type="button"
              className={`list-header-cell ${column.className}`}
              aria-label={`Sort by ${column.label}${active ? (sort.descending ? ', descending' : ', ascending') : ''}`}
              onClick={() => props.onSort({ column: column.id, descending: active ? !sort.descending : false })}
            >
              {column.label}
              {active ? (sort.descending ? ' ▾' : ' ▴') : ''}
            </button>
          );
        })}
      </div>
      <div
        ref={viewportRef}
        className="list-viewport"
        role="treegrid"
        aria-label="Processes"
        aria-rowcount={rows.length}
        aria-activedescendant={selectedIndex >= 0 ? rowId(rows[selectedIndex]?.node.info.key ?? '') : undefined}
        tabIndex={0}
        onKeyDown={onKeyDown}
        onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
        data-testid="process-list"
      >
        <div className="list-spacer" style={{ height: rows.length * ROW_HEIGHT }}>
          {visibleRows}
        </div>
        {rows.length === 0 && <p className="list-empty">{filter ? 'No process matches the filter.' : 'No processes yet.'}</p>}
      </div>
    </div>
  );
}

/** A group's header: its name and kind, how many processes it has; a click folds it. */
function GroupHeaderRow({ row, index, onToggle }: { row: ListRow; index: number; onToggle(): void }) {
  const { info } = row.node;
  return (
    <div
      id={rowId(info.key)}
      role="row"
      aria-level={row.depth}
      aria-expanded={row.hasChildren ? row.expanded : undefined}
      aria-rowindex={index + 1}
      className="list-row group-header"
      style={{ transform: `translateY(${index * ROW_HEIGHT}px)` }}
      onClick={onToggle}
      data-testid="group-row"
    >
      <span role="gridcell" className="col-command">
        <span className="twisty" aria-hidden="true">
          {row.expanded ? '▾' : '▸'}
        </span>
        {groupHeaderLabel(info, true)}
      </span>
    </div>
  );
}

interface RowProps {
  row: ListRow;
  index: number;
  selected: boolean;
  match: boolean;
  /** Where it came from when its row's place does not say it ("forked by 1234 bash"). */
  lineage: string | null;
  nowEpoch: number;
  nowPerf: number;
  fadeMs: number;
  onSelect(): void;
  onOpen(): void;
  onToggle(): void;
  onHover(hovered: boolean): void;
}

function Row({ row, index, selected, match, lineage, nowEpoch, nowPerf, fadeMs, onSelect, onOpen, onToggle, onHover }: RowProps) {
  const { node, depth, hasChildren, expanded } = row;
  const info = node.info;
  const exited = node.exitedAt !== undefined;
  const classes = ['list-row'];
  if (selected) classes.push('selected');
  if (exited) classes.push('exited');
  if (match) classes.push('match');
  if (info.inferred) classes.push('inferred');
  // The fade is a CSS animation; a negative delay resumes it at the right point when a row is
  // re-created by scrolling, so fading does not restart.
  const nsPid = innerPid(info);
  const fadeStyle = exited
    ? { animationDuration: `${fadeMs}ms`, animationDelay: `${-(nowPerf - (node.exitedAt as number))}ms` }
    : undefined;
  return (
    <div
      id={rowId(info.key)}
      role="row"
      aria-level={depth}
      aria-expanded={hasChildren ? expanded : undefined}
      aria-selected={selected}
      aria-rowindex={index + 1}
      className={classes.join(' ')}
      style={{ transform: `translateY(${index * ROW_HEIGHT}px)`, ...fadeStyle }}
      onClick={onSelect}
      onDoubleClick={onOpen}
      onMouseEnter={() => onHover(true)}
      onMouseLeave={() => onHover(false)}
      data-testid="process-row"
      data-pid={info.pid}
    >
      <span role="gridcell" className="col-pid" title={info.nsPid && nsPid !== undefined ? describeNsPid(info.nsPid) : undefined}>
        {/* The cell's name stays the pid (what a person and a screen reader look a row up by); the title says the rest. */}
        {nsPid !== undefined ? (
          <span className="ns-pid" aria-hidden="true">
            {nsPid}·
          </span>
        ) : null}
        {info.pid}
      </span>
      <span role="gridcell" className="col-user">
        {info.user}
      </span>
      <span role="gridcell" className="col-group" title={info.group ? describeGroup(info.group) : undefined}>
        {groupName(info.group)}
      </span>
      <span role="gridcell" className="col-state">
        {exited ? 'X' : info.state}
      </span>
      <span role="gridcell" className="col-num">
        {formatPct(info.cpuPct)}
      </span>
      <span role="gridcell" className="col-num">
        {formatKb(info.rssKb)}
      </span>
      <span role="gridcell" className="col-num">
        {info.threads}
      </span>
      <span role="gridcell" className="col-num">
        {formatDuration((info.exit?.at ?? nowEpoch) - info.startedAt)}
      </span>
      <span role="gridcell" className="col-command" style={{ paddingLeft: `${(depth - 1) * 14}px` }}>
        <span
          className="twisty"
          aria-hidden="true"
          onClick={(event) => {
            event.stopPropagation();
            if (hasChildren) onToggle();
          }}
        >
          {hasChildren ? (expanded ? '▾' : '▸') : '·'}
        </span>
        {commandLine(info.argv, info.comm, 400)}
        {exited && info.exit ? <span className="exit-note"> ({describeExitShort(info.exit)})</span> : null}
        {lineage ? <span className="lineage-note"> · {lineage}</span> : null}
      </span>
    </div>
  );
}
