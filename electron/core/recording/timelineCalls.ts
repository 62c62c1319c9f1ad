/**
 * The timeline calls of every host, in one table: each call's arguments pass the shared guards
 * (common/guards.ts, which throw GuardError) before they reach the TimeMachine. The transports —
 * Electron IPC (main/ipcHandlers.ts) and the web host's WebSocket (web/clientConnection.ts) — only
 * map their channel or method names onto these calls and carry the answer or the error back.
 */
import {
  checkDiffRange,
  checkExportRequest,
  checkPlaybackSpeed,
  checkRecordingBytes,
  checkRecordingName,
  checkStepDirection,
  checkTimelineBuckets,
  checkTimestamp,
} from '../../common/guards';
import type { DownloadableFile, TimelineDensity, TimelineDiff, TimelineState } from '../../common/timeline';
import { TimeTravelError, type TimeMachine } from './TimeMachine';

/** Every timeline call, with what it answers. */
export interface TimelineCallResults {
  state: TimelineState;
  density: TimelineDensity;
  seek: void;
  play: void;
  pause: void;
  step: void;
  goLive: void;
  diff: TimelineDiff;
  export: DownloadableFile;
  startRecording: void;
  stopRecording: DownloadableFile;
  /** The web host takes recordings as an HTTP upload (wire.ts), never as a socket call. */
  openRecording: void;
}

export type TimelineCall = keyof TimelineCallResults;

/** The part of the TimeMachine that the calls reach. */
export type TimelineMachine = Pick<
  TimeMachine,
  'state' | 'density' | 'seek' | 'play' | 'pause' | 'step' | 'goLive' | 'diff' | 'exportRecording' | 'startRecording' | 'stopRecording' | 'openRecording'
>;

type Handler<C extends TimelineCall> = (machine: TimelineMachine, args: readonly unknown[]) => TimelineCallResults[C] | Promise<TimelineCallResults[C]>;

/** Arguments are positional, as the renderer passes them; arguments beyond a call's own are ignored. */
const HANDLERS: { readonly [C in TimelineCall]: Handler<C> } = {
  state: (machine) => machine.state(),
  density: (machine, [buckets]) => machine.density(checkTimelineBuckets(buckets)),
  seek: (machine, [ts]) => machine.seek(checkTimestamp(ts)),
  play: (machine, [speed]) => machine.play(checkPlaybackSpeed(speed)),
  pause: (machine) => machine.pause(),
  step: (machine, [direction]) => machine.step(checkStepDirection(direction)),
  goLive: (machine) => machine.goLive(),
  diff: (machine, [range]) => {
    const { from, to } = checkDiffRange(range);
    return machine.diff(from, to);
  },
  export: (machine, [request]) => machine.exportRecording(checkExportRequest(request)),
  startRecording: (machine) => machine.startRecording(),
  stopRecording: (machine) => machine.stopRecording(),
  openRecording: (machine, [name, bytes]) => machine.openRecording(checkRecordingName(name), checkRecordingBytes(bytes)),
};

export const NO_TIME_TRAVEL_MESSAGE = 'time travel is not available on this host';

/**
 * Run one timeline call on `machine` (undefined: this host has no time travel). Invalid
 * arguments throw the guard's GuardError before the machine is touched; what the machine
 * refuses throws its TimeTravelError. Either may come synchronously or as a rejection.
 */
export function callTimeline<C extends TimelineCall>(
  machine: TimelineMachine | undefined,
  call: C,
  args: readonly unknown[],
): TimelineCallResults[C] | Promise<TimelineCallResults[C]> {
  // Transports map names from the wire; a name that is no call must never index into the prototype.
  if (!Object.hasOwn(HANDLERS, call)) throw new TypeError(`unknown timeline call '${String(call).slice(0, 40)}'`);
  if (!machine) throw new TimeTravelError(NO_TIME_TRAVEL_MESSAGE);
  return HANDLERS[call](machine, args);
}
