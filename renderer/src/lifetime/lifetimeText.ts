/**
 * What the lifetime view says about a row, as text: the accessible row list's lines and the
 * hover tooltip. Process data goes through visibleText / commandLine (control characters and
 * bidi overrides escaped) and is only ever set as text, never as markup.
 */
import { describeExit, formatDuration } from '../text/format';
import { commandLine, visibleText } from '../text/visibleText';
import { formatMoment } from '../timeline/timeScale';
import type { LifetimeEntry } from './LifetimeModel';
import { lifeMs, type FoldRow } from './rows';

export function processText(entry: LifetimeEntry, now: number): string {
  const info = entry.info;
  const life = formatDuration(lifeMs(entry, now));
  const ended = entry.exit ? describeExit(entry.exit) : entry.end === null ? 'running' : 'ended unseen';
  return `${info.pid} ${commandLine(info.argv, info.comm, 200)} — ${life}, ${ended}`;
}

export function foldText(row: FoldRow): string {
  return `${row.members.length} × ${visibleText(row.command)}${row.open ? ' (open)' : ''}`;
}

export function longestLife(row: FoldRow, now: number): number {
  let max = 0;
  for (const member of row.members) max = Math.max(max, lifeMs(member, now));
  return max;
}

export function processTooltip(entry: LifetimeEntry, now: number): string {
  const info = entry.info;
  const lines = [
    `${info.pid} ${visibleText(info.comm)}`,
    commandLine(info.argv, info.comm, 300),
    `started ${formatMoment(entry.start)} · lived ${formatDuration(lifeMs(entry, now))}${entry.end === null ? ' so far' : ''}`,
    entry.exit ? describeExit(entry.exit) : entry.end === null ? 'running' : 'ended unseen (events were lost)',
  ];
  if (entry.segments.length > 1) lines.push(`execs: ${entry.segments.map((s) => visibleText(s.command)).join(' → ')}`);
  return lines.join('\n');
}

export function foldTooltip(row: FoldRow, now: number): string {
  const lives = row.members.map((m) => lifeMs(m, now)).sort((a, b) => a - b);
  const running = row.members.filter((m) => m.end === null).length;
  const failed = row.members.filter((m) => m.exit && (m.exit.signal || (m.exit.code ?? 0) !== 0)).length;
  return [
    `${row.members.length} × ${visibleText(row.command)} (${running} running, ${failed} failed)`,
    `lived ${formatDuration(lives[0]!)} – ${formatDuration(lives[lives.length - 1]!)}, median ${formatDuration(lives[Math.floor(lives.length / 2)]!)}`,
    row.open ? 'click to fold' : 'click to open',
  ].join('\n');
}
