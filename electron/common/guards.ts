/**
 * Argument guards for everything that crosses a trust boundary (IPC, WebSocket). They return the
 * validated value or throw a GuardError with a clear message; they never coerce.
 */
import { ALLOWED_SIGNALS, type AllowedSignal, type SignalRequest } from './signals';
import type { DetailRequest } from './bridge';

export class GuardError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GuardError';
  }
}

/** Linux pids are 1..4194304 (PID_MAX_LIMIT). */
export const PID_MAX = 4194304;

export function isPid(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= PID_MAX;
}

export function isStartTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

export function isAllowedSignal(value: unknown): value is AllowedSignal {
  return typeof value === 'string' && (ALLOWED_SIGNALS as readonly string[]).includes(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function checkDetailRequest(value: unknown): DetailRequest {
  if (!isRecord(value)) throw new GuardError('detail request must be an object');
  if (!isPid(value.pid)) throw new GuardError(`pid must be an integer in 1..${PID_MAX}`);
  if (!isStartTime(value.startTime)) throw new GuardError('startTime must be a non-negative integer');
  return { pid: value.pid, startTime: value.startTime };
}

export function checkSignalRequest(value: unknown): SignalRequest {
  if (!isRecord(value)) throw new GuardError('signal request must be an object');
  if (!isPid(value.pid)) throw new GuardError(`pid must be an integer in 1..${PID_MAX}`);
  if (!isStartTime(value.startTime)) throw new GuardError('startTime must be a non-negative integer');
  if (!isAllowedSignal(value.signal)) {
    throw new GuardError(`signal must be one of ${ALLOWED_SIGNALS.join(', ')}`);
  }
  if (typeof value.subtree !== 'boolean') throw new GuardError('subtree must be a boolean');
  return { pid: value.pid, startTime: value.startTime, signal: value.signal, subtree: value.subtree };
}

export function checkSeq(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new GuardError('seq must be a non-negative integer');
  }
  return value;
}
