/** /proc/PID/schedstat: "time-on-cpu-ns time-waiting-ns timeslices". */
import type { SchedStat } from '../../common/detail';
import { ProcParseError } from './ProcParseError';

export function parseSchedstat(text: string): SchedStat {
  const parts = text.trim().split(/\s+/).map(Number);
  const [runNs, waitNs, timeslices] = parts;
  if (parts.length !== 3 || runNs === undefined || waitNs === undefined || timeslices === undefined || parts.some((n) => !Number.isInteger(n))) {
    throw new ProcParseError('schedstat', `expected three integers, got ${JSON.stringify(text)}`);
  }
  return { runNs, waitNs, timeslices };
}
