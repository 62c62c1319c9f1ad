/**
 * The live process model: every process we know, keyed by identity (pid, startTime), with
 * parent/child links, thread counts, exec counts, a bounded event history per process, and
 * tombstones for the recently exited. It applies ProcEvent batches from any source, reconciles
 * with a /proc scan after loss, and records what changed for the Session to drain.
 *
 * Invariants:
 *  - at most one live (non-exited) process per pid: `liveByPid` maps a pid to its holder;
 *  - a pid whose holder is replaced without an exit being seen (lost events, or PID reuse across
 *    a gap) gets its old holder tombstoned as "exit unknown, inferred" — two processes are never
 *    merged because they shared a pid;
 *  - tombstones live `tombstoneTtlMs` and at most `maxTombstones` exist, oldest dropped first, so
 *    memory is bounded by the live processes plus that cap whatever the event rate.
 *
 * Nothing here touches /proc: orphans whose parent exited are listed by takeOrphans() for the
 * caller to re-read asynchronously, and their real parent comes back through setParent().
 *
 * Two links per process: `parentKey`, its current parent (what the kernel says now, after
 * reparenting; the `children` sets follow it), and `forkerKey`, the process that forked it, which
 * never changes: a person looking at a storm wants a short-lived child under the process that
 * made it even when that process exited first.
 *
 * Only a thread-group leader's events describe the process: the kernel reports comm and
 * credential changes per task, and a thread's name ("ThreadPoolForeg…") is not its process's.
 */
import type { ThreadName } from '../../common/detail';
import type { ExitStatus, ProcEvent } from '../../common/events';
import { procKey, sameArgv, sameGroup, type ExitRecord, type ProcessGroup, type ProcessInfo, type ProcKey } from '../../common/process';
import { isLiveInScan, type ScannedProcess } from '../../../native/ScannedProcess';
import { ChangeTracker, type ChangeField, type TableChanges } from './ChangeTracker';
import { epochMsToStartTime, startTimeToEpochMs, type ProcClock } from './ProcClock';

export interface ProcessTableOptions {
  clock: ProcClock;
  /** How long an exited process stays visible as a tombstone. */
  tombstoneTtlMs?: number;
  /** Upper bound on tombstones; the oldest are dropped first. */
  maxTombstones?: number;
  /** Events remembered per process for the detail pane. */
  historyLength?: number;
  /** uid → user name; the uid as text when absent. */
  userName?: (uid: number) => string;
  /** Wall clock, injectable so tests can age tombstones. */
  now?: () => number;
}

export const DEFAULT_TOMBSTONE_TTL_MS = 5000;
export const DEFAULT_MAX_TOMBSTONES = 20_000;
export const DEFAULT_HISTORY_LENGTH = 64;
/** Thread names remembered per process (renamed threads only: the rest carry the process's). */
export const MAX_THREAD_NAMES = 64;

/** A process found alive whose pid, start time and real parent should be re-read from /proc. */
export interface ProcessRef {
  pid: number;
  startTime: number;
}

/**
 * A live process's group or NSpid as the model holds it after a read from /proc changed it:
 * no event says so, so recordings keep it and `events --json` tells it (see engine.onPlacementChange).
 */
export interface PlacementChange extends ProcessRef {
  group?: ProcessGroup;
  nsPid?: number[];
}

/** What a reconcile with /proc changed: used for counters and tests. */
export interface ReconcileReport {
  /** In /proc, unknown to the model: added as inferred. */
  added: number;
  /** Alive in the model, absent (or a zombie) in /proc: tombstoned with exit unknown. */
  exited: number;
  /** Parent, argv or comm differed and were taken from /proc. */
  fixed: number;
}

/** Counters of events that named nothing the model could attach them to. */
export interface TableStats {
  unmatchedEvents: number;
  inferredExits: number;
}

interface ProcessNode {
  info: ProcessInfo;
  /** Processes whose current parent (info.parentKey) this is, live and tombstoned. */
  children: Set<ProcKey>;
  history: ProcEvent[];
  /** Names of its other threads by tid, oldest first, at most MAX_THREAD_NAMES. */
  threadNames?: Map<number, string>;
  /** The start time was estimated from an event timestamp, not read: the next real one wins. */
  startTimeEstimated: boolean;
  /** Table generation when the process was created or last touched by an event (see reconcile). */
  touchedGeneration: number;
}

export class ProcessTable {
  private readonly nodes = new Map<ProcKey, ProcessNode>();
  private readonly liveByPid = new Map<number, ProcKey>();
  /** Tombstoned keys → their entry's ticket in `tombstoneQueue`. */
  private readonly tombstones = new Map<ProcKey, number>();
  /**
   * Tombstones oldest first. A plain array with a head index, not the Map's insertion order:
   * V8 leaves holes for deleted Map entries and walks them on every keys().next(), which made
   * "drop the oldest" cost O(tombstones) per exit under a storm. Entries whose ticket no longer
   * matches (revived, removed) are skipped lazily.
   */
  private tombstoneQueue: Array<{ key: ProcKey; ticket: number; at: number }> = [];
  private tombstoneHead = 0;
  private tombstoneTickets = 0;
  private readonly orphans = new Map<ProcKey, ProcessRef>();
  /** Processes whose group or NSpid may differ from what the model inferred (see takeUnplaced). */
  private readonly unplaced = new Map<ProcKey, ProcessRef>();
  private readonly changes = new ChangeTracker();
  private readonly clock: ProcClock;
  private readonly tombstoneTtlMs: number;
  private readonly maxTombstones: number;
  private readonly historyLength: number;
  private readonly userName: (uid: number) => string;
  private readonly now: () => number;
  private generationCounter = 0;
  readonly stats: TableStats = { unmatchedEvents: 0, inferredExits: 0 };

  constructor(options: ProcessTableOptions) {
    this.clock = options.clock;
    this.tombstoneTtlMs = options.tombstoneTtlMs ?? DEFAULT_TOMBSTONE_TTL_MS;
    this.maxTombstones = options.maxTombstones ?? DEFAULT_MAX_TOMBSTONES;
    this.historyLength = options.historyLength ?? DEFAULT_HISTORY_LENGTH;
    this.userName = options.userName ?? ((uid) => String(uid));
    this.now = options.now ?? Date.now;
  }

  // ── queries ────────────────────────────────────────────────────────────────────────────────

  /** Increases with every event applied; pass it to reconcile() to protect newer knowledge. */
  get generation(): number {
    return this.generationCounter;
  }

  get liveCount(): number {
    return this.liveByPid.size;
  }

  get tombstoneCount(): number {
    return this.tombstones.size;
  }

  get(key: ProcKey): ProcessInfo | undefined {
    return this.nodes.get(key)?.info;
  }

  /** The process that holds `pid` now, if alive in the model. */
  live(pid: number): ProcessInfo | undefined {
    const key = this.liveByPid.get(pid);
    return key === undefined ? undefined : this.nodes.get(key)?.info;
  }

  /** Live processes and tombstones: what a snapshot shows. Copies, safe to hand out. */
  all(): ProcessInfo[] {
    const out: ProcessInfo[] = [];
    for (const node of this.nodes.values()) out.push({ ...node.info });
    return out;
  }

  liveProcesses(): ProcessInfo[] {
    const out: ProcessInfo[] = [];
    for (const key of this.liveByPid.values()) {
      const node = this.nodes.get(key);
      if (node) out.push(node.info);
    }
    return out;
  }

  /** Keys of the model's children of `key` (live and tombstoned). */
  children(key: ProcKey): ProcKey[] {
    return [...(this.nodes.get(key)?.children ?? [])];
  }

  /** Live descendants of `key`, parents before children (breadth first), `key` excluded. */
  liveDescendants(key: ProcKey): ProcessInfo[] {
    const out: ProcessInfo[] = [];
    const queue = [...(this.nodes.get(key)?.children ?? [])];
    const seen = new Set<ProcKey>([key]);
    for (let i = 0; i < queue.length; i++) {
      const childKey = queue[i] as ProcKey;
      if (seen.has(childKey)) continue;
      seen.add(childKey);
      const child = this.nodes.get(childKey);
      if (!child) continue;
      if (!child.info.exit) out.push(child.info);
      queue.push(...child.children);
    }
    return out;
  }

  history(key: ProcKey): ProcEvent[] {
    return [...(this.nodes.get(key)?.history ?? [])];
  }

  /** The names its threads gave themselves, by tid (the main thread's is the process's comm). */
  threadNames(key: ProcKey): ThreadName[] {
    return [...(this.nodes.get(key)?.threadNames ?? [])].map(([tid, name]) => ({ tid, name }));
  }

  // ── loading and changes ──────────────────────────────────────────────────────────────────

  /** Replace the model with a full /proc scan (startup). Every process counts as added. */
  load(scan: readonly ScannedProcess[]): void {
    for (const key of [...this.nodes.keys()]) this.removeNode(key);
    const created: ProcessNode[] = [];
    for (const scanned of scan) {
      if (!isLiveInScan(scanned)) continue;
      if (this.liveByPid.has(scanned.pid)) continue;
      created.push(this.createFromScan(scanned, false));
    }
    for (const node of created) this.link(node, node.info.ppid);
  }

  /**
   * Put back the links a recording's keyframe holds for `key` (replay only): a restored
   * tombstone's fork was replayed under whoever holds its parent's pid now, and a live process
   * may hang under a tombstone whose reparenting the recording had not yet seen.
   */
  restoreLinks(key: ProcKey, links: Pick<ProcessInfo, 'parentKey' | 'forkerKey'>): void {
    const node = this.nodes.get(key);
    if (!node) return;
    if (links.forkerKey === undefined) delete node.info.forkerKey;
    else node.info.forkerKey = links.forkerKey;
    this.setParentKey(node, links.parentKey);
  }

  /**
   * Put back a recording's keyframe note that `key`'s main thread has exited while its other
   * threads run (replay only), so its last thread's exit ends it as it did live.
   */
  restoreLeaderExit(key: ProcKey, leaderExit: ExitRecord): void {
    const node = this.nodes.get(key);
    if (node && !node.info.exit) node.info.leaderExit = leaderExit;
  }

  drainChanges(): TableChanges {
    return this.changes.drain((key) => this.nodes.get(key)?.info);
  }

  /** Drop the changes since the last drain unread: cheaper than drainChanges() when nobody listens. */
  discardChanges(): void {
    this.changes.clear();
  }

  /** Whether changes are recorded per process for drainChanges() (see ChangeTracker.setRecording). */
  recordChanges(on: boolean): void {
    this.changes.setRecording(on);
  }

  get hasChanges(): boolean {
    return !this.changes.isEmpty;
  }

  /** Live processes whose parent exited: re-read their PPid (asynchronously) and setParent(). */
  takeOrphans(): ProcessRef[] {
    const refs = [...this.orphans.values()];
    this.orphans.clear();
    return refs;
  }

  /**
   * Apply a parent read from /proc for (pid, startTime); ignored if that process is gone. Returns
   * whether the model changed (a recorder writes down exactly those, in stream order).
   */
  setParent(ref: ProcessRef, ppid: number): boolean {
    const node = this.nodes.get(procKey(ref.pid, ref.startTime));
    if (!node || node.info.exit || node.info.ppid === ppid) return false;
    this.link(node, ppid);
    return true;
  }

  /**
   * Live processes whose group (cgroup) or NSpid should be read from /proc: an exec'd process
   * (a service manager or container runtime moves its child into a new cgroup between fork and
   * exec), and a child forked inside a nested PID namespace (its inner pid is not in the event).
   * A forked child otherwise has its parent's group: cgroups are inherited at fork.
   */
  takeUnplaced(): ProcessRef[] {
    const refs = [...this.unplaced.values()];
    this.unplaced.clear();
    return refs;
  }

  /**
   * Apply a group and NSpid read from /proc (or a scan) for a live process; unchanged fields are
   * not noted. Returns what the process has now when that changed, else undefined.
   */
  setPlacement(ref: ProcessRef, placement: Pick<ScannedProcess, 'group' | 'nsPid'>): PlacementChange | undefined {
    const node = this.nodes.get(procKey(ref.pid, ref.startTime));
    if (!node || node.info.exit) return undefined;
    const fields = place(node.info, placement);
    if (fields.length === 0) return undefined;
    this.changes.noteChanged(node.info.key, ...fields);
    const { pid, startTime, group, nsPid } = node.info;
    return { pid, startTime, ...(group ? { group } : {}), ...(nsPid ? { nsPid } : {}) };
  }

  /** Sampled figures for a live process (CPU, memory, threads, state). */
  setSample(ref: ProcessRef, sample: { cpuPct?: number; rssKb?: number; threads?: number; state?: string }): void {
    const node = this.nodes.get(procKey(ref.pid, ref.startTime));
    if (!node || node.info.exit) return;
    const info = node.info;
    const fields: ChangeField[] = [];
    if (sample.cpuPct !== undefined && sample.cpuPct !== info.cpuPct) {
      info.cpuPct = sample.cpuPct;
      fields.push('cpuPct');
    }
    if (sample.rssKb !== undefined && sample.rssKb !== info.rssKb) {
      info.rssKb = sample.rssKb;
      fields.push('rssKb');
    }
    // A pthread_exit'ed leader's thread count is driven by its thread-exit events.
    if (sample.threads !== undefined && sample.threads !== info.threads && !info.leaderExit && sample.threads > 0) {
      info.threads = sample.threads;
      fields.push('threads');
    }
    if (sample.state !== undefined && sample.state !== info.state && sample.state !== 'Z') {
      info.state = sample.state;
      fields.push('state');
    }
    if (fields.length > 0) this.changes.noteChanged(info.key, ...fields);
  }

  /** Drop tombstones older than the TTL. Call periodically (the Session does, per frame). */
  expireTombstones(): number {
    const cutoff = this.now() - this.tombstoneTtlMs;
    let expired = 0;
    for (let oldest = this.oldestTombstone(); oldest && oldest.at <= cutoff; oldest = this.oldestTombstone()) {
      this.removeNode(oldest.key);
      expired++;
    }
    return expired;
  }

  // ── events ───────────────────────────────────────────────────────────────────────────────

  apply(events: readonly ProcEvent[]): void {
    for (const event of events) this.applyOne(event);
  }

  private applyOne(event: ProcEvent): void {
    this.generationCounter++;
    switch (event.kind) {
      case 'fork':
        return this.applyFork(event);
      case 'exec':
        return this.applyExec(event);
      case 'lost':
        return; // the engine resyncs; the model has nothing to attach it to
    }
    // Every other kind concerns a process the model holds alive.
    const node = this.liveNode(event.pid);
    if (!node) {
      this.stats.unmatchedEvents++;
      return;
    }
    this.touch(node, event);
    switch (event.kind) {
      case 'exit':
        return this.applyExit(node, event);
      case 'thread-start':
        node.info.threads++;
        this.changes.noteChanged(node.info.key, 'threads');
        return;
      case 'thread-exit':
        return this.threadExited(node, event);
      case 'comm':
        return this.applyComm(node, event);
      case 'uid':
        // Credentials are per task (commit_creds reports each thread; glibc's setuid() changes
        // them all); the process's uid is its main thread's, as /proc/PID/status shows it.
        if (isOtherThread(event)) return;
        return this.applyUid(node, event);
      default:
        // gid: per task like uid, and the model holds no gid. sid: setsid() from any thread
        // changes the whole process's session. ptrace: attaches to one thread (the event's tid
        // says which). coredump: the whole group dumps and dies. All kept in the history only.
        return;
    }
  }

  private applyFork(event: ProcEvent): void {
    const startTime = event.startTime ?? epochMsToStartTime(this.clock, event.ts);
    const key = procKey(event.pid, startTime);
    const same = this.nodes.get(key);
    if (same?.info.exit) {
      this.touch(same, event); // a late duplicate of a fork whose exit we already applied
      return;
    }
    if (same) {
      // Seen already (a resync or the startup scan found it first): it is no longer a guess.
      this.touch(same, event);
      if (same.info.inferred) {
        same.info.inferred = false;
        this.changes.noteChanged(key, 'inferred');
      }
      return;
    }
    this.retireHolder(event.pid, key, event.ts);
    const parent = event.ppid === undefined ? undefined : this.live(event.ppid);
    const node = this.createNode({
      pid: event.pid,
      ppid: event.ppid ?? 0,
      startTime,
      uid: parent?.uid ?? 0,
      // A forked child runs its parent's program until it execs. argv arrays are only ever
      // replaced, never changed in place, so parent and child may share one.
      comm: event.comm ?? parent?.comm ?? '',
      argv: parent?.argv ?? null,
      state: 'R',
      threads: 1,
      inferred: false,
      kernelThread: parent?.kernelThread ?? false,
    });
    node.startTimeEstimated = event.startTime === undefined;
    if (parent?.group) node.info.group = parent.group; // inherited at fork (shared: never changed in place)
    if (parent?.nsPid) this.unplaced.set(key, { pid: event.pid, startTime });
    this.link(node, node.info.ppid);
    // The kernel's fork names the process that forked it: that stays its lineage. A fork a
    // poll inferred names only the parent /proc showed later (init, if the forker had exited).
    if (node.info.parentKey !== undefined && event.origin !== 'poll') node.info.forkerKey = node.info.parentKey;
    this.touch(node, event);
  }

  private applyExec(event: ProcEvent): void {
    let node = this.liveNode(event.pid);
    if (node && event.startTime !== undefined && node.info.startTime !== event.startTime) {
      if (node.startTimeEstimated) node = this.rekey(node, event.startTime);
      else {
        // The pid's holder died unseen and the pid was reused.
        this.retireHolder(event.pid, procKey(event.pid, event.startTime), event.ts);
        node = undefined;
      }
    }
    if (!node) {
      node = this.createNode({
        pid: event.pid,
        ppid: event.ppid ?? 0,
        startTime: event.startTime ?? epochMsToStartTime(this.clock, event.ts),
        uid: event.ppid === undefined ? 0 : (this.live(event.ppid)?.uid ?? 0),
        comm: event.comm ?? '',
        argv: null,
        state: 'R',
        threads: 1,
        inferred: true,
        kernelThread: false,
      });
      node.startTimeEstimated = event.startTime === undefined;
      this.link(node, node.info.ppid);
    }
    const info = node.info;
    info.argv = event.argv ?? null; // shared with the event: neither is changed in place
    const comm = event.comm ?? taskNameFromArgv(event.argv);
    if (comm !== undefined) info.comm = comm;
    info.execs = (info.execs ?? 0) + 1;
    // execve kills every other thread of the process, and their names with them.
    info.threads = 1;
    node.threadNames = undefined;
    delete info.leaderExit;
    this.changes.noteChanged(info.key, 'argv', 'comm', 'execs', 'threads');
    if (event.ppid !== undefined && event.ppid !== info.ppid) this.link(node, event.ppid);
    this.unplaced.set(info.key, { pid: info.pid, startTime: info.startTime });
    this.touch(node, event);
  }

  private applyExit(node: ProcessNode, event: ProcEvent): void {
    // A non-leader thread's exit mislabelled by a source: count it as a thread exit.
    if (event.tid !== undefined && event.tid !== event.pid) return this.threadExited(node, event);
    const status = exitStatusOf(event);
    if (node.info.threads > 1) {
      // pthread_exit of the main thread: the process lives on in its other threads. It ends when
      // the last thread exits; until then it is shown alive (zombie leader).
      node.info.leaderExit = exitRecord(node.info.key, status, event.ts);
      node.info.threads--;
      this.changes.noteChanged(node.info.key, 'threads');
      return;
    }
    this.tombstone(node, status, event.ts);
  }

  private threadExited(node: ProcessNode, event: ProcEvent): void {
    if (event.tid !== undefined) node.threadNames?.delete(event.tid);
    const leaderExit = node.info.leaderExit;
    if (leaderExit) {
      node.info.threads--;
      if (node.info.threads <= 0) {
        // The last thread of a process whose leader already exited: the process is over.
        const status = event.code !== undefined || event.signal !== undefined ? exitStatusOf(event) : leaderExit;
        this.tombstone(node, status, event.ts);
        return;
      }
    } else {
      // The leader still runs, so at least one thread does; counts from a scan can be stale.
      node.info.threads = Math.max(1, node.info.threads - 1);
    }
    this.changes.noteChanged(node.info.key, 'threads');
  }

  private applyComm(node: ProcessNode, event: ProcEvent): void {
    if (event.comm === undefined) return;
    if (isOtherThread(event)) {
      // A thread named itself: that is the thread's name, not the process's.
      const names = (node.threadNames ??= new Map());
      names.delete(event.tid as number); // re-inserted last: the oldest names go first
      names.set(event.tid as number, event.comm);
      if (names.size > MAX_THREAD_NAMES) names.delete(names.keys().next().value as number);
      return;
    }
    if (event.comm !== node.info.comm) {
      node.info.comm = event.comm;
      this.changes.noteChanged(node.info.key, 'comm');
    }
  }

  private applyUid(node: ProcessNode, event: ProcEvent): void {
    if (event.ruid !== undefined && event.ruid !== node.info.uid) {
      node.info.uid = event.ruid;
      node.info.user = this.userName(event.ruid);
      this.changes.noteChanged(node.info.key, 'uid', 'user');
    }
  }

  // ── resync ───────────────────────────────────────────────────────────────────────────────

  /**
   * Make the live model equal to a /proc scan. `scanStartedAt` is `generation` read just before
   * the scan began: a process the model created or updated from an event after that is newer
   * than the scan, so the scan neither removes it nor overwrites it (the scan raced it).
   */
  reconcile(scan: readonly ScannedProcess[], scanStartedAt: number): ReconcileReport {
    const report: ReconcileReport = { added: 0, exited: 0, fixed: 0 };
    const inScan = new Set<ProcKey>();
    const created: ProcessNode[] = [];
    const reparent: Array<[ProcessNode, number]> = [];
    const now = this.now();
    for (const scanned of scan) {
      if (!isLiveInScan(scanned)) continue;
      const key = procKey(scanned.pid, scanned.startTime);
      inScan.add(key);
      const node = this.nodes.get(key);
      if (node && node.touchedGeneration > scanStartedAt) continue; // events know better
      if (!node) {
        this.retireHolder(scanned.pid, key, now);
        created.push(this.createFromScan(scanned, true));
        report.added++;
        continue;
      }
      if (node.info.exit) {
        // Tombstoned without a newer event but /proc says it runs: it never exited.
        this.revive(node);
        node.info.state = scanned.state; // not the 'Z' its tombstone set
        report.fixed++;
      }
      const fields: ChangeField[] = [];
      const info = node.info;
      if (info.ppid !== scanned.ppid) reparent.push([node, scanned.ppid]);
      if (scanned.argv !== null && !sameArgv(info.argv, scanned.argv)) {
        info.argv = [...scanned.argv];
        fields.push('argv');
      }
      if (scanned.comm !== info.comm) {
        info.comm = scanned.comm;
        fields.push('comm');
      }
      if (scanned.threads > 0 && scanned.threads !== info.threads) {
        info.threads = scanned.threads;
        fields.push('threads');
      }
      fields.push(...place(info, scanned));
      if (fields.length > 0) {
        this.changes.noteChanged(key, ...fields);
        report.fixed++;
      }
    }
    for (const node of created) this.link(node, node.info.ppid);
    for (const [node, ppid] of reparent) {
      this.link(node, ppid);
      report.fixed++;
    }
    for (const key of [...this.liveByPid.values()]) {
      if (inScan.has(key)) continue;
      const node = this.nodes.get(key);
      if (!node || node.touchedGeneration > scanStartedAt) continue;
      this.tombstone(node, {}, now, true);
      report.exited++;
    }
    return report;
  }

  // ── internals ────────────────────────────────────────────────────────────────────────────

  private liveNode(pid: number): ProcessNode | undefined {
    const key = this.liveByPid.get(pid);
    return key === undefined ? undefined : this.nodes.get(key);
  }

  private createFromScan(scanned: ScannedProcess, inferred: boolean): ProcessNode {
    const node = this.createNode({
      pid: scanned.pid,
      ppid: scanned.ppid,
      startTime: scanned.startTime,
      uid: scanned.uid,
      comm: scanned.comm,
      argv: scanned.argv ? [...scanned.argv] : null,
      state: scanned.state,
      threads: Math.max(1, scanned.threads),
      inferred,
      kernelThread: scanned.kernelThread,
    });
    node.info.rssKb = scanned.rssKb;
    place(node.info, scanned);
    return node;
  }

  private createNode(fields: Omit<ScannedProcess, 'rssKb' | 'cpuTicks'> & { inferred: boolean }): ProcessNode {
    const key = procKey(fields.pid, fields.startTime);
    // Only a stale tombstone can share the key of a process being created: the new one wins.
    this.removeNode(key);
    const info: ProcessInfo = {
      key,
      pid: fields.pid,
      ppid: fields.ppid,
      startTime: fields.startTime,
      startedAt: startTimeToEpochMs(this.clock, fields.startTime),
      uid: fields.uid,
      user: this.userName(fields.uid),
      comm: fields.comm,
      argv: fields.argv,
      state: fields.state,
      threads: fields.threads,
      execs: 0,
    };
    if (fields.kernelThread) info.kernelThread = true;
    if (fields.inferred) info.inferred = true;
    const node: ProcessNode = {
      info,
      children: new Set(),
      history: [],
      startTimeEstimated: false,
      touchedGeneration: this.generationCounter,
    };
    this.nodes.set(key, node);
    this.liveByPid.set(fields.pid, key);
    this.changes.noteAdded(key);
    return node;
  }

  /**
   * Before `pid` is given to the process `newKey`, retire its current live holder if that is a
   * different process: its exit was never seen (lost events or a gap between polls).
   */
  private retireHolder(pid: number, newKey: ProcKey, at: number): void {
    const holder = this.liveNode(pid);
    if (!holder || holder.info.key === newKey) return;
    this.tombstone(holder, {}, at, true);
  }

  /** Correct an estimated start time: the node's identity changes, so receivers re-add it. */
  private rekey(node: ProcessNode, startTime: number): ProcessNode {
    const old = node.info;
    const children = [...node.children];
    const history = node.history;
    this.removeNode(old.key);
    const replacement = this.createNode({
      pid: old.pid,
      ppid: old.ppid,
      startTime,
      uid: old.uid,
      comm: old.comm,
      argv: old.argv,
      state: old.state,
      threads: old.threads,
      inferred: old.inferred ?? false,
      kernelThread: old.kernelThread ?? false,
    });
    replacement.info.execs = old.execs ?? 0;
    if (old.forkerKey !== undefined) replacement.info.forkerKey = old.forkerKey;
    place(replacement.info, old);
    replacement.history = history;
    replacement.threadNames = node.threadNames;
    this.link(replacement, old.ppid);
    // Its children, live or tombstoned, name it by key: they follow it to its new one.
    const newKey = replacement.info.key;
    for (const childKey of children) {
      const child = this.nodes.get(childKey);
      if (!child) continue;
      if (child.info.forkerKey === old.key) {
        child.info.forkerKey = newKey;
        this.changes.noteChanged(childKey, 'forkerKey');
      }
      if (child.info.exit) this.setParentKey(child, newKey);
      else this.link(child, child.info.ppid);
    }
    return replacement;
  }

  /** Attach `node` under the live holder of `ppid` (if any), detaching it from its old parent. */
  private link(node: ProcessNode, ppid: number): void {
    const parent = this.liveNode(ppid);
    const ppidChanged = node.info.ppid !== ppid;
    node.info.ppid = ppid;
    // ppid and parentKey always travel together: a receiver that sees a ppid without a
    // parentKey knows the parent is no longer one the model holds.
    if (!this.setParentKey(node, parent && parent !== node ? parent.info.key : undefined) && ppidChanged) {
      this.changes.noteChanged(node.info.key, 'ppid', 'parentKey');
    }
  }

  /** Move `node` under the process `parentKey` names; returns whether that changed anything. */
  private setParentKey(node: ProcessNode, parentKey: ProcKey | undefined): boolean {
    const info = node.info;
    if (info.parentKey === parentKey) return false;
    if (info.parentKey !== undefined) this.nodes.get(info.parentKey)?.children.delete(info.key);
    if (parentKey === undefined) delete info.parentKey;
    else {
      info.parentKey = parentKey;
      this.nodes.get(parentKey)?.children.add(info.key);
    }
    this.changes.noteChanged(info.key, 'ppid', 'parentKey');
    return true;
  }

  private tombstone(node: ProcessNode, status: ExitStatus, at: number, inferred = false): void {
    const info = node.info;
    const record = exitRecord(info.key, status, at);
    info.exit = record;
    info.state = 'Z';
    delete info.leaderExit;
    if (inferred) {
      info.inferred = true;
      this.stats.inferredExits++;
    }
    if (this.liveByPid.get(info.pid) === info.key) this.liveByPid.delete(info.pid);
    this.changes.noteExited(record);
    if (inferred) this.changes.noteChanged(info.key, 'state', 'inferred');
    else this.changes.noteChanged(info.key, 'state');
    // The kernel hands live children to init or the nearest subreaper: ask for their real parent.
    for (const childKey of node.children) {
      const child = this.nodes.get(childKey);
      if (child && !child.info.exit) this.orphans.set(childKey, { pid: child.info.pid, startTime: child.info.startTime });
    }
    this.orphans.delete(info.key);
    // Expiry runs on our clock from now, not the event's timestamp: the TTL is display time.
    const ticket = ++this.tombstoneTickets;
    this.tombstones.set(info.key, ticket);
    this.tombstoneQueue.push({ key: info.key, ticket, at: this.now() });
    while (this.tombstones.size > this.maxTombstones) {
      const oldest = this.oldestTombstone();
      if (!oldest) break;
      this.removeNode(oldest.key);
    }
  }

  /** The oldest live entry of the tombstone queue, skipping (and dropping) stale ones. */
  private oldestTombstone(): { key: ProcKey; at: number } | undefined {
    while (this.tombstoneHead < this.tombstoneQueue.length) {
      const entry = this.tombstoneQueue[this.tombstoneHead] as { key: ProcKey; ticket: number; at: number };
      if (this.tombstones.get(entry.key) === entry.ticket) return entry;
      this.tombstoneHead++;
      // Compact once the consumed prefix dominates, keeping the queue O(tombstones).
      if (this.tombstoneHead > 1024 && this.tombstoneHead * 2 > this.tombstoneQueue.length) {
        this.tombstoneQueue = this.tombstoneQueue.slice(this.tombstoneHead);
        this.tombstoneHead = 0;
      }
    }
    return undefined;
  }

  private revive(node: ProcessNode): void {
    const info = node.info;
    delete info.exit;
    this.tombstones.delete(info.key);
    this.retireHolder(info.pid, info.key, this.now());
    this.liveByPid.set(info.pid, info.key);
    this.changes.noteAdded(info.key);
  }

  private removeNode(key: ProcKey): void {
    const node = this.nodes.get(key);
    if (!node) return;
    this.nodes.delete(key);
    this.tombstones.delete(key);
    this.orphans.delete(key);
    if (this.liveByPid.get(node.info.pid) === key) this.liveByPid.delete(node.info.pid);
    if (node.info.parentKey !== undefined) this.nodes.get(node.info.parentKey)?.children.delete(key);
    // Its children keep naming it: it was their parent, and receivers hold keys they may not know.
    this.changes.noteRemoved(key);
  }

  private touch(node: ProcessNode, event: ProcEvent): void {
    node.touchedGeneration = this.generationCounter;
    if (this.historyLength === 0) return;
    node.history.push(event);
    if (node.history.length > this.historyLength) node.history.splice(0, node.history.length - this.historyLength);
  }
}

/** An event a thread other than the main one reported (tid is set only when it differs). */
function isOtherThread(event: ProcEvent): boolean {
  return event.tid !== undefined && event.tid !== event.pid;
}

function exitStatusOf(event: ProcEvent): ExitStatus {
  const status: ExitStatus = {};
  if (event.code !== undefined) status.code = event.code;
  if (event.signal !== undefined) status.signal = event.signal;
  if (event.signo !== undefined) status.signo = event.signo;
  if (event.core) status.core = true;
  return status;
}

/** How `key` ended, as the model keeps it (a tombstone's exit, a zombie leader's). */
function exitRecord(key: ProcKey, status: ExitStatus, at: number): ExitRecord {
  const record: ExitRecord = { key, at };
  if (status.code !== undefined) record.code = status.code;
  if (status.signal !== undefined) record.signal = status.signal;
  if (status.core) record.core = true;
  return record;
}

/**
 * Take `from`'s group and NSpid where it has them; the fields that changed. Absence says nothing
 * (a scan that could not read the cgroup, a read that lost the race with the exit), and a
 * process's PID namespace is fixed for its life, so neither is ever removed.
 */
function place(info: ProcessInfo, from: Pick<ProcessInfo, 'group' | 'nsPid'>): ChangeField[] {
  const fields: ChangeField[] = [];
  if (from.group && !sameGroup(info.group, from.group)) {
    info.group = from.group;
    fields.push('group');
  }
  if (from.nsPid && !sameNsPid(info.nsPid, from.nsPid)) {
    info.nsPid = from.nsPid;
    fields.push('nsPid');
  }
  return fields;
}


function sameNsPid(a: readonly number[] | undefined, b: readonly number[]): boolean {
  return a !== undefined && a.length === b.length && a.every((pid, i) => pid === b[i]);
}

/** Bytes the kernel keeps of a task name (TASK_COMM_LEN 16, less the NUL). */
const TASK_COMM_BYTES = 15;
const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8');

/**
 * The name exec gives a task is the base name of the path it executed, cut to 15 bytes. An exec
 * whose process was gone before the watcher read its comm (a storm's children live ~1 ms) gets
 * it from argv[0], which names that path in all but deliberate cases; the old name would be
 * the parent's program and certainly wrong.
 */
function taskNameFromArgv(argv: readonly string[] | undefined): string | undefined {
  const first = argv?.[0];
  if (!first) return undefined;
  const base = first.slice(first.lastIndexOf('/') + 1);
  if (base === '') return undefined;
  // Most names are short ASCII: no encoding needed to know they fit (this runs per exec in storms).
  if (base.length <= TASK_COMM_BYTES && isAscii(base)) return base;
  const bytes = utf8Encoder.encode(base);
  if (bytes.length <= TASK_COMM_BYTES) return base;
  // Cut at a byte count like the kernel, without leaving half a character behind.
  return utf8Decoder.decode(bytes.subarray(0, TASK_COMM_BYTES)).replace(/\uFFFD$/, '');
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}
