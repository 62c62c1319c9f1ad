/**
 * The always-on recording: the last `minutes` of records in memory, at most `maxBytes`. Records
 * are kept in segments that each begin with a keyframe, and whole segments are dropped oldest
 * first, so the ring always starts at a keyframe and any moment in it can be sought. The newest
 * segment is never dropped: the writer's keyframe interval bounds its size.
 *
 * Each record is indexed once, as it is appended (its summary or head decoded, its body left
 * compressed), so reading the ring — which the timeline does every few seconds — only lists the
 * entries: no copy of the ring, no CRC pass, no decoding again.
 */
import { encodeFileHead, type RecordingInfo } from './codec';
import { RECORD_HEADER_BYTES, RecordType, type RecordTypeCode } from './format';
import { indexRecord, Recording, type IndexedRecord } from './Recording';
import type { RecordSink } from './RecordingWriter';

export interface RingLimits {
  minutes: number;
  maxBytes: number;
}

interface Segment {
  startTs: number;
  bytes: number;
  records: IndexedRecord[];
}

export class RingSink implements RecordSink {
  private readonly headBytes: number;
  private segments: Segment[] = [];
  private totalBytes = 0;
  /**
   * Bytes written since the ring started, preamble and info included: a record's offset in its
   * error messages is where it began in that stream (the ring keeps no file image to count in).
   */
  private written: number;

  constructor(
    private readonly info: RecordingInfo,
    private readonly limits: RingLimits,
  ) {
    if (!(limits.minutes > 0) || !(limits.maxBytes > 0)) throw new RangeError('ring minutes and maxBytes must be positive');
    this.headBytes = encodeFileHead(info).length;
    this.written = this.headBytes;
  }

  get bytes(): number {
    return this.headBytes + this.totalBytes;
  }

  append(record: Buffer, type: RecordTypeCode, ts: number): void {
    const indexed = indexRecord({ type, offset: this.written, payload: record.subarray(RECORD_HEADER_BYTES) });
    this.written += record.length;
    if (type === RecordType.keyframe || this.segments.length === 0) this.segments.push({ startTs: ts, bytes: 0, records: [] });
    const segment = this.segments[this.segments.length - 1] as Segment;
    if (indexed) segment.records.push(indexed);
    segment.bytes += record.length;
    this.totalBytes += record.length;
    this.evict(ts);
  }

  /** The ring's contents now, as a recording. Later appends and evictions do not change it. */
  toRecording(): Recording {
    return new Recording(this.info, this.segments.flatMap((segment) => segment.records));
  }

  private evict(now: number): void {
    const horizon = now - this.limits.minutes * 60_000;
    while (this.segments.length > 1) {
      const second = this.segments[1] as Segment;
      // The oldest segment may go once the next one alone covers the time window (it starts
      // before the horizon), or when the ring is over its byte budget.
      if (this.totalBytes <= this.limits.maxBytes && second.startTs > horizon) break;
      const dropped = this.segments.shift() as Segment;
      this.totalBytes -= dropped.bytes;
    }
  }
}
