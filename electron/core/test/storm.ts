/**
 * Integration helpers: a real process storm with known argv and exit codes, and a comparison of
 * the engine's live model with /proc that tolerates only genuine races with other processes.
 */
import { spawn } from 'node:child_process';
import type { ProcEvent } from '../../common/events';
import { procKey, type ProcKey } from '../../common/process';
import type { Engine } from '../engine';
import { isLiveInScan } from '../../../native/ScannedProcess';
import { scanProcessesFallback } from '../procfs/scanProcessesFallback';

export const STORM_MARK = 'forkscope-storm';

/**
 * An outer shell that runs `count` children one after another, each a nested shell
 * `sh -c 'exit N' forkscope-storm-K` (argv unique per child, exit code K % 256).
 * Resolves with the outer shell's pid once it has exited.
 */
export function runStorm(count: number, tag: string): Promise<number> {
  const script = `i=0; while [ $i -lt ${count} ]; do sh -c 'exit '$((i % 256)) ${STORM_MARK}-${tag}-$i; i=$((i+1)); done`;
  const child = spawn('sh', ['-c', script], { stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(child.pid as number) : reject(new Error(`storm shell exited ${code}`))));
  });
}

export interface StormChild {
  pid: number;
  /** An exec event was seen for it (whether or not its argv could be read in time). */
  execSeen: boolean;
  argv?: string[] | undefined;
  code?: number | undefined;
  signal?: string | undefined;
}

/** Collects, in order, each child the shell `shellPid` forked, with its exec argv and exit status. */
export function collectChildren(events: readonly ProcEvent[], shellPid: number): StormChild[] {
  const children: StormChild[] = [];
  const running = new Map<number, StormChild>();
  for (const event of events) {
    if (event.kind === 'fork' && event.ppid === shellPid) {
      const child: StormChild = { pid: event.pid, execSeen: false };
      children.push(child);
      running.set(event.pid, child);
    } else if (event.kind === 'exec') {
      const child = running.get(event.pid);
      if (child) {
        child.execSeen = true;
        child.argv = event.argv;
      }
    } else if (event.kind === 'exit' && (event.tid === undefined || event.tid === event.pid)) {
      const child = running.get(event.pid);
      if (child) {
        child.code = event.code;
        child.signal = event.signal;
        running.delete(event.pid);
      }
    }
  }
  return children;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Resolves once `events` (a listener's growing list) holds the storm whole: the fork and the exit
 * of each of the shell's `count` children, and the shell's own exit. A loaded machine delivers
 * late, so this waits on what arrived, not on a time; and the shell's exit proves nothing about
 * its children's, since the kernel reports an exit after waking the parent, which may reap it and
 * exit first. Throws after `timeoutMs`, saying what is missing.
 */
export async function stormDelivered(events: readonly ProcEvent[], shellPid: number, count: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const children = collectChildren(events, shellPid);
    const ended = children.filter((child) => child.code !== undefined || child.signal !== undefined).length;
    const shellEnded = events.some((e) => e.kind === 'exit' && e.pid === shellPid && (e.tid === undefined || e.tid === e.pid));
    if (children.length >= count && ended === children.length && shellEnded) return;
    if (Date.now() >= deadline) {
      throw new Error(`storm of ${shellPid} not delivered in ${timeoutMs} ms: ${children.length}/${count} forks, ${ended} exits, shell exit ${shellEnded ? '' : 'not '}seen`);
    }
    await sleep(20);
  }
}

async function liveScan(): Promise<Map<ProcKey, number>> {
  const scan = await scanProcessesFallback();
  return new Map(scan.filter(isLiveInScan).map((p) => [procKey(p.pid, p.startTime), p.ppid]));
}

function liveModel(engine: Engine): Map<ProcKey, number> {
  return new Map(engine.table.liveProcesses().map((p) => [p.key, p.ppid]));
}

/**
 * Differences between the live model and /proc that no race explains. Other processes on the
 * machine keep starting and ending while we look, so:
 *  - "missing": alive in /proc both before and after the model was read, absent from the model;
 *  - "extra": in the model at two reads `settleMs` apart, absent from /proc between them;
 *  - "ppid": a parent that /proc showed unchanged before and after, differing in the model.
 */
export async function discrepancies(engine: Engine, settleMs = 300): Promise<string[]> {
  const before = await liveScan();
  await sleep(settleMs);
  const model = liveModel(engine);
  const after = await liveScan();
  await sleep(settleMs);
  const modelLater = liveModel(engine);
  const problems: string[] = [];
  for (const [key, ppid] of before) {
    if (!after.has(key)) continue;
    if (!model.has(key)) problems.push(`missing ${key}`);
    else if (after.get(key) === ppid && model.get(key) !== ppid) problems.push(`ppid ${key}: model ${model.get(key)}, /proc ${ppid}`);
  }
  for (const key of model.keys()) {
    if (modelLater.has(key) && !after.has(key)) problems.push(`extra ${key}`);
  }
  return problems;
}
