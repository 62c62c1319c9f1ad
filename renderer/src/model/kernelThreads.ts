/**
 * Kernel threads (kthreadd, pid 2, and the ~100 workers it parents) are hidden by default, as
 * htop does: they never fork user processes, and on a fitted tree they turn the view into a tall
 * column of dots. Hidden is not filtered: it is a standing view preference, so it never counts
 * as "N matches". Every kernel thread is kthreadd or below it, so views prune at the node and
 * skip its whole subtree: no set of hidden nodes is ever built.
 */
import type { ProcessInfo } from '../../../electron/common/process';

/**
 * Whether a process is a kernel thread. The core flags them (PF_KTHREAD); kthreadd is also
 * recognised by its place (pid 2 with no parent), which a PID namespace's pid 2 never has.
 */
export function isKernelThread(info: ProcessInfo): boolean {
  return info.kernelThread === true || (info.pid === 2 && info.ppid === 0);
}

/** The predicate views prune with: null when nothing is hidden (the cheap, common check). */
export function hiddenPredicate(showKernelThreads: boolean): ((info: ProcessInfo) => boolean) | null {
  return showKernelThreads ? null : isKernelThread;
}
