/**
 * The always-on recording: the last `minutes` of records in memory, at most `maxBytes`. Records
 * are kept in segments that each begin with a keyframe, and whole segments are dropped oldest
 * first, so the ring always starts at a keyframe and any moment in it can be sought. The newest
 * segment is never dropped: the writer's keyframe interval bounds its size.
 */
import { encodeFileHead, type RecordingInfo } from './codec';
import { RecordType, type RecordTypeCode } from './format';
import type { RecordSink } from './RecordingWriter';

export interface RingLimits {
  minutes: number;
  maxBytes: number;
}

interface Segment {
  startTs: number;
  bytes: number;
  records: Buffer[];
}

export class RingSink implements RecordSink {
  private readonly head: Buffer;
  private segments: Segment[] = [];
  private totalBytes = 0;

  constructor(
    info: RecordingInfo,
    private readonly limits: RingLimits,
  ) {
    if (!(limits.minutes > 0) || !(limits.maxBytes > 0)) throw new RangeError('ring minutes and maxBytes must be positive');
    this.head = encodeFileHead(info);
  }

  get bytes(): number {
    return this.head.length + this.totalBytes;
  }

  append(record: Buffer, type: RecordTypeCode, ts: number): void {
    if (type === RecordType.keyframe || this.segments.length === 0) this.segments.push({ startTs: ts, bytes: 0, records: [] });
    const segment = this.segments[this.segments.length - 1] as Segment;
    segment.records.push(record);
    segment.bytes += record.length;
    this.totalBytes += record.length;
    this.evict(ts);
  }

  /** The ring's contents as a recording file image (openRecording reads it). */
  toBuffer(): Buffer {
    return Buffer.concat([this.head, ...this.segments.flatMap((segment) => segment.records)]);
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
