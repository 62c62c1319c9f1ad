/** Real processes for integration tests, started with known argv/cwd/env and always killed. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseStat } from '../parseStat';

const started: ChildProcess[] = [];

export function startProcess(file: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): ChildProcess {
  const child = spawn(file, args, { stdio: 'ignore', cwd: options.cwd ?? '/', env: options.env ?? { PATH: '/usr/bin:/bin' } });
  started.push(child);
  return child;
}

/** Waits until /proc/PID/stat satisfies `ready` (e.g. the exec has happened); returns the stat. */
export async function waitForStat(pid: number, ready: (comm: string, state: string) => boolean): Promise<ReturnType<typeof parseStat>> {
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      const stat = parseStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
      if (ready(stat.comm, stat.fields.state)) return stat;
    } catch {
      // Not there yet.
    }
    await sleep(10);
  }
  throw new Error(`process ${pid} never reached the awaited state`);
}

export function killStarted(): void {
  for (const child of started.splice(0)) child.kill('SIGKILL');
}
