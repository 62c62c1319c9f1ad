/**
 * Time travel, as the renderer sees it: the window shows either the live machine or a recording
 * (a file the user opened, or the live engine's always-on ring, "rewound"). The timeline strip
 * reads the recording's event density, moves a playhead through it, diffs two moments and
 * exports. The host owns the recordings; the renderer only asks (TimelineService) and listens to
 * TimelineState pushes. Pure data: no node:, no electron, no DOM.
 */
import type { EventKind } from './events';
import type { ExitRecord, ProcessInfo, ProcKey } from './process';

/** Playback speeds the UI offers and the host accepts (multiples of recorded time). */
export const MIN_PLAYBACK_SPEED = 0.1;
export const MAX_PLAYBACK_SPEED = 10;

/** Timeline buckets a client may ask for: enough for a 4K-wide strip, small enough to send. */
export const MAX_TIMELINE_BUCKETS = 4096;

/** What the window shows: the live machine, a recording file, or the live ring rewound. */
export type TimelineMode = 'live' | 'file' | 'ring';

/** Where playback of a recording stands. */
export interface PlaybackInfo {
  /** Recording time shown, ms since epoch. */
  time: number;
  /** Events applied: the global number of the next event. */
  position: number;
  start: number;
  end: number;
  speed: number;
  playing: boolean;
}

export interface TimelineState {
  mode: TimelineMode;
  /** What is shown: "live", the file name, "last 5 min (live ring)". */
  label: string;
  /** A live engine runs behind a replay: the "Live" button can return to it. */
  liveAvailable: boolean;
  /** Present whenever a recording is shown (mode file or ring). */
  playback?: PlaybackInfo;
  /** Present while the record button records the live view to a file. */
  recording?: { startedAt: number; events: number; bytes: number };
  /** Why reading a recording stopped early (cut-off tail), shown to the user. */
  notes?: string[];
}

export interface TimelineLoss {
  ts: number;
  /** Events lost, when known (0 when only "some" is known). */
  count: number;
  reason: string;
}

/** Events per time bucket over a whole recording (or the live ring), with every loss. */
export interface TimelineDensity {
  start: number;
  end: number;
  bucketMs: number;
  /**
   * Bucket i covers [start + i·bucketMs, start + (i+1)·bucketMs). Counted from the recording's
   * chunk summaries: a chunk's events (≤ 100 ms of them) are spread evenly over the buckets its
   * time span covers, so the total is exact and a bucket's share of a chunk straddling its edge is
   * approximate. Losses are exact.
   */
  counts: number[];
  losses: TimelineLoss[];
}

export type DiffField = 'ppid' | 'argv' | 'comm' | 'uid' | 'threads' | 'execs';

/** What happened between two moments: started, ended (with how), changed (field by field). */
export interface TimelineDiff {
  from: number;
  to: number;
  /** Born after the first moment, whether or not it still lives at the second. */
  started: ProcessInfo[];
  /** Alive at the first moment and not at the second; `exit` when the exit was recorded. */
  ended: Array<{ process: ProcessInfo; exit?: ExitRecord }>;
  /** Alive at both moments, with the fields that differ. */
  changed: Array<{ key: ProcKey; pid: number; fields: Partial<Record<DiffField, { before: unknown; after: unknown }>> }>;
  /** Events between the two moments, by kind. */
  eventCounts: Partial<Record<EventKind, number>>;
}

export const EXPORT_FORMATS = ['perfetto', 'ndjson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportRequest {
  format: ExportFormat;
  /** ms since epoch; default the recording's start. */
  from?: number;
  /** ms since epoch; default the recording's end. */
  to?: number;
  /** Only this process and its descendants. */
  pid?: number;
}

/** A file for the user to save: text as is, binary (a recording) as base64. */
export interface DownloadableFile {
  fileName: string;
  mimeType: string;
  encoding: 'utf8' | 'base64';
  data: string;
}

/**
 * The time-travel calls of the service (bridge.ts ForkscopeService). Every call acts on what the
 * window shows: in live mode `timeline`, `diff` and `exportRecording` read the live ring, and
 * `seek` rewinds into it. A host without time travel answers each with an error.
 */
export interface TimelineService {
  timelineState(): Promise<TimelineState>;
  timeline(buckets: number): Promise<TimelineDensity>;
  /** Show the model as it was at `ts` (in live mode: rewind the live ring to it). */
  seek(ts: number): Promise<void>;
  play(speed: number): Promise<void>;
  pause(): Promise<void>;
  /** One event forward (+1) or back (-1). */
  step(direction: 1 | -1): Promise<void>;
  /** Leave the recording and show the live machine again. */
  goLive(): Promise<void>;
  diff(from: number, to: number): Promise<TimelineDiff>;
  exportRecording(request: ExportRequest): Promise<DownloadableFile>;
  /** Start recording the live view to a file (the record button). */
  startRecording(): Promise<void>;
  /** Stop, and hand the recording over for the user to save. */
  stopRecording(): Promise<DownloadableFile>;
  /** Open a recording file the user dropped or picked: the window then shows it. */
  openRecording(name: string, bytes: Uint8Array): Promise<void>;
}

/** What the timeline strip holds: the calls and the state pushes. */
export interface TimelineBridge extends TimelineService {
  /** Every change of mode, playback or recording. Returns an unsubscribe function. */
  onTimeline(listener: (state: TimelineState) => void): () => void;
}

/** File name of a recording made by the record button at `startedAt`. */
export function recordingFileName(startedAt: number): string {
  return `forkscope-${new Date(startedAt).toISOString().replace(/[:.]/g, '-').replace(/-\d{3}Z$/, 'Z')}.fsrec`;
}
