/**
 * The process forest by service, container or pod, as the list and the tree show it when grouped:
 * one header per group, holding the group's processes in their lineage. A group's "entry points"
 * are its processes whose parent is in another group (or none): what systemd or a container
 * runtime started. Below an entry point, a child that another group owns is left to that group's
 * header, so every process is shown once. Processes in no group (the root cgroup: init, kernel
 * threads) are grouped under "no group".
 */
import type { ProcessInfo, ProcKey } from '../../../electron/common/process';
import type { RNode } from './TreeModel';

/** Header keys cannot collide with process keys (pid@start). */
const HEADER_PREFIX = 'group:';
const NO_GROUP = '';

export function isGroupHeader(key: ProcKey): boolean {
  return key.startsWith(HEADER_PREFIX);
}

/** The group id a process is listed under. */
export function groupIdOf(info: ProcessInfo): string {
  return info.group?.id ?? NO_GROUP;
}

/**
 * Header nodes for the processes under `roots`, ordered by name, "no group" last. A header's
 * info is a stand-in (pid 0, comm = the group's name, threads = its process count), never a
 * process: views check isGroupHeader before treating it as one.
 */
export function groupHeaders(roots: readonly RNode[]): RNode[] {
  const headers = new Map<string, RNode>();
  // Parents are walked before their children, so a process's header exists once its parent's does.
  const stack = [...roots];
  while (stack.length > 0) {
    const node = stack.pop() as RNode;
    const id = groupIdOf(node.info);
    let header = headers.get(id);
    if (!header) {
      header = headerNode(node.info, id);
      headers.set(id, header);
    }
    if (node.parent === null || groupIdOf(node.parent.info) !== id) header.children.push(node);
    header.info.threads++;
    for (const child of node.children) stack.push(child);
  }
  return [...headers.values()].sort((a, b) => Number(!a.info.group) - Number(!b.info.group) || a.info.comm.localeCompare(b.info.comm));
}

function headerNode(member: ProcessInfo, id: string): RNode {
  const info: ProcessInfo = {
    key: `${HEADER_PREFIX}${id}`,
    pid: 0,
    ppid: 0,
    startTime: 0,
    startedAt: 0,
    uid: 0,
    user: '',
    comm: member.group?.name ?? 'no group',
    argv: null,
    state: '',
    threads: 0,
  };
  if (member.group) info.group = member.group;
  return { info, parent: null, children: [], addedAt: -Infinity };
}

/** Whether `child` is shown below `parent` when grouping (same group), not under its own header. */
export function sameGroupAs(parent: RNode, child: RNode): boolean {
  return isGroupHeader(parent.info.key) || groupIdOf(parent.info) === groupIdOf(child.info);
}
