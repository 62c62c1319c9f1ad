import type { ReactElement } from 'react';

export interface SparklineProps {
  values: ReadonlyArray<number | null>;
  label: string;
  width?: number;
  height?: number;
}

/** A small SVG line chart; gaps (null) break the line. Decorative: the label carries the value. */
export function Sparkline({ values, label, width = 160, height = 32 }: SparklineProps): ReactElement {
  // Scaled to the series maximum (the caption carries the value).
  const top = Math.max(...values.map((v) => v ?? 0), 1e-9);
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const segments: string[] = [];
  let current = '';
  values.forEach((value, index) => {
    if (value === null) {
      if (current) segments.push(current);
      current = '';
      return;
    }
    const x = (index * step).toFixed(1);
    const y = (height - 1 - (value / top) * (height - 2)).toFixed(1);
    current += `${current ? ' L' : 'M'}${x} ${y}`;
  });
  if (current) segments.push(current);
  return (
    <svg className="sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
      {segments.map((d, i) => (
        <path key={i} d={d} fill="none" stroke="currentColor" strokeWidth="1.5" />
      ))}
    </svg>
  );
}
