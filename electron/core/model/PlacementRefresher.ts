/**
 * Reads the group and NSpid of processes the table cannot place by inheritance (see
 * ProcessTable.takeUnplaced) and applies them, names of containers included.
 *
 * Bounded for storms: rounds of at most READS_PER_ROUND, one round per ROUND_MS, and only for
 * processes still alive when their round comes (a `sh -c 'exit N'` storm's children are gone by
 * then, and cost nothing). The queue keeps the newest MAX_QUEUED; what it drops, and every
 * process still alive, is placed by the next periodic scan.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { procKey, type ProcKey } from '../../common/process';
import type { ContainerNames } from '../procfs/containerNames';
import type { ProcessRef, ProcessTable } from './ProcessTable';
import { readProcessPlacement, type Placement } from './readProcessPlacement';

const READS_PER_ROUND = 64;
const ROUND_MS = 20;
const MAX_QUEUED = 4096;

export class PlacementRefresher {
  private readonly queue = new Map<ProcKey, ProcessRef>();
  private running: Promise<void> | undefined;
  private stopped = false;

  /** `onApplied` runs after each round that changed something (the Session schedules a batch). */
  constructor(
    private readonly table: ProcessTable,
    private readonly names: ContainerNames,
    private readonly onApplied: () => void,
    private readonly read: (ref: ProcessRef) => Promise<Placement | null> = readProcessPlacement,
  ) {}

  /** Queue the table's unplaced processes and make sure a worker is draining the queue. */
  refresh(): void {
    for (const ref of this.table.takeUnplaced()) {
      const key = procKey(ref.pid, ref.startTime);
      this.queue.delete(key);
      this.queue.set(key, ref);
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
      const round: ProcessRef[] = [];
      for (const [key, ref] of this.queue) {
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
      round.forEach((ref, i) => {
        const placement = placements[i];
        if (placement) this.table.setPlacement(ref, placement);
      });
      if (round.length > 0) this.onApplied();
      if (this.queue.size > 0) await sleep(ROUND_MS);
    }
  }
}
