/**
 * Re-reads the real parent of orphaned processes (their parent exited; the kernel reparented
 * them to init or the nearest subreaper) and applies it to the table. Reads run asynchronously
 * in bounded rounds so an exiting parent of thousands of children never floods the event loop.
 */
import { procKey, type ProcKey } from '../../common/process';
import type { ProcessRef, ProcessTable } from './ProcessTable';
import { readProcessParent } from './readProcessParent';

const READS_PER_ROUND = 64;

/** A live process's parent as re-read from /proc and applied to the table. */
export interface ParentMove extends ProcessRef {
  ppid: number;
}

export class ParentRefresher {
  private readonly queue = new Map<ProcKey, ProcessRef>();
  private running: Promise<void> | undefined;

  /**
   * `onApplied` runs after each round of reads with the parents that changed the table, applied
   * at that moment (the Session schedules a batch; a recorder writes them down in stream order).
   */
  constructor(
    private readonly table: ProcessTable,
    private readonly onApplied: (moves: readonly ParentMove[]) => void,
    private readonly readParent: (ref: ProcessRef) => Promise<number | null> = readProcessParent,
  ) {}

  /** Queue the table's current orphans and make sure a worker is draining the queue. */
  refresh(): void {
    for (const ref of this.table.takeOrphans()) this.queue.set(procKey(ref.pid, ref.startTime), ref);
    if (this.queue.size > 0 && !this.running) {
      this.running = this.drain().finally(() => {
        this.running = undefined;
      });
    }
  }

  /** Resolves when every queued orphan has been re-read (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    while (this.queue.size > 0) {
      // Take the first READS_PER_ROUND entries without copying the whole queue each round.
      const round: ProcessRef[] = [];
      for (const [key, ref] of this.queue) {
        this.queue.delete(key);
        round.push(ref);
        if (round.length === READS_PER_ROUND) break;
      }
      const parents = await Promise.all(round.map((ref) => this.readParent(ref).catch(() => null)));
      const moves: ParentMove[] = [];
      round.forEach((ref, i) => {
        const ppid = parents[i];
        if (ppid !== null && ppid !== undefined && this.table.setParent(ref, ppid)) moves.push({ ...ref, ppid });
      });
      this.onApplied(moves);
    }
  }
}
