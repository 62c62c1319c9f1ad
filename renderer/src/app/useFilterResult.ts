import { useMemo } from 'react';
import type { ProcessInfo } from '../../../electron/common/process';
import { applyFilter, parseFilter, type FilterResult } from '../model/filter';
import type { TreeModel } from '../model/TreeModel';

export interface FilterState {
  /** null when no filter is active. */
  result: FilterResult | null;
  /** Set when the regular expression does not compile (the field shows it; nothing is hidden). */
  error: string | null;
}

/**
 * The search field's effect on the current model version (recomputed once per version). Processes
 * `hidden` from view never match. With no filter text nothing is computed at all, whatever is
 * hidden: hiding is pruned by the views as they walk, not expressed as a set here.
 */
export function useFilterResult(
  model: TreeModel,
  version: number,
  text: string,
  regex: boolean,
  hidden: ((info: ProcessInfo) => boolean) | null,
): FilterState {
  const parsed = useMemo(() => parseFilter(text, regex), [text, regex]);
  return useMemo(() => {
    if (parsed.kind === 'none') return { result: null, error: null };
    if (parsed.kind === 'invalid') return { result: null, error: parsed.error };
    return { result: applyFilter(model, parsed.test, hidden), error: null };
    // `version` is the model's change signal: the model object itself is mutated in place.
  }, [parsed, model, version, hidden]);
}
