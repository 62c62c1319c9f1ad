/**
 * PID namespaces: a containerised process has one pid per nested namespace (status NSpid,
 * outermost first, starting with the namespace of the procfs mount we read). Users paste pids
 * they saw inside a container; translatePid maps them to ours, like util-linux's pidmap idea.
 */
import { readFile, readdir, readlink } from 'node:fs/promises';
import { mapWithConcurrency } from './mapWithConcurrency';
import { parseNamespaceLink } from './parseNamespaceLink';
import { parseStat } from './parseStat';
import { parseStatus } from './parseStatus';
import { errnoCode } from './unreadable';

const SCAN_CONCURRENCY = 16;

/** Inode of the PID namespace process `pid` lives in (the number in "pid:[4026531836]"). */
export async function pidNamespaceOf(pid: number, root = '/proc'): Promise<number> {
  return parseNamespaceLink('pid', await readlink(`${root}/${pid}/ns/pid`)).inode;
}

/** The pid of `pid` as seen in each PID namespace it belongs to, outermost first (NSpid). */
export async function pidInNamespaces(pid: number, root = '/proc'): Promise<number[]> {
  return parseStatus(await readFile(`${root}/${pid}/status`, 'utf8')).nspid;
}

interface NamespaceMember {
  pid: number;
  ppid: number;
  nspid: number[];
  nsInode: number;
}

async function readMember(root: string, pid: number): Promise<NamespaceMember | null> {
  try {
    const [statText, statusText, nsInode] = await Promise.all([
      readFile(`${root}/${pid}/stat`, 'utf8'),
      readFile(`${root}/${pid}/status`, 'utf8'),
      pidNamespaceOf(pid, root),
    ]);
    return { pid, ppid: parseStat(statText).fields.ppid, nspid: parseStatus(statusText).nspid, nsInode };
  } catch (error) {
    // Gone, or not ours to inspect (ns links need ptrace access): it cannot be placed.
    const code = errnoCode(error);
    if (code === 'ENOENT' || code === 'ESRCH' || code === 'EACCES' || code === 'EPERM') return null;
    throw error;
  }
}

/**
 * A namespace's parent cannot be asked for from Node (that is the NS_GET_PARENT ioctl), so it
 * is learned from the process tree: a process's parent lives in the same namespace or an
 * ancestor, so when a process one level deeper than its parent has a different namespace, the
 * parent's namespace is its namespace's parent.
 */
function learnNamespaceParents(members: NamespaceMember[]): Map<number, number> {
  const byPid = new Map(members.map((member) => [member.pid, member]));
  const parents = new Map<number, number>();
  for (const member of members) {
    const parent = byPid.get(member.ppid);
    if (parent && parent.nsInode !== member.nsInode && parent.nspid.length + 1 === member.nspid.length) {
      parents.set(member.nsInode, parent.nsInode);
    }
  }
  return parents;
}

/** true/false when the namespace chain is known down to `depth`, undefined when it is not. */
function isWithin(nsInode: number, nsDepth: number, ancestor: number, ancestorDepth: number, parents: Map<number, number>): boolean | undefined {
  let current: number | undefined = nsInode;
  for (let depth = nsDepth; depth > ancestorDepth; depth--) {
    current = parents.get(current);
    if (current === undefined) return undefined;
  }
  return current === ancestor;
}

/**
 * The pid, in the namespace of `root`'s procfs, of the process that has pid `pid` in the PID
 * namespace `fromNsInode`. null when no such process exists, when that namespace has no live
 * process we can see, or when it cannot be told apart from a same-numbered process of a sibling
 * namespace (its namespace ancestry could not be learned).
 */
export async function translatePid(pid: number, fromNsInode: number, root = '/proc'): Promise<number | null> {
  const names = await readdir(root);
  const pids = names.filter((name) => /^\d+$/.test(name)).map(Number);
  const members = (await mapWithConcurrency(pids, SCAN_CONCURRENCY, (each) => readMember(root, each))).filter(
    (member): member is NamespaceMember => member !== null,
  );
  const inNamespace = members.find((member) => member.nsInode === fromNsInode);
  if (!inNamespace) return null;
  // Depth 0 is the namespace of the procfs mount; NSpid[depth] is the pid as seen at that depth.
  const depth = inNamespace.nspid.length - 1;
  const parents = learnNamespaceParents(members);
  const candidates = members.filter((member) => member.nspid.length > depth && member.nspid[depth] === pid);
  const verdicts = candidates.map((member) => ({
    member,
    within: member.nsInode === fromNsInode ? true : isWithin(member.nsInode, member.nspid.length - 1, fromNsInode, depth, parents),
  }));
  const confirmed = verdicts.find((verdict) => verdict.within === true);
  if (confirmed) return confirmed.member.nspid[0] ?? null;
  // Unplaced candidates are accepted only when no other namespace exists at that depth.
  const unplaced = verdicts.filter((verdict) => verdict.within === undefined);
  const namespacesAtDepth = new Set(members.filter((member) => member.nspid.length === depth + 1).map((member) => member.nsInode));
  if (unplaced.length === 1 && namespacesAtDepth.size === 1) return unplaced[0]!.member.nspid[0] ?? null;
  return null;
}

/** translatePid from the PID namespace `inside` lives in; null also when that cannot be read (gone, EACCES). */
export async function translateInNamespaceOf(inside: number, pid: number, root = '/proc'): Promise<number | null> {
  let namespace: number;
  try {
    namespace = await pidNamespaceOf(inside, root);
  } catch {
    return null;
  }
  return translatePid(pid, namespace, root);
}
