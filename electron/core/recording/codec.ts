/**
 * Payloads of the records (format.ts frames them). Events and keyframes are JSON compressed with
 * deflateRaw: ProcEvents repeat the same keys and values (kinds, ppids, argv of a loop), which
 * deflate folds to ~15 bytes an event (measured by bench/recording.ts), and JSON keeps the format
 * as open as the NDJSON contract. An events chunk also carries a small uncompressed summary so a
 * reader can index a file, draw its timeline and seek without inflating every chunk.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { ProcEvent } from '../../common/events';
import type { ProcessInfo } from '../../common/process';
import type { SourceStatus } from '../../common/source';
import { encodePreamble, encodeRecord, MAX_RECORD_BYTES, RecordingFormatError, RecordType } from './format';

/** The first record: where and when the recording was made. */
export interface RecordingInfo {
  /** Host name of the machine recorded. */
  machine: string;
  /** `uname -r` of the machine recorded. */
  kernel: string;
  clkTck: number;
  bootEpochMs: number;
  /** ms since epoch when recording started. */
  startedAt: number;
  /** Tombstone lifetime of the recorded model: replay expires tombstones the same way. */
  tombstoneTtlMs: number;
  /** The program that wrote it ("forkscope 0.1.0"). */
  writer: string;
}

/** The whole model at one moment: live processes and tombstones. */
export interface KeyframeBody {
  ts: number;
  /** Events recorded before this keyframe: replay continues with event number `eventIndex`. */
  eventIndex: number;
  processes: ProcessInfo[];
}

/**
 * A model change no event explains, in stream order: the engine re-read an orphan's parent from
 * /proc. Applied after the first `after` events of its chunk.
 */
export interface ParentPatch {
  after: number;
  pid: number;
  startTime: number;
  ppid: number;
}

export interface ChunkBody {
  events: ProcEvent[];
  patches: ParentPatch[];
}

/** What a reader learns of a chunk without inflating it. */
export interface ChunkSummary {
  /** Earliest and latest event time in the chunk (events from different CPUs may interleave). */
  minTs: number;
  maxTs: number;
  /** Global number of the chunk's first event. */
  firstIndex: number;
  eventCount: number;
  /** Events lost per `lost` events in the chunk (a lost event without a count counts 1). */
  lostCount: number;
}

export interface StatusBody {
  ts: number;
  eventIndex: number;
  status: SourceStatus;
}

const SUMMARY_BYTES = 8 + 8 + 8 + 4 + 4;
/** Inflated payloads are bounded too: a hostile deflate stream cannot make us allocate more. */
const MAX_INFLATED_BYTES = 16 * MAX_RECORD_BYTES;

function corrupt(offset: number, why: string): RecordingFormatError {
  return new RecordingFormatError(`corrupt record at byte ${offset}: ${why}`);
}

/** A plain JSON payload (info, status); `what` names it in the error. */
function parseJson(payload: Buffer, offset: number, what: string): unknown {
  try {
    return JSON.parse(payload.toString('utf8'));
  } catch {
    throw corrupt(offset, `${what} is not JSON`);
  }
}

function inflateJson(payload: Uint8Array, offset: number): unknown {
  try {
    return JSON.parse(inflateRawSync(payload, { maxOutputLength: MAX_INFLATED_BYTES }).toString('utf8'));
  } catch (error) {
    throw corrupt(offset, `cannot decode payload (${(error as Error).message})`);
  }
}

function deflateJson(value: unknown): Buffer {
  return deflateRawSync(Buffer.from(JSON.stringify(value), 'utf8'));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isOptionalString = (value: unknown): boolean => value === undefined || typeof value === 'string';

export function encodeInfo(info: RecordingInfo): Buffer {
  return Buffer.from(JSON.stringify(info), 'utf8');
}

/** What every recording starts with: the preamble and the info record. */
export function encodeFileHead(info: RecordingInfo): Buffer {
  return Buffer.concat([encodePreamble(), encodeRecord(RecordType.info, encodeInfo(info))]);
}

export function decodeInfo(payload: Buffer, offset: number): RecordingInfo {
  const value = parseJson(payload, offset, 'recording info');
  if (!isRecord(value) || !isNumber(value.clkTck) || value.clkTck <= 0 || !isNumber(value.bootEpochMs) || !isNumber(value.startedAt)) {
    throw corrupt(offset, 'recording info lacks clkTck, bootEpochMs or startedAt');
  }
  return {
    machine: typeof value.machine === 'string' ? value.machine : 'unknown',
    kernel: typeof value.kernel === 'string' ? value.kernel : 'unknown',
    clkTck: value.clkTck,
    bootEpochMs: value.bootEpochMs,
    startedAt: value.startedAt,
    tombstoneTtlMs: isNumber(value.tombstoneTtlMs) && value.tombstoneTtlMs >= 0 ? value.tombstoneTtlMs : 5000,
    writer: typeof value.writer === 'string' ? value.writer : 'unknown',
  };
}

const KEYFRAME_HEAD_BYTES = 8 + 8;

/** f64 ts · f64 eventIndex · deflateRaw(JSON ProcessInfo[]): indexing reads only the head. */
export function encodeKeyframe(body: KeyframeBody): Buffer {
  const head = Buffer.alloc(KEYFRAME_HEAD_BYTES);
  head.writeDoubleLE(body.ts, 0);
  head.writeDoubleLE(body.eventIndex, 8);
  return Buffer.concat([head, deflateJson(body.processes)]);
}

export function decodeKeyframeHead(payload: Buffer, offset: number): Omit<KeyframeBody, 'processes'> {
  if (payload.length < KEYFRAME_HEAD_BYTES) throw corrupt(offset, 'keyframe shorter than its head');
  const ts = payload.readDoubleLE(0);
  const eventIndex = payload.readDoubleLE(8);
  if (!Number.isFinite(ts) || !Number.isSafeInteger(eventIndex) || eventIndex < 0) throw corrupt(offset, 'keyframe head is malformed');
  return { ts, eventIndex };
}

export function decodeKeyframe(payload: Buffer, offset: number): KeyframeBody {
  const head = decodeKeyframeHead(payload, offset);
  const processes = inflateJson(payload.subarray(KEYFRAME_HEAD_BYTES), offset);
  if (!Array.isArray(processes)) throw corrupt(offset, 'keyframe does not hold a process list');
  for (const p of processes as unknown[]) {
    if (!isRecord(p) || typeof p.key !== 'string' || !isNumber(p.pid) || !isNumber(p.ppid) || !isNumber(p.startTime)) {
      throw corrupt(offset, 'keyframe holds a process without key, pid, ppid or startTime');
    }
    if (!isOptionalString(p.parentKey) || !isOptionalString(p.forkerKey)) {
      throw corrupt(offset, 'keyframe holds a process whose parentKey or forkerKey is not a key');
    }
  }
  return { ...head, processes: processes as ProcessInfo[] };
}

export function summarize(body: ChunkBody, firstIndex: number, fallbackTs: number): ChunkSummary {
  let minTs = Infinity;
  let maxTs = -Infinity;
  let lostCount = 0;
  for (const event of body.events) {
    if (event.ts < minTs) minTs = event.ts;
    if (event.ts > maxTs) maxTs = event.ts;
    if (event.kind === 'lost') lostCount += event.count ?? 1;
  }
  return {
    minTs: body.events.length > 0 ? minTs : fallbackTs,
    maxTs: body.events.length > 0 ? maxTs : fallbackTs,
    firstIndex,
    eventCount: body.events.length,
    lostCount,
  };
}

export function encodeChunk(summary: ChunkSummary, body: ChunkBody): Buffer {
  const head = Buffer.alloc(SUMMARY_BYTES);
  head.writeDoubleLE(summary.minTs, 0);
  head.writeDoubleLE(summary.maxTs, 8);
  head.writeDoubleLE(summary.firstIndex, 16);
  head.writeUInt32LE(summary.eventCount, 24);
  head.writeUInt32LE(summary.lostCount, 28);
  return Buffer.concat([head, deflateJson(body.patches.length > 0 ? body : { events: body.events })]);
}

export function decodeChunkSummary(payload: Buffer, offset: number): ChunkSummary {
  if (payload.length < SUMMARY_BYTES) throw corrupt(offset, 'events chunk shorter than its summary');
  const summary: ChunkSummary = {
    minTs: payload.readDoubleLE(0),
    maxTs: payload.readDoubleLE(8),
    firstIndex: payload.readDoubleLE(16),
    eventCount: payload.readUInt32LE(24),
    lostCount: payload.readUInt32LE(28),
  };
  if (!Number.isFinite(summary.minTs) || !Number.isFinite(summary.maxTs) || !Number.isSafeInteger(summary.firstIndex) || summary.firstIndex < 0) {
    throw corrupt(offset, 'events chunk summary is malformed');
  }
  return summary;
}

export function decodeChunkBody(payload: Buffer, offset: number, expectedEvents: number): ChunkBody {
  const value = inflateJson(payload.subarray(SUMMARY_BYTES), offset);
  if (!isRecord(value) || !Array.isArray(value.events) || value.events.length !== expectedEvents) {
    throw corrupt(offset, `events chunk does not hold the ${expectedEvents} events its summary announces`);
  }
  for (const event of value.events as unknown[]) {
    if (!isRecord(event) || typeof event.kind !== 'string' || !isNumber(event.ts) || !isNumber(event.pid)) {
      throw corrupt(offset, 'events chunk holds an event without kind, ts or pid');
    }
  }
  const patches = Array.isArray(value.patches) ? (value.patches as unknown[]) : [];
  for (const patch of patches) {
    if (!isRecord(patch) || !isNumber(patch.after) || !isNumber(patch.pid) || !isNumber(patch.startTime) || !isNumber(patch.ppid)) {
      throw corrupt(offset, 'events chunk holds a malformed parent patch');
    }
  }
  return { events: value.events as ProcEvent[], patches: patches as ParentPatch[] };
}

export function encodeStatus(body: StatusBody): Buffer {
  return Buffer.from(JSON.stringify(body), 'utf8');
}

export function decodeStatus(payload: Buffer, offset: number): StatusBody {
  const value = parseJson(payload, offset, 'status record');
  if (!isRecord(value) || !isNumber(value.ts) || !isNumber(value.eventIndex) || !isRecord(value.status)) {
    throw corrupt(offset, 'status record lacks ts, eventIndex or status');
  }
  return value as unknown as StatusBody;
}
