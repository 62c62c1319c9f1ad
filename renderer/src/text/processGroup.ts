/**
 * How a process's group and PID-namespace pids read in the views. Both are process data: any
 * text, rendered as text (the list and detail pane as React text, the tree with fillText).
 */
import type { ProcessGroup, ProcessInfo } from '../../../electron/common/process';
import { visibleText } from './visibleText';

const KIND_LABELS: Record<ProcessGroup['kind'], string> = {
  unit: 'service',
  scope: 'scope',
  slice: 'slice',
  container: 'container',
  pod: 'pod',
  user: 'user',
  other: 'cgroup',
};

/** "nginx.service", "web-frontend", … as a cell shows it. */
export function groupName(group: ProcessGroup | undefined): string {
  return group ? visibleText(group.name) : '';
}

/** "docker container web-frontend (3f4e8a2b9c1d…)": the whole story, for a tooltip or the detail pane. */
export function describeGroup(group: ProcessGroup): string {
  const kind = group.runtime ? `${group.runtime} ${KIND_LABELS[group.kind]}` : KIND_LABELS[group.kind];
  return visibleText(`${kind} ${group.name} (${group.id})`);
}

/**
 * A group's header (the list and the tree by group; the header's stand-in info carries the
 * process count in `threads`): "nginx.service · 3 processes", or in full "service nginx.service
 * (/system.slice/nginx.service) · 3 processes".
 */
export function groupHeaderLabel(header: Pick<ProcessInfo, 'group' | 'threads'>, full = false): string {
  const { group, threads } = header;
  const name = group ? (full ? describeGroup(group) : groupName(group)) : full ? 'no group (root cgroup)' : 'no group';
  return `${name} · ${threads} process${threads === 1 ? '' : 'es'}`;
}

/** The pid a process has in its innermost PID namespace, when it is in a nested one. */
export function innerPid(info: Pick<ProcessInfo, 'nsPid'>): number | undefined {
  return info.nsPid && info.nsPid.length > 1 ? info.nsPid[info.nsPid.length - 1] : undefined;
}

/** "pid 7 in its PID namespace (NSpid 4242 7)". */
export function describeNsPid(nsPid: readonly number[]): string {
  return `pid ${nsPid[nsPid.length - 1]} in its PID namespace (NSpid ${nsPid.join(' ')})`;
}
