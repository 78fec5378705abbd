// `/areas/:areaId`: seats, token distribution, leases, motions, groups, parameters.
import { useParams } from 'wouter';
import {
  areaQuery,
  dayDataQuery,
  GROUP_ROW_FIELDS,
  HOLDER_FIELDS,
  LEASE_FIELDS,
  LEASE_ROLES,
  PARAM_CHANGE_FIELDS,
  SEAT_ORDER,
  type Area,
  type DayData,
  type GroupRef,
  type Lease,
  type Seat,
} from '../api/queries.ts';
import { useAsOf } from '../app/asOf.ts';
import { useChain } from '../app/chain.tsx';
import { useQuery } from '../app/useQuery.ts';
import { DailyActivityChart } from '../charts/DailyActivityChart.tsx';
import { LeaseTimeline } from '../charts/LeaseTimeline.tsx';
import { distributionRows, TokenDistributionChart } from '../charts/TokenDistributionChart.tsx';
import { DataTable } from '../components/DataTable.tsx';
import { Breadcrumbs, PageTitle } from '../components/Layout.tsx';
import { auditHref, GroupLink, Link, motionHref } from '../components/Link.tsx';
import { Measured } from '../components/Measured.tsx';
import { MotionHistory } from '../components/MotionHistory.tsx';
import { SeatCard } from '../components/SeatCard.tsx';
import { Empty, QueryView } from '../components/States.tsx';
import { TxLink } from '../components/TxLink.tsx';
import {
  formatBps,
  formatDuration,
  formatParam,
  formatTime,
  formatTokens,
  humanize,
  shortHex,
} from '../lib/format.ts';
import { toTimelineLease } from '../lib/seats.ts';

type GroupRow = GroupRef & {
  role: string;
  account: string;
  memberCount: number;
  delegationCount: number;
  votesCast: number;
  motionsProposed: number;
  registeredAt: string;
};
type HolderRow = {
  id: string;
  address: string;
  balance: string;
  isTreasury: boolean;
  group: GroupRef | null;
};
type ParamChange = {
  id: string;
  param: string;
  oldValue: string;
  newValue: string;
  blockNumber: string;
  timestamp: string;
  transactionHash: string;
  motion: { motionId: string };
};

interface AreaData {
  area: Area | null;
  seats: Seat[];
  leases: Lease[];
  groups: GroupRow[];
  tokenHolders: HolderRow[];
  parameterChanges: ParamChange[];
}

export default function AreaPage() {
  const { areaId = '' } = useParams<{ areaId: string }>();
  const block = useAsOf();
  const { now } = useChain();
  const q = useQuery<AreaData>(areaQuery(areaId, block));
  const days = useQuery<{ areaDayDatas: DayData[] }>(dayDataQuery(areaId, 120, block));
  return (
    <QueryView state={q} what="area" source>
      {(d) => {
        if (!d.area) {
          return (
            <>
              <PageTitle title={`Area ${areaId}`} />
              <Empty>
                No area {areaId} {block !== undefined ? `at block ${block}` : 'is indexed'}.
              </Empty>
            </>
          );
        }
        const a = d.area;
        const seats = [...d.seats].sort((x, y) => SEAT_ORDER.indexOf(x.role) - SEAT_ORDER.indexOf(y.role));
        const community = d.groups.filter((g) => g.role === 'COMMUNITY');
        return (
          <>
            <Breadcrumbs items={[{ href: '/', label: 'Areas' }, { label: a.name }]} />
            <PageTitle
              title={`${a.name}`}
              sub={
                <>
                  Area {a.areaId} · code <strong>{a.code}</strong> · created {formatTime(a.createdAt)} in{' '}
                  <TxLink hash={a.createdTx} /> · DAO <code title={a.dao}>{shortHex(a.dao)}</code> · token{' '}
                  <code title={a.token}>{shortHex(a.token)}</code>
                </>
              }
            >
              <p>
                <Link href={auditHref(a.id)}>Audit trail ({a.eventCount} events) →</Link>
              </p>
            </PageTitle>

            <section aria-labelledby="params-h" className="section">
              <h2 id="params-h">Parameters in force</h2>
              <dl className="kv params">
                <div>
                  <dt>Lease term</dt>
                  <dd>{formatDuration(a.leaseTerm)}</dd>
                </div>
                <div>
                  <dt>Voting period</dt>
                  <dd>{formatDuration(a.votingPeriod)}</dd>
                </div>
                <div>
                  <dt>Quorum</dt>
                  <dd>{formatBps(a.quorumBps)}</dd>
                </div>
                <div>
                  <dt>Accept window</dt>
                  <dd>{formatDuration(a.acceptWindow)}</dd>
                </div>
                <div>
                  <dt>Renewal window</dt>
                  <dd>{formatDuration(a.renewalWindow)}</dd>
                </div>
                <div>
                  <dt>Seat price</dt>
                  <dd>{formatTokens(a.seatPrice)} GGU</dd>
                </div>
                <div>
                  <dt>Consumers</dt>
                  <dd>{a.consumerCount}</dd>
                </div>
                <div>
                  <dt>Groups</dt>
                  <dd>{a.groupCount}</dd>
                </div>
              </dl>
            </section>

            <section aria-labelledby="seats-h" className="section">
              <h2 id="seats-h">Seats</h2>
              <div className="seat-grid">
                {seats.map((s) => (
                  <SeatCard
                    key={s.id}
                    areaId={a.id}
                    seat={s}
                    now={now}
                    renewalWindow={a.renewalWindow}
                    totalDelegations={a.totalDelegations}
                    communityGroups={community}
                  />
                ))}
              </div>
            </section>

            <section aria-labelledby="dist-h" className="section">
              <h2 id="dist-h">Token distribution</h2>
              <Measured>
                {(w) => (
                  <TokenDistributionChart
                    width={w}
                    rows={distributionRows(seats, community, a.totalDelegations)}
                    symbol={`GOV-${a.code}`}
                  />
                )}
              </Measured>
              <DataTable<HolderRow>
                caption="Governance token holders"
                rows={d.tokenHolders}
                columns={[
                  {
                    header: 'Holder',
                    rowHeader: true,
                    cell: (h) =>
                      h.isTreasury ? (
                        'Treasury (AreaDAO)'
                      ) : h.group ? (
                        <GroupLink areaId={a.id} group={h.group} />
                      ) : (
                        <code title={h.address}>{shortHex(h.address)}</code>
                      ),
                    csv: (h) => (h.isTreasury ? 'treasury' : (h.group?.name ?? '')),
                  },
                  {
                    header: 'Address',
                    cell: (h) => <code title={h.address}>{shortHex(h.address)}</code>,
                    csv: (h) => h.address,
                  },
                  {
                    header: 'Balance',
                    numeric: true,
                    cell: (h) => formatTokens(h.balance),
                    csv: (h) => h.balance,
                  },
                ]}
                exportFrom={{
                  filename: `area-${a.id}-token-holders`,
                  plural: 'tokenHolders',
                  where: { area: a.id },
                  selection: HOLDER_FIELDS,
                }}
              />
            </section>

            <section aria-labelledby="leases-h" className="section">
              <h2 id="leases-h">Leases</h2>
              {now !== undefined && (
                <Measured>
                  {(w) => (
                    <LeaseTimeline
                      width={w}
                      leases={d.leases.map(toTimelineLease)}
                      roles={LEASE_ROLES}
                      now={now}
                    />
                  )}
                </Measured>
              )}
              <DataTable<Lease>
                caption="Every lease granted"
                rows={[...d.leases].reverse()}
                empty="No lease has been granted."
                columns={[
                  {
                    header: 'Seat',
                    rowHeader: true,
                    cell: (l) => humanize(l.seat.role),
                    csv: (l) => l.seat.role,
                  },
                  {
                    header: 'Holder',
                    cell: (l) => <GroupLink areaId={a.id} group={l.group} />,
                    csv: (l) => l.group.name,
                  },
                  {
                    header: 'Motion',
                    cell: (l) => <Link href={motionHref(a.id, l.motion.motionId)}>#{l.motion.motionId}</Link>,
                    csv: (l) => l.motion.motionId,
                  },
                  { header: 'Start', cell: (l) => formatTime(l.start), csv: (l) => l.start },
                  { header: 'End', cell: (l) => formatTime(l.end), csv: (l) => l.end },
                  { header: 'Renewals', numeric: true, cell: (l) => l.renewals, csv: (l) => l.renewals },
                  {
                    header: 'Paid (GGU)',
                    numeric: true,
                    cell: (l) => formatTokens(l.totalPaid),
                    csv: (l) => l.totalPaid,
                  },
                  {
                    header: 'Status',
                    cell: (l) =>
                      l.status === 'EXPIRED'
                        ? `Expired ${formatTime(l.expiredAt)}`
                        : now !== undefined && Number(l.end) <= now
                          ? 'Ended, not settled'
                          : 'Active',
                    csv: (l) => l.status,
                  },
                  { header: 'Grant tx', cell: (l) => <TxLink hash={l.grantedTx} />, csv: (l) => l.grantedTx },
                ]}
                exportFrom={{
                  filename: `area-${a.id}-leases`,
                  plural: 'leases',
                  where: { area: a.id },
                  selection: LEASE_FIELDS,
                }}
              />
            </section>

            <MotionHistory areaId={a.id} />

            <section aria-labelledby="groups-h" className="section">
              <h2 id="groups-h">Member groups</h2>
              <DataTable<GroupRow>
                caption="Member groups"
                rows={d.groups}
                columns={[
                  {
                    header: 'Group',
                    rowHeader: true,
                    cell: (g) => <GroupLink areaId={a.id} group={g} />,
                    csv: (g) => g.name,
                  },
                  { header: 'Id', numeric: true, cell: (g) => g.groupId, csv: (g) => g.groupId },
                  { header: 'Role', cell: (g) => humanize(g.role), csv: (g) => g.role },
                  { header: 'Members', numeric: true, cell: (g) => g.memberCount, csv: (g) => g.memberCount },
                  {
                    header: 'Delegations',
                    numeric: true,
                    cell: (g) => (g.role === 'COMMUNITY' ? g.delegationCount : '—'),
                    csv: (g) => g.delegationCount,
                  },
                  { header: 'Votes cast', numeric: true, cell: (g) => g.votesCast, csv: (g) => g.votesCast },
                  {
                    header: 'Account',
                    cell: (g) => <code title={g.account}>{shortHex(g.account)}</code>,
                    csv: (g) => g.account,
                  },
                ]}
                exportFrom={{
                  filename: `area-${a.id}-groups`,
                  plural: 'memberGroups',
                  where: { area: a.id },
                  selection: GROUP_ROW_FIELDS,
                }}
              />
            </section>

            <section aria-labelledby="paramchanges-h" className="section">
              <h2 id="paramchanges-h">Parameter changes</h2>
              <DataTable<ParamChange>
                caption="Parameter changes, newest first"
                rows={d.parameterChanges}
                empty="No parameter has been changed."
                columns={[
                  { header: 'Parameter', rowHeader: true, cell: (p) => p.param, csv: (p) => p.param },
                  { header: 'From', cell: (p) => formatParam(p.param, p.oldValue), csv: (p) => p.oldValue },
                  { header: 'To', cell: (p) => formatParam(p.param, p.newValue), csv: (p) => p.newValue },
                  {
                    header: 'Motion',
                    cell: (p) => <Link href={motionHref(a.id, p.motion.motionId)}>#{p.motion.motionId}</Link>,
                    csv: (p) => p.motion.motionId,
                  },
                  { header: 'Applied', cell: (p) => formatTime(p.timestamp), csv: (p) => p.timestamp },
                  {
                    header: 'Transaction',
                    cell: (p) => <TxLink hash={p.transactionHash} />,
                    csv: (p) => p.transactionHash,
                  },
                ]}
                exportFrom={{
                  filename: `area-${a.id}-parameter-changes`,
                  plural: 'parameterChanges',
                  where: { area: a.id },
                  selection: PARAM_CHANGE_FIELDS,
                }}
              />
            </section>

            <section aria-labelledby="activity-h" className="section">
              <h2 id="activity-h">Daily activity</h2>
              <p className="muted">The last 120 days with activity, from the AreaDayData rollups.</p>
              <QueryView state={days} what="activity">
                {({ areaDayDatas }) =>
                  areaDayDatas.length ? (
                    <Measured>{(w) => <DailyActivityChart width={w} days={areaDayDatas} />}</Measured>
                  ) : (
                    <Empty>No activity recorded.</Empty>
                  )
                }
              </QueryView>
            </section>
          </>
        );
      }}
    </QueryView>
  );
}
