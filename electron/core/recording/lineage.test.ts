/**
 * A replayed moment links processes exactly as the live model did: current parent and lineage
 * by key, through a parent that exits first, an orphan's re-read parent, and keyframes that hold
 * such orphans and their tombstones.
 */
import { describe, expect, it } from 'vitest';
import type { ProcEvent } from '../../common/events';
import type { ProcessInfo } from '../../common/process';
import { ProcessTable } from '../model/ProcessTable';
import { encodeFileHead } from './codec';
import { openRecording } from './Recording';
import { RecordingWriter } from './RecordingWriter';
import { CLOCK, INITIAL, syntheticInfo, T0 } from './test/synthetic';

const startTimeAt = (ts: number): number => Math.floor(((ts - CLOCK.bootEpochMs) * CLOCK.clkTck) / 1000);

function links(processes: readonly ProcessInfo[]): Array<[string, number, string | undefined, string | undefined, boolean]> {
  return processes.map((p) => [p.key, p.ppid, p.parentKey, p.forkerKey, p.exit !== undefined]);
}

describe('Replay keeps lineage', () => {
  it('every moment replays the live links: parent by key, forker kept after reparenting', () => {
    let clock = T0;
    const live = new ProcessTable({ clock: CLOCK, now: () => clock });
    live.load(INITIAL.map((p) => ({ ...p, rssKb: 0, cpuTicks: 0, kernelThread: false })));
    const records: Buffer[] = [encodeFileHead(syntheticInfo())];
    const writer = new RecordingWriter({ append: (record) => records.push(record) }, () => live.all(), clock, { keyframeEvents: 4, chunkEvents: 3 });
    const moments: Array<{ ts: number; state: ReturnType<typeof links> }> = [];
    const feed = (events: ProcEvent[]): void => {
      clock = (events[events.length - 1] as ProcEvent).ts;
      live.apply(events);
      writer.addEvents(events, clock);
      // What the engine does when a parent exits: re-read its orphans' parent, between events.
      for (const orphan of live.takeOrphans()) {
        if (live.setParent(orphan, 1)) writer.addParentPatch(orphan.pid, orphan.startTime, 1, clock);
      }
      moments.push({ ts: clock, state: links(live.all()) });
    };
    // bash (1000) runs a script (pid 2000+k) that forks a worker (3000+k) and exits at once;
    // the worker, an orphan under init, exits a little later.
    for (let k = 0; k < 6; k++) {
      const ts = T0 + 100 * k + 1;
      const script = 2000 + k;
      const worker = 3000 + k;
      feed([{ kind: 'fork', ts, pid: script, ppid: 1000, startTime: startTimeAt(ts), comm: 'sh' }]);
      feed([{ kind: 'fork', ts: ts + 1, pid: worker, ppid: script, startTime: startTimeAt(ts + 1), comm: 'sh' }]);
      feed([{ kind: 'exit', ts: ts + 2, pid: script, code: 0 }]);
      feed([{ kind: 'exit', ts: ts + 40, pid: worker, code: 0 }]);
    }
    writer.flushChunk(clock);
    const recording = openRecording(Buffer.concat(records));
    expect(recording.keyframeCount).toBeGreaterThanOrEqual(4);

    const worker = live.get(`3005@${startTimeAt(T0 + 502)}`);
    expect(worker).toMatchObject({ ppid: 1, parentKey: '1@0', forkerKey: `2005@${startTimeAt(T0 + 501)}` });
    for (const moment of moments) {
      expect(links(recording.stateAt(moment.ts)), `at +${moment.ts - T0} ms`).toEqual(moment.state);
    }
  });
});
