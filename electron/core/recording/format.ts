/**
 * The Forkscope recording format (docs/recording-format.md): a fixed preamble, then records, each
 * length-prefixed and CRC32-checked, appended in order. Nothing is ever rewritten in place, so a
 * file cut off by a crash is still a valid prefix: readers stop at the last whole record.
 *
 *   preamble  "FORKSCOPE-REC" (13 bytes) · 0x00 · u16 LE version
 *   record    u32 LE payload length · u8 type · u32 LE CRC32(type byte + payload) · payload
 */
import { crc32 } from 'node:zlib';

export const MAGIC = 'FORKSCOPE-REC';
export const FORMAT_VERSION = 1;
export const PREAMBLE_BYTES = MAGIC.length + 1 + 2;
export const RECORD_HEADER_BYTES = 4 + 1 + 4;
/**
 * No record is ever larger than this. A length field above it is corruption (or hostility), not
 * a reason to allocate: a keyframe of 200k processes compresses to a few MiB.
 */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

export const RecordType = {
  /** JSON RecordingInfo; the first record of every file. */
  info: 1,
  /** binary head (ts, eventIndex) + deflateRaw(JSON ProcessInfo[]): the whole model at one moment. */
  keyframe: 2,
  /** binary ChunkSummary + deflateRaw(JSON ChunkBody): a batch of events in kernel order. */
  events: 3,
  /** JSON StatusBody: the source status changed (loss, resync, fallback). */
  status: 4,
} as const;
export type RecordTypeCode = (typeof RecordType)[keyof typeof RecordType];

const KNOWN_TYPES: ReadonlySet<number> = new Set(Object.values(RecordType));

/** A file that is not a recording, or one this build cannot read. Thrown by openRecording. */
export class RecordingFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordingFormatError';
  }
}

export function encodePreamble(version: number = FORMAT_VERSION): Buffer {
  const out = Buffer.alloc(PREAMBLE_BYTES);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt8(0, MAGIC.length);
  out.writeUInt16LE(version, MAGIC.length + 1);
  return out;
}

/** Check the preamble; throws RecordingFormatError for foreign files and other versions. */
export function checkPreamble(data: Uint8Array): void {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (bytes.length < PREAMBLE_BYTES || bytes.toString('latin1', 0, MAGIC.length) !== MAGIC || bytes[MAGIC.length] !== 0) {
    throw new RecordingFormatError('not a Forkscope recording (the file does not start with "FORKSCOPE-REC")');
  }
  const version = bytes.readUInt16LE(MAGIC.length + 1);
  if (version !== FORMAT_VERSION) {
    throw new RecordingFormatError(`unsupported version ${version} (this Forkscope reads version ${FORMAT_VERSION})`);
  }
}

export function encodeRecord(type: RecordTypeCode, payload: Uint8Array): Buffer {
  if (payload.length > MAX_RECORD_BYTES) throw new RangeError(`record of ${payload.length} bytes exceeds ${MAX_RECORD_BYTES}`);
  const out = Buffer.alloc(RECORD_HEADER_BYTES + payload.length);
  out.writeUInt32LE(payload.length, 0);
  out.writeUInt8(type, 4);
  out.set(payload, RECORD_HEADER_BYTES);
  out.writeUInt32LE(recordCrc(out.subarray(4, 5), payload), 5);
  return out;
}

function recordCrc(typeByte: Uint8Array, payload: Uint8Array): number {
  return crc32(payload, crc32(typeByte));
}

export interface RawRecord {
  type: RecordTypeCode;
  /** Byte offset of the record's header in the file. */
  offset: number;
  payload: Buffer;
}

export interface ScanResult {
  records: RawRecord[];
  /**
   * Why reading stopped before the end, if it did: a cut-off last record (a crash mid-write) or
   * a corrupt one. Everything before it is in `records`.
   */
  note?: string;
}

/**
 * Walk the records after the preamble. Never throws on damage past the preamble and never
 * allocates from a length field: payloads are views into `data`, and a length beyond the bytes
 * present is a truncation.
 */
export function scanRecords(data: Buffer): ScanResult {
  checkPreamble(data);
  const records: RawRecord[] = [];
  let offset = PREAMBLE_BYTES;
  while (offset < data.length) {
    if (data.length - offset < RECORD_HEADER_BYTES) {
      return { records, note: `truncated record at byte ${offset}: ${data.length - offset} of ${RECORD_HEADER_BYTES} header bytes — ignored` };
    }
    const length = data.readUInt32LE(offset);
    const type = data.readUInt8(offset + 4);
    const crc = data.readUInt32LE(offset + 5);
    if (length > MAX_RECORD_BYTES) {
      return { records, note: `corrupt record at byte ${offset}: length ${length} exceeds the ${MAX_RECORD_BYTES}-byte limit — stopping there` };
    }
    const end = offset + RECORD_HEADER_BYTES + length;
    if (end > data.length) {
      return { records, note: `truncated record at byte ${offset}: ${data.length - offset - RECORD_HEADER_BYTES} of ${length} payload bytes — ignored` };
    }
    const payload = data.subarray(offset + RECORD_HEADER_BYTES, end);
    if (recordCrc(data.subarray(offset + 4, offset + 5), payload) !== crc) {
      return { records, note: `corrupt record at byte ${offset}: CRC mismatch — stopping there` };
    }
    // A whole, checked record of a type this build does not know was added by a later minor
    // revision of the format (additive by rule): skip it, as the document says.
    if (KNOWN_TYPES.has(type)) records.push({ type: type as RecordTypeCode, offset, payload });
    offset = end;
  }
  return { records };
}
