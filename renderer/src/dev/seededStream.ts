/**
 * A deterministic, seeded stand-in for the Session: an initial Snapshot of N processes, then
 * DeltaBatches carrying E fork/exec/exit events per second of virtual time, shaped like the storms
 * users debug — a shell loop (`while :; do grep …; done`), `make -j` with many short compiler
 * children (a few fail), and a fork bomb subtree that the kernel's OOM/ulimit keeps killing.
 *
 * Same seed and options ⇒ the same sequence, byte for byte (no Date.now, no Math.random): the
 * renderer benchmark and the tree's own checks replay identical storms.
 */
import type { DeltaBatch, Snapshot } from '../../../electron/common/delta';
import type { ExitRecord, ProcessChange, ProcessInfo, ProcKey } from '../../../electron/common/process';
import { mulberry32 } from '../../../electron/common/mulberry32';
import { procKey } from '../../../electron/common/process';
import { emptyCounters, type SourceStatus } from '../../../electron/common/source';

export interface SeededStreamOptions {
  seed: number;
  /** Processes in the initial snapshot (a plausible desktop tree plus the storm's parents). */
  initialNodes: number;
  /** fork + exec + exit events per second of virtual time. */
  eventsPerSecond: number;
  /** Epoch ms of the snapshot; the virtual clock starts here. Default: a fixed date. */
  startEpochMs?: number;
  /** How long an exited process stays as a tombstone before `removed` names it (the Session's job). */
  tombstoneMs?: number;
}

/** Clock ticks per second of /proc/PID/stat start times (USER_HZ). */
const TICKS_PER_SECOND = 100;
/** Linux PID_MAX_LIMIT: pids wrap past it and get reused, as on a busy machine. */
const PID_LIMIT = 4_194_304;
const FIRST_DYNAMIC_PID = 3000;

type Workload = 'shell-loop' | 'make' | 'fork-bomb';

/** An event a forked storm child will produce later, ordered by virtual time. */
interface Pending {
  at: number;
  key: ProcKey;
  kind: 'exec' | 'exit';
}

/** Binary min-heap on `at`, ties broken by insertion order so replay is deterministic. */
class PendingQueue {
  private readonly items: Array<Pending & { order: number }> = [];
  private order = 0;

  push(item: Pending): void {
    const items = this.items;
    items.push({ at: item.at, key: item.key, kind: item.kind, order: this.order++ });
    let i = items.length - 1;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (!this.less(i, up)) break;
      this.swap(i, up);
      i = up;
    }
  }

  peek(): Pending | undefined {
    return this.items[0];
  }

  pop(): Pending | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && this.less(l, m)) m = l;
        if (r < items.length && this.less(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top;
  }

  private less(a: number, b: number): boolean {
    const x = this.items[a]!;
    const y = this.items[b]!;
    return x.at < y.at || (x.at === y.at && x.order < y.order);
  }

  private swap(a: number, b: number): void {
    const items = this.items;
    const t = items[a]!;
    items[a] = items[b]!;
    items[b] = t;
  }
}

const DESKTOP_COMMS = ['systemd', 'dbus-daemon', 'pipewire', 'gnome-shell', 'Xwayland', 'sshd', 'bash', 'tmux: server', 'node', 'python3', 'code', 'firefox', 'Web Content', 'chromium', 'cron', 'containerd', 'dockerd', 'postgres', 'nginx', 'java'];
const LOOP_COMMANDS = [['grep', '-q', 'ready', '/tmp/status'], ['sleep', '0.01'], ['cat', '/proc/loadavg'], ['date', '+%s'], ['test', '-e', '/run/lock']];
const FAILING_SOURCES = 1 / 80;

/**
 * A changed copy of a process. Emitted ProcessInfo objects are never mutated (the model keeps
 * them by reference), and one fixed object shape keeps V8 off its slow generic-spread path —
 * object spread here cost ~15 µs per event, more than the renderer's whole budget for it.
 */
function revise(info: ProcessInfo, patch: Partial<Pick<ProcessInfo, 'ppid' | 'parentKey' | 'comm' | 'argv' | 'execs' | 'state' | 'exit'>>): ProcessInfo {
  return {
    key: info.key,
    pid: info.pid,
    ppid: patch.ppid ?? info.ppid,
    parentKey: patch.parentKey ?? info.parentKey,
    forkerKey: info.forkerKey,
    startTime: info.startTime,
    startedAt: info.startedAt,
    uid: info.uid,
    user: info.user,
    comm: patch.comm ?? info.comm,
    argv: patch.argv !== undefined ? patch.argv : info.argv,
    state: patch.state ?? info.state,
    threads: info.threads,
    kernelThread: info.kernelThread,
    execs: patch.execs ?? info.execs,
    exit: patch.exit ?? info.exit,
  };
}

export class SeededStream {
  private readonly random: () => number;
  private readonly options: Required<SeededStreamOptions>;
  private readonly bootEpochMs: number;
  private now: number;
  private seq = 0;
  private nextPid = FIRST_DYNAMIC_PID;
  /** Every process not yet removed, by key. */
  private readonly processes = new Map<ProcKey, ProcessInfo>();
  private readonly livePids = new Set<number>();
  private readonly pending = new PendingQueue();
  /** Exited keys in exit order, with when they expire. Exit times only grow, so a FIFO suffices. */
  private readonly tombstones: Array<{ key: ProcKey; expiresAt: number }> = [];
  private tombstoneHead = 0;
  private readonly loopShells: ProcessInfo[] = [];
  private readonly makes: ProcessInfo[] = [];
  private bombRoot: ProcessInfo | null = null;
  /** init's key: the kernel hands orphans to it. */
  private initKey: ProcKey = '';
  /** Live fork-bomb members (their children fork further), with each one's index for O(1) removal. */
  private readonly bombMembers: ProcKey[] = [];
  private readonly bombIndex = new Map<ProcKey, number>();
  /** Live children of each bomb member: reparented to init when their parent is killed. */
  private readonly bombChildren = new Map<ProcKey, Set<ProcKey>>();
  private readonly bombParent = new Map<ProcKey, ProcKey>();
  /** Fractional forks carried to the next batch so the long-run rate is exact. */
  private forkCarry = 0;
  private sourceFile = 0;

  constructor(options: SeededStreamOptions) {
    if (!Number.isInteger(options.initialNodes) || options.initialNodes < 8) {
      throw new RangeError('initialNodes must be an integer ≥ 8 (room for the storm parents)');
    }
    if (!(options.eventsPerSecond >= 0) || !Number.isFinite(options.eventsPerSecond)) {
      throw new RangeError('eventsPerSecond must be a finite number ≥ 0');
    }
    this.options = { startEpochMs: 1_750_000_000_000, tombstoneMs: 1500, ...options };
    this.random = mulberry32(options.seed);
    this.now = this.options.startEpochMs;
    this.bootEpochMs = this.now - 86_400_000; // booted a day ago
    this.buildInitialTree();
  }

  snapshot(): Snapshot {
    return { seq: this.seq, ts: this.now, processes: Array.from(this.processes.values()), source: this.source() };
  }

  /** Advance virtual time by `elapsedMs` and return everything that happened, as one batch. */
  next(elapsedMs: number): DeltaBatch {
    if (!(elapsedMs >= 0) || !Number.isFinite(elapsedMs)) throw new RangeError('elapsedMs must be a finite number ≥ 0');
    const from = this.now;
    const until = from + elapsedMs;
    const added: ProcessInfo[] = [];
    const changed: ProcessChange[] = [];
    const exited: ExitRecord[] = [];
    const removed: ProcKey[] = [];
    const counters = emptyCounters();
    const forksByParent = new Map<number, number>();

    // A storm child costs three events (fork, exec, exit) except bomb members (fork, exit): a
    // fork rate of E/2.8 keeps the total near E per second.
    const wanted = (this.options.eventsPerSecond / 2.8) * (elapsedMs / 1000) + this.forkCarry;
    const forks = Math.floor(wanted);
    this.forkCarry = wanted - forks;
    for (let i = 0; i < forks; i++) {
      const at = from + ((i + this.random()) / Math.max(forks, 1)) * elapsedMs;
      this.drainPending(at, changed, exited, counters);
      const child = this.forkStormChild(at);
      if (!child) continue;
      added.push(child);
      counters.fork++;
      forksByParent.set(child.ppid, (forksByParent.get(child.ppid) ?? 0) + 1);
    }
    this.drainPending(until, changed, exited, counters);
    this.now = until;
    this.expireTombstones(removed);

    this.seq++;
    const topSpawners = Array.from(forksByParent).sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 5);
    return { seq: this.seq, ts: until, added, changed, exited, removed, counters, topSpawners };
  }

  private source(): SourceStatus {
    return { kind: 'replay', reason: `seeded stream (seed ${this.options.seed})`, lostEvents: 0, resyncs: 0 };
  }

  private buildInitialTree(): void {
    const { initialNodes } = this.options;
    const init = this.spawn(1, null, 'systemd', ['/sbin/init'], this.bootEpochMs);
    this.initKey = init.key;
    const kthreadd = this.spawn(2, null, 'kthreadd', null, this.bootEpochMs, true);
    const terminal = this.spawn(1000, init, 'bash', ['-bash'], this.bootEpochMs + 60_000);
    const loopA = this.spawn(1001, terminal, 'bash', ['bash', 'watch-status.sh'], this.bootEpochMs + 61_000);
    const loopB = this.spawn(1002, terminal, 'bash', ['bash', '-c', 'while :; do date; done'], this.bootEpochMs + 62_000);
    const makeTop = this.spawn(1003, terminal, 'make', ['make', '-j16'], this.bootEpochMs + 63_000);
    const makeSub = this.spawn(1004, makeTop, 'make', ['make', '-C', 'lib', '-j16'], this.bootEpochMs + 64_000);
    const bomb = this.spawn(1005, terminal, 'bash', ['bash', './bomb.sh'], this.bootEpochMs + 65_000);
    this.loopShells.push(loopA, loopB);
    this.makes.push(makeTop, makeSub);
    this.bombRoot = bomb;
    this.addBombMember(bomb.key, null);

    // The rest: a broad top (services under init), kernel threads, and deeper user sessions.
    // Earlier processes are likelier parents (rand² skews low), which gives real trees' shape:
    // wide near the root, a long thin tail of shells and their children.
    const desktop: ProcessInfo[] = [init];
    let pid = 10;
    while (this.processes.size < initialNodes) {
      while (this.livePids.has(pid)) pid++;
      const started = this.bootEpochMs + 1000 + pid * 5;
      if (this.random() < 0.1) {
        this.spawn(pid, kthreadd, `kworker/${pid % 8}:${pid % 3}`, null, started, true);
      } else {
        const parent = desktop[Math.floor(this.random() ** 2 * desktop.length)]!;
        const comm = DESKTOP_COMMS[Math.floor(this.random() * DESKTOP_COMMS.length)]!;
        desktop.push(this.spawn(pid, parent, comm, [comm, `--instance=${pid}`], started));
      }
      pid++;
    }
  }

  /**
   * Record a process that exists right now: from the initial tree (its forker unknown, as for a
   * scan) or forked by `parent` (`forked`).
   */
  private spawn(pid: number, parent: ProcessInfo | null, comm: string, argv: string[] | null, startedAt: number, kernelThread = false, forked = false): ProcessInfo {
    const startTime = Math.floor(((startedAt - this.bootEpochMs) * TICKS_PER_SECOND) / 1000);
    const info: ProcessInfo = {
      key: procKey(pid, startTime),
      pid,
      ppid: parent?.pid ?? 0,
      parentKey: parent?.key,
      forkerKey: forked ? parent?.key : undefined,
      startTime,
      startedAt,
      uid: kernelThread ? 0 : 1000,
      user: kernelThread ? 'root' : 'dev',
      comm,
      argv,
      state: 'S',
      threads: 1,
      kernelThread,
      execs: 0,
      exit: undefined,
    };
    this.processes.set(info.key, info);
    this.livePids.add(pid);
    return info;
  }

  private allocatePid(): number {
    for (;;) {
      const pid = this.nextPid;
      this.nextPid = pid + 1 >= PID_LIMIT ? FIRST_DYNAMIC_PID : pid + 1;
      if (!this.livePids.has(pid)) return pid;
    }
  }

  private pickWorkload(): Workload {
    const r = this.random();
    return r < 0.3 ? 'shell-loop' : r < 0.8 ? 'make' : 'fork-bomb';
  }

  /** Fork one storm child at virtual time `at` and schedule its exec and exit. */
  private forkStormChild(at: number): ProcessInfo | null {
    const workload = this.pickWorkload();
    const pid = this.allocatePid();
    if (workload === 'fork-bomb') {
      const parentKey = this.bombMembers[Math.floor(this.random() * this.bombMembers.length)];
      const parent = parentKey === undefined ? this.bombRoot : this.processes.get(parentKey);
      if (!parent) return null;
      const child = this.spawn(pid, parent, 'bash', parent.argv, at, false, true);
      this.addBombMember(child.key, parent.key);
      // Bomb members live until the limit kills them: tens to hundreds of ms.
      this.pending.push({ at: at + 20 + this.random() * 400, key: child.key, kind: 'exit' });
      return child;
    }
    const parent = workload === 'make' ? this.makes[Math.floor(this.random() * this.makes.length)]! : this.loopShells[Math.floor(this.random() * this.loopShells.length)]!;
    const child = this.spawn(pid, parent, parent.comm, parent.argv, at, false, true);
    const execDelay = 0.05 + this.random() * 0.5;
    // Short lives, heavy-tailed: most children last a few ms, compilers up to a second.
    const life = workload === 'make' ? 2 + this.random() ** 3 * 900 : 1 + this.random() ** 2 * 40;
    this.pending.push({ at: at + execDelay, key: child.key, kind: 'exec' });
    this.pending.push({ at: at + execDelay + life, key: child.key, kind: 'exit' });
    return child;
  }

  private drainPending(until: number, changed: ProcessChange[], exited: ExitRecord[], counters: DeltaBatch['counters']): void {
    for (let next = this.pending.peek(); next && next.at <= until; next = this.pending.peek()) {
      this.pending.pop();
      const info = this.processes.get(next.key);
      if (!info || info.exit) continue;
      if (next.kind === 'exec') {
        const change = this.execChange(info);
        this.processes.set(info.key, revise(info, { comm: change.comm!, argv: change.argv!, execs: 1 }));
        changed.push(change);
        counters.exec++;
      } else {
        exited.push(this.exitProcess(info, next.at, changed));
        counters.exit++;
      }
    }
  }

  private execChange(info: ProcessInfo): ProcessChange {
    const parent = this.makes.some((m) => m.pid === info.ppid);
    if (parent) {
      const file = `src/module${this.sourceFile++ % 997}.c`;
      return { key: info.key, comm: 'cc1', argv: ['cc', '-O2', '-c', file, '-o', file.replace(/\.c$/, '.o')], execs: 1 };
    }
    const argv = LOOP_COMMANDS[Math.floor(this.random() * LOOP_COMMANDS.length)]!;
    return { key: info.key, comm: argv[0]!, argv, execs: 1 };
  }

  private exitProcess(info: ProcessInfo, at: number, changed: ProcessChange[]): ExitRecord {
    let record: ExitRecord;
    if (this.bombIndex.has(info.key)) {
      record = this.random() < 0.7 ? { key: info.key, at, signal: 'SIGKILL' } : { key: info.key, at, code: 0 };
      this.removeBombMember(info.key, changed);
    } else {
      const fails = info.comm === 'cc1' ? this.random() < FAILING_SOURCES : this.random() < 0.2;
      record = { key: info.key, at, code: fails ? (info.comm === 'cc1' ? 1 : 2) : 0 };
    }
    this.processes.set(info.key, revise(info, { state: 'Z', exit: record }));
    this.livePids.delete(info.pid);
    this.tombstones.push({ key: info.key, expiresAt: at + this.options.tombstoneMs });
    return record;
  }

  private addBombMember(key: ProcKey, parentKey: ProcKey | null): void {
    this.bombIndex.set(key, this.bombMembers.length);
    this.bombMembers.push(key);
    if (parentKey !== null) {
      this.bombParent.set(key, parentKey);
      const siblings = this.bombChildren.get(parentKey);
      if (siblings) siblings.add(key);
      else this.bombChildren.set(parentKey, new Set([key]));
    }
  }

  /** A killed bomb member's live children are orphans: the kernel reparents them to init. */
  private removeBombMember(key: ProcKey, changed: ProcessChange[]): void {
    const index = this.bombIndex.get(key)!;
    const last = this.bombMembers.pop()!;
    if (last !== key) {
      this.bombMembers[index] = last;
      this.bombIndex.set(last, index);
    }
    this.bombIndex.delete(key);
    const parent = this.bombParent.get(key);
    if (parent !== undefined) this.bombChildren.get(parent)?.delete(key);
    this.bombParent.delete(key);
    for (const orphanKey of this.bombChildren.get(key) ?? []) {
      const orphan = this.processes.get(orphanKey);
      this.bombParent.delete(orphanKey);
      if (!orphan || orphan.exit) continue;
      this.processes.set(orphanKey, revise(orphan, { ppid: 1, parentKey: this.initKey }));
      changed.push({ key: orphanKey, ppid: 1, parentKey: this.initKey });
    }
    this.bombChildren.delete(key);
  }

  private expireTombstones(removed: ProcKey[]): void {
    const list = this.tombstones;
    while (this.tombstoneHead < list.length && list[this.tombstoneHead]!.expiresAt <= this.now) {
      const { key } = list[this.tombstoneHead++]!;
      this.processes.delete(key);
      removed.push(key);
    }
    if (this.tombstoneHead > 4096) {
      list.splice(0, this.tombstoneHead);
      this.tombstoneHead = 0;
    }
  }
}
