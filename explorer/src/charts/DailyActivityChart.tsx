// Daily activity of an area from the AreaDayData rollups: protocol events per
// UTC day as bars, votes cast as a line (d3-shape).
import { scaleBand, scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import { formatDate } from '../lib/format.ts';
import { ChartFigure, PALETTE, r2, SvgRoot } from './common.tsx';

export interface ActivityDay {
  dayIndex: number;
  events: number;
  votesCast: number;
  motionsProposed: number;
}

export const ACTIVITY_LAYOUT = { left: 40, right: 12, top: 12, bottom: 28, height: 200 };

/** Fill the days without activity (rollups exist only for active days) between first and last. */
export function fillDays(days: ActivityDay[]): ActivityDay[] {
  if (days.length === 0) return [];
  const sorted = [...days].sort((a, b) => a.dayIndex - b.dayIndex);
  const byDay = new Map(sorted.map((d) => [d.dayIndex, d]));
  const out: ActivityDay[] = [];
  for (let d = sorted[0].dayIndex; d <= sorted[sorted.length - 1].dayIndex; d++)
    out.push(byDay.get(d) ?? { dayIndex: d, events: 0, votesCast: 0, motionsProposed: 0 });
  return out;
}

export function activityLayout(days: ActivityDay[], width = 640) {
  const { left, right, top, bottom, height } = ACTIVITY_LAYOUT;
  const x = scaleBand<number>()
    .domain(days.map((d) => d.dayIndex))
    .range([left, width - right])
    .paddingInner(0.15);
  const max = Math.max(1, ...days.map((d) => Math.max(d.events, d.votesCast)));
  const y = scaleLinear()
    .domain([0, max])
    .nice()
    .range([height - bottom, top]);
  const bars = days.map((d) => ({
    ...d,
    x: x(d.dayIndex) ?? left,
    w: x.bandwidth(),
    y: y(d.events),
    h: y(0) - y(d.events),
  }));
  const votesPath =
    line<ActivityDay>()
      .x((d) => (x(d.dayIndex) ?? left) + x.bandwidth() / 2)
      .y((d) => y(d.votesCast))(days) ?? '';
  return { bars, votesPath, yTicks: y.ticks(4).map((v) => ({ v, y: y(v) })), height };
}

export function DailyActivityChart({ days: raw, width = 640 }: { days: ActivityDay[]; width?: number }) {
  const days = fillDays(raw);
  const { bars, votesPath, yTicks, height } = activityLayout(days, width);
  const total = days.reduce((t, d) => t + d.events, 0);
  const summary = days.length
    ? `${total} protocol events over ${days.length} days (${formatDate(days[0].dayIndex * 86400)} to ${formatDate(days[days.length - 1].dayIndex * 86400)}); bars are events per day, the line votes cast.`
    : 'No activity recorded.';
  const labelEvery = Math.max(1, Math.ceil(days.length / Math.max(1, Math.floor((width - 60) / 80))));
  return (
    <ChartFigure
      title="Daily activity"
      summary={summary}
      table={
        <table>
          <thead>
            <tr>
              <th scope="col">Day (UTC)</th>
              <th scope="col" className="num">
                Events
              </th>
              <th scope="col" className="num">
                Motions proposed
              </th>
              <th scope="col" className="num">
                Votes cast
              </th>
            </tr>
          </thead>
          <tbody>
            {days.map((d) => (
              <tr key={d.dayIndex}>
                <th scope="row">{formatDate(d.dayIndex * 86400)}</th>
                <td className="num">{d.events}</td>
                <td className="num">{d.motionsProposed}</td>
                <td className="num">{d.votesCast}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    >
      <SvgRoot width={width} height={height} title="Daily activity" desc={summary}>
        {yTicks.map((t) => (
          <g key={t.v}>
            <line
              x1={ACTIVITY_LAYOUT.left}
              x2={width - ACTIVITY_LAYOUT.right}
              y1={r2(t.y)}
              y2={r2(t.y)}
              stroke={PALETTE.grid}
            />
            <text
              x={ACTIVITY_LAYOUT.left - 6}
              y={r2(t.y) + 4}
              textAnchor="end"
              fontSize={11}
              fill={PALETTE.axis}
            >
              {t.v}
            </text>
          </g>
        ))}
        {bars.map((b, i) => (
          <g key={b.dayIndex}>
            <rect
              className="activity-bar"
              data-events={b.events}
              x={r2(b.x)}
              y={r2(b.y)}
              width={r2(Math.max(0.5, b.w))}
              height={r2(b.h)}
              fill={PALETTE.holders[0]}
            >
              <title>{`${formatDate(b.dayIndex * 86400)}: ${b.events} events, ${b.votesCast} votes`}</title>
            </rect>
            {i % labelEvery === 0 && (
              <text
                x={r2(b.x + b.w / 2)}
                y={ACTIVITY_LAYOUT.height - 10}
                textAnchor="middle"
                fontSize={10}
                fill={PALETTE.axis}
              >
                {formatDate(b.dayIndex * 86400).slice(5)}
              </text>
            )}
          </g>
        ))}
        {days.length > 1 && (
          <path
            className="activity-votes"
            d={votesPath}
            fill="none"
            stroke={PALETTE.holders[2]}
            strokeWidth={2}
          />
        )}
      </SvgRoot>
    </ChartFigure>
  );
}
