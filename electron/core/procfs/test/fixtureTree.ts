/**
 * The captured /proc fixtures (see ../fixtures/capture.sh) for tests: paths, the role → pid
 * manifest, and a temporary copy in which NAME.symlink files are turned back into the real
 * symlinks /proc has (exe, cwd, root, ns/*, fd/*).
 */
import { cp, mkdtemp, readFile, readdir, rm, symlink, unlink } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const FIXTURES_DIR = join(__dirname, '..', 'fixtures');
export const FIXTURE_PROC = join(FIXTURES_DIR, 'proc');
export const FIXTURE_PASSWD = join(FIXTURES_DIR, 'passwd');

export interface FixtureManifest {
  weirdComm: number;
  deletedExe: number;
  zombie: number;
  zombieParent: number;
  otherUser: number;
  nestedPidNs: number;
  kernelThread: number;
}

export const manifest: FixtureManifest = JSON.parse(readFileSync(join(FIXTURES_DIR, 'manifest.json'), 'utf8'));

export function fixtureBytes(pid: number, file: string): Promise<Buffer> {
  return readFile(join(FIXTURE_PROC, String(pid), file));
}

export function fixtureText(pid: number, file: string): Promise<string> {
  return readFile(join(FIXTURE_PROC, String(pid), file), 'utf8');
}

async function restoreSymlinks(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      await restoreSymlinks(path);
    } else if (entry.name.endsWith('.symlink')) {
      const target = await readFile(path, 'utf8');
      await unlink(path);
      await symlink(target, path.slice(0, -'.symlink'.length));
    }
  }
}

/** A temporary procfs-shaped copy of the fixtures; call the returned cleanup when done. */
export async function materializeFixtureTree(): Promise<{ root: string; cleanup: () => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'forkscope-proc-fixture-'));
  await cp(FIXTURE_PROC, root, { recursive: true });
  await restoreSymlinks(root);
  return { root, cleanup: () => rm(root, { recursive: true, force: true }) };
}
