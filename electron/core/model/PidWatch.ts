/**
 * A psnotify-style filter over the event stream: watch pids for a set of event kinds, and
 * optionally follow their descendants as they fork (`forkscope events --pid P --follow`).
 * Pure logic: feed it events in kernel order, it returns the ones that concern watched processes.
 */
import { EVENT_KINDS, type EventKind, type ProcEvent } from '../../common/events';

interface Watched {
  /** New children of this process are watched too (and theirs, recursively). */
  follow: boolean;
  /** Added by following a fork, not by watch(): dropped when it exits. */
  followed: boolean;
}

export class PidWatch {
  private readonly watched = new Map<number, Watched>();
  private readonly kinds: ReadonlySet<EventKind>;

  /** `kinds`: the event kinds to pass (all by default). Following works whatever the kinds. */
  constructor(kinds: Iterable<EventKind> = EVENT_KINDS) {
    this.kinds = new Set(kinds);
  }

  watch(pid: number, options: { follow?: boolean } = {}): void {
    this.watched.set(pid, { follow: options.follow ?? false, followed: false });
  }

  /** Stop watching `pid` (descendants already being followed stay watched). */
  unwatch(pid: number): void {
    this.watched.delete(pid);
  }

  /** Pids watched now, explicitly or by following. */
  pids(): number[] {
    return [...this.watched.keys()];
  }

  isWatching(pid: number): boolean {
    return this.watched.has(pid);
  }

  /** The events that concern watched processes, updating the followed set as it goes. */
  filter(events: readonly ProcEvent[]): ProcEvent[] {
    const out: ProcEvent[] = [];
    for (const event of events) {
      if (this.concerns(event) && this.kinds.has(event.kind)) out.push(event);
      this.track(event);
    }
    return out;
  }

  private concerns(event: ProcEvent): boolean {
    // Loss means the filter itself may have missed forks: always worth telling.
    if (event.kind === 'lost') return true;
    if (this.watched.has(event.pid)) return true;
    // A watched parent's fork is reported even when the child is not followed, like psnotify.
    return event.kind === 'fork' && event.ppid !== undefined && this.watched.has(event.ppid);
  }

  private track(event: ProcEvent): void {
    if (event.kind === 'fork' && event.ppid !== undefined) {
      const parent = this.watched.get(event.ppid);
      if (parent?.follow && !this.watched.has(event.pid)) {
        this.watched.set(event.pid, { follow: true, followed: true });
      }
      return;
    }
    // The process is gone: its pid may be recycled by an unrelated process. Explicit watches end
    // too, since the process they named no longer exists.
    if (event.kind === 'exit' && (event.tid === undefined || event.tid === event.pid)) {
      this.watched.delete(event.pid);
    }
  }
}
