import { describe, expect, it } from 'vitest';
import { emptyCounters } from '../../../electron/common/source';
import { HISTORY_SECONDS, StormMeter } from './StormMeter';

const T0 = 1_700_000_000_000; // a whole second

function batch(ts: number, forks: number, spawners: Array<[number, number]> = []) {
  return { ts, counters: { ...emptyCounters(), fork: forks, exec: forks, exit: 1 }, topSpawners: spawners };
}

describe('StormMeter', () => {
  it('reports per-kind rates of the last complete second', () => {
    const meter = new StormMeter();
    meter.record(batch(T0 + 100, 300));
    meter.record(batch(T0 + 600, 200));
    meter.record(batch(T0 + 1100, 7)); // next second, still filling
    const rates = meter.rates(T0 + 1500);
    expect(rates.fork).toBe(500);
    expect(rates.exec).toBe(500);
    expect(rates.exit).toBe(2);
    expect(meter.rates(T0 + 2500).fork).toBe(7);
    expect(meter.rates(T0 + 9500).fork).toBe(0); // quiet seconds read zero, not the last value
  });

  it('keeps a minute of history with zeros for quiet seconds', () => {
    const meter = new StormMeter();
    meter.record(batch(T0, 10));
    meter.record(batch(T0 + 2000, 30));
    const history = meter.history('fork', T0 + 3000);
    expect(history).toHaveLength(HISTORY_SECONDS);
    expect(history.slice(-3)).toEqual([10, 0, 30]);
    expect(meter.history('all', T0 + 3000).slice(-1)).toEqual([61]);
  });

  it('sums top spawners over the recent window and forgets old ones', () => {
    const meter = new StormMeter();
    meter.record(batch(T0, 5, [[100, 50], [200, 5]]));
    meter.record(batch(T0 + 1000, 5, [[200, 60], [300, 1]]));
    expect(meter.topSpawners(T0 + 1000)).toEqual([
      { pid: 200, forks: 65 },
      { pid: 100, forks: 50 },
      { pid: 300, forks: 1 },
    ]);
    expect(meter.topSpawners(T0 + 1000, 1)).toEqual([{ pid: 200, forks: 65 }]);
    meter.record(batch(T0 + 10_000, 1, [[400, 2]]));
    expect(meter.topSpawners(T0 + 10_000)).toEqual([{ pid: 400, forks: 2 }]);
  });
});
