/** The only signals the UI may send. Anything else is refused at the boundary. */
export const ALLOWED_SIGNALS = ['SIGTERM', 'SIGKILL', 'SIGSTOP', 'SIGCONT'] as const;
export type AllowedSignal = (typeof ALLOWED_SIGNALS)[number];

export interface SignalRequest {
  pid: number;
  /** Identity check: the signal is sent only if the pid still has this start time. */
  startTime: number;
  signal: AllowedSignal;
  /** Send to the whole subtree (descendants first are collected, then signalled). */
  subtree: boolean;
}

export interface SignalOutcome {
  pid: number;
  ok: boolean;
  /** "ESRCH", "EPERM", "recycled" (start time no longer matches), ... */
  error?: string;
  message?: string;
}

export interface SignalResult {
  outcomes: SignalOutcome[];
}
