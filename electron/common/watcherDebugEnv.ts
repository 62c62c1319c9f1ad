/**
 * Debug knobs of the native netlink watcher, taken from the environment by every host (web, CLI,
 * Electron main) the same way. They exist so that tests can make the kernel drop events on
 * purpose (a tiny receive buffer, a stalled reader) and watch the loss/resync path end to end.
 *
 *   FORKSCOPE_RCVBUF=4096            socket receive buffer in bytes
 *   FORKSCOPE_DEBUG_STALL_US=2000    the reader thread sleeps this long after each batch
 */

export interface WatcherDebugOptions {
  rcvbufBytes?: number;
  debugStallUs?: number;
}

/** The ranges the native watcher accepts (native/src/proc_connector_reader_binding.cc). */
const KNOBS: ReadonlyArray<[name: string, key: keyof WatcherDebugOptions, min: number, max: number]> = [
  ['FORKSCOPE_RCVBUF', 'rcvbufBytes', 1024, 1 << 30],
  ['FORKSCOPE_DEBUG_STALL_US', 'debugStallUs', 0, 1_000_000],
];

/** Read the knobs; a set but malformed value is an error with a clear message, never ignored. */
export function watcherDebugOptionsFromEnv(env: Readonly<Record<string, string | undefined>>): WatcherDebugOptions {
  const options: WatcherDebugOptions = {};
  for (const [name, key, min, max] of KNOBS) {
    const text = env[name];
    if (text === undefined || text === '') continue;
    const value = Number(text);
    if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
      throw new Error(`${name} must be a whole number from ${min} to ${max}, got '${text}'`);
    }
    options[key] = value;
  }
  return options;
}
