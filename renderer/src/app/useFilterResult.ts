import { useMemo } from 'react';
import type { ProcessInfo } from '../../../electron/common/process';
import { applyFilter, parseFilter, type FilterResult, type ParsedFilter } from '../model/filter';
import type { TreeModel } from '../model/TreeModel';

export interface FilterState {
  /** null when no filter is active. */
  result: FilterResult | null;
  /** Set when the regular expression does not compile (the field shows it; nothing is hidden). */
  error: string | null;
}

type Hidden = ((info: ProcessInfo) => boolean) | null;

/**
 * The last result per model. The filter field (its match count) and the views are separate
 * components that both ask for the current version's result: they share one computation, and the
 * views see one FilterResult object per version, as they did when the window computed it once.
 * The parsed query is kept while the text stays: its matcher's identity is how the views tell a
 * new query from the model moving on (sameQuery).
 */
const lastResults = new WeakMap<TreeModel, { version: number; text: string; regex: boolean; parsed: ParsedFilter; hidden: Hidden; state: FilterState }>();

/**
 * The search field's effect on the current model version (recomputed once per version). Processes
 * `hidden` from view never match. With no filter text nothing is computed at all, whatever is
 * hidden: hiding is pruned by the views as they walk, not expressed as a set here.
 */
export function useFilterResult(model: TreeModel, version: number, text: string, regex: boolean, hidden: Hidden): FilterState {
  // `version` is the model's change signal: the model object itself is mutated in place.
  return useMemo(() => filterState(model, version, text, regex, hidden), [model, version, text, regex, hidden]);
}

function filterState(model: TreeModel, version: number, text: string, regex: boolean, hidden: Hidden): FilterState {
  const last = lastResults.get(model);
  if (last && last.version === version && last.text === text && last.regex === regex && last.hidden === hidden) return last.state;
  const parsed = last && last.text === text && last.regex === regex ? last.parsed : parseFilter(text, regex);
  const state: FilterState =
    parsed.kind === 'none'
      ? { result: null, error: null }
      : parsed.kind === 'invalid'
        ? { result: null, error: parsed.error }
        : { result: applyFilter(model, parsed.test, hidden), error: null };
  lastResults.set(model, { version, text, regex, parsed, hidden, state });
  return state;
}
