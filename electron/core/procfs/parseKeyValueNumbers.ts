/** "key: 123" / "Key:   123 kB" lines into numbers, shared by io and smaps_rollup. */
import { ProcParseError } from './ProcParseError';

export function parseKeyValueNumbers(file: string, text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z_][\w]*):\s+(\d+)(?: kB)?\s*$/.exec(line);
    if (m) values.set(m[1]!, Number(m[2]));
  }
  if (values.size === 0) throw new ProcParseError(file, 'no "key: number" lines');
  return values;
}
