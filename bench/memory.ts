/**
 * The memory bench: main-side RSS before and after 1M events through the model and the Session,
 * with tombstones expiring on the way. The events are synthetic (fork → exec → exit per child, at
 * a storm's rate on a simulated clock) so that a million of them take seconds rather than the
 * minutes a real storm of that size would on this machine; pids wrap and are reused, as on a
 * long-running desktop. One subscriber acks every batch, like a renderer that keeps up. RSS after
 * is read once the freed pages are back with the OS (see UNMAPPER_SETTLE_MS).
 */
import type { ProcEvent } from '../electron/common/events';
import type { SourceStatus } from '../electron/common/source';
import { DEFAULT_TOMBSTONE_TTL_MS, ProcessTable } from '../electron/core/model/ProcessTable';
import type { ScannedProcess } from '../native/ScannedProcess';
import { DEFAULT_FRAME_MS, Session, type SessionSubscription } from '../electron/core/session/Session';
import { collectGarbage, heapUsedMb, rssMb } from './heap';

export interface MemoryConfig {
  events: number;
  /** Simulated storm rate, events per second. */
  eventsPerSecond: number;
}

export interface MemoryResult {
  events: number;
  eventsPerSecond: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  rssGrowthMb: number;
  heapBeforeMb: number;
  heapAfterMb: number;
  /** Most tombstones held at once during the run: the TTL and maxTombstones bound it. */
  peakTombstones: number;
  /** Largest V8 heap in use seen during the run (sampled every 256 frames, GC not forced). */
  peakHeapMb: number;
  /** Processes the model holds once the run's tombstones expired (live + tombstones). */
  modelSizeAfter: number;
  batchesDelivered: number;
  /** CPU time of this process for the whole run, µs per event (model + Session, no I/O). */
  cpuPerEventUs: number;
}

const CLK_TCK = 100;
const STORM_PARENT = 1000;
const FIRST_PID = 2000;
/** Time V8's background unmapper gets to return freed pages (500 ms sufficed on this machine). */
const UNMAPPER_SETTLE_MS = 1000;
/** Linux's default pid_max on 64-bit: pids wrap past it and are reused. */
const PID_MAX = 4_194_304;

function scanned(pid: number, ppid: number, comm: string): ScannedProcess {
  return { pid, ppid, startTime: 1, uid: 0, comm, argv: [comm], state: 'S', threads: 1, rssKb: 1000, cpuTicks: 0, kernelThread: false };
}

export function runMemoryBench(config: MemoryConfig): MemoryResult {
  const bootEpochMs = Date.now() - 3_600_000;
  let now = Date.now();
  const table = new ProcessTable({ clock: { clkTck: CLK_TCK, bootEpochMs }, now: () => now });
  table.load([scanned(1, 0, 'init'), scanned(STORM_PARENT, 1, 'storm')]);
  const status: SourceStatus = { kind: 'replay', reason: 'memory bench', lostEvents: 0, resyncs: 0 };
  const session = new Session(table, { sourceStatus: () => status, now: () => now });
  let batchesDelivered = 0;
  // The snapshot arrives synchronously, before `subscription` is assigned; deltas only later.
  const subscription: SessionSubscription = session.subscribe((message) => {
    if (message.type !== 'delta') return;
    batchesDelivered++;
    subscription.ack(message.batch.seq);
  });

  collectGarbage();
  const rssBeforeMb = rssMb();
  const heapBeforeMb = heapUsedMb();
  const cpuBefore = process.cpuUsage();

  const eventsPerFrame = Math.max(3, Math.round((config.eventsPerSecond * DEFAULT_FRAME_MS) / 1000));
  let pid = FIRST_PID;
  let child = 0;
  let applied = 0;
  let peakTombstones = 0;
  let peakHeapMb = heapBeforeMb;
  let frames = 0;
  while (applied < config.events) {
    const frame: ProcEvent[] = [];
    for (let i = 0; i < eventsPerFrame; i += 3) {
      const startTime = Math.floor(((now - bootEpochMs) * CLK_TCK) / 1000);
      const ts = now;
      frame.push(
        { kind: 'fork', ts, pid, ppid: STORM_PARENT, startTime, comm: 'storm', cpu: 0 },
        { kind: 'exec', ts, pid, startTime, argv: ['sh', '-c', `exit ${child % 256}`, `forkscope-memory-${child}`], exe: '/usr/bin/dash', comm: 'sh', cpu: 1 },
        { kind: 'exit', ts, pid, ppid: STORM_PARENT, code: child % 256, exitSignal: 17, cpu: 1 },
      );
      child++;
      pid = pid + 1 >= PID_MAX ? FIRST_PID : pid + 1;
    }
    table.apply(frame);
    session.noteEvents(frame);
    applied += frame.length;
    now += DEFAULT_FRAME_MS;
    // What the engine's housekeeping timer and the Session's frame timer do, on simulated time.
    table.expireTombstones();
    session.flush();
    peakTombstones = Math.max(peakTombstones, table.tombstoneCount);
    if (++frames % 256 === 0) peakHeapMb = Math.max(peakHeapMb, heapUsedMb());
  }
  // Let every tombstone of the run expire, as the app would a few seconds after the storm.
  now += DEFAULT_TOMBSTONE_TTL_MS + 1;
  table.expireTombstones();
  session.flush();
  const cpu = process.cpuUsage(cpuBefore);
  const modelSizeAfter = table.liveCount + table.tombstoneCount;
  subscription.close();
  session.close();

  // V8 hands the pages a GC freed back to the OS from a background thread (its unmapper), so RSS
  // read straight after a GC still counts ~100 MB on their way out. Let it finish, as it does in
  // a host that goes on running: the main thread blocks, the unmapper thread does not.
  collectGarbage();
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, UNMAPPER_SETTLE_MS);
  collectGarbage();
  const rssAfterMb = rssMb();
  return {
    events: applied,
    eventsPerSecond: config.eventsPerSecond,
    rssBeforeMb,
    rssAfterMb,
    rssGrowthMb: rssAfterMb - rssBeforeMb,
    heapBeforeMb,
    heapAfterMb: heapUsedMb(),
    peakTombstones,
    peakHeapMb,
    modelSizeAfter,
    batchesDelivered,
    cpuPerEventUs: (cpu.user + cpu.system) / applied,
  };
}
