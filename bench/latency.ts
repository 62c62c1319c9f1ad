/**
 * The latency bench: how long from the kernel's fork timestamp until the Session emits the delta
 * batch that adds that process, during a storm. The engine runs in this process, exactly as the
 * Electron main process and the web host run it, with one subscriber that acks every batch the
 * way a renderer does. Both ends are ms since the epoch: the fork's kernel timestamp (converted
 * by the reader thread) and the batch's `ts` (taken when the Session builds it).
 *
 * It also records this process's RSS before the storm and after the storm's tombstones expired:
 * the real-storm variant of the memory figure.
 */
import type { ServerMessage } from '../electron/common/delta';
import { createEngine } from '../electron/core/engine';
import { DEFAULT_TOMBSTONE_TTL_MS } from '../electron/core/model/ProcessTable';
import type { SessionSubscription } from '../electron/core/session/Session';
import { collectGarbage, rssMb } from './heap';
import { percentile } from './percentile';
import { runStorm, type StormOptions } from './storm';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface LatencyConfig {
  storms: Array<{ name: string; options: StormOptions }>;
}

export interface LatencyPass {
  storm: string;
  /** Storm children whose fork and add were both seen: the sample size. */
  samples: number;
  /** Storm children never added by a delta (born and gone within one frame are not sent). */
  notAdded: number;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  /** Events the engine applied during the pass. */
  events: number;
  rssBeforeMb: number;
  /** After the storm, once its tombstones expired, after a full GC. */
  rssAfterMb: number;
  lostEvents: number;
}

export interface LatencyResult {
  priority: string;
  passes: LatencyPass[];
}

export async function runLatencyBench(config: LatencyConfig): Promise<LatencyResult> {
  const engine = await createEngine({ source: 'netlink', sampleIntervalMs: 0 });
  try {
    /** pid → kernel timestamp of its latest fork. */
    const forkedAt = new Map<number, number>();
    /** pid → fork-to-delta latency, ms (the first delta that added it). */
    const addedAfter = new Map<number, number>();
    let events = 0;
    const stopEvents = engine.onEvents((batch) => {
      events += batch.length;
      for (const event of batch) {
        if (event.kind !== 'fork') continue;
        forkedAt.set(event.pid, event.ts);
        addedAfter.delete(event.pid); // a reused pid is a new process
      }
    });
    // The snapshot arrives synchronously, before `subscription` is assigned; deltas only later.
    const onMessage = (message: ServerMessage): void => {
      if (message.type !== 'delta') return;
      const { batch } = message;
      for (const added of batch.added) {
        const forkTs = forkedAt.get(added.pid);
        if (forkTs !== undefined && !addedAfter.has(added.pid)) addedAfter.set(added.pid, batch.ts - forkTs);
      }
      subscription.ack(batch.seq);
    };
    const subscription: SessionSubscription = engine.subscribe(onMessage);

    const passes: LatencyPass[] = [];
    for (const storm of config.storms) {
      forkedAt.clear();
      addedAfter.clear();
      events = 0;
      collectGarbage();
      const rssBeforeMb = rssMb();
      const manifest = await runStorm(storm.options);
      // Let the last frame go out, then let every tombstone of the storm expire.
      await sleep(DEFAULT_TOMBSTONE_TTL_MS + 1500);
      const latencies: number[] = [];
      let notAdded = 0;
      for (const child of manifest.children) {
        const latency = addedAfter.get(child.pid);
        if (latency === undefined) notAdded++;
        else latencies.push(latency);
      }
      collectGarbage();
      passes.push({
        storm: storm.name,
        samples: latencies.length,
        notAdded,
        p50Ms: latencies.length > 0 ? percentile(latencies, 50) : null,
        p99Ms: latencies.length > 0 ? percentile(latencies, 99) : null,
        maxMs: latencies.length > 0 ? percentile(latencies, 100) : null,
        events,
        rssBeforeMb,
        rssAfterMb: rssMb(),
        lostEvents: engine.status().lostEvents,
      });
    }
    stopEvents();
    subscription.close();
    return { priority: engine.status().priority ?? 'unknown', passes };
  } finally {
    await engine.close();
  }
}
