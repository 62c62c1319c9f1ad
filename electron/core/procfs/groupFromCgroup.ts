/**
 * Which service, container or pod a process belongs to, from the text of /proc/PID/cgroup.
 *
 * The path is taken from the cgroup v2 line ("0::/…") when it is not the root, else from the
 * systemd named hierarchy ("name=systemd"), else from the first v1 controller that is not at the
 * root: a hybrid system (v1 controllers plus "0::/") keeps systemd's tree in name=systemd, and a
 * system without systemd (docker's cgroupfs driver) only in the controllers.
 *
 * Containers and pods are recognised anywhere on the path, the outermost first, because what runs
 * inside them (a systemd in a container) makes its own units below. A pod outranks the container
 * in it: grouping by pod keeps a pod's containers together.
 */
import type { ProcessGroup } from '../../common/process';
import { parseCgroup } from './parseCgroup';

const HEX64 = /^[0-9a-f]{64}$/;
/** Per-container scopes a runtime's systemd driver creates; `conmon` scopes do not match. */
const CONTAINER_SCOPES: ReadonlyArray<[RegExp, string]> = [
  [/^docker-([0-9a-f]{64})\.scope$/, 'docker'],
  [/^libpod-([0-9a-f]{64})(?:\.scope)?$/, 'podman'],
  [/^cri-containerd-([0-9a-f]{64})\.scope$/, 'containerd'],
  [/^crio-([0-9a-f]{64})\.scope$/, 'cri-o'],
];
/** The parent directory a cgroupfs driver puts container ids in. */
const CONTAINER_PARENTS: Readonly<Record<string, string>> = { docker: 'docker', libpod_parent: 'podman', containerd: 'containerd' };
/** kubepods-burstable-pod<uid with '_'>.slice (systemd driver) or pod<uid> (cgroupfs driver). */
const POD_SLICE = /^kubepods(?:-[a-z]+)*-pod([0-9a-f_]+)\.slice$/;
const POD_DIR = /^pod([0-9a-f-]{36})$/;
const USER_SLICE = /^user-\d+\.slice$/;

/** The short id docker and podman print. */
export const SHORT_ID_LENGTH = 12;

/** The group of a process whose cgroup file reads `text`; undefined at the root (or unparseable). */
export function groupFromCgroup(text: string): ProcessGroup | undefined {
  let entries;
  try {
    entries = parseCgroup(text);
  } catch {
    return undefined; // a malformed file names no group; the detail pane shows the parse error
  }
  const path =
    entries.find((entry) => entry.hierarchy === '0' && entry.path !== '/')?.path ??
    entries.find((entry) => entry.controllers === 'name=systemd' && entry.path !== '/')?.path ??
    entries.find((entry) => entry.path !== '/')?.path;
  return path === undefined ? undefined : groupFromPath(path);
}

/** The group a cgroup path (below the root) names. */
export function groupFromPath(path: string): ProcessGroup {
  const segments = path.split('/').filter((segment) => segment !== '');
  return podOf(segments) ?? containerOf(segments) ?? unitOf(segments) ?? { kind: 'other', id: path, name: segments.join('/') };
}

function podOf(segments: readonly string[]): ProcessGroup | undefined {
  if (!segments.some((segment) => segment.startsWith('kubepods'))) return undefined;
  for (const segment of segments) {
    const uid = POD_SLICE.exec(segment)?.[1]?.replaceAll('_', '-') ?? POD_DIR.exec(segment)?.[1];
    if (uid === undefined) continue;
    const runtime = containerOf(segments)?.runtime;
    return { kind: 'pod', id: uid, name: `pod ${uid}`, ...(runtime === undefined ? {} : { runtime }) };
  }
  return undefined;
}

function containerOf(segments: readonly string[]): ProcessGroup | undefined {
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    for (const [pattern, runtime] of CONTAINER_SCOPES) {
      const id = pattern.exec(segment)?.[1];
      if (id !== undefined) return containerGroup(id, runtime);
    }
    if (!HEX64.test(segment)) continue;
    // A bare id: its runtime is named by the directory above it (cgroupfs drivers), if at all.
    const parent = i > 0 ? CONTAINER_PARENTS[segments[i - 1]!] : undefined;
    return containerGroup(segment, parent);
  }
  return undefined;
}

function containerGroup(id: string, runtime: string | undefined): ProcessGroup {
  return { kind: 'container', id, name: id.slice(0, SHORT_ID_LENGTH), ...(runtime === undefined ? {} : { runtime }) };
}

/**
 * The deepest systemd unit of the path's leading run of units: below a unit, a delegated service
 * (or a container) makes cgroups of its own, which belong to that unit. A unit's `init.scope` is
 * its manager (systemd --user in user@UID.service): it belongs to the unit above.
 */
function unitOf(segments: readonly string[]): ProcessGroup | undefined {
  let depth = 0;
  while (depth < segments.length && kindOfUnit(segments[depth]!) !== undefined) depth++;
  if (depth === 0) return undefined;
  if (depth > 1 && segments[depth - 1] === 'init.scope') depth--;
  const name = segments[depth - 1]!;
  return { kind: kindOfUnit(name)!, id: `/${segments.slice(0, depth).join('/')}`, name };
}

function kindOfUnit(segment: string): ProcessGroup['kind'] | undefined {
  if (segment.endsWith('.service')) return 'unit';
  if (segment.endsWith('.scope')) return 'scope';
  if (USER_SLICE.test(segment)) return 'user';
  if (segment.endsWith('.slice')) return 'slice';
  return undefined;
}

/**
 * groupFromCgroup for one scan: the processes of a service or container have the same cgroup
 * text, so each distinct text is parsed once and its processes share one group object.
 */
export function scanGroupReader(): (text: string) => ProcessGroup | undefined {
  const seen = new Map<string, ProcessGroup | undefined>();
  return (text) => {
    if (seen.has(text)) return seen.get(text);
    const group = groupFromCgroup(text);
    seen.set(text, group);
    return group;
  };
}
