/** One-value files: oom_score, oom_score_adj ("123\n"), wchan ("do_wait", "0" when running). */
import { ProcParseError } from './ProcParseError';

export function parseInteger(file: string, text: string): number {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (trimmed === '' || !Number.isInteger(value)) throw new ProcParseError(file, `expected an integer, got ${JSON.stringify(text)}`);
  return value;
}

/** wchan is "0" when the task is running or has no wait channel; say that rather than "0". */
export function parseWchan(text: string): string {
  const symbol = text.trim();
  return symbol === '0' || symbol === '' ? '' : symbol;
}
