// `/`: every area at a glance.
import {
  loadOverview,
  overviewQueries,
  OVERVIEW_AREA_FIELDS,
  type Area,
  type CommunityGroup,
  type Seat,
  LEASE_ROLES,
} from '../api/queries.ts';
import { useAsOf } from '../app/asOf.ts';
import { useChain } from '../app/chain.tsx';
import { useLoader } from '../app/useQuery.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { PageTitle } from '../components/Layout.tsx';
import { areaHref, auditHref, Link } from '../components/Link.tsx';
import { Empty, QueryView } from '../components/States.tsx';
import { formatPercent } from '../lib/format.ts';
import { seatState } from '../lib/seats.ts';

type AreaRow = Area & { seats: Seat[] };

export default function OverviewPage() {
  const block = useAsOf();
  const { now } = useChain();
  const docs = overviewQueries(block);
  const q = useLoader(
    docs.join('\n'),
    (fetcher) => loadOverview<AreaRow, CommunityGroup>(fetcher, block),
    docs,
  );
  return (
    <>
      <PageTitle
        title="Areas"
        sub="Every microgrid area, its seats, open motions and consumer delegation, as recorded on chain."
      />
      <QueryView state={q} what="areas" source>
        {({ areas, community }) => {
          if (areas.length === 0)
            return <Empty>No area has been created{block !== undefined ? ' by this block' : ''}.</Empty>;
          const stats = (a: AreaRow) => {
            const states = a.seats
              .filter((s) => LEASE_ROLES.includes(s.role))
              .map((s) => seatState(s, now, a.renewalWindow));
            const groups = community.filter((g) => g.area.id === a.id && g.delegationCount > 0);
            const lead = groups[0];
            return {
              filled: states.filter((s) => s === 'active' || s === 'ending-soon').length,
              endingSoon: states.filter((s) => s === 'ending-soon').length,
              unsettled: states.filter((s) => s === 'ended-unsettled').length,
              delegatedShare: a.consumerCount ? a.totalDelegations / a.consumerCount : 0,
              lead:
                lead && a.totalDelegations
                  ? `${lead.name} ${formatPercent(lead.delegationCount / a.totalDelegations, 0)}`
                  : '—',
            };
          };
          const columns: Column<AreaRow>[] = [
            {
              header: 'Area',
              rowHeader: true,
              cell: (a) => <Link href={areaHref(a.id)}>{a.name}</Link>,
              csv: (a) => a.name,
            },
            { header: 'Code', cell: (a) => a.code, csv: (a) => a.code },
            {
              header: 'Lease seats filled',
              numeric: true,
              cell: (a) => {
                const s = stats(a);
                return (
                  <span data-testid={`filled-${a.id}`}>
                    {s.filled} of 3
                    {s.unsettled > 0 && <span className="muted"> ({s.unsettled} ended, unsettled)</span>}
                  </span>
                );
              },
              csv: (a) => stats(a).filled,
            },
            {
              header: 'Open motions',
              numeric: true,
              cell: (a) => a.openMotionCount,
              csv: (a) => a.openMotionCount,
            },
            {
              header: 'Leases ending soon',
              numeric: true,
              cell: (a) => stats(a).endingSoon,
              csv: (a) => stats(a).endingSoon,
            },
            {
              header: 'Consumers',
              numeric: true,
              cell: (a) => <span data-testid={`consumers-${a.id}`}>{a.consumerCount}</span>,
              csv: (a) => a.consumerCount,
            },
            {
              header: 'Delegating',
              numeric: true,
              cell: (a) => `${a.totalDelegations} (${formatPercent(stats(a).delegatedShare, 0)})`,
              csv: (a) => a.totalDelegations,
            },
            { header: 'Largest COMMUNITY group', cell: (a) => stats(a).lead, csv: (a) => stats(a).lead },
            { header: 'Motions', numeric: true, cell: (a) => a.motionCount, csv: (a) => a.motionCount },
            {
              header: 'Events',
              numeric: true,
              cell: (a) => (
                <Link href={auditHref(a.id)} aria-label={`Audit trail of ${a.name}: ${a.eventCount} events`}>
                  {a.eventCount}
                </Link>
              ),
              csv: (a) => a.eventCount,
            },
          ];
          return (
            <>
              <ul className="area-cards" aria-label="Area summaries">
                {areas.map((a) => {
                  const s = stats(a);
                  return (
                    <li key={a.id} className="area-card" data-testid={`area-card-${a.id}`}>
                      <h2>
                        <Link href={areaHref(a.id)}>{a.name}</Link> <span className="code">{a.code}</span>
                      </h2>
                      <dl className="kv">
                        <div>
                          <dt>Lease seats filled</dt>
                          <dd>{s.filled} of 3</dd>
                        </div>
                        <div>
                          <dt>Open motions</dt>
                          <dd>{a.openMotionCount}</dd>
                        </div>
                        <div>
                          <dt>Ending soon</dt>
                          <dd>
                            {s.endingSoon + s.unsettled > 0
                              ? `${s.endingSoon} soon, ${s.unsettled} ended`
                              : '0'}
                          </dd>
                        </div>
                        <div>
                          <dt>Consumers</dt>
                          <dd>{a.consumerCount}</dd>
                        </div>
                        <div>
                          <dt>Delegating</dt>
                          <dd>{formatPercent(s.delegatedShare, 0)}</dd>
                        </div>
                      </dl>
                      <div
                        className="share-bar"
                        role="img"
                        aria-label={`${formatPercent(s.delegatedShare, 0)} of consumers delegate to a COMMUNITY group`}
                      >
                        <span style={{ width: `${Math.round(s.delegatedShare * 100)}%` }} />
                      </div>
                    </li>
                  );
                })}
              </ul>
              <DataTable
                caption="All areas"
                columns={columns}
                rows={areas}
                exportFrom={{
                  filename: 'areas',
                  plural: 'areas',
                  where: {},
                  selection: OVERVIEW_AREA_FIELDS,
                }}
              />
            </>
          );
        }}
      </QueryView>
    </>
  );
}
