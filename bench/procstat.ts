/**
 * CPU time of a process and its descendants, from /proc/PID/stat, and the proc connector
 * sockets a process holds, from /proc/net/netlink (whose Drops column is the kernel's own count
 * of events it could not deliver to that socket: loss no reader can under-report).
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

export interface StatTimes {
  pid: number;
  ppid: number;
  /** utime + stime of the live process, in clock ticks. */
  ownTicks: number;
  /** cutime + cstime: reaped children, in clock ticks. */
  reapedChildrenTicks: number;
}

/** Parse /proc/PID/stat text; comm may hold spaces and ')', so split after the last ')'. */
export function parseStatTimes(text: string): StatTimes {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`not a /proc/PID/stat line: ${text.slice(0, 60)}`);
  const pid = Number(text.slice(0, open).trim());
  // Fields after comm start at field 3 (state); utime is field 14.
  const rest = text.slice(close + 2).trim().split(' ');
  const field = (n: number): number => {
    const value = Number(rest[n - 3]);
    if (!Number.isFinite(value)) throw new Error(`/proc/${pid}/stat: field ${n} is not a number`);
    return value;
  };
  return {
    pid,
    ppid: field(4),
    ownTicks: field(14) + field(15),
    reapedChildrenTicks: field(16) + field(17),
  };
}

function readStat(pid: number): StatTimes | null {
  try {
    return parseStatTimes(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null; // gone between listing and reading
  }
}

/**
 * Ticks spent by `root` and everything under it: its own time, its reaped children's, and each
 * live descendant's own time (their reaped children are folded into them the same way).
 */
export function treeCpuTicks(root: number): number | null {
  const stats = new Map<number, StatTimes>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat) stats.set(stat.pid, stat);
  }
  const rootStat = stats.get(root);
  if (!rootStat) return null;
  const childrenOf = new Map<number, number[]>();
  for (const stat of stats.values()) {
    const list = childrenOf.get(stat.ppid) ?? [];
    list.push(stat.pid);
    childrenOf.set(stat.ppid, list);
  }
  let ticks = 0;
  const queue = [root];
  for (let pid = queue.pop(); pid !== undefined; pid = queue.pop()) {
    const stat = stats.get(pid);
    if (!stat) continue;
    ticks += stat.ownTicks + stat.reapedChildrenTicks;
    queue.push(...(childrenOf.get(pid) ?? []));
  }
  return ticks;
}

let clockTicks: number | undefined;
/** CLK_TCK as `getconf CLK_TCK` reports it. */
export function clockTicksPerSecond(): number {
  if (clockTicks === undefined) {
    const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    if (!Number.isInteger(value) || value <= 0) throw new Error(`getconf CLK_TCK gave ${value}`);
    clockTicks = value;
  }
  return clockTicks;
}

export interface NetlinkSocketRow {
  protocol: number;
  groups: number;
  rmemBytes: number;
  drops: number;
  inode: number;
}

const NETLINK_CONNECTOR = 11;
const CN_IDX_PROC = 1;

/** Parse /proc/net/netlink (header: sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode). */
export function parseNetlinkTable(text: string): NetlinkSocketRow[] {
  const rows: NetlinkSocketRow[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    rows.push({
      protocol: Number(f[1]),
      groups: parseInt(f[3] ?? '0', 16),
      rmemBytes: Number(f[4]),
      drops: Number(f[8]),
      inode: Number(f[9]),
    });
  }
  return rows;
}

function socketInodes(pid: number): Set<number> {
  const inodes = new Set<number>();
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return inodes;
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(Number(m[1]));
    } catch {
      // fd closed while we looked
    }
  }
  return inodes;
}

/** The proc-connector sockets (bound to CN_IDX_PROC) that process `pid` holds open. */
export function procConnectorSockets(pid: number): NetlinkSocketRow[] {
  const inodes = socketInodes(pid);
  if (inodes.size === 0) return [];
  const table = parseNetlinkTable(readFileSync('/proc/net/netlink', 'utf8'));
  return table.filter((row) => row.protocol === NETLINK_CONNECTOR && (row.groups & CN_IDX_PROC) !== 0 && inodes.has(row.inode));
}
