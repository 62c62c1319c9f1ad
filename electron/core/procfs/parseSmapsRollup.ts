/**
 * /proc/PID/smaps_rollup: a "start-end ---p ... [rollup]" line, then "Rss:  1732 kB" lines.
 * Values are returned in KiB keyed by the kernel's names (Rss, Pss, Shared_Clean, ...).
 */
import { parseKeyValueNumbers } from './parseKeyValueNumbers';

export function parseSmapsRollup(text: string): Record<string, number> {
  return Object.fromEntries(parseKeyValueNumbers('smaps_rollup', text));
}
