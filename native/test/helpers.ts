/** Shared helpers for the native tests: a collecting watcher, waiting, and /proc facts. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import type { ProcEvent } from '../../electron/common/events';
import { locateAddon, startWatcher, type LossInfo, type NetlinkWatcher, type WatcherOptions } from '../index';

export interface Collector {
  watcher: NetlinkWatcher;
  events: ProcEvent[];
  losses: LossInfo[];
}

export async function collect(options: WatcherOptions = {}): Promise<Collector> {
  const events: ProcEvent[] = [];
  const losses: LossInfo[] = [];
  const watcher = await startWatcher(
    options,
    (batch) => {
      for (const event of batch) events.push(event);
    },
    (info) => losses.push(info),
  );
  return { watcher, events, losses };
}

/** Polls `predicate` every 20 ms until it holds or `timeoutMs` passes. */
export async function waitFor(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

/** Spawns with stdio ignored; throws when the spawn got no pid. */
export function spawnChild(command: string, args: string[]): ChildProcess {
  const child = spawn(command, args, { stdio: 'ignore' });
  if (child.pid === undefined) throw new Error(`spawn ${command} failed`);
  return child;
}

/** /proc/PID/stat, parsed as the kernel documents it: comm between '(' and the LAST ')'. */
export function readStat(pid: number | 'self'): { comm: string; ppid: number; startTime: number; flags: number } {
  const text = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  const fields = text.slice(close + 2).split(' ');
  // fields[0] is stat field 3 (state): field N is fields[N - 3].
  return {
    comm: Buffer.from(text.slice(open + 1, close), 'latin1').toString('utf8'),
    ppid: Number(fields[1]),
    flags: Number(fields[6]),
    startTime: Number(fields[19]),
  };
}

export function eventsOf(events: ProcEvent[], pid: number, kind: ProcEvent['kind']): ProcEvent[] {
  return events.filter((e) => e.pid === pid && e.kind === kind);
}

/** setpriv arguments that run a command as nobody, without supplementary groups. */
export const AS_NOBODY = ['--reuid=65534', '--regid=65534', '--clear-groups'];

/**
 * Whether the user that `setprivArgs` switches to may listen to the proc connector directly:
 * 'ok', or the errno name the kernel answered ("EPERM" here on 6.18 for nobody). Measured by
 * opening a real watcher in a child, never inferred from the kernel version. Tests assert the
 * behaviour of the mode a user really gets.
 */
export function probeDirectListen(setprivArgs: string[] = AS_NOBODY): string {
  const script = `
const addon = require(process.argv[1]);
try {
  const w = new addon.Watcher({ realtime: false, ackTimeoutMs: 2000 }, (m) => {
    if (m.type === 'ready') { w.close(); console.log('ok'); }
    else if (m.type === 'error') { console.log(m.code); w.close(); }
  });
} catch (e) { console.log(e.code || 'ERROR'); }`;
  const run = spawnSync('setpriv', [...setprivArgs, process.execPath, '-e', script, locateAddon()], { encoding: 'utf8', timeout: 10_000 });
  return run.stdout.trim().split('\n').pop() || `probe failed (${run.error?.message ?? run.stderr.trim()})`;
}
