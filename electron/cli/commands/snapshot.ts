/**
 * `forkscope snapshot [--json]`: the current process tree, read in one /proc scan off the JS
 * thread. JSON: { ts, bootEpochMs, clkTck, processes: [{ pid, ppid, startTime, startedAt, uid,
 * user, comm, argv, state, threads, kernelThread, group?, nsPid? }] } sorted by pid (group: the
 * service, container or pod, absent at the root cgroup; nsPid: the pid in each nested PID
 * namespace, outermost first, absent outside them); text: an indented tree.
 */
import type { ProcessInfo } from '../../common/process';
import { readProcClock, startTimeToEpochMs } from '../../core/model/ProcClock';
import { ContainerNames } from '../../core/procfs/containerNames';
import { scanAll } from '../../core/procfs/scanAll';
import { verifyProcfs } from '../../core/procfs/verifyProcfs';
import { createUserNames } from '../../core/procfs/userNames';
import { parseArgs, UsageError } from '../args';
import { escapeControl, formatArgv } from '../terminalText';
import { StdoutWriter } from '../stdoutWriter';

/** One process of the snapshot document: the model's identity and naming fields, as /proc has them now. */
export type SnapshotProcess = Pick<
  ProcessInfo,
  'pid' | 'ppid' | 'startTime' | 'startedAt' | 'uid' | 'user' | 'comm' | 'argv' | 'state' | 'threads' | 'group' | 'nsPid'
> & { kernelThread: boolean };

/** Depth-first lines of the tree, children in pid order; cycles and orphans cannot hide a process. */
function treeLines(processes: readonly SnapshotProcess[]): string[] {
  const byPid = new Map(processes.map((p) => [p.pid, p]));
  const children = new Map<number, SnapshotProcess[]>();
  const roots: SnapshotProcess[] = [];
  for (const p of processes) {
    if (p.ppid !== p.pid && byPid.has(p.ppid)) {
      const list = children.get(p.ppid) ?? [];
      list.push(p);
      children.set(p.ppid, list);
    } else roots.push(p);
  }
  const lines: string[] = [];
  const visited = new Set<number>();
  const stack: Array<[SnapshotProcess, number]> = roots.reverse().map((p) => [p, 0]);
  while (stack.length > 0) {
    const [p, depth] = stack.pop() as [SnapshotProcess, number];
    if (visited.has(p.pid)) continue;
    visited.add(p.pid);
    const command = p.argv && p.argv.length > 0 ? formatArgv(p.argv, 200) : `[${escapeControl(p.comm)}]`;
    lines.push(`${String(p.pid).padStart(7)} ${p.user.padEnd(10).slice(0, 10)} ${p.state} ${'  '.repeat(depth)}${command}`);
    const kids = children.get(p.pid) ?? [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i] as SnapshotProcess, depth + 1]);
  }
  return lines;
}

export async function runSnapshotCommand(argv: string[]): Promise<number> {
  const { flags, positionals } = parseArgs(argv, { json: { type: 'boolean' } });
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const clock = readProcClock();
  const users = createUserNames();
  await verifyProcfs(); // a snapshot of something that is not procfs would be nonsense
  const [scanned] = await Promise.all([scanAll(), users.refresh()]);
  await new ContainerNames().nameAll(scanned);
  const processes: SnapshotProcess[] = scanned
    .map((p) => ({
      pid: p.pid,
      ppid: p.ppid,
      startTime: p.startTime,
      startedAt: startTimeToEpochMs(clock, p.startTime),
      uid: p.uid,
      user: users.name(p.uid),
      comm: p.comm,
      argv: p.argv,
      state: p.state,
      threads: p.threads,
      kernelThread: p.kernelThread,
      ...(p.group ? { group: p.group } : {}),
      ...(p.nsPid ? { nsPid: p.nsPid } : {}),
    }))
    .sort((a, b) => a.pid - b.pid);
  // A closed stdout (`| head`) just ends the output early.
  const out = new StdoutWriter(process.stdout, () => undefined);
  if (flags.json) {
    out.writeLines([JSON.stringify({ ts: Date.now(), bootEpochMs: clock.bootEpochMs, clkTck: clock.clkTck, processes })]);
  } else {
    out.writeLines(['    PID USER       S COMMAND', ...treeLines(processes)]);
  }
  await out.flush();
  return 0;
}
