/**
 * Argument guards for everything that crosses a trust boundary (IPC, WebSocket). They return the
 * validated value or throw a GuardError with a clear message; they never coerce. SERVICE_GUARDS
 * holds one per call of the service (bridge.ts): its keys are the service's method list.
 */
import { ALLOWED_SIGNALS, type AllowedSignal, type SignalRequest } from './signals';
import type { DetailRequest, ServiceArgs, ServiceImplementation, ServiceMethod, ServiceResult } from './bridge';
import { EXPORT_FORMATS, MAX_PLAYBACK_SPEED, MAX_TIMELINE_BUCKETS, MIN_PLAYBACK_SPEED, type ExportFormat, type ExportRequest } from './timeline';

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

/** A plain object (not null, not an array): what a JSON object decodes to. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function checkDetailRequest(value: unknown): DetailRequest {
  if (!isRecord(value)) throw new GuardError('detail request must be an object');
  if (!isPid(value.pid)) throw new GuardError(`pid must be an integer in 1..${PID_MAX}`);
  if (!isStartTime(value.startTime)) throw new GuardError('startTime must be a non-negative integer');
  if (value.translatePid === undefined) return { pid: value.pid, startTime: value.startTime };
  if (!isPid(value.translatePid)) throw new GuardError(`translatePid must be an integer in 1..${PID_MAX}`);
  return { pid: value.pid, startTime: value.startTime, translatePid: value.translatePid };
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

/** A moment on the timeline: ms since the Unix epoch, finite and not negative. */
export function checkTimestamp(value: unknown, name = 'ts'): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new GuardError(`${name} must be a finite, non-negative number of ms since the epoch`);
  }
  return value;
}

export function checkPlaybackSpeed(value: unknown): number {
  if (typeof value !== 'number' || !(value >= MIN_PLAYBACK_SPEED && value <= MAX_PLAYBACK_SPEED)) {
    throw new GuardError(`speed must be a number from ${MIN_PLAYBACK_SPEED} to ${MAX_PLAYBACK_SPEED}`);
  }
  return value;
}

export function checkStepDirection(value: unknown): 1 | -1 {
  if (value !== 1 && value !== -1) throw new GuardError('step direction must be 1 or -1');
  return value;
}

export function checkTimelineBuckets(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_TIMELINE_BUCKETS) {
    throw new GuardError(`buckets must be an integer in 1..${MAX_TIMELINE_BUCKETS}`);
  }
  return value;
}

export function checkExportRequest(value: unknown): ExportRequest {
  if (!isRecord(value)) throw new GuardError('export request must be an object');
  const format = value.format;
  if (typeof format !== 'string' || !(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new GuardError(`format must be one of ${EXPORT_FORMATS.join(', ')}`);
  }
  const request: ExportRequest = { format: format as ExportFormat };
  if (value.from !== undefined) request.from = checkTimestamp(value.from, 'from');
  if (value.to !== undefined) request.to = checkTimestamp(value.to, 'to');
  if (request.from !== undefined && request.to !== undefined && request.from > request.to) throw new GuardError('from must not be after to');
  if (value.pid !== undefined) {
    if (!isPid(value.pid)) throw new GuardError(`pid must be an integer in 1..${PID_MAX}`);
    request.pid = value.pid;
  }
  return request;
}

/** Largest recording a client may upload for replay (a dropped or picked file). */
export const MAX_RECORDING_UPLOAD_BYTES = 512 * 1024 * 1024;

/** A recording's display name: one line of plain text, at most 255 characters. */
export function checkRecordingName(value: unknown): string {
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (typeof value !== 'string' || value.length === 0 || value.length > 255 || /[\u0000-\u001f\u007f]/.test(value)) {
    throw new GuardError('recording name must be 1..255 characters without control characters');
  }
  return value;
}

export function checkRecordingBytes(value: unknown): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new GuardError('recording must be bytes (a Uint8Array)');
  if (value.byteLength === 0) throw new GuardError('recording is empty');
  if (value.byteLength > MAX_RECORDING_UPLOAD_BYTES) throw new GuardError(`recording is larger than ${MAX_RECORDING_UPLOAD_BYTES} bytes`);
  return value;
}

/** Validates a call's positional arguments into the call's own; arguments beyond them are dropped. */
type ArgsGuard<M extends ServiceMethod> = (args: readonly unknown[]) => ServiceArgs<M>;

/** One guard per call of ForkscopeService; a Record, so the compiler refuses a call without one. */
export const SERVICE_GUARDS: { readonly [M in ServiceMethod]: ArgsGuard<M> } = {
  hello: () => [],
  requestSnapshot: () => [],
  getDetail: ([request]) => [checkDetailRequest(request)],
  sendSignal: ([request]) => [checkSignalRequest(request)],
  timelineState: () => [],
  timeline: ([buckets]) => [checkTimelineBuckets(buckets)],
  seek: ([ts]) => [checkTimestamp(ts)],
  play: ([speed]) => [checkPlaybackSpeed(speed)],
  pause: () => [],
  step: ([direction]) => [checkStepDirection(direction)],
  goLive: () => [],
  diff: ([from, to]) => [checkTimestamp(from, 'from'), checkTimestamp(to, 'to')],
  exportRecording: ([request]) => [checkExportRequest(request)],
  startRecording: () => [],
  stopRecording: () => [],
  openRecording: ([name, bytes]) => [checkRecordingName(name), checkRecordingBytes(bytes)],
};

/** Own keys only: a name from the wire such as '__proto__' or 'toString' is no call. */
export function isServiceMethod(name: unknown): name is ServiceMethod {
  return typeof name === 'string' && Object.hasOwn(SERVICE_GUARDS, name);
}

export const SERVICE_METHODS: readonly ServiceMethod[] = Object.keys(SERVICE_GUARDS).filter(isServiceMethod);

/**
 * Run one call on a host's implementation after its guard: invalid arguments throw GuardError
 * before the implementation is touched. Both transports (main's IPC, the web host's socket) call
 * through here.
 */
export function callService<M extends ServiceMethod>(
  service: ServiceImplementation,
  method: M,
  args: readonly unknown[],
): ServiceResult<M> | Promise<ServiceResult<M>> {
  const checked = SERVICE_GUARDS[method](args);
  return service[method](...checked);
}
