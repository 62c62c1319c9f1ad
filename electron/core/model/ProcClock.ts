/**
 * Converts between the kernel's process start time (clock ticks since boot, /proc/PID/stat
 * field 22) and wall-clock milliseconds. The native addon's clockInfo() supplies the numbers;
 * hosts read them here (readProcClock), never from native past core.
 */
import { clockInfo } from '../../../native/index';

export interface ProcClock {
  /** sysconf(_SC_CLK_TCK), 100 on every mainstream Linux build. */
  clkTck: number;
  /** When the machine booted, ms since the Unix epoch. */
  bootEpochMs: number;
}

/** This machine's clock: clock ticks per second and when it booted. */
export function readProcClock(): ProcClock {
  return clockInfo();
}

export function startTimeToEpochMs(clock: ProcClock, startTime: number): number {
  return clock.bootEpochMs + (startTime * 1000) / clock.clkTck;
}

/**
 * The start time a process born at `epochMs` would have. Used only when an event could not carry
 * the real one (the process died before the reader thread saw it): a fork's timestamp is its
 * child's birth, so this is right to within a tick.
 */
export function epochMsToStartTime(clock: ProcClock, epochMs: number): number {
  return Math.max(0, Math.floor(((epochMs - clock.bootEpochMs) * clock.clkTck) / 1000));
}
