import { describe, expect, it } from 'vitest';
import type { Field, ProcessDetail, StatFields, StatusFields } from '../../../electron/common/detail';
import { appendSample, cpuCaption, MAX_SAMPLES } from './samples';

const unreadable = { ok: false, reason: 'EACCES', message: 'permission denied' } as const;

/** A detail reading with only what the sampler looks at: stat times and VmRSS. */
function reading(fetchedAt: number, cpuTicks: number | null, rssKb: number): ProcessDetail {
  const stat: Field<StatFields> =
    cpuTicks === null ? unreadable : { ok: true, value: { utime: cpuTicks - 10, stime: 10 } as StatFields };
  const status: Field<StatusFields> = { ok: true, value: { vm: { VmRSS: rssKb } } as unknown as StatusFields };
  return { fetchedAt, stat, status } as ProcessDetail;
}

describe('detail samples', () => {
  it('derives CPU % of one core from tick deltas (USER_HZ = 100) and tracks RSS', () => {
    let samples = appendSample([], reading(1000, 500, 2048));
    samples = appendSample(samples, reading(2000, 550, 4096)); // 50 ticks = 500 ms in 1 s
    samples = appendSample(samples, reading(2500, 650, 4096)); // 100 ticks = 1 s in 0.5 s: 2 cores
    expect(samples.map((s) => s.cpuPct)).toEqual([null, 50, 200]);
    expect(samples.map((s) => s.rssKb)).toEqual([2048, 4096, 4096]);
  });

  it('leaves a gap for an unreadable reading and ignores a repeated one', () => {
    let samples = appendSample([], reading(1000, 500, 1));
    samples = appendSample(samples, reading(2000, null, 1));
    samples = appendSample(samples, reading(2000, null, 1));
    samples = appendSample(samples, reading(3000, 600, 1));
    expect(samples.map((s) => s.cpuPct)).toEqual([null, null, null]);
  });

  it('keeps a bounded window', () => {
    let samples = appendSample([], reading(0, 0, 1));
    for (let i = 1; i < MAX_SAMPLES + 30; i++) samples = appendSample(samples, reading(i * 1000, i * 10, 1));
    expect(samples).toHaveLength(MAX_SAMPLES);
    expect(samples[samples.length - 1]?.cpuPct).toBe(10);
  });

  it('captions CPU as sampling until a second reading gives a difference, then as a percentage', () => {
    const first = appendSample([], reading(1000, 500, 1));
    expect(cpuCaption([])).toBe('CPU sampling…');
    expect(cpuCaption(first)).toBe('CPU sampling…');
    expect(cpuCaption(appendSample(first, reading(2000, 525, 1)))).toBe('CPU 25.0 %');
    // A second reading that is unreadable is a real gap, not "still sampling".
    expect(cpuCaption(appendSample(first, reading(2000, null, 1)))).toBe('CPU – %');
  });
});
