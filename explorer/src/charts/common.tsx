// Shared pieces of the SVG charts. Charts are pure: props in, SVG out, no
// effects and no measuring, so react-dom/server renders exactly what the
// browser shows. They scale to their container through the viewBox.
import type { ReactNode } from 'react';

export const PALETTE = {
  for: '#1b7f4b',
  against: '#b3261e',
  abstain: '#8a8f98',
  unvoted: '#e7e9ee',
  treasury: '#c9ced6',
  foundation: '#3f4a5a',
  undelegated: '#e7e9ee',
  holders: ['#1f5fa8', '#2f8f9d', '#c07a12', '#7a4fa0', '#3d7a34', '#a8456b', '#4a6fa8', '#8c6d1f'],
  grid: '#d8dce3',
  axis: '#5c6470',
  now: '#b3261e',
};

/** Figure with a caption, the chart and a data table as its text alternative. */
export function ChartFigure({
  title,
  summary,
  children,
  table,
}: {
  title: string;
  summary: string;
  children: ReactNode;
  table: ReactNode;
}) {
  return (
    <figure className="chart">
      <figcaption>
        <span className="chart-title">{title}</span>
        <span className="chart-summary">{summary}</span>
      </figcaption>
      {children}
      <details className="chart-data">
        <summary>Data table: {title}</summary>
        {table}
      </details>
    </figure>
  );
}

export function SvgRoot({
  width,
  height,
  title,
  desc,
  children,
  className,
}: {
  width: number;
  height: number;
  title: string;
  desc: string;
  children: ReactNode;
  className?: string;
}) {
  return (
    <svg
      className={className ?? 'chart-svg'}
      viewBox={`0 0 ${width} ${height}`}
      width="100%"
      role="img"
      aria-label={`${title}. ${desc}`}
      preserveAspectRatio="xMinYMin meet"
    >
      <title>{title}</title>
      <desc>{desc}</desc>
      {children}
    </svg>
  );
}

/** Round to 2 decimals so the SVG text is stable and small. */
export const r2 = (n: number) => Math.round(n * 100) / 100;

/** Bigint-safe share in 0..1 for scale input (BigInt strings can exceed 2^53). */
export function ratio(part: string | bigint, total: string | bigint): number {
  const t = BigInt(total);
  if (t <= 0n) return 0;
  return Number((BigInt(part) * 1_000_000_000n) / t) / 1_000_000_000;
}
