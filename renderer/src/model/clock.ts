/**
 * The model's notion of time. Animation times (RNode.addedAt, execAt, exitedAt) are on the
 * monotonic performance.now() clock, because frame callbacks receive that clock; the wire carries
 * epoch milliseconds. Injected so tests can control time without touching globals.
 */
export interface ModelClock {
  /** Monotonic milliseconds (performance.now()). */
  now(): number;
  /** Convert epoch milliseconds (Date.now() scale) to the monotonic clock. */
  fromEpoch(epochMs: number): number;
}

export const performanceClock: ModelClock = {
  now: () => performance.now(),
  fromEpoch: (epochMs) => epochMs - performance.timeOrigin,
};
