/**
 * A recording is untrusted input: a file picked, dropped or uploaded may be damaged or crafted.
 * Every decoded value passes through here before the model, the Session or the renderer sees it:
 * each field is checked for its type, range and length, and copied into a fresh object that holds
 * only the fields this build knows — so a key like `__proto__` or a field of the wrong type never
 * travels further, whatever later code does with the object (spread it, assign it, render it).
 *
 * Strings are checked for length only: comm, argv and user names can legitimately hold any
 * character (control and bidi ones included), and every view renders them as text.
 */
import { EVENT_KINDS, type EventOrigin, type ProcEvent } from '../../common/events';
import { isPid, isRecord, isStartTime, PID_MAX } from '../../common/guards';
import { parseProcKey, procKey, type ExitRecord, type ProcessGroup, type ProcessInfo, type ProcKey } from '../../common/process';
import type { SourceKind, SourceStatus } from '../../common/source';
import { DEFAULT_TOMBSTONE_TTL_MS } from '../model/ProcessTable';
import type { ParentPatch, PlacementPatch, RecordingInfo, StatusBody } from './codec';

/** A decoded value that breaks the contract; the codec names the record it came from. */
export class InvalidValue extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidValue';
  }
}

/** Latest moment a JavaScript Date can hold: later timestamps would break date formatting. */
export const MAX_TS = 8.64e15;
/** Longest text field (comm, user, signal name, group name...): far above any real one. */
const MAX_NAME = 4096;
/** Longest free text (a path, a reason). */
const MAX_TEXT = 64 * 1024;
/** Most argv entries, and most argv characters in all, in one process or event (ARG_MAX-sized). */
const MAX_ARGV_ENTRIES = 256 * 1024;
const MAX_ARGV_CHARS = 8 * 1024 * 1024;
/** Deepest PID namespace nesting (MAX_PID_NS_LEVEL 32, plus the initial namespace). */
const MAX_NS_LEVELS = 33;
const MAX_U32 = 0xffff_ffff;

const EVENT_KIND_SET: ReadonlySet<string> = new Set(EVENT_KINDS);
const ORIGINS: ReadonlySet<string> = new Set<EventOrigin>(['netlink', 'poll', 'resync', 'replay']);
const SOURCE_KINDS: ReadonlySet<string> = new Set<SourceKind>(['netlink', 'poll', 'replay', 'none']);
/** Every group kind once: a Record, so the compiler refuses one missing from ProcessGroup or unknown to it. */
const GROUP_KIND_RECORD: Readonly<Record<ProcessGroup['kind'], true>> = { unit: true, scope: true, slice: true, container: true, pod: true, user: true, other: true };
const GROUP_KINDS = Object.keys(GROUP_KIND_RECORD) as ReadonlyArray<ProcessGroup['kind']>;
const GROUP_KIND_SET: ReadonlySet<string> = new Set(GROUP_KINDS);

function fail(path: string, what: string): never {
  throw new InvalidValue(`${path} ${what}`);
}

const isInt = (value: unknown, lo: number, hi: number): value is number => typeof value === 'number' && Number.isInteger(value) && value >= lo && value <= hi;
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
/** A moment: ms since the epoch a Date can hold. */
export const isTs = (value: unknown): value is number => typeof value === 'number' && value >= 0 && value <= MAX_TS;
const isAmount = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;
const isText = (value: unknown, max: number): value is string => typeof value === 'string' && value.length <= max;
const isParentPid = (value: unknown): value is number => isInt(value, 0, PID_MAX);
const isU32 = (value: unknown): value is number => isInt(value, 0, MAX_U32);
const isSignalName = (value: unknown): value is string => typeof value === 'string' && value.length <= 16 && /^SIG[A-Z0-9+]+$/.test(value);

function ts(value: unknown, path: string): number {
  if (!isTs(value)) fail(path, `must be a time in ms since the epoch (0..${MAX_TS})`);
  return value;
}

function text(value: unknown, path: string, max = MAX_NAME): string {
  if (!isText(value, max)) fail(path, `must be a string of at most ${max} characters`);
  return value;
}

function bool(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') fail(path, 'must be true or false');
  return value;
}

function count(value: unknown, path: string): number {
  if (!isCount(value)) fail(path, 'must be a non-negative integer');
  return value;
}

function argv(value: unknown, path: string): string[] {
  if (!Array.isArray(value) || value.length > MAX_ARGV_ENTRIES) fail(path, `must be an array of at most ${MAX_ARGV_ENTRIES} strings`);
  let chars = 0;
  for (const arg of value as unknown[]) {
    if (typeof arg !== 'string') fail(path, 'must hold strings only');
    chars += arg.length;
  }
  if (chars > MAX_ARGV_CHARS) fail(path, `must hold at most ${MAX_ARGV_CHARS} characters`);
  return value as string[];
}

/** A ProcKey: `pid@startTime`, a valid pid and start time. */
export function isProcKey(value: unknown): value is ProcKey {
  if (typeof value !== 'string' || value.length > 40) return false;
  const parsed = parseProcKey(value);
  return parsed !== null && isPid(parsed.pid) && isStartTime(parsed.startTime) && procKey(parsed.pid, parsed.startTime) === value;
}

function key(value: unknown, path: string): ProcKey {
  if (!isProcKey(value)) fail(path, 'must be a process key "pid@startTime"');
  return value;
}

/** One recorded event; throws InvalidValue naming `path` and the field. */
export function checkEvent(value: unknown, path: string): ProcEvent {
  if (!isRecord(value)) fail(path, 'must be an object');
  const { kind } = value;
  if (typeof kind !== 'string' || !EVENT_KIND_SET.has(kind)) fail(`${path}.kind`, `must be one of ${EVENT_KINDS.join(', ')}`);
  // A loss is reported for no process in particular (pid 0); every other event names one.
  const { pid } = value;
  if (!(kind === 'lost' ? isParentPid(pid) : isPid(pid))) fail(`${path}.pid`, `must be an integer in ${kind === 'lost' ? 0 : 1}..${PID_MAX}`);
  const event: ProcEvent = { kind: kind as ProcEvent['kind'], ts: ts(value.ts, `${path}.ts`), pid: pid as number };
  if (value.tid !== undefined) event.tid = isPid(value.tid) ? value.tid : fail(`${path}.tid`, `must be an integer in 1..${PID_MAX}`);
  if (value.ppid !== undefined) event.ppid = isParentPid(value.ppid) ? value.ppid : fail(`${path}.ppid`, `must be an integer in 0..${PID_MAX}`);
  if (value.startTime !== undefined) event.startTime = isStartTime(value.startTime) ? value.startTime : fail(`${path}.startTime`, 'must be a non-negative integer');
  if (value.argv !== undefined) event.argv = argv(value.argv, `${path}.argv`);
  if (value.argvLossy !== undefined) event.argvLossy = bool(value.argvLossy, `${path}.argvLossy`);
  if (value.argvTruncated !== undefined) event.argvTruncated = bool(value.argvTruncated, `${path}.argvTruncated`);
  if (value.exe !== undefined) event.exe = text(value.exe, `${path}.exe`, MAX_TEXT);
  if (value.comm !== undefined) event.comm = text(value.comm, `${path}.comm`);
  if (value.code !== undefined) event.code = isInt(value.code, 0, 255) ? value.code : fail(`${path}.code`, 'must be an integer in 0..255');
  if (value.signal !== undefined) event.signal = isSignalName(value.signal) ? value.signal : fail(`${path}.signal`, 'must be a signal name ("SIGKILL")');
  if (value.signo !== undefined) event.signo = isInt(value.signo, 1, 127) ? value.signo : fail(`${path}.signo`, 'must be an integer in 1..127');
  if (value.exitSignal !== undefined) event.exitSignal = isInt(value.exitSignal, -1, 255) ? value.exitSignal : fail(`${path}.exitSignal`, 'must be an integer in -1..255');
  if (value.core !== undefined) event.core = bool(value.core, `${path}.core`);
  for (const id of ['ruid', 'euid', 'rgid', 'egid'] as const) {
    if (value[id] !== undefined) event[id] = isU32(value[id]) ? value[id] : fail(`${path}.${id}`, 'must be an integer in 0..4294967295');
  }
  if (value.tracer !== undefined) event.tracer = isParentPid(value.tracer) ? value.tracer : fail(`${path}.tracer`, `must be an integer in 0..${PID_MAX}`);
  if (value.count !== undefined) event.count = count(value.count, `${path}.count`);
  if (value.reason !== undefined) event.reason = text(value.reason, `${path}.reason`);
  if (value.cpu !== undefined) event.cpu = isU32(value.cpu) ? value.cpu : fail(`${path}.cpu`, 'must be an integer in 0..4294967295');
  if (value.origin !== undefined) {
    event.origin = typeof value.origin === 'string' && ORIGINS.has(value.origin) ? (value.origin as EventOrigin) : fail(`${path}.origin`, `must be one of ${[...ORIGINS].join(', ')}`);
  }
  return event;
}

function checkExit(value: unknown, path: string, own: ProcKey): ExitRecord {
  if (!isRecord(value)) fail(path, 'must be an object');
  if (value.key !== own) fail(`${path}.key`, "must be the process's own key");
  const exit: ExitRecord = { key: own, at: ts(value.at, `${path}.at`) };
  if (value.code !== undefined) exit.code = isInt(value.code, 0, 255) ? value.code : fail(`${path}.code`, 'must be an integer in 0..255');
  if (value.signal !== undefined) exit.signal = isSignalName(value.signal) ? value.signal : fail(`${path}.signal`, 'must be a signal name ("SIGKILL")');
  if (value.core !== undefined) exit.core = bool(value.core, `${path}.core`);
  return exit;
}

function checkGroup(value: unknown, path: string): ProcessGroup {
  if (!isRecord(value)) fail(path, 'must be an object');
  const { kind } = value;
  if (typeof kind !== 'string' || !GROUP_KIND_SET.has(kind)) fail(`${path}.kind`, `must be one of ${GROUP_KINDS.join(', ')}`);
  const group: ProcessGroup = {
    kind: kind as ProcessGroup['kind'],
    id: text(value.id, `${path}.id`, MAX_TEXT),
    name: text(value.name, `${path}.name`),
  };
  if (value.runtime !== undefined) group.runtime = text(value.runtime, `${path}.runtime`);
  return group;
}

function nsPid(value: unknown, path: string): number[] {
  if (!Array.isArray(value) || value.length < 1 || value.length > MAX_NS_LEVELS || !value.every(isPid)) {
    fail(path, `must be 1..${MAX_NS_LEVELS} integers in 1..${PID_MAX}`);
  }
  return value as number[];
}

/** One process of a keyframe (live or tombstone); throws InvalidValue naming `path` and the field. */
export function checkProcess(value: unknown, path: string): ProcessInfo {
  if (!isRecord(value)) fail(path, 'must be an object');
  if (!isPid(value.pid)) fail(`${path}.pid`, `must be an integer in 1..${PID_MAX}`);
  if (!isStartTime(value.startTime)) fail(`${path}.startTime`, 'must be a non-negative integer');
  const own = procKey(value.pid, value.startTime);
  if (value.key !== own) fail(`${path}.key`, 'must be "pid@startTime" of its own pid and startTime');
  if (!isParentPid(value.ppid)) fail(`${path}.ppid`, `must be an integer in 0..${PID_MAX}`);
  if (!isU32(value.uid)) fail(`${path}.uid`, 'must be an integer in 0..4294967295');
  if (value.argv !== null && !Array.isArray(value.argv)) fail(`${path}.argv`, 'must be an array of strings or null');
  if (!isInt(value.threads, 0, PID_MAX)) fail(`${path}.threads`, `must be an integer in 0..${PID_MAX}`);
  const p: ProcessInfo = {
    key: own,
    pid: value.pid,
    ppid: value.ppid,
    startTime: value.startTime,
    startedAt: ts(value.startedAt, `${path}.startedAt`),
    uid: value.uid,
    user: text(value.user, `${path}.user`),
    comm: text(value.comm, `${path}.comm`),
    argv: value.argv === null ? null : argv(value.argv, `${path}.argv`),
    state: text(value.state, `${path}.state`, 16),
    threads: value.threads,
  };
  if (value.rssKb !== undefined) p.rssKb = isAmount(value.rssKb) ? value.rssKb : fail(`${path}.rssKb`, 'must be a non-negative number');
  if (value.cpuPct !== undefined) p.cpuPct = isAmount(value.cpuPct) ? value.cpuPct : fail(`${path}.cpuPct`, 'must be a non-negative number');
  if (value.kernelThread !== undefined) p.kernelThread = bool(value.kernelThread, `${path}.kernelThread`);
  if (value.execs !== undefined) p.execs = count(value.execs, `${path}.execs`);
  if (value.exit !== undefined) p.exit = checkExit(value.exit, `${path}.exit`, own);
  if (value.leaderExit !== undefined) p.leaderExit = checkExit(value.leaderExit, `${path}.leaderExit`, own);
  if (value.inferred !== undefined) p.inferred = bool(value.inferred, `${path}.inferred`);
  if (value.parentKey !== undefined) p.parentKey = key(value.parentKey, `${path}.parentKey`);
  if (value.forkerKey !== undefined) p.forkerKey = key(value.forkerKey, `${path}.forkerKey`);
  if (value.group !== undefined) p.group = checkGroup(value.group, `${path}.group`);
  if (value.nsPid !== undefined) p.nsPid = nsPid(value.nsPid, `${path}.nsPid`);
  return p;
}

/** A recorded source status; throws InvalidValue naming `path` and the field. */
function checkSourceStatus(value: unknown, path: string): SourceStatus {
  if (!isRecord(value)) fail(path, 'must be an object');
  const { kind } = value;
  if (typeof kind !== 'string' || !SOURCE_KINDS.has(kind)) fail(`${path}.kind`, `must be one of ${[...SOURCE_KINDS].join(', ')}`);
  const status: SourceStatus = {
    kind: kind as SourceKind,
    reason: text(value.reason, `${path}.reason`, MAX_TEXT),
    lostEvents: count(value.lostEvents, `${path}.lostEvents`),
    resyncs: count(value.resyncs, `${path}.resyncs`),
  };
  if (value.priority !== undefined) status.priority = text(value.priority, `${path}.priority`);
  if (value.rcvbufBytes !== undefined) status.rcvbufBytes = count(value.rcvbufBytes, `${path}.rcvbufBytes`);
  if (value.pollIntervalMs !== undefined) status.pollIntervalMs = count(value.pollIntervalMs, `${path}.pollIntervalMs`);
  if (value.lastLossAt !== undefined) status.lastLossAt = ts(value.lastLossAt, `${path}.lastLossAt`);
  return status;
}

/** The info record; a field an older writer left out takes its default, a wrong one is refused. */
export function checkInfo(value: unknown): RecordingInfo {
  if (!isRecord(value)) fail('recording info', 'must be an object');
  if (!isInt(value.clkTck, 1, 1_000_000)) fail('recording info clkTck', 'must be an integer in 1..1000000');
  const optionalText = (name: 'machine' | 'kernel' | 'writer'): string => (value[name] === undefined ? 'unknown' : text(value[name], `recording info ${name}`));
  return {
    machine: optionalText('machine'),
    kernel: optionalText('kernel'),
    clkTck: value.clkTck,
    bootEpochMs: ts(value.bootEpochMs, 'recording info bootEpochMs'),
    startedAt: ts(value.startedAt, 'recording info startedAt'),
    tombstoneTtlMs: value.tombstoneTtlMs === undefined ? DEFAULT_TOMBSTONE_TTL_MS : count(value.tombstoneTtlMs, 'recording info tombstoneTtlMs'),
    writer: optionalText('writer'),
  };
}

/** A parent patch of a chunk holding `events` events, after the patch before it (`after` ≥ `minAfter`). */
export function checkPatch(value: unknown, path: string, events: number, minAfter: number): ParentPatch {
  if (!isRecord(value)) fail(path, 'must be an object');
  if (!isInt(value.after, minAfter, events)) fail(`${path}.after`, `must be an integer in ${minAfter}..${events} (patches in stream order)`);
  if (!isPid(value.pid)) fail(`${path}.pid`, `must be an integer in 1..${PID_MAX}`);
  if (!isStartTime(value.startTime)) fail(`${path}.startTime`, 'must be a non-negative integer');
  if (!isParentPid(value.ppid)) fail(`${path}.ppid`, `must be an integer in 0..${PID_MAX}`);
  return { after: value.after, pid: value.pid, startTime: value.startTime, ppid: value.ppid };
}

/** A placement patch of a chunk holding `events` events, after the one before it (`after` ≥ `minAfter`). */
export function checkPlacementPatch(value: unknown, path: string, events: number, minAfter: number): PlacementPatch {
  if (!isRecord(value)) fail(path, 'must be an object');
  if (!isInt(value.after, minAfter, events)) fail(`${path}.after`, `must be an integer in ${minAfter}..${events} (patches in stream order)`);
  if (!isPid(value.pid)) fail(`${path}.pid`, `must be an integer in 1..${PID_MAX}`);
  if (!isStartTime(value.startTime)) fail(`${path}.startTime`, 'must be a non-negative integer');
  const patch: PlacementPatch = { after: value.after, pid: value.pid, startTime: value.startTime };
  if (value.group !== undefined) patch.group = checkGroup(value.group, `${path}.group`);
  if (value.nsPid !== undefined) patch.nsPid = nsPid(value.nsPid, `${path}.nsPid`);
  return patch;
}

/** A status record's body. */
export function checkStatusBody(value: unknown): StatusBody {
  if (!isRecord(value)) fail('status record', 'must be an object');
  if (!isCount(value.eventIndex)) fail('status record eventIndex', 'must be a non-negative integer');
  return { ts: ts(value.ts, 'status record ts'), eventIndex: value.eventIndex, status: checkSourceStatus(value.status, 'status record status') };
}
