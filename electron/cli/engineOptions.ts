/**
 * What every live command (events, record, web) takes from its flags and environment to start
 * the engine: `--source netlink|poll|auto` and the watcher's debug knobs (FORKSCOPE_RCVBUF,
 * FORKSCOPE_DEBUG_STALL_US). Bad values are usage errors (exit 2), never ignored.
 */
import { watcherDebugOptionsFromEnv, type WatcherDebugOptions } from '../common/watcherDebugEnv';
import { parseSourceChoice as parseSource, type SourceChoice } from '../core/sources/openLiveSource';
import { UsageError } from './args';

/** The `--source` flag (core's parseSourceChoice), a bad value being a usage error. */
export function parseSourceChoice(value: unknown): SourceChoice {
  try {
    return parseSource(value);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function watcherOptionsFromEnv(): WatcherDebugOptions {
  try {
    return watcherDebugOptionsFromEnv(process.env);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** The engine options a live command starts with. */
export function liveEngineOptions(sourceFlag: unknown): { source: SourceChoice; watcher: WatcherDebugOptions } {
  return { source: parseSourceChoice(sourceFlag), watcher: watcherOptionsFromEnv() };
}
