/**
 * A recording opened for reading: indexed by one scan of its records (a live ring's records are
 * indexed as they are written: RingSink), events inflated lazily chunk by chunk (a small cache
 * serves scrubbing back and forth).
 *
 *   const recording = openRecording('storm.fsrec');      // or a Buffer (a dropped file)
 *   recording.timeRange;                                 // { start, end } ms since epoch
 *   recording.eventDensity(400);                         // the timeline: counts per bucket, losses
 *   recording.stateAt(ts);                               // the model then (keyframe + events)
 *   recording.eventsBetween(t0, t1);  recording.diff(t0, t1);
 *   recording.replayBetween(t0, t1);                     // the same events, each with its process's group
 *
 * A moment `ts` means "after every event up to the first one later than ts", in stream order.
 */
import { readFileSync } from 'node:fs';
import type { ProcEvent } from '../../common/events';
import type { ProcessGroup, ProcessInfo } from '../../common/process';
import type { SourceStatus } from '../../common/source';
import type { TimelineDensity, TimelineLoss } from '../../common/timeline';
import {
  decodeChunkBody,
  decodeChunkSummary,
  decodeInfo,
  decodeKeyframe,
  decodeKeyframeHead,
  decodeStatus,
  type ChunkBody,
  type ChunkSummary,
  type KeyframeBody,
  type RecordingInfo,
  type StatusBody,
} from './codec';
import { diffStates, type StateDiff } from './diffStates';
import { RecordingFormatError, RecordType, scanRecords, type RawRecord } from './format';
import type { PlacementChange } from '../model/ProcessTable';
import { ReplayModel } from './ReplayModel';

/** One step of replayBetween: an event (with its process's group right after it), or a group or NSpid re-read. */
export type ReplayStep = { event: ProcEvent; group?: ProcessGroup } | { placed: PlacementChange; ts: number };

export type LossMarker = TimelineLoss;
export type EventDensity = TimelineDensity;

/**
 * An events chunk as indexed: its summary read, its body still compressed. Entries are shared by
 * every Recording built over the same records (a ring is re-read on every timeline request), so
 * what is learned of a chunk once — its loss markers — is kept here.
 */
export interface ChunkEntry {
  offset: number;
  summary: ChunkSummary;
  payload: Buffer;
  /** The chunk's `lost` events as markers, once a reader has inflated it for them. */
  losses?: LossMarker[];
}

export interface KeyframeEntry {
  offset: number;
  ts: number;
  eventIndex: number;
  payload: Buffer;
  /** Set once its processes were found not to decode: seeks then start from an earlier keyframe. */
  damaged?: boolean;
}

/** A record as the index needs it: heads and summaries decoded, bodies left compressed. */
export type IndexedRecord =
  | { type: typeof RecordType.events; entry: ChunkEntry }
  | { type: typeof RecordType.keyframe; entry: KeyframeEntry }
  | { type: typeof RecordType.status; entry: StatusBody };

/**
 * Decode what indexing reads of one record (undefined for a record the index ignores). Throws
 * RecordingFormatError for a record that passed its CRC but does not decode.
 */
export function indexRecord(record: RawRecord): IndexedRecord | undefined {
  const { type, offset, payload } = record;
  if (type === RecordType.events) return { type, entry: { offset, summary: decodeChunkSummary(payload, offset), payload } };
  // Only a keyframe's head is read now; its processes are inflated on seek, so opening is fast
  // and a long recording does not hold every keyframe's model in memory.
  if (type === RecordType.keyframe) return { type, entry: { offset, ...decodeKeyframeHead(payload, offset), payload } };
  if (type === RecordType.status) return { type, entry: decodeStatus(payload, offset) };
  return undefined;
}

/**
 * Bounds on what one request may replay, so a crafted file cannot make a seek or a playback
 * frame run for hours (a deflated chunk of identical events is tiny). The writer keyframes every
 * 50 000 events (DEFAULT_TUNING): a seek then replays at most 20 times that. A recording of
 * 2^26 events is ~1 GB of real events (15 bytes each, docs/recording-format.md).
 */
export const MAX_KEYFRAME_INTERVAL = 1_000_000;
export const MAX_RECORDING_EVENTS = 2 ** 26;

/** Damaged records named one by one in `notes` (see Recording.note). */
const MAX_NOTES = 20;
const CHUNK_CACHE_SIZE = 64;
/** Decoded keyframes kept: a few intervals of scrubbing, ~7000 processes each at most. */
const KEYFRAME_CACHE_SIZE = 4;

export class Recording {
  readonly info: RecordingInfo;
  /** Why reading stopped early (a crash-cut or corrupt tail), if it did. */
  readonly notes: string[] = [];
  /** Damage found past MAX_NOTES: counted in the last note rather than listed. */
  private notesLeftOut = 0;
  /** Global number of the first recorded event (0 for a file; later for a ring). */
  readonly firstIndex: number;
  /** One past the number of the last recorded event. */
  readonly endIndex: number;
  readonly eventCount: number;
  readonly keyframeCount: number;
  readonly statuses: StatusBody[] = [];
  private readonly chunks: ChunkEntry[] = [];
  private readonly keyframes: KeyframeEntry[] = [];
  private readonly cache = new Map<number, ChunkBody>();
  /** Decoded keyframes by event index, least recently used first. */
  private readonly keyframeCache = new Map<number, KeyframeBody>();

  /**
   * Index `records` (the ones after the info record) in order. The first that does not decode or
   * is out of sequence ends the recording there: what came before it is good, what follows it
   * cannot be trusted. `notes` says why an earlier reader stopped (a cut-off or corrupt tail).
   */
  constructor(info: RecordingInfo, records: Iterable<IndexedRecord>, notes: readonly string[] = []) {
    this.info = info;
    this.notes.push(...notes);
    let end: number | undefined;
    try {
      for (const record of records) end = this.index(record, end);
    } catch (error) {
      if (!(error instanceof RecordingFormatError)) throw error;
      this.notes.push(`${error.message} — stopping there`);
    }
    if (this.keyframes.length === 0) throw new RecordingFormatError('recording holds no keyframe: it was cut off before its first model snapshot');
    this.firstIndex = (this.keyframes[0] as KeyframeEntry).eventIndex;
    this.endIndex = end ?? this.firstIndex;
    this.eventCount = this.endIndex - this.firstIndex;
    this.keyframeCount = this.keyframes.length;
  }

  /**
   * Index one record; `end` is the number of the next event expected (undefined before the first
   * keyframe: a ring's contents start at a keyframe well into the stream). Returns the new end.
   */
  private index(record: IndexedRecord, end: number | undefined): number | undefined {
    if (record.type === RecordType.status) {
      this.statuses.push(record.entry);
      return end;
    }
    const { entry } = record;
    const outOfSequence = (): RecordingFormatError =>
      new RecordingFormatError(`corrupt record at byte ${entry.offset}: ${record.type === RecordType.events ? 'events chunk' : 'keyframe'} out of sequence`);
    if (record.type === RecordType.events) {
      if (record.entry.summary.firstIndex !== end) throw outOfSequence();
      const next = end + record.entry.summary.eventCount;
      const sinceKeyframe = next - (this.keyframes[this.keyframes.length - 1] as KeyframeEntry).eventIndex;
      if (sinceKeyframe > MAX_KEYFRAME_INTERVAL || next - (this.keyframes[0] as KeyframeEntry).eventIndex > MAX_RECORDING_EVENTS) {
        throw new RecordingFormatError(
          `corrupt record at byte ${entry.offset}: more than ${sinceKeyframe > MAX_KEYFRAME_INTERVAL ? `${MAX_KEYFRAME_INTERVAL} events since the last keyframe` : `${MAX_RECORDING_EVENTS} events in all`}`,
        );
      }
      this.chunks.push(record.entry);
      return next;
    }
    if (end !== undefined && record.entry.eventIndex !== end) throw outOfSequence();
    this.keyframes.push(record.entry);
    return record.entry.eventIndex;
  }

  get timeRange(): { start: number; end: number } {
    // Kernel timestamps of events in flight when recording began can precede its wall-clock start.
    let start = Math.min(this.info.startedAt, (this.keyframes[0] as KeyframeEntry).ts);
    let end = this.info.startedAt;
    for (const chunk of this.chunks) {
      start = Math.min(start, chunk.summary.minTs);
      end = Math.max(end, chunk.summary.maxTs);
    }
    for (const keyframe of this.keyframes) end = Math.max(end, keyframe.ts);
    return { start, end };
  }

  /** The last source status recorded. */
  get lastStatus(): SourceStatus | undefined {
    return this.statuses[this.statuses.length - 1]?.status;
  }

  /**
   * The timeline: events per bucket over the whole recording, and every loss. Read from the chunk
   * summaries alone, never inflating a chunk's events (a live ring is asked every few seconds): a
   * chunk's events are spread evenly over the buckets its [minTs, maxTs] covers. Each bucket's
   * count is therefore exact to within the chunks that straddle its edges (a chunk spans ≤ 100 ms
   * of writing; a straggler delivered late widens its chunk's span), and the total is exact.
   * Loss markers are exact: chunks holding `lost` events are inflated once for them.
   */
  eventDensity(buckets: number): EventDensity {
    if (!Number.isInteger(buckets) || buckets < 1) throw new RangeError('buckets must be a positive integer');
    const { start, end } = this.timeRange;
    const bucketMs = Math.max(end - start, 1) / buckets;
    const counts = new Array<number>(buckets).fill(0);
    for (const { summary } of this.chunks) {
      if (summary.eventCount > 0) spread(counts, (summary.minTs - start) / bucketMs, (summary.maxTs - start) / bucketMs, summary.eventCount);
    }
    return { start, end, bucketMs, counts, losses: this.lossMarkers() };
  }

  /** Lost-event markers and source reports of loss, in time order. */
  lossMarkers(): LossMarker[] {
    const markers: LossMarker[] = [];
    for (let i = 0; i < this.chunks.length; i++) {
      const entry = this.chunks[i] as ChunkEntry;
      if (entry.summary.lostCount === 0 && entry.losses === undefined) continue;
      entry.losses ??= this.chunkBody(i)
        .events.filter((event) => event.kind === 'lost')
        .map((event) => ({ ts: event.ts, count: event.count ?? 0, reason: event.reason ?? 'lost' }));
      markers.push(...entry.losses);
    }
    let lostBefore = this.statuses[0]?.status.lostEvents ?? 0;
    for (const { ts, status } of this.statuses) {
      if (status.lostEvents > lostBefore) markers.push({ ts, count: status.lostEvents - lostBefore, reason: `source reported loss (${status.kind})` });
      lostBefore = Math.max(lostBefore, status.lostEvents);
    }
    return markers.sort((a, b) => a.ts - b.ts);
  }

  /** Position (global event number) of `ts`: every event up to the first one later than ts. */
  positionAt(ts: number): number {
    return this.positionAfter(this.firstIndex, ts);
  }

  /**
   * Where playing on from position `from` stops at time `ts`: the first position at or after
   * `from` whose event is later than `ts`, in stream order (endIndex when there is none). Chunks
   * whose every event is at or before `ts` are skipped on their summary.
   */
  positionAfter(from: number, ts: number): number {
    if (from >= this.endIndex) return this.endIndex;
    for (let i = Math.max(0, this.chunkIndexOf(from)); i < this.chunks.length; i++) {
      const { summary } = this.chunks[i] as ChunkEntry;
      const lo = Math.max(from, summary.firstIndex) - summary.firstIndex;
      if (lo >= summary.eventCount || summary.maxTs <= ts) continue;
      const events = this.chunkBody(i).events;
      for (let k = lo; k < events.length; k++) if ((events[k] as ProcEvent).ts > ts) return summary.firstIndex + k;
    }
    return this.endIndex;
  }

  /** The event with this global number (0-based). */
  eventAt(index: number): ProcEvent | undefined {
    const chunk = this.chunkIndexOf(index);
    if (chunk === -1) return undefined;
    return this.chunkBody(chunk).events[index - (this.chunks[chunk] as ChunkEntry).summary.firstIndex];
  }

  /** The model after the first `position` events, at time `ts` (for tombstone expiry). */
  modelAt(position: number, ts: number): ReplayModel {
    const { keyframe, body } = this.usableKeyframe(position, ts);
    const slices = this.rangeSlices(keyframe.eventIndex, position);
    const referencedPids = new Set<number>();
    let settlesAt = Math.max(ts, keyframe.ts);
    for (const slice of slices) {
      for (const event of slice.events) {
        referencedPids.add(event.pid);
        if (event.ppid !== undefined) referencedPids.add(event.ppid);
        if (event.tid !== undefined) referencedPids.add(event.tid);
        if (event.tracer !== undefined) referencedPids.add(event.tracer);
        if (event.ts > settlesAt) settlesAt = event.ts;
      }
      for (const patch of slice.patches) referencedPids.add(patch.pid).add(patch.ppid);
      for (const patch of slice.placements ?? []) referencedPids.add(patch.pid);
    }
    const model = new ReplayModel(this.info, body, { settlesAt, referencedPids });
    for (const slice of slices) model.apply(slice);
    model.advanceTo(ts);
    return model;
  }

  /**
   * Apply events [from, to) to `model`, with the parent and placement patches recorded after
   * event `from` and up to event `to` (a patch recorded after n events belongs to position n).
   * Returns the events applied, in order.
   */
  applyRange(model: ReplayModel, from: number, to: number): ProcEvent[] {
    const applied: ProcEvent[] = [];
    for (const slice of this.rangeSlices(from, to)) {
      model.apply(slice);
      for (const event of slice.events) applied.push(event);
    }
    return applied;
  }

  /**
   * Events [from, to) chunk by chunk, each with its patches renumbered to count from the slice's
   * first event. Returned as a list, not a generator, so that a seek can read a range twice
   * without inflating again the chunks the small chunk cache has already let go.
   */
  private rangeSlices(from: number, to: number): ChunkBody[] {
    const slices: ChunkBody[] = [];
    for (let i = Math.max(0, this.chunkIndexOf(from)); i < this.chunks.length; i++) {
      const { summary } = this.chunks[i] as ChunkEntry;
      if (summary.firstIndex > to) break;
      const end = summary.firstIndex + summary.eventCount;
      if (end < from) continue;
      const body = this.chunkBody(i);
      const lo = Math.max(from, summary.firstIndex) - summary.firstIndex;
      const hi = Math.min(to, end) - summary.firstIndex;
      const within = <T extends { after: number }>(list: readonly T[]): T[] =>
        list.filter((patch) => summary.firstIndex + patch.after > from && summary.firstIndex + patch.after <= to).map((patch) => ({ ...patch, after: patch.after - lo }));
      const patches = within(body.patches);
      const placements = within(body.placements ?? []);
      if (hi > lo || patches.length > 0 || placements.length > 0) slices.push({ events: body.events.slice(lo, Math.max(lo, hi)), patches, placements });
    }
    return slices;
  }

  /**
   * A keyframe's processes, inflated at most once while it stays among the last few used:
   * scrubbing back and forth keeps landing in the same keyframe intervals. The bodies are shared
   * read-only: ReplayModel copies what it loads into its table.
   */
  private keyframeBody(keyframe: KeyframeEntry): KeyframeBody {
    const cached = this.keyframeCache.get(keyframe.eventIndex);
    if (cached) {
      this.keyframeCache.delete(keyframe.eventIndex);
      this.keyframeCache.set(keyframe.eventIndex, cached);
      return cached;
    }
    const body = decodeKeyframe(keyframe.payload, keyframe.offset);
    this.keyframeCache.set(keyframe.eventIndex, body);
    if (this.keyframeCache.size > KEYFRAME_CACHE_SIZE) this.keyframeCache.delete(this.keyframeCache.keys().next().value as number);
    return body;
  }

  /** The model at `ts`: live processes and tombstones not yet expired then. */
  stateAt(ts: number): ProcessInfo[] {
    return this.modelAt(this.positionAt(ts), ts).processes();
  }

  /** Events with t0 ≤ ts ≤ t1, in recorded order. */
  eventsBetween(t0: number, t1: number): ProcEvent[] {
    const out: ProcEvent[] = [];
    for (let i = 0; i < this.chunks.length; i++) {
      const { summary } = this.chunks[i] as ChunkEntry;
      if (summary.eventCount === 0 || summary.maxTs < t0 || summary.minTs > t1) continue;
      for (const event of this.chunkBody(i).events) if (event.ts >= t0 && event.ts <= t1) out.push(event);
    }
    return out;
  }

  /**
   * eventsBetween(t0, t1) replayed on the model, a chunk's worth at a time: each event with the
   * group its process has right after it (fork and exec, the lines `events --json` names), and
   * the group and NSpid re-reads recorded among them, at the model's clock then.
   */
  *replayBetween(t0: number, t1: number): Generator<ReplayStep[]> {
    const covers = ({ summary }: ChunkEntry): boolean => summary.eventCount > 0 && summary.maxTs >= t0 && summary.minTs <= t1;
    const first = this.chunks.findIndex(covers);
    if (first < 0) return;
    let last = first;
    for (let i = first; i < this.chunks.length; i++) if (covers(this.chunks[i] as ChunkEntry)) last = i;
    const start = (this.chunks[first] as ChunkEntry).summary;
    const model = this.modelAt(start.firstIndex, Math.min(t0, start.minTs));
    for (let i = first; i <= last; i++) {
      const { summary } = this.chunks[i] as ChunkEntry;
      const steps: ReplayStep[] = [];
      for (const slice of this.rangeSlices(summary.firstIndex, summary.firstIndex + summary.eventCount)) {
        model.apply(slice, {
          event(event) {
            if (event.ts < t0 || event.ts > t1) return;
            const group = event.kind === 'fork' || event.kind === 'exec' ? model.table.live(event.pid)?.group : undefined;
            steps.push(group ? { event, group } : { event });
          },
          placed(change) {
            if (model.now >= t0 && model.now <= t1) steps.push({ placed: change, ts: model.now });
          },
        });
      }
      yield steps;
    }
  }

  /** Every event, chunk by chunk, without holding them all at once. */
  *events(): Generator<ProcEvent> {
    for (let i = 0; i < this.chunks.length; i++) yield* this.chunkBody(i).events;
  }

  /** What started, ended and changed between two moments. */
  diff(t0: number, t1: number): StateDiff {
    const [from, to] = t0 <= t1 ? [t0, t1] : [t1, t0];
    return diffStates(this.stateAt(from), this.stateAt(to), this.eventsBetween(from, to));
  }

  private keyframeFor(position: number, ts: number): KeyframeEntry {
    let best = this.keyframes[0] as KeyframeEntry;
    for (const keyframe of this.keyframes) {
      if (keyframe.eventIndex <= position && keyframe.ts <= ts && !keyframe.damaged) best = keyframe;
      else if (keyframe.eventIndex > position) break;
    }
    return best;
  }

  /**
   * The nearest keyframe that decodes, and its processes. One that does not (it passed its CRC
   * but its processes break the contract) is marked and named in `notes`, and the seek starts
   * from an earlier one: slower, and what only the skipped keyframe held (a resync's changes, the
   * detail of its tombstones) is missing until the next one, as after a loss. The first keyframe always decodes: openRecording
   * refuses a file whose first one does not, and a ring's are written by this build.
   */
  private usableKeyframe(position: number, ts: number): { keyframe: KeyframeEntry; body: KeyframeBody } {
    for (;;) {
      const keyframe = this.keyframeFor(position, ts);
      try {
        return { keyframe, body: this.keyframeBody(keyframe) };
      } catch (error) {
        if (!(error instanceof RecordingFormatError) || keyframe === this.keyframes[0]) throw error;
        keyframe.damaged = true;
        this.note(`${error.message} — seeking from the keyframe before it`);
      }
    }
  }

  /**
   * Name one damaged record found while reading. A crafted file can hold thousands: past
   * MAX_NOTES the last note counts the rest, so the timeline state sent on every playback frame
   * stays small.
   */
  private note(message: string): void {
    if (this.notes.length < MAX_NOTES) this.notes.push(message);
    else this.notes[MAX_NOTES] = `… and ${++this.notesLeftOut} more damaged records`;
  }

  /** Decode the first keyframe now: a recording whose first model does not decode shows nothing. */
  checkFirstKeyframe(): void {
    this.keyframeBody(this.keyframes[0] as KeyframeEntry);
  }

  private chunkIndexOf(index: number): number {
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const { summary } = this.chunks[mid] as ChunkEntry;
      if (index < summary.firstIndex) hi = mid - 1;
      else if (index >= summary.firstIndex + summary.eventCount && !(summary.eventCount === 0 && index === summary.firstIndex)) lo = mid + 1;
      else return mid;
    }
    return -1;
  }

  private chunkBody(i: number): ChunkBody {
    const cached = this.cache.get(i);
    if (cached) {
      this.cache.delete(i);
      this.cache.set(i, cached);
      return cached;
    }
    const entry = this.chunks[i] as ChunkEntry;
    const body = decodeChunkOrLoss(entry, (note) => this.note(note));
    this.cache.set(i, body);
    if (this.cache.size > CHUNK_CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as number);
    return body;
  }
}

/**
 * A chunk's body, or — when it passed its CRC but does not decode or breaks the contract — its
 * announced events replayed as lost, so every event number keeps its place: the moments around
 * it replay as they would after a kernel loss, the timeline marks it, and `notes` says why.
 */
function decodeChunkOrLoss(entry: ChunkEntry, note: (message: string) => void): ChunkBody {
  try {
    return decodeChunkBody(entry.payload, entry.offset);
  } catch (error) {
    if (!(error instanceof RecordingFormatError)) throw error;
    const { eventCount, minTs } = entry.summary;
    if (entry.losses === undefined) note(`${error.message} — its ${eventCount} events are replayed as lost`);
    const reason = `damaged record at byte ${entry.offset}`;
    entry.losses = eventCount > 0 ? [{ ts: minTs, count: eventCount, reason }] : [];
    const lost: ProcEvent = Object.freeze({ kind: 'lost', ts: minTs, pid: 0, count: 1, reason, origin: 'replay' });
    return { events: new Array<ProcEvent>(eventCount).fill(lost), patches: [] };
  }
}

/**
 * Add `count` events spread evenly over [lo, hi] (in buckets from the timeline's start) to
 * `counts`, in whole events: each bucket gets the events up to its right edge, rounded, minus
 * those already given, so the last bucket takes the remainder and the total is exactly `count`.
 */
function spread(counts: number[], lo: number, hi: number, count: number): void {
  const last = counts.length - 1;
  const first = Math.min(last, Math.max(0, Math.floor(lo)));
  const final = Math.min(last, Math.max(0, Math.floor(hi)));
  let given = 0;
  for (let bucket = first; bucket < final; bucket++) {
    const share = Math.round((count * (bucket + 1 - lo)) / (hi - lo));
    counts[bucket] = (counts[bucket] ?? 0) + share - given;
    given = share;
  }
  counts[final] = (counts[final] ?? 0) + count - given;
}

/**
 * Open a recording from a path or the bytes of one. Foreign, unsupported or empty files throw a
 * RecordingFormatError with a clear message; a damaged tail is cut off and named in `notes`.
 */
export function openRecording(source: string | Buffer): Recording {
  let data: Buffer;
  if (typeof source === 'string') {
    try {
      data = readFileSync(source);
    } catch (error) {
      throw new RecordingFormatError(`cannot read ${source}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  } else data = source;
  const scan = scanRecords(data);
  const [first, ...rest] = scan.records;
  if (!first || first.type !== RecordType.info) throw new RecordingFormatError('not a Forkscope recording (no recording info record)');
  const recording = new Recording(decodeInfo(first.payload, first.offset), indexAll(rest), scan.note === undefined ? [] : [scan.note]);
  recording.checkFirstKeyframe();
  return recording;
}

/** Index records one at a time, so a record that does not decode stops the Recording there. */
function* indexAll(records: readonly RawRecord[]): Generator<IndexedRecord> {
  for (const record of records) {
    const indexed = indexRecord(record);
    if (indexed) yield indexed;
  }
}
