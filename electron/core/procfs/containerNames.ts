/**
 * Container names from the runtimes' own readable state, so a group reads "web-frontend" rather
 * than "3f4e8a2b9c1d": docker's /var/lib/docker/containers/<id>/config.v2.json ("Name"), podman's
 * containers.json of containers/storage (root's, and the current user's rootless store). State we
 * cannot read (not root, no such runtime, a format we do not know) leaves the short id.
 *
 * Names are looked up once per container id and kept: a scan of 10k processes in 50 containers
 * costs 50 lookups the first time and none after.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import type { ProcessGroup } from '../../common/process';

export interface RuntimeStateRoots {
  /** docker's data root. */
  docker: string;
  /** containers/storage roots (podman, buildah, cri-o), root's first. */
  containersStorage: string[];
}

export function defaultRuntimeStateRoots(): RuntimeStateRoots {
  return {
    docker: '/var/lib/docker',
    containersStorage: ['/var/lib/containers/storage', `${homedir()}/.local/share/containers/storage`],
  };
}

/** Ids remembered; beyond this the oldest are forgotten (and looked up again when met). */
const MAX_REMEMBERED = 4096;

export class ContainerNames {
  private readonly names = new Map<string, Promise<string | undefined>>();

  constructor(private readonly roots: RuntimeStateRoots = defaultRuntimeStateRoots()) {}

  /** `group` with its runtime's name for the container, or `group` itself when there is none. */
  async named(group: ProcessGroup): Promise<ProcessGroup> {
    if (group.kind !== 'container') return group;
    const name = await this.lookup(group.id, group.runtime);
    return name === undefined || name === group.name ? group : { ...group, name };
  }

  /** Replace the container groups of `processes` by named ones (one lookup per distinct group). */
  async nameAll(processes: ReadonlyArray<{ group?: ProcessGroup }>): Promise<void> {
    const named = new Map<ProcessGroup, Promise<ProcessGroup>>();
    for (const process of processes) {
      if (process.group?.kind === 'container' && !named.has(process.group)) named.set(process.group, this.named(process.group));
    }
    if (named.size === 0) return;
    const resolved = new Map<ProcessGroup, ProcessGroup>();
    for (const [group, promise] of named) resolved.set(group, await promise);
    for (const process of processes as Array<{ group?: ProcessGroup }>) {
      if (process.group) process.group = resolved.get(process.group) ?? process.group;
    }
  }

  private lookup(id: string, runtime: string | undefined): Promise<string | undefined> {
    let name = this.names.get(id);
    if (name === undefined) {
      name = this.read(id, runtime);
      this.names.set(id, name);
      if (this.names.size > MAX_REMEMBERED) this.names.delete(this.names.keys().next().value as string);
    }
    return name;
  }

  private async read(id: string, runtime: string | undefined): Promise<string | undefined> {
    if (runtime !== 'podman' && runtime !== 'cri-o') {
      const name = await dockerName(this.roots.docker, id);
      if (name !== undefined || runtime === 'docker') return name;
    }
    for (const root of this.roots.containersStorage) {
      const name = await containersStorageName(root, id);
      if (name !== undefined) return name;
    }
    return undefined;
  }
}

/** Any read or parse failure is "no name": the state is the runtime's, in whatever shape it is. */
async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

async function dockerName(root: string, id: string): Promise<string | undefined> {
  const config = await readJson(`${root}/containers/${id}/config.v2.json`);
  const name = (config as { Name?: unknown } | undefined)?.Name;
  // docker keeps names with a leading '/' (a legacy of links); `docker ps` strips it.
  return typeof name === 'string' && name.length > 1 ? name.replace(/^\//, '') : undefined;
}

async function containersStorageName(root: string, id: string): Promise<string | undefined> {
  const containers = await readJson(`${root}/overlay-containers/containers.json`);
  if (!Array.isArray(containers)) return undefined;
  const entry = (containers as Array<{ id?: unknown; names?: unknown }>).find((each) => each?.id === id);
  const first = Array.isArray(entry?.names) ? (entry.names as unknown[])[0] : undefined;
  return typeof first === 'string' && first !== '' ? first : undefined;
}
