/**
 * Labels are process data — any bytes, including control characters and bidi overrides — drawn
 * with fillText, which never interprets markup. What remains is legibility: control characters
 * and bidi controls are shown escaped exactly as the list and the detail pane show them
 * (visibleText), and long labels end in an ellipsis.
 */
import type { ProcessInfo } from '../../../electron/common/process';
import { isGroupHeader } from '../model/byGroup';
import { groupHeaderLabel, innerPid } from '../text/processGroup';
import { visibleText } from '../text/visibleText';

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

/**
 * "1234 make" — pid and comm, the two things a user scans for; "1234 [7] make" for a process in a
 * nested PID namespace, whose own pid (what its logs and `ps` inside say) is 7. A group's header
 * (the tree by group) reads "nginx.service · 3 processes".
 */
export function processLabel(info: ProcessInfo, maxChars: number): string {
  if (isGroupHeader(info.key)) return truncate(groupHeaderLabel(info), maxChars);
  const inner = innerPid(info);
  return truncate(`${info.pid}${inner === undefined ? '' : ` [${inner}]`} ${visibleText(info.comm)}`, maxChars);
}
