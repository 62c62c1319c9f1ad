/**
 * Real cgroups for integration tests: made in a mounted hierarchy (v1 controllers, the systemd
 * named hierarchy, or the cgroup2 one), entered by writing a pid to cgroup.procs, and removed
 * again — deepest first, once the processes in them are gone.
 */
import { mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const made: string[] = [];

/** Where a hierarchy is mounted (`/sys/fs/cgroup/pids`, …), when it is here and writable by us. */
export function hierarchy(name: 'systemd' | 'pids' | 'unified'): string | undefined {
  const dir = `/sys/fs/cgroup/${name}`;
  return process.getuid?.() === 0 && existsSync(join(dir, 'cgroup.procs')) ? dir : undefined;
}

/** Make `path` (below the hierarchy's root, "/a.slice/b.scope") and each missing level of it. */
export async function makeCgroup(root: string, path: string): Promise<string> {
  let dir = root;
  for (const segment of path.split('/').filter((part) => part !== '')) {
    dir = join(dir, segment);
    if (existsSync(dir)) continue;
    await mkdir(dir);
    made.push(dir);
  }
  return dir;
}

export async function moveInto(dir: string, pid: number): Promise<void> {
  await writeFile(join(dir, 'cgroup.procs'), `${pid}\n`);
}

/** Remove every cgroup made here, deepest first, waiting for exited processes to leave them. */
export async function removeCgroups(): Promise<void> {
  for (const dir of made.splice(0).reverse()) {
    for (let attempt = 0; ; attempt++) {
      try {
        await rmdir(dir);
        break;
      } catch (error) {
        if (attempt >= 200) throw new Error(`cannot remove test cgroup ${dir}; still in it: ${await members(dir)}`, { cause: error });
        await sleep(10);
      }
    }
  }
}

async function members(dir: string): Promise<string> {
  return (await readFile(join(dir, 'cgroup.procs'), 'utf8').catch(() => '?')).trim().replace(/\n/g, ' ');
}
