// `/areas/:areaId/groups/:groupId`: a member group, its members, votes, delegators and leases.
import { useParams } from 'wouter';
import {
  CONSUMER_FIELDS,
  GROUP_VOTE_FIELDS,
  groupQuery,
  LEASE_FIELDS,
  MEMBERSHIP_FIELDS,
  type GovernanceEvent,
  type Lease,
} from '../api/queries.ts';
import { useAsOf } from '../app/asOf.ts';
import { useChain } from '../app/chain.tsx';
import { useQuery } from '../app/useQuery.ts';
import { DataTable } from '../components/DataTable.tsx';
import { supportColumn, weightColumn } from '../components/voteColumns.tsx';
import { Breadcrumbs, PageTitle } from '../components/Layout.tsx';
import { areaHref, Link, motionHref } from '../components/Link.tsx';
import { Empty, QueryView } from '../components/States.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { TxLink } from '../components/TxLink.tsx';
import { formatPercent, formatTime, humanize, shortHex } from '../lib/format.ts';

interface Group {
  id: string;
  groupId: string;
  role: string;
  name: string;
  account: string;
  memberCount: number;
  delegationCount: number;
  motionsProposed: number;
  votesCast: number;
  votesFor: number;
  votesAgainst: number;
  votesAbstain: number;
  weightCast: string;
  motionsEligible: number;
  registeredAt: string;
  registeredAtBlock: string;
  registeredTx: string;
  area: { id: string; name: string; code: string; totalDelegations: number };
  seatsHeld: { id: string; role: string }[];
}
interface Membership {
  id: string;
  member: string;
  active: boolean;
  addedAt: string;
  addedTx: string;
  removedAt: string | null;
  removedTx: string | null;
  createdAt: string;
}
interface GroupVote {
  id: string;
  motion: { id: string; motionId: string; kind: string; status: string };
  support: string;
  weight: string;
  reason: string;
  timestamp: string;
  transactionHash: string;
}
interface ConsumerRow {
  id: string;
  address: string;
  meterId: string;
  registeredAt: string;
  registeredTx: string;
}

const LIST = 100;

export default function GroupPage() {
  const { areaId = '', groupId = '' } = useParams<{ areaId: string; groupId: string }>();
  const block = useAsOf();
  const { now } = useChain();
  const q = useQuery<{
    group: Group | null;
    memberships: Membership[];
    memberEvents: GovernanceEvent[];
    votes: GroupVote[];
    consumers: ConsumerRow[];
    leases: Lease[];
  }>(groupQuery(areaId, groupId, block, LIST));
  const id = `${areaId}-${groupId}`;
  return (
    <QueryView state={q} what="group" source>
      {({ group: g, memberships, memberEvents, votes, consumers, leases }) => {
        if (!g) {
          return (
            <>
              <PageTitle title={`Group ${groupId}`} />
              <Empty>
                No group {groupId} in area {areaId}
                {block !== undefined ? ` at block ${block}` : ''}.
              </Empty>
            </>
          );
        }
        return (
          <>
            <Breadcrumbs
              items={[
                { href: '/', label: 'Areas' },
                { href: areaHref(g.area.id), label: g.area.name },
                { label: g.name },
              ]}
            />
            <PageTitle title={g.name} sub={`${humanize(g.role)} group #${g.groupId} of ${g.area.name}`} />
            <section aria-labelledby="about-h" className="section">
              <h2 id="about-h">About</h2>
              <dl className="kv">
                <div>
                  <dt>Role</dt>
                  <dd data-testid="group-role">{humanize(g.role)}</dd>
                </div>
                <div>
                  <dt>Account</dt>
                  <dd>
                    <code className="wrap" data-testid="group-account">
                      {g.account}
                    </code>
                  </dd>
                </div>
                <div>
                  <dt>Members</dt>
                  <dd>{g.memberCount}</dd>
                </div>
                <div>
                  <dt>Seats held</dt>
                  <dd>{g.seatsHeld.length ? g.seatsHeld.map((s) => humanize(s.role)).join(', ') : 'none'}</dd>
                </div>
                {g.role === 'COMMUNITY' && (
                  <div>
                    <dt>Delegating consumers</dt>
                    <dd>
                      {g.delegationCount}
                      {g.area.totalDelegations > 0 &&
                        ` (${formatPercent(g.delegationCount / g.area.totalDelegations)} of the COMMUNITY seat)`}
                    </dd>
                  </div>
                )}
                <div>
                  <dt>Votes cast</dt>
                  <dd>
                    {g.votesCast} of {g.motionsEligible} eligible ({g.votesFor} for, {g.votesAgainst} against,{' '}
                    {g.votesAbstain} abstain)
                  </dd>
                </div>
                <div>
                  <dt>Motions proposed</dt>
                  <dd>{g.motionsProposed}</dd>
                </div>
                <div>
                  <dt>Registered</dt>
                  <dd>
                    {formatTime(g.registeredAt)} in <TxLink hash={g.registeredTx} />
                  </dd>
                </div>
              </dl>
            </section>

            <section aria-labelledby="members-h" className="section">
              <h2 id="members-h">Members</h2>
              <DataTable<Membership>
                caption="Members, current and past"
                rows={memberships}
                columns={[
                  {
                    header: 'Member',
                    rowHeader: true,
                    cell: (m) => <code title={m.member}>{shortHex(m.member)}</code>,
                    csv: (m) => m.member,
                  },
                  {
                    header: 'Status',
                    cell: (m) => (m.active ? 'Member' : 'Removed'),
                    csv: (m) => (m.active ? 'active' : 'removed'),
                  },
                  { header: 'Added', cell: (m) => formatTime(m.addedAt), csv: (m) => m.addedAt },
                  { header: 'Removed', cell: (m) => formatTime(m.removedAt), csv: (m) => m.removedAt },
                  { header: 'Add tx', cell: (m) => <TxLink hash={m.addedTx} />, csv: (m) => m.addedTx },
                ]}
                exportFrom={{
                  filename: `group-${id}-members`,
                  plural: 'groupMemberships',
                  where: { group: id },
                  selection: MEMBERSHIP_FIELDS,
                }}
              />
              <DataTable<GovernanceEvent>
                caption="Membership history"
                rows={memberEvents}
                columns={[
                  { header: 'Event', rowHeader: true, cell: (e) => e.kind, csv: (e) => e.kind },
                  {
                    header: 'Member',
                    cell: (e) => (e.account ? <code title={e.account}>{shortHex(e.account)}</code> : '—'),
                    csv: (e) => e.account,
                  },
                  { header: 'Time', cell: (e) => formatTime(e.timestamp), csv: (e) => e.timestamp },
                  { header: 'Block', numeric: true, cell: (e) => e.blockNumber, csv: (e) => e.blockNumber },
                  {
                    header: 'Transaction',
                    cell: (e) => <TxLink hash={e.transactionHash} />,
                    csv: (e) => e.transactionHash,
                  },
                ]}
              />
            </section>

            <section aria-labelledby="votes-h" className="section">
              <h2 id="votes-h">Votes cast</h2>
              <DataTable<GroupVote>
                caption={`Votes cast, newest first${votes.length === LIST ? ` (latest ${LIST}; export for all)` : ''}`}
                rows={votes}
                empty="This group has not voted."
                columns={[
                  {
                    header: 'Motion',
                    rowHeader: true,
                    cell: (v) => (
                      <Link href={motionHref(areaId, v.motion.motionId)}>#{v.motion.motionId}</Link>
                    ),
                    csv: (v) => v.motion.motionId,
                  },
                  { header: 'Kind', cell: (v) => humanize(v.motion.kind), csv: (v) => v.motion.kind },
                  supportColumn(),
                  weightColumn(),
                  {
                    header: 'Outcome',
                    cell: (v) => <StatusBadge status={v.motion.status} />,
                    csv: (v) => v.motion.status,
                  },
                  {
                    header: 'Reason',
                    wrap: true,
                    cell: (v) => v.reason || <span className="muted">—</span>,
                    csv: (v) => v.reason,
                  },
                  {
                    header: 'Transaction',
                    cell: (v) => <TxLink hash={v.transactionHash} />,
                    csv: (v) => v.transactionHash,
                  },
                ]}
                exportFrom={{
                  filename: `group-${id}-votes`,
                  plural: 'votes',
                  where: { group: id },
                  selection: GROUP_VOTE_FIELDS,
                }}
              />
            </section>

            {g.role === 'COMMUNITY' && (
              <section aria-labelledby="delegators-h" className="section">
                <h2 id="delegators-h">Consumers delegating to this group</h2>
                <DataTable<ConsumerRow>
                  caption={`Delegating consumers (${g.delegationCount}${consumers.length < g.delegationCount ? `, latest ${consumers.length} shown; export for all` : ''})`}
                  rows={consumers}
                  empty="No consumer delegates to this group."
                  columns={[
                    {
                      header: 'Consumer',
                      rowHeader: true,
                      cell: (c) => <code title={c.address}>{shortHex(c.address)}</code>,
                      csv: (c) => c.address,
                    },
                    {
                      header: 'Meter',
                      cell: (c) => <code title={c.meterId}>{shortHex(c.meterId)}</code>,
                      csv: (c) => c.meterId,
                    },
                    {
                      header: 'Registered',
                      cell: (c) => formatTime(c.registeredAt),
                      csv: (c) => c.registeredAt,
                    },
                  ]}
                  exportFrom={{
                    filename: `group-${id}-delegators`,
                    plural: 'consumers',
                    where: { delegate: id },
                    selection: CONSUMER_FIELDS,
                  }}
                />
              </section>
            )}

            <section aria-labelledby="leases-h" className="section">
              <h2 id="leases-h">Leases held</h2>
              <DataTable<Lease>
                caption="Leases granted to this group"
                rows={leases}
                empty="This group has held no lease."
                columns={[
                  {
                    header: 'Seat',
                    rowHeader: true,
                    cell: (l) => humanize(l.seat.role),
                    csv: (l) => l.seat.role,
                  },
                  {
                    header: 'Motion',
                    cell: (l) => (
                      <Link href={motionHref(areaId, l.motion.motionId)}>#{l.motion.motionId}</Link>
                    ),
                    csv: (l) => l.motion.motionId,
                  },
                  { header: 'Start', cell: (l) => formatTime(l.start), csv: (l) => l.start },
                  { header: 'End', cell: (l) => formatTime(l.end), csv: (l) => l.end },
                  { header: 'Renewals', numeric: true, cell: (l) => l.renewals, csv: (l) => l.renewals },
                  {
                    header: 'Status',
                    cell: (l) =>
                      l.status === 'EXPIRED'
                        ? 'Expired'
                        : now !== undefined && Number(l.end) <= now
                          ? 'Ended, not settled'
                          : 'Active',
                    csv: (l) => l.status,
                  },
                ]}
                exportFrom={{
                  filename: `group-${id}-leases`,
                  plural: 'leases',
                  where: { group: id },
                  selection: LEASE_FIELDS,
                }}
              />
            </section>
          </>
        );
      }}
    </QueryView>
  );
}
