/** /proc/PID/environ: "NAME=value" entries, NUL-separated, as the process was exec'd. */
import type { EnvEntry, TextDecodeNotes } from '../../common/detail';
import { decodeNulSeparated } from './decodeNulSeparated';

export const ENVIRON_MAX_BYTES = 256 * 1024;

export interface ParsedEnviron extends TextDecodeNotes {
  entries: EnvEntry[];
}

export function parseEnviron(bytes: Uint8Array, maxBytes = ENVIRON_MAX_BYTES, alreadyTruncated = false): ParsedEnviron {
  const { items, lossy, truncated } = decodeNulSeparated(bytes, maxBytes, alreadyTruncated);
  const entries = items.map((item) => {
    // The name ends at the first '='; an entry without one (execve allows it) has an empty value.
    const eq = item.indexOf('=');
    return eq < 0 ? { name: item, value: '' } : { name: item.slice(0, eq), value: item.slice(eq + 1) };
  });
  return { entries, lossy, truncated };
}
