/**
 * The Forkscope engine: scan → ProcessTable → live source → Session, in one object that the
 * Electron main process, the web host and the CLI all use unchanged.
 *
 *   const engine = await createEngine({ source: 'auto' });
 *   const sub = engine.subscribe((message) => ...);   // a snapshot at once, then deltas
 *   sub.ack(seq);                                     // per delta applied (backpressure)
 *   sub.requestSnapshot();                            // after a seq gap
 *   engine.onEvents((events, lines) => ...);          // raw events in kernel order (CLI)
 *   engine.onParentChange((move) => ...);             // an orphan's parent re-read, in stream order
 *   engine.onPlacementChange((change) => ...);        // a group or NSpid re-read from /proc, in stream order
 *   await engine.getDetail(pid, startTime);           // the detail pane
 *   engine.signal({ pid, startTime, signal, subtree }); // throws GuardError when refused
 *   engine.status();                                  // which source is live, why, losses
 *   engine.snapshot();                                // the whole model now
 *   await engine.close();
 *
 * What it does behind that: starts the source first and buffers its events while the first
 * /proc scan loads the table (so nothing born during the scan is missed); applies events; re-reads
 * the parent of orphans asynchronously; answers loss with a coalesced /proc resync; samples CPU
 * and memory of live processes with an off-thread scan every `sampleIntervalMs`; expires
 * tombstones; and emits at most one delta per frame.
 */
import type { ServerMessage, Snapshot } from '../common/delta';
import type { ProcessDetail } from '../common/detail';
import type { ProcEvent, RenderedLines } from '../common/events';
import type { EngineSubscription } from '../common/hostEngine';
import { procKey } from '../common/process';
import type { SignalRequest, SignalResult } from '../common/signals';
import type { SourceStatus } from '../common/source';
import { clockInfo, type WatcherOptions } from '../../native/index';
import { sendSignal } from './actions/sendSignal';
import { CpuSampler } from './model/CpuSampler';
import { ParentRefresher, type ParentMove } from './model/ParentRefresher';
import { PlacementRefresher } from './model/PlacementRefresher';
import { ProcessTable, type PlacementChange, type ReconcileReport } from './model/ProcessTable';
import { ResyncCoordinator } from './model/ResyncCoordinator';
import { ContainerNames } from './procfs/containerNames';
import { translateInNamespaceOf } from './procfs/pidNamespaces';
import { readProcessDetail } from './procfs/readProcessDetail';
import type { ScannedProcess } from '../../native/ScannedProcess';
import { scanAll } from './procfs/scanAll';
import { verifyProcfs } from './procfs/verifyProcfs';
import { createUserNames } from './procfs/userNames';
import { Session } from './session/Session';
import type { EventSink, EventSource } from './sources/EventSource';
import { openLiveSource, type SourceChoice } from './sources/openLiveSource';
import { PollSource } from './sources/PollSource';

export interface EngineOptions {
  /** 'auto' (netlink, else poll), or force one. */
  source?: SourceChoice;
  pollIntervalMs?: number;
  watcher?: WatcherOptions;
  /** Session frame: minimum ms between two deltas. */
  frameMs?: number;
  /** Unacked deltas before a subscriber is skipped until it catches up. */
  maxUnacked?: number;
  tombstoneTtlMs?: number;
  maxTombstones?: number;
  /** Events kept per process for the detail pane (0: none). */
  historyLength?: number;
  /** CPU/RSS sampling period; 0 turns sampling off. */
  sampleIntervalMs?: number;
}

export interface Engine {
  subscribe(listener: (message: ServerMessage) => void): EngineSubscription;
  /**
   * Raw events as applied, in kernel order, with their NDJSON when the source rendered it
   * (watcher.ndjson). Returns an unsubscribe function.
   */
  onEvents(listener: (events: readonly ProcEvent[], lines?: RenderedLines) => void): () => void;
  /**
   * A live process's parent re-read from /proc (its parent exited) and applied to the model:
   * called right then, between the events applied before and after it. Returns an unsubscribe
   * function.
   */
  onParentChange(listener: (move: ParentMove) => void): () => void;
  /**
   * A live process's group or NSpid changed by a read from /proc (after its exec, or a move seen
   * by the periodic scan): called right then, between the events applied before and after it.
   * Returns an unsubscribe function.
   */
  onPlacementChange(listener: (change: PlacementChange) => void): () => void;
  snapshot(): Snapshot;
  getDetail(pid: number, startTime: number, translatePid?: number): Promise<ProcessDetail>;
  signal(request: SignalRequest): SignalResult;
  status(): SourceStatus;
  /**
   * Rescan /proc and reconcile now (also done on every loss). Resolves when the model is in sync,
   * with what the last reconcile changed.
   */
  resync(): Promise<ReconcileReport | undefined>;
  /** The model itself, read-only use: tests and the CLI's snapshot. */
  readonly table: ProcessTable;
  close(): Promise<void>;
}

export const DEFAULT_SAMPLE_INTERVAL_MS = 2000;
const HOUSEKEEPING_INTERVAL_MS = 500;

export async function createEngine(options: EngineOptions = {}): Promise<Engine> {
  // Every reader below trusts /proc to be procfs: refuse clearly rather than show nonsense.
  await verifyProcfs();
  const clock = clockInfo();
  const users = createUserNames();
  await users.refresh();
  const table = new ProcessTable({
    clock,
    userName: (uid) => users.name(uid),
    ...(options.tombstoneTtlMs === undefined ? {} : { tombstoneTtlMs: options.tombstoneTtlMs }),
    ...(options.maxTombstones === undefined ? {} : { maxTombstones: options.maxTombstones }),
    ...(options.historyLength === undefined ? {} : { historyLength: options.historyLength }),
  });
  const eventListeners = new Set<(events: readonly ProcEvent[], lines?: RenderedLines) => void>();
  /**
   * Events the kernel or the pipeline dropped, as far as known: the sum of the counts the
   * sources reported to onLoss (each lost event once), kept across a fallback to polling.
   */
  let lostEvents = 0;
  let lastLossAt: number | undefined;
  let closed = false;
  let source: EventSource | undefined;
  /** Events that arrive while the first scan loads; applied after it, in order. */
  let startupBuffer: Array<[ProcEvent[], RenderedLines | undefined]> | undefined = [];

  /** Set when the live source broke and polling could not replace it. */
  let fallbackFailure: string | undefined;

  const status = (): SourceStatus => {
    const current = source?.status() ?? { kind: 'none', reason: fallbackFailure ?? 'starting' };
    const full: SourceStatus = { ...current, lostEvents, resyncs: resyncs.count };
    if (lastLossAt !== undefined) full.lastLossAt = lastLossAt;
    return full;
  };

  const session = new Session(table, {
    sourceStatus: status,
    ...(options.frameMs === undefined ? {} : { frameMs: options.frameMs }),
    ...(options.maxUnacked === undefined ? {} : { maxUnacked: options.maxUnacked }),
  });
  const parentListeners = new Set<(move: ParentMove) => void>();
  const parents = new ParentRefresher(table, (moves) => {
    for (const move of moves) for (const listener of parentListeners) listener(move);
    session.schedule();
  });
  const containerNames = new ContainerNames();
  const placementListeners = new Set<(change: PlacementChange) => void>();
  const placed = (changes: readonly PlacementChange[]): void => {
    for (const change of changes) for (const listener of placementListeners) listener(change);
    session.schedule();
  };
  const placements = new PlacementRefresher(table, containerNames, placed);
  let lastReconcile: ReconcileReport | undefined;
  /** A scan with its containers named, as the table keeps them (so a rescan changes nothing). */
  const named = async (scan: ScannedProcess[]): Promise<ScannedProcess[]> => {
    await containerNames.nameAll(scan);
    return scan;
  };
  /** The scan the model is loaded and reconciled from: a poll source's own, so they agree. */
  const scanForModel = async (): Promise<ScannedProcess[]> => named(await (source instanceof PollSource ? source.rescan() : scanAll()));
  const resyncs = new ResyncCoordinator(
    async () => {
      const generation = table.generation;
      const scan = await scanForModel();
      if (closed) return;
      lastReconcile = table.reconcile(scan, generation);
      parents.refresh();
      session.noteSourceChanged();
    },
    () => session.noteSourceChanged(),
  );

  /** A loss reported while the first scan loads: resynced once the buffered events are applied. */
  let lostDuringStartup = false;
  const noteLoss = (count: number | undefined): void => {
    lostEvents += count ?? 0;
    lastLossAt = Date.now();
    session.noteSourceChanged();
    // Before the table is loaded a resync would reconcile against nothing: wait for the load.
    if (startupBuffer) lostDuringStartup = true;
    else resyncs.request();
  };

  const ingest = (events: ProcEvent[], lines?: RenderedLines): void => {
    table.apply(events);
    session.noteEvents(events);
    parents.refresh();
    placements.refresh();
    for (const listener of eventListeners) listener(events, lines);
  };

  const sink: EventSink = {
    onEvents(events, lines) {
      if (closed) return;
      if (startupBuffer) startupBuffer.push([events, lines]);
      else ingest(events, lines);
    },
    onLoss(info) {
      if (!closed) noteLoss(info.count);
    },
    onError(error) {
      if (!closed) void fallBackToPoll(error);
    },
  };

  /** The live source broke under us (socket closed): keep watching by polling, and say why. */
  const fallBackToPoll = async (error: Error): Promise<void> => {
    const broken = source;
    if (broken?.kind === 'poll') return; // a failed poll is retried by the poll source itself
    await broken?.stop();
    const poll = new PollSource({
      scan: scanAll,
      ...(options.pollIntervalMs === undefined ? {} : { intervalMs: options.pollIntervalMs }),
      why: `${broken?.kind ?? 'source'} failed: ${error.message}`,
    });
    try {
      await poll.start(sink);
    } catch (pollError) {
      // Nothing left to watch with: say so in the status instead of an unhandled rejection.
      source = undefined;
      fallbackFailure = `${broken?.kind ?? 'source'} failed (${error.message}), and polling could not start: ${(pollError as Error).message}`;
      session.noteSourceChanged();
      return;
    }
    if (closed) {
      // close() ran while the poll source started: it stopped only the broken one.
      await poll.stop();
      return;
    }
    source = poll;
    resyncs.request();
  };

  source = await openLiveSource(sink, {
    scan: scanAll,
    ...(options.source === undefined ? {} : { source: options.source }),
    ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
    ...(options.watcher === undefined ? {} : { watcher: options.watcher }),
  });
  try {
    table.load(await scanForModel());
  } catch (error) {
    await source.stop();
    throw error;
  }
  const buffered = startupBuffer;
  startupBuffer = undefined;
  for (const [events, lines] of buffered) ingest(events, lines);
  if (lostDuringStartup) resyncs.request();

  const sampler = new CpuSampler(clock.clkTck);
  let sampling = false;
  const sampleStats = async (): Promise<void> => {
    if (sampling) return;
    sampling = true;
    try {
      const scan = await named(await scanAll());
      if (closed) return;
      for (const sample of sampler.sample(scan, Date.now())) table.setSample(sample, sample);
      session.schedule();
      // Groups change when a process is moved to another cgroup; no event says so.
      const changes: PlacementChange[] = [];
      for (const process of scan) {
        const change = table.setPlacement(process, process);
        if (change) changes.push(change);
      }
      if (changes.length > 0) placed(changes);
    } catch {
      // A failed sample is skipped; the next one retries. Figures simply stay as they were.
    } finally {
      sampling = false;
    }
  };
  const sampleIntervalMs = options.sampleIntervalMs ?? DEFAULT_SAMPLE_INTERVAL_MS;
  const sampleTimer = sampleIntervalMs > 0 ? setInterval(() => void sampleStats(), sampleIntervalMs) : undefined;
  const housekeepingTimer = setInterval(() => {
    if (table.expireTombstones() > 0) session.schedule();
  }, HOUSEKEEPING_INTERVAL_MS);
  sampleTimer?.unref();
  housekeepingTimer.unref();

  return {
    table,
    subscribe: (listener) => session.subscribe(listener),
    onEvents(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    onParentChange(listener) {
      parentListeners.add(listener);
      return () => parentListeners.delete(listener);
    },
    onPlacementChange(listener) {
      placementListeners.add(listener);
      return () => placementListeners.delete(listener);
    },
    snapshot: () => session.snapshot(),
    async getDetail(pid, startTime, translatePid) {
      const detail = await readProcessDetail(pid, startTime, { users });
      if (translatePid !== undefined) detail.translated = { pid: translatePid, hostPid: await translateInNamespaceOf(pid, translatePid) };
      const key = procKey(pid, startTime);
      const known = table.get(key);
      detail.history = table.history(key);
      const threadNames = table.threadNames(key);
      if (threadNames.length > 0) detail.threadNames = threadNames;
      if (known?.exit) {
        detail.exit = known.exit;
        detail.lifetimeMs = Math.max(0, known.exit.at - known.startedAt);
      }
      return detail;
    },
    signal: (request) => sendSignal(table, request),
    status,
    async resync() {
      resyncs.request();
      await resyncs.idle();
      await parents.idle();
      return lastReconcile;
    },
    async close() {
      if (closed) return;
      closed = true;
      if (sampleTimer) clearInterval(sampleTimer);
      clearInterval(housekeepingTimer);
      session.close();
      eventListeners.clear();
      parentListeners.clear();
      placementListeners.clear();
      await source?.stop();
      placements.stop();
      await resyncs.idle();
      await parents.idle();
      await placements.idle();
    },
  };
}
