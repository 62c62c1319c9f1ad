/**
 * Treegrid keyboard model (WAI-ARIA treegrid pattern, row focus): what a key does to the
 * selection and expansion. Pure, so it is tested without a DOM.
 */
import type { ListRow } from './flattenTree';

export type NavigationResult =
  | { kind: 'select'; index: number }
  | { kind: 'expand'; index: number; expanded: boolean }
  | { kind: 'open'; index: number }
  | { kind: 'none' };

export function navigate(key: string, rows: readonly ListRow[], current: number, pageRows: number): NavigationResult {
  if (rows.length === 0) return { kind: 'none' };
  const last = rows.length - 1;
  const at = current < 0 ? -1 : Math.min(current, last);
  const select = (index: number): NavigationResult => ({ kind: 'select', index: Math.max(0, Math.min(last, index)) });
  switch (key) {
    case 'ArrowDown':
      return select(at + 1);
    case 'ArrowUp':
      return select(at < 0 ? 0 : at - 1);
    case 'Home':
      return select(0);
    case 'End':
      return select(last);
    case 'PageDown':
      return select(at + Math.max(1, pageRows));
    case 'PageUp':
      return select(at - Math.max(1, pageRows));
    case 'Enter':
      return at < 0 ? { kind: 'none' } : { kind: 'open', index: at };
    case 'ArrowRight': {
      const row = rows[at];
      if (!row) return select(0);
      if (row.hasChildren && !row.expanded) return { kind: 'expand', index: at, expanded: true };
      return row.expanded ? select(at + 1) : { kind: 'none' };
    }
    case 'ArrowLeft': {
      const row = rows[at];
      if (!row) return select(0);
      if (row.expanded) return { kind: 'expand', index: at, expanded: false };
      // Move to the parent row: the nearest row above with a smaller depth.
      for (let i = at - 1; i >= 0; i--) if ((rows[i] as ListRow).depth < row.depth) return select(i);
      return { kind: 'none' };
    }
    default:
      return { kind: 'none' };
  }
}
