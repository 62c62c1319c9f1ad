/**
 * CPU and memory series for a detail pane's sparklines, from successive getDetail results.
 * CPU % is derived from the change in utime+stime between two samples.
 */
import type { ProcessDetail } from '../../../electron/common/detail';
import { formatPct } from '../text/format';

/**
 * /proc reports CPU times in USER_HZ ticks, which the kernel fixes at 100 on every Linux
 * architecture regardless of CONFIG_HZ (it is part of the ABI).
 */
export const USER_HZ = 100;
/** Samples kept per pane (~2 minutes at one per second). */
export const MAX_SAMPLES = 120;

export interface Sample {
  /** ms since epoch (detail.fetchedAt). */
  at: number;
  cpuTicks: number | null;
  rssKb: number | null;
  /** CPU % of one core since the previous sample; null for the first or an unreadable one. */
  cpuPct: number | null;
}

export function sampleOf(detail: ProcessDetail, previous: Sample | undefined): Sample {
  const cpuTicks = detail.stat.ok ? detail.stat.value.utime + detail.stat.value.stime : null;
  const rssKb = detail.status.ok && detail.status.value.vm.VmRSS !== undefined ? detail.status.value.vm.VmRSS : null;
  let cpuPct: number | null = null;
  if (previous && previous.cpuTicks !== null && cpuTicks !== null && detail.fetchedAt > previous.at) {
    const cpuMs = ((cpuTicks - previous.cpuTicks) * 1000) / USER_HZ;
    cpuPct = Math.max(0, (cpuMs / (detail.fetchedAt - previous.at)) * 100);
  }
  return { at: detail.fetchedAt, cpuTicks, rssKb, cpuPct };
}

/** Append a sample, dropping repeats of the same read and the oldest beyond MAX_SAMPLES. */
export function appendSample(samples: readonly Sample[], detail: ProcessDetail): Sample[] {
  const previous = samples[samples.length - 1];
  if (previous && previous.at === detail.fetchedAt) return samples as Sample[];
  return [...samples, sampleOf(detail, previous)].slice(-MAX_SAMPLES);
}

/**
 * The CPU sparkline's caption. CPU % is a difference between two readings, so until a second
 * reading exists there is no value yet, which is not the same as an unreadable one ("–").
 */
export function cpuCaption(samples: readonly Sample[]): string {
  if (samples.length < 2) return 'CPU sampling…';
  return `CPU ${formatPct(samples[samples.length - 1]?.cpuPct ?? undefined)} %`;
}
