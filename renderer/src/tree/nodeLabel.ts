/**
 * Labels are process data — any bytes, including control characters and bidi overrides — drawn
 * with fillText, which never interprets markup. What remains is legibility: control characters
 * become visible U+FFFD and long labels end in an ellipsis.
 */
import type { ProcessInfo } from '../../../electron/common/process';

// C0/C1 controls and the bidi embedding/override/isolate characters that could reorder the label.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export function printable(text: string): string {
  return text.replace(UNPRINTABLE, '\uFFFD');
}

/** Cut to at most `maxChars` code points, ending in "…" when cut. */
export function truncate(text: string, maxChars: number): string {
  if (maxChars <= 0) return '';
  // Labels are drawn every frame: skip splitting into code points when the UTF-16 length (never
  // less than the code point count) already fits.
  if (text.length <= maxChars) return text;
  const points = Array.from(text);
  if (points.length <= maxChars) return text;
  return maxChars === 1 ? '…' : `${points.slice(0, maxChars - 1).join('')}…`;
}

/** "1234 make" — pid and comm, the two things a user scans for. */
export function processLabel(info: ProcessInfo, maxChars: number): string {
  return truncate(`${info.pid} ${printable(info.comm)}`, maxChars);
}
