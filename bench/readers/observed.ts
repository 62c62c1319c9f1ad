/**
 * What a reader reported, reduced to what the bench compares: the same shape whether it came
 * from forkscope's or the C reader's NDJSON or from forkstat's text.
 */

export type ObservedKind = 'fork' | 'exec' | 'exit' | 'thread-start' | 'thread-exit' | 'lost';

export interface ObservedEvent {
  kind: ObservedKind;
  /** tgid; for thread events possibly unknown (forkstat names only the thread). */
  pid: number;
  ppid?: number;
  tid?: number;
  /** exec: argv joined by spaces, or null when the reader could not read it. */
  argvText?: string | null;
  /** exit: code 0–255, or the signal name. */
  code?: number;
  signal?: string;
  /** lost: events lost, when the reader knows how many. */
  count?: number;
}

export interface ParsedOutput {
  events: ObservedEvent[];
  /** Events of kinds the bench does not score (comm, uid, ...). They still cost the reader CPU. */
  otherEvents: number;
  /** Lines that were not understood. */
  malformedLines: number;
}
