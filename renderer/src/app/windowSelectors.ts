/**
 * What each part of the window reads from the store. In a storm the model version changes every
 * frame, and a component re-renders when what it selects changes (compared field by field with
 * useShallow): so only the parts that show the model select its version — the views, the detail
 * panes, the selection's toolbar — and the rest of the window (header, banners, view settings)
 * stays still. A part that shows the model only sometimes (a filter's match count, the focused or
 * selected process) selects the version only then.
 */
import type { AppState } from '../store/appStore';

/** The window around the views: nothing here shows the model. */
export function selectWindow(s: AppState) {
  return {
    source: s.source,
    host: s.host,
    hostError: s.hostError,
    connection: s.connection,
    feedError: s.feedError,
    paused: s.paused,
    viewMode: s.viewMode,
    theme: s.theme,
    byGroup: s.byGroup,
    showKernelThreads: s.showKernelThreads,
    tombstoneFadeSeconds: s.tombstoneFadeSeconds,
  };
}

/** The filter field: its match count follows the model only while a filter is typed. */
export function selectFilterField(s: AppState) {
  return {
    filterText: s.filterText,
    filterRegex: s.filterRegex,
    showKernelThreads: s.showKernelThreads,
    modelVersion: s.filterText.trim() === '' ? null : s.modelVersion,
  };
}

/** The "Subtree of …" note: the focused process's name, while there is a focus. */
export function selectFocusNote(s: AppState) {
  return { focusKey: s.focusKey, modelVersion: s.focusKey === null ? null : s.modelVersion };
}

/** The selected process's toolbar: its name and whether it still lives to be signalled. */
export function selectSelection(s: AppState) {
  return { selectedKey: s.selectedKey, modelVersion: s.selectedKey === null ? null : s.modelVersion };
}

/** The detail panes: pinned ones and the selection's, each following its process. */
export function selectDetails(s: AppState) {
  const open = s.pinnedKeys.length > 0 || s.selectedKey !== null;
  return { pinnedKeys: s.pinnedKeys, selectedKey: s.selectedKey, modelVersion: open ? s.modelVersion : null };
}

/** The tree, list and lifetime views: everything they show, the model version first. */
export function selectViews(s: AppState) {
  return {
    modelVersion: s.modelVersion,
    viewMode: s.viewMode,
    filterText: s.filterText,
    filterRegex: s.filterRegex,
    showKernelThreads: s.showKernelThreads,
    focusKey: s.focusKey,
    selectedKey: s.selectedKey,
    sort: s.sort,
    collapsed: s.collapsed,
    byGroup: s.byGroup,
    tombstoneFadeSeconds: s.tombstoneFadeSeconds,
  };
}
