// Charts render on the server (react-dom/server) to the same SVG the browser
// shows; the shapes must encode the data.
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { TallyChart, TALLY_LAYOUT } from '../src/charts/TallyChart.tsx';
import {
  distributionRows,
  TokenDistributionChart,
  DIST_LAYOUT,
} from '../src/charts/TokenDistributionChart.tsx';
import { LeaseTimeline, TIMELINE_LAYOUT } from '../src/charts/LeaseTimeline.tsx';
import { DailyActivityChart, fillDays } from '../src/charts/DailyActivityChart.tsx';

const E18 = 10n ** 18n;
const tok = (n: number) => (BigInt(n) * E18).toString();

/** Attributes of every element matching a class, from SSR output. */
function shapes(html: string, cls: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  const re = new RegExp(`<(rect|line|path)[^>]*class="${cls}"[^>]*>`, 'g');
  for (const m of html.matchAll(re)) {
    const attrs: Record<string, string> = {};
    for (const a of m[0].matchAll(/([a-zA-Z0-9-]+)="([^"]*)"/g)) attrs[a[1]] = a[2];
    out.push(attrs);
  }
  return out;
}
const num = (s: string | undefined) => Number(s);

describe('TallyChart', () => {
  const width = 640;
  const inner = width - 2 * TALLY_LAYOUT.marginX;
  it('draws for/against/abstain with widths proportional to their share of the total weight', () => {
    const html = renderToString(
      <TallyChart
        forVotes={tok(100)}
        againstVotes={tok(50)}
        abstainVotes={tok(25)}
        totalWeight={tok(250)}
        quorumBps={5000}
        width={width}
      />,
    );
    expect(html.startsWith('<figure')).toBe(true);
    expect(html).toContain('<svg');
    const f = shapes(html, 'tally-for')[0];
    const a = shapes(html, 'tally-against')[0];
    const b = shapes(html, 'tally-abstain')[0];
    expect(num(f.width)).toBeCloseTo(inner * 0.4, 1);
    expect(num(a.width)).toBeCloseTo(inner * 0.2, 1);
    expect(num(b.width)).toBeCloseTo(inner * 0.1, 1);
    // stacked left to right without gaps
    expect(num(f.x)).toBeCloseTo(TALLY_LAYOUT.marginX, 1);
    expect(num(a.x)).toBeCloseTo(num(f.x) + num(f.width), 1);
    expect(num(b.x)).toBeCloseTo(num(a.x) + num(a.width), 1);
  });

  it('puts the quorum line at quorumBps of the track', () => {
    for (const bps of [2500, 5000, 6667, 10000]) {
      const html = renderToString(
        <TallyChart
          forVotes="0"
          againstVotes="0"
          abstainVotes="0"
          totalWeight={tok(10)}
          quorumBps={bps}
          width={width}
        />,
      );
      const q = shapes(html, 'tally-quorum')[0];
      expect(num(q.x1)).toBeCloseTo(TALLY_LAYOUT.marginX + (inner * bps) / 10000, 1);
      expect(shapes(html, 'tally-for')).toHaveLength(0); // no zero-width rects
    }
  });

  it('has a text alternative stating whether quorum was reached', () => {
    const met = renderToString(
      <TallyChart
        forVotes={tok(60)}
        againstVotes="0"
        abstainVotes="0"
        totalWeight={tok(100)}
        quorumBps={5000}
      />,
    );
    const missed = renderToString(
      <TallyChart
        forVotes={tok(40)}
        againstVotes="0"
        abstainVotes="0"
        totalWeight={tok(100)}
        quorumBps={5000}
      />,
    );
    expect(met).toMatch(/role="img"/);
    expect(met).toContain('quorum 50% reached');
    expect(missed).toContain('quorum 50% not reached');
    expect(met).toContain('<table>');
  });

  it('handles weights beyond 2^53 base units exactly enough', () => {
    const html = renderToString(
      <TallyChart
        forVotes={tok(1_000_000_000)}
        againstVotes={tok(3_000_000_000)}
        abstainVotes="0"
        totalWeight={tok(4_000_000_000)}
        quorumBps={1}
        width={width}
      />,
    );
    expect(num(shapes(html, 'tally-for')[0].width)).toBeCloseTo(inner * 0.25, 1);
  });
});

describe('TokenDistributionChart', () => {
  const seats = [
    { role: 'FOUNDATION', allocation: tok(50), holder: { groupId: '1', name: 'Foundation Members Group' } },
    { role: 'GENERATION', allocation: tok(50), holder: { groupId: '2', name: 'SolarCo' } },
    { role: 'TRANSMISSION', allocation: tok(100), holder: null },
    { role: 'DISTRIBUTION', allocation: tok(50), holder: { groupId: '3', name: 'GridOps' } },
    { role: 'COMMUNITY', allocation: tok(50), holder: null },
  ];
  const community = [
    { groupId: '4', name: 'Trust A', delegationCount: 3 },
    { groupId: '5', name: 'Trust B', delegationCount: 1 },
    { groupId: '6', name: 'Trust C', delegationCount: 0 },
  ];

  it('splits the COMMUNITY allocation by delegations with the contract integer division', () => {
    const rows = distributionRows(seats, community, 4);
    expect(rows.map((r) => r.role)).toEqual([
      'GENERATION',
      'TRANSMISSION',
      'DISTRIBUTION',
      'COMMUNITY',
      'FOUNDATION',
    ]);
    const c = rows[3];
    expect(c.segments.map((s) => [s.label, s.value])).toEqual([
      ['Trust A', ((BigInt(tok(50)) * 3n) / 4n).toString()],
      ['Trust B', ((BigInt(tok(50)) * 1n) / 4n).toString()],
    ]);
    expect(rows[1].segments[0]).toMatchObject({ kind: 'treasury', value: tok(100) });
    expect(rows[4].segments[0]).toMatchObject({ kind: 'foundation', label: 'Foundation Members Group' });
    // with no delegations the whole allocation is undelegated
    expect(distributionRows(seats, community, 0)[3].segments).toEqual([
      { key: 'undelegated', label: 'Undelegated', value: tok(50), kind: 'undelegated' },
    ]);
    // rounding remainder shows as undelegated, so segments always add up to the allocation
    const odd = distributionRows(
      [{ role: 'COMMUNITY', allocation: '100', holder: null }],
      [
        { groupId: '4', name: 'A', delegationCount: 1 },
        { groupId: '5', name: 'B', delegationCount: 2 },
      ],
      3,
    )[0];
    expect(odd.segments.reduce((t, s) => t + BigInt(s.value), 0n)).toBe(100n);
    expect(odd.segments.at(-1)).toMatchObject({ kind: 'undelegated', value: '1' });
  });

  it('draws bar lengths proportional to allocations and segments to their values', () => {
    const width = 640;
    const html = renderToString(
      <TokenDistributionChart rows={distributionRows(seats, community, 4)} width={width} />,
    );
    const plot = width - DIST_LAYOUT.labelW - DIST_LAYOUT.right; // the largest allocation (100) spans it
    const segs = shapes(html, 'dist-seg dist-[a-z]+');
    const byValue = segs.map((s) => ({
      w: num(s.width),
      v: Number(BigInt(s['data-value']) / 10n ** 14n) / 1e4,
    }));
    for (const s of byValue) expect(s.w).toBeCloseTo((plot * s.v) / 100, 1);
    expect(shapes(html, 'dist-seg dist-treasury')).toHaveLength(1);
    expect(shapes(html, 'dist-seg dist-delegation')).toHaveLength(2);
    expect(num(shapes(html, 'dist-seg dist-treasury')[0].width)).toBeCloseTo(plot, 1);
    expect(html).toContain('Trust A');
    expect(html).toContain('role="img"');
  });
});

describe('LeaseTimeline', () => {
  const day = 86_400;
  const t0 = 1_800_000_000;
  const leases = [
    {
      id: 'g1',
      role: 'GENERATION',
      holder: 'SolarCo',
      start: t0,
      end: t0 + 100 * day,
      status: 'EXPIRED' as const,
      expiredAt: t0 + 120 * day,
      renewalsAt: [],
    },
    {
      id: 'g2',
      role: 'GENERATION',
      holder: 'WindCo',
      start: t0 + 130 * day,
      end: t0 + 330 * day,
      status: 'ACTIVE' as const,
      expiredAt: null,
      renewalsAt: [t0 + 230 * day],
    },
    {
      id: 'd1',
      role: 'DISTRIBUTION',
      holder: 'GridOps',
      start: t0 + 10 * day,
      end: t0 + 200 * day,
      status: 'ACTIVE' as const,
      expiredAt: null,
      renewalsAt: [],
    },
  ];
  const now = t0 + 250 * day;
  const html = renderToString(
    <LeaseTimeline
      leases={leases}
      roles={['GENERATION', 'TRANSMISSION', 'DISTRIBUTION']}
      now={now}
      width={800}
    />,
  );

  it('draws one bar per lease in its seat row, lengths proportional to lease duration', () => {
    const bars = shapes(html, 'lease-span');
    expect(bars).toHaveLength(3);
    const [g1, g2, d1] = bars;
    expect(num(g1.y)).toBe(num(g2.y));
    expect(num(d1.y)).toBe(num(g1.y) + 2 * TIMELINE_LAYOUT.rowH);
    expect(num(g2.width) / num(g1.width)).toBeCloseTo(2, 1);
    expect(num(g2.x)).toBeGreaterThan(num(g1.x) + num(g1.width));
  });

  it('marks renewals, the unsettled tail of ended leases, and now', () => {
    expect(shapes(html, 'lease-renewal')).toHaveLength(1);
    const overdue = shapes(html, 'lease-overdue');
    // g1 ended at day 100 but was settled at day 120; d1 ended at day 200 and nobody settled it by day 250
    expect(overdue).toHaveLength(2);
    const bars = shapes(html, 'lease-span');
    expect(num(overdue[0].width) / num(bars[0].width)).toBeCloseTo(0.2, 1);
    const nowLine = shapes(html, 'timeline-now')[0];
    expect(num(nowLine.x1)).toBeGreaterThan(num(bars[2].x) + num(bars[2].width));
    expect(html).toContain('ended, not settled');
  });
});

describe('DailyActivityChart', () => {
  it('fills inactive days and draws bar heights proportional to events', () => {
    const days = [
      { dayIndex: 20000, events: 10, votesCast: 2, motionsProposed: 1 },
      { dayIndex: 20003, events: 5, votesCast: 0, motionsProposed: 0 },
    ];
    expect(fillDays(days).map((d) => d.events)).toEqual([10, 0, 0, 5]);
    const html = renderToString(<DailyActivityChart days={days} />);
    const bars = shapes(html, 'activity-bar');
    expect(bars).toHaveLength(4);
    expect(num(bars[0].height) / num(bars[3].height)).toBeCloseTo(2, 5);
    expect(num(bars[1].height)).toBe(0);
    expect(shapes(html, 'activity-votes')).toHaveLength(1);
  });
});
