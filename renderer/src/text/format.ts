/** Number and duration formatting shared by the list, detail panes and storm meter. */

export function formatKb(kb: number | undefined): string {
  if (kb === undefined) return '–';
  if (kb < 1024) return `${kb} K`;
  if (kb < 1024 * 1024) return `${(kb / 1024).toFixed(1)} M`;
  return `${(kb / 1024 / 1024).toFixed(2)} G`;
}

export function formatBytes(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : formatKb(Math.round(bytes / 1024));
}

export function formatPct(pct: number | undefined): string {
  return pct === undefined ? '–' : pct.toFixed(1);
}

/** Compact duration: 850ms, 12.3s, 4m05s, 3h12m, 2d04h. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d${String(h % 24).padStart(2, '0')}h`;
}

export function formatRate(perSecond: number): string {
  return perSecond >= 10_000 ? `${(perSecond / 1000).toFixed(0)}k` : perSecond >= 1000 ? `${(perSecond / 1000).toFixed(1)}k` : String(perSecond);
}

/** How a process ended, for people: "exit 3", "SIGKILL (core dumped)". */
export function describeExit(exit: { code?: number; signal?: string; core?: boolean }): string {
  if (exit.signal) return `killed by ${exit.signal}${exit.core ? ' (core dumped)' : ''}`;
  if (exit.code !== undefined) return `exit ${exit.code}${exit.core ? ' (core dumped)' : ''}`;
  return 'exited (status unknown)';
}

/** The same in a few characters, for a list row: "SIGKILL", "exit 3". */
export function describeExitShort(exit: { code?: number; signal?: string }): string {
  return exit.signal ?? `exit ${exit.code ?? '?'}`;
}
