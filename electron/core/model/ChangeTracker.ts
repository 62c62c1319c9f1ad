/**
 * Records what changed in the ProcessTable since the last drain, keyed by process, so that any
 * number of events between two frames folds into one entry per process: the Session's batch size
 * is bounded by the number of processes touched, never by the number of events.
 */
import type { DeltaBatch } from '../../common/delta';
import type { ExitRecord, ProcessChange, ProcessInfo, ProcKey } from '../../common/process';

export type ChangeField = Exclude<keyof ProcessInfo, 'key' | 'pid' | 'startTime'>;

/** The model's part of a delta batch: the Session adds seq, time and counters. */
export type TableChanges = Pick<DeltaBatch, 'added' | 'changed' | 'exited' | 'removed'>;

export class ChangeTracker {
  private readonly added = new Set<ProcKey>();
  private readonly changed = new Map<ProcKey, Set<ChangeField>>();
  private readonly exited = new Map<ProcKey, ExitRecord>();
  private readonly removed = new Set<ProcKey>();
  private recording = true;
  /** Something changed while not recording. */
  private dirty = false;

  get isEmpty(): boolean {
    return (
      !this.dirty && this.added.size === 0 && this.changed.size === 0 && this.exited.size === 0 && this.removed.size === 0
    );
  }

  /**
   * While nobody will read the changes (no Session subscriber: `forkscope events`, or no window
   * open), keep only the fact that something changed: in a storm the per-process bookkeeping
   * below is a good part of the model's cost per event, and a new subscriber starts from a
   * snapshot anyway.
   */
  setRecording(on: boolean): void {
    if (on === this.recording) return;
    this.recording = on;
    if (on) return;
    const changed = !this.isEmpty;
    this.clear();
    this.dirty = changed;
  }

  /** While not recording, a note only marks the tracker dirty: true means "done, record nothing". */
  private skipped(): boolean {
    if (this.recording) return false;
    this.dirty = true;
    return true;
  }

  noteAdded(key: ProcKey): void {
    if (this.skipped()) return;
    this.added.add(key);
    // A key that was removed or exited and comes back in the same window (a resync revived it) is
    // simply "added" again: the receiver replaces whatever it held, and the stale exit is void.
    this.removed.delete(key);
    this.exited.delete(key);
  }

  noteChanged(key: ProcKey, ...fields: ChangeField[]): void {
    if (this.skipped()) return;
    // An added process is sent whole, with its latest values: no separate change needed.
    if (this.added.has(key)) return;
    let set = this.changed.get(key);
    if (!set) {
      set = new Set();
      this.changed.set(key, set);
    }
    for (const field of fields) set.add(field);
  }

  noteExited(record: ExitRecord): void {
    if (this.skipped()) return;
    this.exited.set(record.key, record);
  }

  /** The process left the table (tombstone expired, or rekeyed). */
  noteRemoved(key: ProcKey): void {
    if (this.skipped()) return;
    this.changed.delete(key);
    this.exited.delete(key);
    // Born and gone within one window: the receiver never needs to hear of it.
    if (this.added.delete(key)) return;
    this.removed.add(key);
  }

  /** Forget everything since the last drain (nobody is listening for it). */
  clear(): void {
    this.dirty = false;
    this.added.clear();
    this.changed.clear();
    this.exited.clear();
    this.removed.clear();
  }

  /** Everything since the last drain; `lookup` supplies current values for added/changed keys. */
  drain(lookup: (key: ProcKey) => ProcessInfo | undefined): TableChanges {
    const added: ProcessInfo[] = [];
    for (const key of this.added) {
      const info = lookup(key);
      if (info) added.push({ ...info });
    }
    const changed: ProcessChange[] = [];
    for (const [key, fields] of this.changed) {
      const info = lookup(key);
      if (!info) continue;
      const change: Record<string, unknown> = { key };
      for (const field of fields) change[field] = info[field];
      changed.push(change as ProcessChange);
    }
    const result: TableChanges = {
      added,
      changed,
      exited: [...this.exited.values()],
      removed: [...this.removed],
    };
    this.clear();
    return result;
  }
}
