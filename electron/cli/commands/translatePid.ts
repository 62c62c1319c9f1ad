/**
 * `forkscope translate-pid PID --in P [--json]`: which process is "pid PID" as seen inside the PID
 * namespace of process P (a container's, a sandbox's) — its pid here, and its NSpid chain. For
 * the pids a person copies out of `docker exec … ps` or a containerised program's log.
 */
import { pidInNamespaces, pidNamespaceOf, translatePid } from '../../core/procfs/pidNamespaces';
import { errnoCode } from '../../core/procfs/unreadable';
import { parseArgs, UsageError } from '../args';
import { StdoutWriter } from '../stdoutWriter';

export async function runTranslatePidCommand(argv: string[]): Promise<number> {
  const { flags, positionals } = parseArgs(argv, { in: { type: 'number', integer: true, min: 1 }, json: { type: 'boolean' } });
  if (positionals.length !== 1) throw new UsageError('needs one PID (as seen inside the namespace)');
  const pid = Number(positionals[0]);
  if (!Number.isSafeInteger(pid) || pid < 1 || String(pid) !== positionals[0]) throw new UsageError(`'${positionals[0]}' is not a pid`);
  if (typeof flags.in !== 'number') throw new UsageError('needs --in P: a process whose PID namespace PID is from');
  const inside = flags.in;

  let namespace: number;
  try {
    namespace = await pidNamespaceOf(inside);
  } catch (error) {
    const why = errnoCode(error) === 'ENOENT' ? 'no such process' : `cannot read its namespace (${errnoCode(error) ?? String(error)})`;
    process.stderr.write(`forkscope translate-pid: process ${inside}: ${why}\n`);
    return 1;
  }
  const hostPid = await translatePid(pid, namespace);
  if (hostPid === null) {
    process.stderr.write(`forkscope translate-pid: no process has pid ${pid} in the PID namespace of ${inside} (pid:[${namespace}])\n`);
    return 1;
  }
  const nsPid = await pidInNamespaces(hostPid).catch(() => [hostPid]);
  const out = new StdoutWriter(process.stdout, () => undefined);
  out.writeLines([
    flags.json
      ? JSON.stringify({ pid, in: inside, namespace, hostPid, nsPid })
      : `${hostPid}\t(pid ${pid} in pid:[${namespace}] of process ${inside}; NSpid ${nsPid.join(' ')})`,
  ]);
  await out.flush();
  return 0;
}
