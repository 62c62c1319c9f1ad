/** Which event source is live, and why — shown to the user. */

export type SourceKind = 'netlink' | 'poll' | 'replay' | 'none';

export interface SourceStatus {
  kind: SourceKind;
  /** Human-readable reason the source was chosen (e.g. why netlink is not in use). */
  reason: string;
  /** netlink only: the socket was opened by this process, or handed over by the capture helper. */
  capture?: 'direct' | 'helper';
  /**
   * Present when capture is not full (polling, a small buffer, no real-time reader): the one
   * command that enables it, and what it does. The app shows it behind a button.
   */
  fullCapture?: FullCaptureFix;
  /** Reader thread scheduling: "SCHED_FIFO 10", "normal (EPERM: no CAP_SYS_NICE)", ... */
  priority?: string;
  /** Socket receive buffer in bytes as granted by the kernel. */
  rcvbufBytes?: number;
  /** Polling interval when kind is "poll". */
  pollIntervalMs?: number;
  /**
   * Events the kernel or the pipeline dropped, as far as known: per-CPU sequence gaps (what an
   * ENOBUFS overflow dropped), events the reader dropped because its consumer fell behind, and
   * batches that could not be decoded or delivered. Each lost event counts once. A loss whose
   * size is unknown (the reader stopped) counts 0 here but sets lastLossAt.
   */
  lostEvents: number;
  /** Times the model was rebuilt from /proc after loss. */
  resyncs: number;
  /** ms since epoch of the last loss, if any. */
  lastLossAt?: number;
}

export interface FullCaptureFix {
  /** One command line, to copy into a terminal. */
  command: string;
  /** What it does and why it is needed, in a sentence. */
  explanation: string;
}

/** Counters for the storm meter: events by kind over the batch window. */
export interface StormCounters {
  fork: number;
  exec: number;
  exit: number;
  threadStart: number;
  threadExit: number;
  other: number;
  lost: number;
}

export function emptyCounters(): StormCounters {
  return { fork: 0, exec: 0, exit: 0, threadStart: 0, threadExit: 0, other: 0, lost: 0 };
}
