/**
 * The search field: plain text (case-insensitive substring) or a regular expression, written as
 * /re/flags or typed with the regex toggle on. A process matches when its name, argv, user, pid
 * or group (service, container, pod) matches; `group:TEXT` matches the group alone (its name, id
 * or runtime), so "group:nginx" is every process of nginx.service and nothing that merely
 * mentions nginx. The ancestors of every match stay visible so the match keeps its context.
 */
import type { ProcessGroup, ProcessInfo } from '../../../electron/common/process';
import type { RNode, TreeModel } from './TreeModel';

export type ParsedFilter =
  | { kind: 'none' }
  | { kind: 'match'; test: (info: ProcessInfo) => boolean }
  | { kind: 'invalid'; error: string };

/** The filter text that shows exactly the processes of `group` (the detail pane offers it). */
export function groupFilterText(group: ProcessGroup): string {
  return `${GROUP_PREFIX}${group.id}`;
}

const GROUP_PREFIX = 'group:';

export function parseFilter(text: string, regexMode: boolean): ParsedFilter {
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'none' };
  if (trimmed.toLowerCase().startsWith(GROUP_PREFIX) && !regexMode) {
    const needle = trimmed.slice(GROUP_PREFIX.length).trim().toLowerCase();
    return { kind: 'match', test: (info) => info.group !== undefined && groupFieldsOf(info.group).some((field) => field.toLowerCase().includes(needle)) };
  }
  const slashed = /^\/(.+)\/([a-z]*)$/s.exec(trimmed);
  if (regexMode || slashed) {
    const source = slashed ? (slashed[1] ?? '') : trimmed;
    const flags = slashed ? (slashed[2] ?? '') : 'i';
    let regex: RegExp;
    try {
      // Sticky/global flags would make test() stateful across processes: drop them.
      regex = new RegExp(source, flags.replace(/[gy]/g, ''));
    } catch (error) {
      // The engine's message already reads "Invalid regular expression: /(x/: Unterminated group".
      return { kind: 'invalid', error: error instanceof Error ? error.message : String(error) };
    }
    return { kind: 'match', test: (info) => fieldsOf(info).some((field) => regex.test(field)) };
  }
  const needle = trimmed.toLowerCase();
  const pidQuery = /^\d+$/.test(needle) ? Number(needle) : null;
  return {
    kind: 'match',
    test: (info) =>
      info.pid === pidQuery ||
      info.comm.toLowerCase().includes(needle) ||
      info.user.toLowerCase().includes(needle) ||
      (info.argv !== null && info.argv.join(' ').toLowerCase().includes(needle)) ||
      (info.group !== undefined && info.group.name.toLowerCase().includes(needle)),
  };
}

function fieldsOf(info: ProcessInfo): string[] {
  const fields = [info.comm, info.user, String(info.pid)];
  if (info.argv) fields.push(info.argv.join(' '));
  if (info.group) fields.push(info.group.name);
  return fields;
}

function groupFieldsOf(group: ProcessGroup): string[] {
  return group.runtime === undefined ? [group.name, group.id] : [group.name, group.id, group.runtime];
}

export interface FilterResult {
  /**
   * The matcher applied: the same function for every model version while the query stays the
   * same, so views can tell the person changing the query from the model moving on.
   */
  test: (info: ProcessInfo) => boolean;
  /** Processes that match themselves. */
  matches: Set<RNode>;
  /** Matches plus all their ancestors: what a filtered view shows. */
  visible: Set<RNode>;
}

/**
 * `hidden` names processes the view does not show at all (kernel threads): they never match, so
 * the match count is what a person can see. It must hide whole subtrees (see kernelThreads.ts),
 * so no match ever needs a hidden ancestor for context.
 */
export function applyFilter(
  model: TreeModel,
  test: (info: ProcessInfo) => boolean,
  hidden: ((info: ProcessInfo) => boolean) | null = null,
): FilterResult {
  const matches = new Set<RNode>();
  const visible = new Set<RNode>();
  for (const node of model.nodes.values()) {
    if ((hidden !== null && hidden(node.info)) || !test(node.info)) continue;
    matches.add(node);
    // Walk up until a node already known visible: each ancestor is added once overall.
    for (let at: RNode | null = node; at && !visible.has(at); at = at.parent) visible.add(at);
  }
  return { test, matches, visible };
}

/** Whether two results answer the same query (both none, or the same matcher). */
export function sameQuery(a: FilterResult | null, b: FilterResult | null): boolean {
  return (a?.test ?? null) === (b?.test ?? null);
}
