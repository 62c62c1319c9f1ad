/**
 * Sends a signal to one process or its whole subtree, safely:
 *  - the request is validated at the boundary (checkSignalRequest): pids, start times and the
 *    signal name from a fixed list, nothing coerced;
 *  - every signal goes through a pidfd after checking the start time (native pidfdSignal), so a
 *    recycled pid is never hit;
 *  - pid 1 and our own process are refused with a clear error, never signalled.
 *
 * Subtree order. The descendants are collected from the model first, then signalled:
 *  - SIGSTOP, SIGKILL, SIGTERM go parents first (breadth first): a stopped or dead parent cannot
 *    spawn replacements for the children being signalled, which matters in a fork loop;
 *  - SIGCONT goes children first, so that a parent resumed last finds its children already
 *    running instead of reacting to them being stopped.
 */
import { checkSignalRequest, GuardError } from '../../common/guards';
import { procKey } from '../../common/process';
import { type AllowedSignal, type SignalOutcome, type SignalRequest, type SignalResult } from '../../common/signals';
import { pidfdSignal } from '../../../native/index';
import type { ProcessTable } from '../model/ProcessTable';

const SIGNAL_NUMBERS: Readonly<Record<AllowedSignal, number>> = { SIGTERM: 15, SIGKILL: 9, SIGSTOP: 19, SIGCONT: 18 };

export interface SendSignalOptions {
  /** Our own pid (never signalled); process.pid by default. */
  selfPid?: number;
}

interface Target {
  pid: number;
  startTime: number;
}

/** Throws GuardError for a malformed request or a refused target (pid 1, ourselves). */
export function sendSignal(table: ProcessTable, request: SignalRequest, options: SendSignalOptions = {}): SignalResult {
  const checked = checkSignalRequest(request);
  const selfPid = options.selfPid ?? process.pid;
  const refusal = refusalFor(checked.pid, selfPid);
  if (refusal) throw new GuardError(refusal);
  const signo = SIGNAL_NUMBERS[checked.signal];
  const root: Target = { pid: checked.pid, startTime: checked.startTime };
  if (!checked.subtree) return { outcomes: [signalOne(root, signo)] };

  const descendants: Target[] = table
    .liveDescendants(procKey(checked.pid, checked.startTime))
    .map((info) => ({ pid: info.pid, startTime: info.startTime }));
  const ordered = checked.signal === 'SIGCONT' ? [...descendants.reverse(), root] : [root, ...descendants];
  return {
    outcomes: ordered.map((target) => {
      const refused = refusalFor(target.pid, selfPid);
      return refused ? { pid: target.pid, ok: false, error: 'refused', message: refused } : signalOne(target, signo);
    }),
  };
}

function refusalFor(pid: number, selfPid: number): string | null {
  if (pid === 1) return 'refusing to signal pid 1 (init): that would take the whole system down';
  if (pid === selfPid) return `refusing to signal pid ${pid}: it is Forkscope itself`;
  return null;
}

function signalOne(target: Target, signo: number): SignalOutcome {
  const result = pidfdSignal(target.pid, target.startTime, signo);
  return result.ok ? { pid: target.pid, ok: true } : { pid: target.pid, ok: false, error: result.error, message: result.message };
}
