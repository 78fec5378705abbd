// Lease timeline: a Gantt row per lease seat; each lease is a bar from grant to
// end, with a tick where a renewal extended it; the time between a lease's end
// and its settlement (expireLease, or now if nobody settled it yet) is hatched.
import { scaleUtc } from 'd3-scale';
import { formatDate, formatTime, humanize } from '../lib/format.ts';
import { ChartFigure, PALETTE, r2, SvgRoot } from './common.tsx';

export interface TimelineLease {
  id: string;
  role: string;
  holder: string;
  start: number;
  end: number;
  status: 'ACTIVE' | 'EXPIRED';
  expiredAt: number | null;
  /** previousEnd of each renewal, in order: where the bar was extended. */
  renewalsAt: number[];
}

export const TIMELINE_LAYOUT = { labelW: 118, rowH: 40, barH: 22, top: 8, axisH: 26, right: 16 };

export function timelineLayout(leases: TimelineLease[], roles: string[], now: number, width = 640) {
  const times = leases.flatMap((l) => [l.start, l.end, l.expiredAt ?? l.end]);
  times.push(now);
  let t0 = Math.min(...times);
  let t1 = Math.max(...times);
  if (!(t1 > t0)) {
    t0 = now - 86_400;
    t1 = now + 86_400;
  }
  const pad = (t1 - t0) * 0.03;
  const x = scaleUtc()
    .domain([new Date((t0 - pad) * 1000), new Date((t1 + pad) * 1000)])
    .range([TIMELINE_LAYOUT.labelW, width - TIMELINE_LAYOUT.right]);
  const X = (sec: number) => x(new Date(sec * 1000));
  const rowY = (role: string) => TIMELINE_LAYOUT.top + roles.indexOf(role) * TIMELINE_LAYOUT.rowH;
  // one colour per holder, so a group's successive leases read as one holder
  const holders = [...new Set(leases.map((l) => l.holder))];
  const bars = leases
    .filter((l) => roles.includes(l.role))
    .map((l) => {
      const settledAt = l.status === 'EXPIRED' ? (l.expiredAt ?? l.end) : now;
      const overdue = settledAt > l.end ? { x: X(l.end), w: X(settledAt) - X(l.end) } : null;
      return {
        ...l,
        x: X(l.start),
        w: X(l.end) - X(l.start),
        color: PALETTE.holders[holders.indexOf(l.holder) % PALETTE.holders.length],
        y: rowY(l.role),
        ticks: l.renewalsAt.map(X),
        overdue,
      };
    });
  const plotBottom = TIMELINE_LAYOUT.top + roles.length * TIMELINE_LAYOUT.rowH;
  const ticks = x
    .ticks(Math.max(2, Math.floor((width - TIMELINE_LAYOUT.labelW) / 110)))
    .map((d) => ({ x: x(d), label: x.tickFormat()(d) }));
  return { bars, nowX: X(now), ticks, plotBottom, height: plotBottom + TIMELINE_LAYOUT.axisH, x: X };
}

export function LeaseTimeline({
  leases,
  roles,
  now,
  width = 640,
}: {
  leases: TimelineLease[];
  roles: string[];
  now: number;
  width?: number;
}) {
  const { bars, nowX, ticks, plotBottom, height } = timelineLayout(leases, roles, now, width);
  const summary =
    leases.length === 0
      ? 'No lease has been granted yet.'
      : `${leases.length} lease${leases.length === 1 ? '' : 's'} across ${roles.length} seats; the red line is the chain time shown (${formatTime(now)}).`;
  return (
    <ChartFigure
      title="Lease timeline"
      summary={summary}
      table={
        <table>
          <thead>
            <tr>
              <th scope="col">Seat</th>
              <th scope="col">Holder</th>
              <th scope="col">Start</th>
              <th scope="col">End</th>
              <th scope="col" className="num">
                Renewals
              </th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {leases.map((l) => (
              <tr key={l.id}>
                <th scope="row">{humanize(l.role)}</th>
                <td>{l.holder}</td>
                <td>{formatTime(l.start)}</td>
                <td>{formatTime(l.end)}</td>
                <td className="num">{l.renewalsAt.length}</td>
                <td>
                  {l.status === 'EXPIRED'
                    ? `expired ${formatTime(l.expiredAt)}`
                    : l.end <= now
                      ? 'ended, not settled'
                      : 'active'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    >
      <SvgRoot width={width} height={height} title="Lease timeline" desc={summary}>
        <defs>
          <pattern
            id="lease-overdue"
            width="6"
            height="6"
            patternUnits="userSpaceOnUse"
            patternTransform="rotate(45)"
          >
            <rect width="6" height="6" fill="#f6e3e1" />
            <line x1="0" y1="0" x2="0" y2="6" stroke={PALETTE.against} strokeWidth="2" />
          </pattern>
        </defs>
        {ticks.map((t, i) => (
          <g key={i}>
            <line
              x1={r2(t.x)}
              x2={r2(t.x)}
              y1={TIMELINE_LAYOUT.top - 4}
              y2={plotBottom}
              stroke={PALETTE.grid}
            />
            <text x={r2(t.x)} y={plotBottom + 16} textAnchor="middle" fontSize={11} fill={PALETTE.axis}>
              {t.label}
            </text>
          </g>
        ))}
        {roles.map((role, i) => (
          <text
            key={role}
            x={TIMELINE_LAYOUT.labelW - 8}
            y={TIMELINE_LAYOUT.top + i * TIMELINE_LAYOUT.rowH + TIMELINE_LAYOUT.barH / 2 + 4}
            textAnchor="end"
            fontSize={12}
            fill="#1d2430"
          >
            {humanize(role)}
          </text>
        ))}
        {bars.map((b) => (
          <g key={b.id} className="lease-bar" data-lease={b.id}>
            <rect
              className="lease-span"
              x={r2(b.x)}
              y={b.y}
              width={r2(Math.max(1, b.w))}
              height={TIMELINE_LAYOUT.barH}
              fill={b.color}
              rx={2}
            >
              <title>{`${humanize(b.role)}: ${b.holder}, ${formatDate(b.start)} → ${formatDate(b.end)}${b.renewalsAt.length ? `, renewed ${b.renewalsAt.length}×` : ''}`}</title>
            </rect>
            {b.overdue && (
              <rect
                className="lease-overdue"
                x={r2(b.overdue.x)}
                y={b.y}
                width={r2(Math.max(1, b.overdue.w))}
                height={TIMELINE_LAYOUT.barH}
                fill="url(#lease-overdue)"
              >
                <title>
                  {b.status === 'EXPIRED'
                    ? `Ended ${formatDate(b.end)}, settled ${formatDate(b.expiredAt)}`
                    : `Ended ${formatDate(b.end)}, not yet settled`}
                </title>
              </rect>
            )}
            {b.ticks.map((tx, j) => (
              <line
                key={j}
                className="lease-renewal"
                x1={r2(tx)}
                x2={r2(tx)}
                y1={b.y - 3}
                y2={b.y + TIMELINE_LAYOUT.barH + 3}
                stroke="#1d2430"
                strokeWidth={2}
              />
            ))}
            {b.w > 70 && (
              <text
                x={r2(b.x + 6)}
                y={b.y + TIMELINE_LAYOUT.barH / 2 + 4}
                fontSize={11}
                fill="#fff"
                pointerEvents="none"
              >
                {b.holder.length > Math.floor(b.w / 7)
                  ? `${b.holder.slice(0, Math.max(1, Math.floor(b.w / 7) - 1))}…`
                  : b.holder}
              </text>
            )}
          </g>
        ))}
        <line
          className="timeline-now"
          x1={r2(nowX)}
          x2={r2(nowX)}
          y1={TIMELINE_LAYOUT.top - 6}
          y2={plotBottom}
          stroke={PALETTE.now}
          strokeWidth={1.5}
        />
      </SvgRoot>
    </ChartFigure>
  );
}
