/**
 * Turning a failed /proc read into an UnreadableReason with a message a person understands.
 * The errno alone is not enough: a zombie's environ fails with ESRCH and its exe with ENOENT
 * although the pid is still there, and a kernel thread's do the same. The caller passes what it
 * knows about the process so the reason names the cause, not the symptom.
 */
import type { UnreadableReason } from '../../common/detail';

/** The failing half of Field<T>: assignable to a Field of any type. */
export interface Unreadable {
  ok: false;
  reason: UnreadableReason;
  message: string;
}

export interface ProcessCondition {
  pid: number;
  /** stat state letter, when stat was readable. */
  state?: string;
  kernelThread?: boolean;
  /** Name of the process owner, for "belongs to root" messages. */
  owner?: string;
}

export function errnoCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return undefined;
}

export function unreadable(reason: UnreadableReason, message: string): Unreadable {
  return { ok: false, reason, message };
}

/** The reason a file that is empty or missing for this kind of process could not be shown. */
export function emptyFor(path: string, condition: ProcessCondition): Unreadable | null {
  if (condition.kernelThread) return unreadable('kernel-thread', `${path}: kernel threads have no user-space memory, command line or executable`);
  if (condition.state === 'Z') return unreadable('zombie', `${path}: process ${condition.pid} is a zombie (exited, not yet reaped by its parent)`);
  return null;
}

export function fromError(error: unknown, path: string, condition: ProcessCondition): Unreadable {
  const code = errnoCode(error);
  if (code === 'EACCES' || code === 'EPERM') {
    const owner = condition.owner === undefined ? '' : ` belongs to ${condition.owner}`;
    return unreadable('EACCES', `permission denied: ${path}${owner}`);
  }
  if (code === 'ENOENT' || code === 'ESRCH') {
    // Zombies and kernel threads answer ENOENT/ESRCH for files that simply do not exist for them.
    const explained = emptyFor(path, condition);
    if (explained) return explained;
    return code === 'ESRCH'
      ? unreadable('ESRCH', `${path}: process ${condition.pid} has exited`)
      : unreadable('ENOENT', `${path}: no such file (process ${condition.pid} may have exited)`);
  }
  const detail = error instanceof Error ? error.message : String(error);
  return unreadable('error', `${path}: ${detail}`);
}
