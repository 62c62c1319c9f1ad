/**
 * /proc/PID/stat: "pid (comm) state ppid ...". comm is whatever the task named itself (any bytes
 * but NUL, up to 15 of them, including spaces, parentheses and newlines), so it is the text
 * between the first '(' and the LAST ')' — splitting the line on spaces breaks on real processes.
 */
import type { StatFields } from '../../common/detail';
import { ProcParseError } from './ProcParseError';

/** PF_KTHREAD in stat's flags field: the task is a kernel thread. */
export const PF_KTHREAD = 0x00200000;

export interface ParsedStat {
  pid: number;
  comm: string;
  /** Task flags (stat field 9); see PF_KTHREAD. */
  flags: number;
  fields: StatFields;
}

/** Fields after the closing ')' start at field 3 (state); this maps a field number to its index. */
function field(rest: string[], fieldNumber: number): number {
  const raw = rest[fieldNumber - 3];
  if (raw === undefined) throw new ProcParseError('stat', `field ${fieldNumber} is missing`);
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new ProcParseError('stat', `field ${fieldNumber} is not a number: ${JSON.stringify(raw)}`);
  return value;
}

export function parseStat(text: string): ParsedStat {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) throw new ProcParseError('stat', 'no "(comm)" in the line');
  const pid = Number(text.slice(0, open).trim());
  if (!Number.isInteger(pid) || pid <= 0) throw new ProcParseError('stat', 'no pid before "(comm)"');
  const rest = text.slice(close + 1).trim().split(/\s+/);
  const state = rest[0];
  if (state === undefined || state.length !== 1) throw new ProcParseError('stat', 'no state letter after "(comm)"');
  return {
    pid,
    comm: text.slice(open + 1, close),
    flags: field(rest, 9),
    fields: {
      state,
      ppid: field(rest, 4),
      pgrp: field(rest, 5),
      session: field(rest, 6),
      ttyNr: field(rest, 7),
      minflt: field(rest, 10),
      majflt: field(rest, 12),
      utime: field(rest, 14),
      stime: field(rest, 15),
      priority: field(rest, 18),
      nice: field(rest, 19),
      numThreads: field(rest, 20),
      startTime: field(rest, 22),
      vsizeBytes: field(rest, 23),
      rssPages: field(rest, 24),
      processor: field(rest, 39),
      rtPriority: field(rest, 40),
      policy: field(rest, 41),
    },
  };
}

export function isKernelThread(stat: ParsedStat): boolean {
  return (stat.flags & PF_KTHREAD) !== 0;
}
