/**
 * UI state (zustand). The process tree itself is NOT here: it lives in the mutable TreeModel and
 * the store carries only its version number, so a storm costs one small state update per frame
 * instead of copying thousands of processes.
 */
import { create } from 'zustand';
import type { HostInfo } from '../../../electron/common/bridge';
import type { ProcKey } from '../../../electron/common/process';
import type { SourceStatus } from '../../../electron/common/source';
import type { ConnectionState } from '../bridge/connection';
import type { SortSpec } from '../list/flattenTree';

/** Which views the window shows: the tree, the list, both, or the lifetimes (alone or above the list). */
export type ViewMode = 'tree' | 'list' | 'both' | 'lifetime' | 'lifetime-list';
export type ThemeChoice = 'system' | 'light' | 'dark';

/** At most this many detail panes are pinned; the oldest pin is dropped past it. */
export const MAX_PINNED = 6;

export interface AppState {
  selectedKey: ProcKey | null;
  /** Detail panes kept open, one per process, in the order they were pinned. */
  pinnedKeys: ProcKey[];
  filterText: string;
  filterRegex: boolean;
  /** Kernel threads (kthreadd and its workers) in the tree and list; hidden by default, as in htop. */
  showKernelThreads: boolean;
  focusKey: ProcKey | null;
  paused: boolean;
  viewMode: ViewMode;
  theme: ThemeChoice;
  /** How long an exited process stays visible (fading) before it is drawn as gone. */
  tombstoneFadeSeconds: number;
  sort: SortSpec;
  collapsed: ReadonlySet<ProcKey>;
  /** The tree and the list grouped by service, container or pod (one setting for both views). */
  byGroup: boolean;
  modelVersion: number;
  source: SourceStatus | null;
  host: HostInfo | null;
  hostError: string | null;
  connection: ConnectionState;
  feedError: string | null;

  select(key: ProcKey | null): void;
  togglePin(key: ProcKey): void;
  unpin(key: ProcKey): void;
  setFilter(text: string, regex: boolean): void;
  setShowKernelThreads(show: boolean): void;
  setFocus(key: ProcKey | null): void;
  setPaused(paused: boolean): void;
  setViewMode(mode: ViewMode): void;
  setTheme(theme: ThemeChoice): void;
  setTombstoneFadeSeconds(seconds: number): void;
  setSort(sort: SortSpec): void;
  setCollapsed(key: ProcKey, collapsed: boolean): void;
  setByGroup(byGroup: boolean): void;
  setModelVersion(version: number): void;
  setSource(source: SourceStatus): void;
  setHost(host: HostInfo | null, error?: string): void;
  setConnection(connection: ConnectionState): void;
  setFeedError(error: string | null): void;
}

export const useAppStore = create<AppState>()((set) => ({
  selectedKey: null,
  pinnedKeys: [],
  filterText: '',
  filterRegex: false,
  showKernelThreads: false,
  focusKey: null,
  paused: false,
  viewMode: 'both',
  theme: 'system',
  tombstoneFadeSeconds: 5,
  sort: { column: 'pid', descending: false },
  collapsed: new Set(),
  byGroup: false,
  modelVersion: 0,
  source: null,
  host: null,
  hostError: null,
  connection: { status: 'connecting', attempt: 1 },
  feedError: null,

  select: (key) => set({ selectedKey: key }),
  togglePin: (key) =>
    set((state) => ({
      pinnedKeys: state.pinnedKeys.includes(key)
        ? state.pinnedKeys.filter((k) => k !== key)
        : [...state.pinnedKeys, key].slice(-MAX_PINNED),
    })),
  unpin: (key) => set((state) => ({ pinnedKeys: state.pinnedKeys.filter((k) => k !== key) })),
  setFilter: (filterText, filterRegex) => set({ filterText, filterRegex }),
  setShowKernelThreads: (showKernelThreads) => set({ showKernelThreads }),
  setFocus: (focusKey) => set({ focusKey }),
  setPaused: (paused) => set({ paused }),
  setViewMode: (viewMode) => set({ viewMode }),
  setTheme: (theme) => set({ theme }),
  setTombstoneFadeSeconds: (seconds) => set({ tombstoneFadeSeconds: Math.min(600, Math.max(0, seconds)) }),
  setSort: (sort) => set({ sort }),
  setByGroup: (byGroup) => set({ byGroup }),
  setCollapsed: (key, collapsed) =>
    set((state) => {
      const next = new Set(state.collapsed);
      if (collapsed) next.add(key);
      else next.delete(key);
      return { collapsed: next };
    }),
  setModelVersion: (modelVersion) => set({ modelVersion }),
  setSource: (source) => set({ source }),
  setHost: (host, error) => set({ host, hostError: error ?? null }),
  setConnection: (connection) => set({ connection }),
  setFeedError: (feedError) => set({ feedError }),
}));
