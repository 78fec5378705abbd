// Tally of a motion: FOR / AGAINST / ABSTAIN as shares of the snapshot's total
// weight, with the quorum line at quorumBps of the total (participation, i.e.
// for + against + abstain, must reach it).
import { scaleLinear } from 'd3-scale';
import { formatBps, formatPercent, formatTokens } from '../lib/format.ts';
import { ChartFigure, PALETTE, r2, ratio, SvgRoot } from './common.tsx';

export interface TallyProps {
  forVotes: string;
  againstVotes: string;
  abstainVotes: string;
  totalWeight: string;
  quorumBps: number;
  width?: number;
}

export const TALLY_LAYOUT = { height: 92, marginX: 8, barY: 30, barH: 28 };

export function tallySegments(p: TallyProps) {
  const width = p.width ?? 640;
  const x = scaleLinear()
    .domain([0, 1])
    .range([TALLY_LAYOUT.marginX, width - TALLY_LAYOUT.marginX]);
  const parts = [
    { key: 'for', label: 'For', value: p.forVotes, color: PALETTE.for },
    { key: 'against', label: 'Against', value: p.againstVotes, color: PALETTE.against },
    { key: 'abstain', label: 'Abstain', value: p.abstainVotes, color: PALETTE.abstain },
  ];
  let acc = 0;
  const segments = parts.map((s) => {
    const share = ratio(s.value, p.totalWeight);
    const seg = { ...s, share, x: x(acc), w: x(acc + share) - x(acc) };
    acc += share;
    return seg;
  });
  return { segments, quorumX: x(p.quorumBps / 10000), x0: x(0), x1: x(1), participation: acc, width };
}

export function TallyChart(p: TallyProps) {
  const { segments, quorumX, x0, x1, participation, width } = tallySegments(p);
  const { height, barY, barH } = TALLY_LAYOUT;
  const quorumMet = participation * 10000 >= p.quorumBps;
  const summary = `For ${formatPercent(segments[0].share)}, against ${formatPercent(segments[1].share)}, abstain ${formatPercent(segments[2].share)} of the total weight ${formatTokens(p.totalWeight)}; participation ${formatPercent(participation)}, quorum ${formatBps(p.quorumBps)} ${quorumMet ? 'reached' : 'not reached'}.`;
  return (
    <ChartFigure
      title="Tally"
      summary={summary}
      table={
        <table>
          <thead>
            <tr>
              <th scope="col">Support</th>
              <th scope="col" className="num">
                Weight
              </th>
              <th scope="col" className="num">
                Share of total weight
              </th>
            </tr>
          </thead>
          <tbody>
            {segments.map((s) => (
              <tr key={s.key}>
                <th scope="row">{s.label}</th>
                <td className="num">{formatTokens(s.value)}</td>
                <td className="num">{formatPercent(s.share)}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">Quorum</th>
              <td className="num">—</td>
              <td className="num">{formatBps(p.quorumBps)}</td>
            </tr>
          </tbody>
        </table>
      }
    >
      <SvgRoot width={width} height={height} title="Tally" desc={summary}>
        <rect
          className="tally-track"
          x={r2(x0)}
          y={barY}
          width={r2(x1 - x0)}
          height={barH}
          fill={PALETTE.unvoted}
        />
        {segments.map((s) =>
          s.w > 0 ? (
            <rect
              key={s.key}
              className={`tally-${s.key}`}
              data-share={s.share}
              x={r2(s.x)}
              y={barY}
              width={r2(s.w)}
              height={barH}
              fill={s.color}
            >
              <title>{`${s.label}: ${formatTokens(s.value)} (${formatPercent(s.share)})`}</title>
            </rect>
          ) : null,
        )}
        <line
          className="tally-quorum"
          x1={r2(quorumX)}
          x2={r2(quorumX)}
          y1={barY - 10}
          y2={barY + barH + 6}
          stroke="#1d2430"
          strokeWidth={2}
          strokeDasharray="4 3"
        />
        <text
          x={r2(quorumX)}
          y={barY - 14}
          textAnchor={quorumX > width * 0.8 ? 'end' : 'middle'}
          fontSize={12}
          fill="#1d2430"
        >
          quorum {formatBps(p.quorumBps)}
        </text>
        {segments.map((s, i) => (
          <g key={s.key} transform={`translate(${TALLY_LAYOUT.marginX + i * 150}, ${barY + barH + 22})`}>
            <rect width={12} height={12} y={-10} fill={s.color} />
            <text x={18} fontSize={12} fill="#1d2430">
              {s.label} {formatPercent(s.share)}
            </text>
          </g>
        ))}
      </SvgRoot>
    </ChartFigure>
  );
}
