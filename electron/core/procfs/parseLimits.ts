/**
 * /proc/PID/limits: a fixed-width table. Names contain spaces ("Max open files") and Units may
 * be blank ("Max nice priority"), so the columns are cut at the header's offsets, not on spaces.
 */
import type { LimitRow } from '../../common/detail';
import { ProcParseError } from './ProcParseError';

export function parseLimits(text: string): LimitRow[] {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const header = lines.shift();
  if (header === undefined) throw new ProcParseError('limits', 'empty file');
  const softAt = header.indexOf('Soft Limit');
  const hardAt = header.indexOf('Hard Limit');
  const unitsAt = header.indexOf('Units');
  if (softAt < 0 || hardAt < softAt || unitsAt < hardAt) throw new ProcParseError('limits', 'no "Soft Limit / Hard Limit / Units" header');
  return lines.map((line) => ({
    name: line.slice(0, softAt).trim(),
    soft: line.slice(softAt, hardAt).trim(),
    hard: line.slice(hardAt, unitsAt).trim(),
    units: line.slice(unitsAt).trim(),
  }));
}
