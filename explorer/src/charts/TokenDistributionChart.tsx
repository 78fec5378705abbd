// Token distribution of an area: one bar per seat, its length the seat's
// allocation, split by who holds its weight: the lease holder or the treasury
// (vacant lease seats), the COMMUNITY allocation split among COMMUNITY groups
// by their share of delegations, and the foundation group.
import { scaleLinear } from 'd3-scale';
import { formatPercent, formatTokens, humanize } from '../lib/format.ts';
import { ChartFigure, PALETTE, r2, ratio, SvgRoot } from './common.tsx';

export interface DistributionSegment {
  key: string;
  label: string;
  /** Base units (BigInt string). */
  value: string;
  kind: 'holder' | 'treasury' | 'delegation' | 'undelegated' | 'foundation';
}
export interface DistributionRow {
  role: string;
  allocation: string;
  segments: DistributionSegment[];
}

interface SeatInput {
  role: string;
  allocation: string;
  holder: { groupId: string; name: string } | null;
}
interface CommunityInput {
  groupId: string;
  name: string;
  delegationCount: number;
}

/**
 * Who holds each seat's weight. COMMUNITY: allocation × delegations(group) /
 * totalDelegations with integer division, as the contract's snapshot does; the
 * rounding remainder (a few base units) and the whole allocation when nobody
 * delegates are shown as "undelegated".
 */
export function distributionRows(
  seats: SeatInput[],
  community: CommunityInput[],
  totalDelegations: number,
): DistributionRow[] {
  const order = ['GENERATION', 'TRANSMISSION', 'DISTRIBUTION', 'COMMUNITY', 'FOUNDATION'];
  return [...seats]
    .sort((a, b) => order.indexOf(a.role) - order.indexOf(b.role))
    .map((s) => {
      const alloc = BigInt(s.allocation);
      if (s.role === 'COMMUNITY') {
        const segments: DistributionSegment[] = [];
        let given = 0n;
        if (totalDelegations > 0) {
          for (const g of community
            .filter((c) => c.delegationCount > 0)
            .sort((a, b) => b.delegationCount - a.delegationCount)) {
            const v = (alloc * BigInt(g.delegationCount)) / BigInt(totalDelegations);
            given += v;
            segments.push({ key: `g${g.groupId}`, label: g.name, value: v.toString(), kind: 'delegation' });
          }
        }
        if (alloc - given > 0n)
          segments.push({
            key: 'undelegated',
            label: 'Undelegated',
            value: (alloc - given).toString(),
            kind: 'undelegated',
          });
        return { role: s.role, allocation: s.allocation, segments };
      }
      if (s.holder) {
        return {
          role: s.role,
          allocation: s.allocation,
          segments: [
            {
              key: `g${s.holder.groupId}`,
              label: s.holder.name,
              value: s.allocation,
              kind: s.role === 'FOUNDATION' ? 'foundation' : 'holder',
            },
          ],
        };
      }
      return {
        role: s.role,
        allocation: s.allocation,
        segments: [{ key: 'treasury', label: 'Treasury (vacant)', value: s.allocation, kind: 'treasury' }],
      };
    });
}

export const DIST_LAYOUT = { labelW: 118, rowH: 34, barH: 22, top: 8, right: 12, legendRowH: 18 };

function colorFor(seg: DistributionSegment, holderIndex: Map<string, number>): string {
  switch (seg.kind) {
    case 'treasury':
      return PALETTE.treasury;
    case 'undelegated':
      return PALETTE.undelegated;
    case 'foundation':
      return PALETTE.foundation;
    default:
      return PALETTE.holders[(holderIndex.get(seg.key) ?? 0) % PALETTE.holders.length];
  }
}

export function distributionLayout(rows: DistributionRow[], width = 640) {
  const max = rows.reduce((m, r) => (BigInt(r.allocation) > m ? BigInt(r.allocation) : m), 0n);
  const x = scaleLinear()
    .domain([0, 1])
    .range([DIST_LAYOUT.labelW, width - DIST_LAYOUT.right]);
  const holderIndex = new Map<string, number>();
  for (const r of rows)
    for (const s of r.segments)
      if ((s.kind === 'holder' || s.kind === 'delegation') && !holderIndex.has(s.key))
        holderIndex.set(s.key, holderIndex.size);
  const bars = rows.map((r, i) => {
    const y = DIST_LAYOUT.top + i * DIST_LAYOUT.rowH;
    let acc = 0n;
    const segs = r.segments.map((s) => {
      const x0 = x(ratio(acc, max));
      acc += BigInt(s.value);
      const x1 = x(ratio(acc, max));
      return { ...s, x: x0, w: x1 - x0, color: colorFor(s, holderIndex) };
    });
    return { ...r, y, segs };
  });
  const legend = new Map<string, { label: string; color: string }>();
  // segments too thin to see (the few base units integer division leaves) get no legend entry
  for (const b of bars)
    for (const s of b.segs.filter((x) => x.w >= 0.5))
      legend.set(s.kind === 'treasury' || s.kind === 'undelegated' ? s.kind : s.key, {
        label: s.label,
        color: s.color,
      });
  return { bars, legend: [...legend.values()], width, x };
}

export function TokenDistributionChart({
  rows,
  width = 640,
  symbol = 'GOV',
}: {
  rows: DistributionRow[];
  width?: number;
  symbol?: string;
}) {
  const { bars, legend } = distributionLayout(rows, width);
  const legendCols = Math.max(1, Math.floor((width - 16) / 200));
  const plotH = DIST_LAYOUT.top + bars.length * DIST_LAYOUT.rowH;
  const height = plotH + 10 + Math.ceil(legend.length / legendCols) * DIST_LAYOUT.legendRowH;
  const total = rows.reduce((t, r) => t + BigInt(r.allocation), 0n);
  const summary = `${rows.length} seats, ${formatTokens(total)} ${symbol} in all. ${bars
    .map((b) => `${humanize(b.role)}: ${b.segs.map((s) => `${s.label} ${formatTokens(s.value)}`).join(', ')}`)
    .join('. ')}.`;
  return (
    <ChartFigure
      title="Token distribution"
      summary={`Each seat's allocation of ${symbol} and who holds its weight.`}
      table={
        <table>
          <thead>
            <tr>
              <th scope="col">Seat</th>
              <th scope="col">Held by</th>
              <th scope="col" className="num">
                {symbol}
              </th>
              <th scope="col" className="num">
                Share of seat
              </th>
            </tr>
          </thead>
          <tbody>
            {bars.flatMap((b) =>
              b.segs.map((s) => (
                <tr key={`${b.role}-${s.key}`}>
                  <th scope="row">{humanize(b.role)}</th>
                  <td>{s.label}</td>
                  <td className="num">{formatTokens(s.value)}</td>
                  <td className="num">{formatPercent(ratio(s.value, b.allocation))}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      }
    >
      <SvgRoot width={width} height={height} title="Token distribution" desc={summary}>
        {bars.map((b) => (
          <g key={b.role} className="dist-row" data-role={b.role}>
            <text
              x={DIST_LAYOUT.labelW - 8}
              y={b.y + DIST_LAYOUT.barH / 2 + 4}
              textAnchor="end"
              fontSize={12}
              fill="#1d2430"
            >
              {humanize(b.role)}
            </text>
            {b.segs.map((s) =>
              s.w > 0 ? (
                <rect
                  key={s.key}
                  className={`dist-seg dist-${s.kind}`}
                  data-value={s.value}
                  x={r2(s.x)}
                  y={b.y}
                  width={r2(s.w)}
                  height={DIST_LAYOUT.barH}
                  fill={s.color}
                  stroke="#fff"
                  strokeWidth={1}
                >
                  <title>{`${humanize(b.role)} — ${s.label}: ${formatTokens(s.value)} ${symbol}`}</title>
                </rect>
              ) : null,
            )}
          </g>
        ))}
        {legend.map((l, i) => (
          <g
            key={i}
            transform={`translate(${8 + (i % legendCols) * 200}, ${plotH + 14 + Math.floor(i / legendCols) * DIST_LAYOUT.legendRowH})`}
          >
            <rect width={12} height={12} y={-10} fill={l.color} stroke="#9aa1ab" strokeWidth={0.5} />
            <text x={18} fontSize={12} fill="#1d2430">
              {l.label.length > 25 ? `${l.label.slice(0, 23)}…` : l.label}
            </text>
          </g>
        ))}
      </SvgRoot>
    </ChartFigure>
  );
}
