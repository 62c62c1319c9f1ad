/**
 * Real processes for the specs to watch: storms of short-lived children, a long-lived one to
 * kill from the UI, one whose name is markup. Each carries a unique marker in its argv so that a
 * spec finds exactly its own processes. Each is spawned as the leader of its own process group,
 * so that the group — the leader and anything it forked (a storm shell's `sleep`) — is killed
 * when the test ends, whether the test passed or not.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function uniqueMarker(): string {
  return `fse2e${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Spawned {
  child: ChildProcess;
  pid: number;
  exited: Promise<Exit>;
}

/** The markup-and-control-characters name: its first 15 bytes (the comm) hold both kinds. */
export const HOSTILE_NAME = '<i>\n<img src=x onerror=alert(1)>';

export class ProcessPool {
  private readonly children = new Set<ChildProcess>();
  /** Every group ever spawned: a leader that exited may have left children behind. */
  private readonly groups = new Set<number>();
  private readonly dirs: string[] = [];

  private spawnGroup(command: string, args: string[], options: { cwd?: string } = {}): Spawned {
    return this.track(spawn(command, args, { ...options, stdio: 'ignore', detached: true }));
  }

  private track(child: ChildProcess): Spawned {
    if (child.pid === undefined) throw new Error('spawn failed');
    this.children.add(child);
    this.groups.add(child.pid);
    const exited = new Promise<Exit>((resolve) =>
      child.once('exit', (code, signal) => {
        this.children.delete(child);
        resolve({ code, signal });
      }),
    );
    return { child, pid: child.pid, exited };
  }

  tempDir(marker: string): string {
    const dir = mkdtempSync(join(tmpdir(), `${marker}-`));
    this.dirs.push(dir);
    return dir;
  }

  /** `count` shells named by the marker ($0), each living `lifeSeconds`, `waveSize` at a time. */
  async storm(marker: string, count: number, lifeSeconds: number, waveSize = 8): Promise<Spawned[]> {
    const all: Spawned[] = [];
    for (let started = 0; started < count; started += waveSize) {
      const wave = Array.from({ length: Math.min(waveSize, count - started) }, () =>
        this.spawnGroup('/bin/sh', ['-c', `sleep ${lifeSeconds}`, `${marker}-storm`]),
      );
      all.push(...wave);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return all;
  }

  /** A fast fork/exec loop inside one shell: thousands of events in a second or two. */
  burst(marker: string, iterations: number): Spawned {
    const loop = `i=0; while [ $i -lt ${iterations} ]; do /bin/true; i=$((i+1)); done`;
    return this.spawnGroup('/bin/sh', ['-c', loop, `${marker}-burst`]);
  }

  /** A shell named by the marker ($0) that exits with `code` at once: a 1 ms life. */
  shortLived(marker: string, code: number): Spawned {
    return this.spawnGroup('/bin/sh', ['-c', `exit ${code}`, `${marker}-short`]);
  }

  /** A process that lives until signalled, in its own working directory. */
  longLived(marker: string, cwd: string): Spawned {
    return this.spawnGroup(process.execPath, ['-e', 'setInterval(() => {}, 1000)', `${marker}-long`], { cwd });
  }

  /**
   * A shell that starts a child shell in the background and exits at once: the child (argv
   * `${marker}-orphan`) is an orphan the kernel hands to init or a subreaper. The child stays a
   * shell (`; :` keeps it from exec'ing sleep) so its argv keeps the marker. Its pid is the
   * forking shell's, which is the group leader the pool kills.
   */
  orphaning(marker: string): Spawned {
    return this.spawnGroup('/bin/sh', ['-c', `sh -c 'sleep 60; :' ${marker}-orphan & exit 0`]);
  }

  /**
   * A build-like storm: `jobs` tiny C files compiled by real `cc` jobs under `make -j2` in a
   * temp dir. make's argv carries the marker (TAG=…) so a filter finds it.
   */
  build(marker: string, jobs: number): Spawned {
    const dir = this.tempDir(marker);
    const objects: string[] = [];
    for (let i = 0; i < jobs; i++) {
      writeFileSync(join(dir, `job${i}.c`), `int job${i}(int x) { return x * ${i} + ${jobs}; }\n`);
      objects.push(`job${i}.o`);
    }
    // No shell metacharacters in the recipe: make execs cc directly, so cc is make's own child.
    writeFileSync(join(dir, 'Makefile'), `all: ${objects.join(' ')}\n%.o: %.c\n\tcc -c $< -o $@\n`);
    return this.spawnGroup('make', ['-j2', `TAG=${marker}`], { cwd: dir });
  }

  /** `sleep` exec'd through a symlink named HOSTILE_NAME, so its comm and argv[0] hold markup. */
  hostile(marker: string): Spawned {
    const link = join(this.tempDir(marker), HOSTILE_NAME);
    symlinkSync('/bin/sleep', link);
    return this.spawnGroup(link, ['60']);
  }

  async dispose(): Promise<void> {
    const exits = [...this.children].map((child) => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('exit', resolve))));
    for (const group of this.groups) {
      try {
        process.kill(-group, 'SIGKILL');
      } catch (error) {
        // ESRCH: the whole group is gone already.
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
      }
    }
    this.groups.clear();
    await Promise.all(exits);
    for (const dir of this.dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}
