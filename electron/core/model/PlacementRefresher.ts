/**
 * Reads the group and NSpid of processes the table cannot place by inheritance (see
 * ProcessTable.takeUnplaced) and applies them, names of containers included.
 *
 * Bounded for storms: a process is read no sooner than GRACE_MS after it was queued, in rounds
 * of at most READS_PER_ROUND, one round per ROUND_MS, and only if still alive when its round
 * comes: a `sh -c 'exit N'` storm's children have exited in the model by then and cost no I/O
 * (read at once, thousands of 1 ms children cost the JS thread seconds of file reads). The queue
 * keeps the newest MAX_QUEUED; what it drops, and every process still alive, is placed by the
 * next periodic scan.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { procKey, type ProcKey } from '../../common/process';
import type { ContainerNames } from '../procfs/containerNames';
import type { PlacementChange, ProcessRef, ProcessTable } from './ProcessTable';
import { readProcessPlacement, type Placement } from './readProcessPlacement';

const READS_PER_ROUND = 64;
const ROUND_MS = 20;
const MAX_QUEUED = 4096;
const GRACE_MS = 100;

interface Queued {
  ref: ProcessRef;
  /** performance.now() when it was queued. */
  at: number;
}

export class PlacementRefresher {
  private readonly queue = new Map<ProcKey, Queued>();
  private running: Promise<void> | undefined;
  private stopped = false;

  /** `onApplied` runs after each round that changed something, with what changed (the Session schedules a batch). */
  constructor(
    private readonly table: ProcessTable,
    private readonly names: ContainerNames,
    private readonly onApplied: (changes: readonly PlacementChange[]) => void,
    private readonly read: (ref: ProcessRef) => Promise<Placement | null> = readProcessPlacement,
  ) {}

  /** Queue the table's unplaced processes and make sure a worker is draining the queue. */
  refresh(): void {
    const now = performance.now();
    for (const ref of this.table.takeUnplaced()) {
      const key = procKey(ref.pid, ref.startTime);
      this.queue.delete(key);
      this.queue.set(key, { ref, at: now });
    }
    // Oldest first out: in a flood the newest are the likeliest to be alive when read.
    for (const key of this.queue.keys()) {
      if (this.queue.size <= MAX_QUEUED) break;
      this.queue.delete(key);
    }
    if (this.queue.size > 0 && !this.running && !this.stopped) {
      this.running = this.drain().finally(() => {
        this.running = undefined;
      });
    }
  }

  /** Resolves when every queued process has been read (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stop reading (engine close); what is queued is dropped. */
  stop(): void {
    this.stopped = true;
    this.queue.clear();
  }

  private async drain(): Promise<void> {
    while (this.queue.size > 0 && !this.stopped) {
      // Insertion order is age order: wait until the oldest has had its grace period.
      const oldest = this.queue.values().next().value as Queued;
      const wait = oldest.at + GRACE_MS - performance.now();
      if (wait > 0) {
        await sleep(wait);
        if (this.stopped) return;
      }
      const round: ProcessRef[] = [];
      const due = performance.now() - GRACE_MS;
      for (const [key, { ref, at }] of this.queue) {
        if (at > due) break;
        this.queue.delete(key);
        const live = this.table.live(ref.pid);
        if (live?.key === key) round.push(ref);
        if (round.length === READS_PER_ROUND) break;
      }
      const placements = await Promise.all(
        round.map(async (ref) => {
          const placement = await this.read(ref).catch(() => null);
          if (placement?.group) placement.group = await this.names.named(placement.group);
          return placement;
        }),
      );
      if (this.stopped) return;
      const changes: PlacementChange[] = [];
      round.forEach((ref, i) => {
        const placement = placements[i];
        const change = placement ? this.table.setPlacement(ref, placement) : undefined;
        if (change) changes.push(change);
      });
      if (changes.length > 0) this.onApplied(changes);
      if (this.queue.size > 0) await sleep(ROUND_MS);
    }
  }
}
