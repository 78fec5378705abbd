// `/embed/areas/:areaId/<chart>`: one chart without the site chrome, for
// <iframe> embedding. Charts: distribution, tally (?motion=N, default the
// latest motion), leases, activity. `?block=N` works here too.
import { useParams, useSearch } from 'wouter';
import { buildQuery, en } from '../api/graphql.ts';
import {
  areaQuery,
  dayDataQuery,
  LEASE_ROLES,
  type Area,
  type DayData,
  type Lease,
  type Seat,
} from '../api/queries.ts';
import { useAsOf } from '../app/asOf.ts';
import { useChain } from '../app/chain.tsx';
import { useQuery } from '../app/useQuery.ts';
import { DailyActivityChart } from '../charts/DailyActivityChart.tsx';
import { LeaseTimeline } from '../charts/LeaseTimeline.tsx';
import { TallyChart } from '../charts/TallyChart.tsx';
import { distributionRows, TokenDistributionChart } from '../charts/TokenDistributionChart.tsx';
import { Measured } from '../components/Measured.tsx';
import { Empty, Loading, QueryView } from '../components/States.tsx';
import { withAsOf } from '../app/asOf.ts';
import { toTimelineLease } from '../lib/seats.ts';
import type { ReactNode } from 'react';

export const EMBED_CHARTS = ['distribution', 'tally', 'leases', 'activity'] as const;

function Frame({ title, href, children }: { title: string; href: string; children: ReactNode }) {
  return (
    <main className="embed" aria-label={title}>
      {children}
      <p className="embed-source">
        <a href={href} target="_blank" rel="noopener">
          {title} — GGN Explorer
        </a>
      </p>
    </main>
  );
}

function AreaCharts({ areaId, chart }: { areaId: string; chart: 'distribution' | 'leases' }) {
  const block = useAsOf();
  const { now } = useChain();
  const q = useQuery<{
    area: Area | null;
    seats: Seat[];
    leases: Lease[];
    groups: { groupId: string; name: string; role: string; delegationCount: number }[];
  }>(areaQuery(areaId, block));
  return (
    <QueryView state={q} what="chart">
      {(d) => {
        const area = d.area;
        if (!area) return <Empty>No area {areaId}.</Empty>;
        if (chart === 'distribution') {
          return (
            <Measured>
              {(w) => (
                <TokenDistributionChart
                  width={w}
                  rows={distributionRows(
                    d.seats,
                    d.groups.filter((g) => g.role === 'COMMUNITY'),
                    area.totalDelegations,
                  )}
                  symbol={`GOV-${area.code}`}
                />
              )}
            </Measured>
          );
        }
        if (now === undefined) return <Loading what="chain time" />;
        return (
          <Measured>
            {(w) => (
              <LeaseTimeline width={w} leases={d.leases.map(toTimelineLease)} roles={LEASE_ROLES} now={now} />
            )}
          </Measured>
        );
      }}
    </QueryView>
  );
}

function Tally({ areaId, motionId }: { areaId: string; motionId: string | null }) {
  const block = useAsOf();
  const where = motionId ? { area: areaId, motionId } : { area: areaId };
  const q = useQuery<{
    motions: {
      id: string;
      motionId: string;
      forVotes: string;
      againstVotes: string;
      abstainVotes: string;
      totalWeight: string;
      quorumBps: number;
    }[];
  }>(
    buildQuery(
      [
        {
          name: 'motions',
          args: { first: 1, where, orderBy: en('motionId'), orderDirection: en('desc') },
          selection: 'id motionId forVotes againstVotes abstainVotes totalWeight quorumBps',
        },
      ],
      block,
    ),
  );
  return (
    <QueryView state={q} what="tally">
      {({ motions }) =>
        motions[0] ? (
          <Measured>{(w) => <TallyChart width={w} {...motions[0]} />}</Measured>
        ) : (
          <Empty>No motion.</Empty>
        )
      }
    </QueryView>
  );
}

function Activity({ areaId }: { areaId: string }) {
  const block = useAsOf();
  const q = useQuery<{ areaDayDatas: DayData[] }>(dayDataQuery(areaId, 120, block));
  return (
    <QueryView state={q} what="activity">
      {({ areaDayDatas }) =>
        areaDayDatas.length ? (
          <Measured>{(w) => <DailyActivityChart width={w} days={areaDayDatas} />}</Measured>
        ) : (
          <Empty>No activity.</Empty>
        )
      }
    </QueryView>
  );
}

export default function EmbedPage() {
  const { areaId = '', chart = '' } = useParams<{ areaId: string; chart: string }>();
  const motion = new URLSearchParams(useSearch()).get('motion');
  const block = useAsOf();
  const base = import.meta.env.BASE_URL.replace(/\/$/, '');
  const href = withAsOf(
    `${base}/areas/${encodeURIComponent(areaId)}${chart === 'tally' && motion ? `/motions/${encodeURIComponent(motion)}` : ''}`,
    block,
  );
  const title = `Area ${areaId}`;
  switch (chart) {
    case 'distribution':
    case 'leases':
      return (
        <Frame title={title} href={href}>
          <AreaCharts areaId={areaId} chart={chart} />
        </Frame>
      );
    case 'tally':
      return (
        <Frame title={motion ? `${title}, motion #${motion}` : title} href={href}>
          <Tally areaId={areaId} motionId={motion} />
        </Frame>
      );
    case 'activity':
      return (
        <Frame title={title} href={href}>
          <Activity areaId={areaId} />
        </Frame>
      );
    default:
      return (
        <Frame title={title} href={href}>
          <Empty>
            Unknown chart “{chart}”. Charts: {EMBED_CHARTS.join(', ')}.
          </Empty>
        </Frame>
      );
  }
}
