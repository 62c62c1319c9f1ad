/**
 * Payloads of the records (format.ts frames them). Events and keyframes are JSON compressed with
 * deflateRaw: ProcEvents repeat the same keys and values (kinds, ppids, argv of a loop), which
 * deflate folds to ~15 bytes an event (measured by bench/recording.ts), and JSON keeps the format
 * as open as the NDJSON contract. An events chunk also carries a small uncompressed summary so a
 * reader can index a file, draw its timeline and seek without inflating every chunk.
 */
import { constants } from 'node:buffer';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { ProcEvent } from '../../common/events';
import { isRecord } from '../../common/guards';
import type { ProcessGroup, ProcessInfo } from '../../common/process';
import type { SourceStatus } from '../../common/source';
import { encodePreamble, encodeRecord, MAX_RECORD_BYTES, RecordingFormatError, RecordType } from './format';
import { checkEvent, checkInfo, checkPatch, checkPlacementPatch, checkProcess, checkStatusBody, InvalidValue, isTs } from './validate';

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

/**
 * A model change no event explains, in stream order: the engine re-read a live process's group
 * (cgroup) or NSpid from /proc — after its exec, or a move its periodic scan saw. It holds what
 * the process has then, as a keyframe would, and is applied after the first `after` events of
 * its chunk.
 */
export interface PlacementPatch {
  after: number;
  pid: number;
  startTime: number;
  group?: ProcessGroup;
  nsPid?: number[];
}

export interface ChunkBody {
  events: ProcEvent[];
  patches: ParentPatch[];
  /** Absent in chunks that have none, and in recordings made before groups were recorded. */
  placements?: PlacementPatch[];
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
/**
 * Inflated payloads are bounded too: a hostile deflate stream cannot make us allocate more, nor
 * more than the longest string JSON.parse could be handed.
 */
const MAX_INFLATED_BYTES = Math.min(16 * MAX_RECORD_BYTES, constants.MAX_STRING_LENGTH);
/**
 * Most events one chunk may announce. The writer closes a chunk at 4096 (DEFAULT_TUNING); a
 * summary claiming more is corruption, and a damaged chunk is replayed as that many lost events.
 */
export const MAX_CHUNK_EVENTS = 65_536;

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
  let text: string;
  try {
    text = inflateRawSync(payload, { maxOutputLength: MAX_INFLATED_BYTES }).toString('utf8');
  } catch (error) {
    throw corrupt(offset, `cannot decode payload (${(error as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch {
    // Not JSON.parse's message: it quotes the text, which could carry escapes to a terminal.
    throw corrupt(offset, 'cannot decode payload (inflated, it is not JSON)');
  }
}

function deflateJson(value: unknown): Buffer {
  return deflateRawSync(Buffer.from(JSON.stringify(value), 'utf8'));
}

/** Run a validator over a decoded value: what breaks the contract is a corrupt record at `offset`. */
function checked<T>(offset: number, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof InvalidValue) throw corrupt(offset, error.message);
    throw error;
  }
}

export function encodeInfo(info: RecordingInfo): Buffer {
  return Buffer.from(JSON.stringify(info), 'utf8');
}

/** What every recording starts with: the preamble and the info record. */
export function encodeFileHead(info: RecordingInfo): Buffer {
  return Buffer.concat([encodePreamble(), encodeRecord(RecordType.info, encodeInfo(info))]);
}

export function decodeInfo(payload: Buffer, offset: number): RecordingInfo {
  return checked(offset, () => checkInfo(parseJson(payload, offset, 'recording info')));
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
  if (!isTs(ts) || !Number.isSafeInteger(eventIndex) || eventIndex < 0) throw corrupt(offset, 'keyframe head is malformed');
  return { ts, eventIndex };
}

export function decodeKeyframe(payload: Buffer, offset: number): KeyframeBody {
  const head = decodeKeyframeHead(payload, offset);
  const processes = inflateJson(payload.subarray(KEYFRAME_HEAD_BYTES), offset);
  if (!Array.isArray(processes)) throw corrupt(offset, 'keyframe does not hold a process list');
  return { ...head, processes: checked(offset, () => processes.map((p: unknown, i) => checkProcess(p, `keyframe process ${i}`))) };
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
  // Empty lists are left out: most chunks have neither.
  const { events, patches, placements = [] } = body;
  return Buffer.concat([head, deflateJson({ events, ...(patches.length > 0 ? { patches } : {}), ...(placements.length > 0 ? { placements } : {}) })]);
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
  const { minTs, maxTs, firstIndex, eventCount } = summary;
  if (!isTs(minTs) || !isTs(maxTs) || minTs > maxTs || !Number.isSafeInteger(firstIndex + eventCount) || firstIndex < 0 || eventCount > MAX_CHUNK_EVENTS) {
    throw corrupt(offset, 'events chunk summary is malformed');
  }
  return summary;
}

/** A chunk's events and patches, each checked, and each event within its summary's times. */
export function decodeChunkBody(payload: Buffer, offset: number): ChunkBody {
  const { eventCount, minTs, maxTs } = decodeChunkSummary(payload, offset);
  const value = inflateJson(payload.subarray(SUMMARY_BYTES), offset);
  if (!isRecord(value) || !Array.isArray(value.events) || value.events.length !== eventCount) {
    throw corrupt(offset, `events chunk does not hold the ${eventCount} events its summary announces`);
  }
  const rawEvents: unknown[] = value.events;
  const rawPatches = value.patches === undefined ? [] : value.patches;
  if (!Array.isArray(rawPatches)) throw corrupt(offset, 'events chunk patches are not a list');
  const rawPlacements = value.placements === undefined ? [] : value.placements;
  if (!Array.isArray(rawPlacements)) throw corrupt(offset, 'events chunk placements are not a list');
  return checked(offset, () => {
    const events = rawEvents.map((raw, i) => {
      const event = checkEvent(raw, `event ${i}`);
      if (event.ts < minTs || event.ts > maxTs) throw new InvalidValue(`event ${i}.ts lies outside the chunk's summary (${minTs}..${maxTs})`);
      return event;
    });
    let after = 0;
    const patches = rawPatches.map((patch: unknown, i) => {
      const checkedPatch = checkPatch(patch, `parent patch ${i}`, events.length, after);
      after = checkedPatch.after;
      return checkedPatch;
    });
    after = 0;
    const placements = rawPlacements.map((patch: unknown, i) => {
      const checkedPatch = checkPlacementPatch(patch, `placement patch ${i}`, events.length, after);
      after = checkedPatch.after;
      return checkedPatch;
    });
    return { events, patches, placements };
  });
}

export function encodeStatus(body: StatusBody): Buffer {
  return Buffer.from(JSON.stringify(body), 'utf8');
}

export function decodeStatus(payload: Buffer, offset: number): StatusBody {
  return checked(offset, () => checkStatusBody(parseJson(payload, offset, 'status record')));
}
