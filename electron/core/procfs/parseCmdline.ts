/**
 * /proc/PID/cmdline: argv, NUL-separated. Empty for zombies and kernel threads; that is not an
 * error here (the detail reader knows the process state and names the reason).
 */
import { decodeNulSeparated, type DecodedList } from './decodeNulSeparated';

/** 256 KiB: far beyond any argv a person reads, small enough to ship to the renderer. */
export const CMDLINE_MAX_BYTES = 256 * 1024;

export function parseCmdline(bytes: Uint8Array, maxBytes = CMDLINE_MAX_BYTES, alreadyTruncated = false): DecodedList {
  return decodeNulSeparated(bytes, maxBytes, alreadyTruncated);
}
