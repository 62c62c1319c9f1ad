/**
 * cmdline and environ are NUL-separated byte strings that may be megabytes long and need not be
 * UTF-8. They are cut at a byte cap, split on NUL (which never occurs inside a UTF-8 sequence)
 * and decoded with replacement, noting whether anything was lost.
 */
import { isUtf8 } from 'node:buffer';
import type { TextDecodeNotes } from '../../common/detail';

export interface DecodedList extends TextDecodeNotes {
  items: string[];
}

const replacingDecoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** Length of `bytes` without a UTF-8 sequence that the cut left incomplete at its end. */
function withoutCutSequence(bytes: Uint8Array): number {
  let start = bytes.length - 1;
  // Walk back over at most 3 continuation bytes (10xxxxxx) to the lead byte.
  while (start >= 0 && bytes.length - start <= 3 && (bytes[start]! & 0xc0) === 0x80) start--;
  if (start < 0) return bytes.length;
  const lead = bytes[start]!;
  const needed = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return bytes.length - start < needed ? start : bytes.length;
}

/**
 * @param bytes the file content, possibly already cut by the reader (then pass truncated=true)
 * @param maxBytes cap on the bytes decoded; a longer input is cut and marked truncated
 */
export function decodeNulSeparated(bytes: Uint8Array, maxBytes: number, alreadyTruncated = false): DecodedList {
  const truncated = alreadyTruncated || bytes.length > maxBytes;
  let data = bytes.length > maxBytes ? bytes.subarray(0, maxBytes) : bytes;
  // A cut in the middle of a multi-byte character is not the process's fault: drop the partial
  // character rather than report the text as lossy.
  if (truncated) data = data.subarray(0, withoutCutSequence(data));
  const items: string[] = [];
  let start = 0;
  for (let i = 0; i < data.length; i++) {
    if (data[i] === 0) {
      items.push(replacingDecoder.decode(data.subarray(start, i)));
      start = i + 1;
    }
  }
  // Text after the last NUL: an entry cut by the cap, or a process that rewrote its argv
  // without a terminating NUL (setproctitle).
  if (start < data.length) items.push(replacingDecoder.decode(data.subarray(start)));
  return { items, lossy: !isUtf8(data), truncated };
}
