// `/areas/:areaId/motions/:motionId`: one motion with its snapshot, tally and votes.
import { useParams } from 'wouter';
import { motionQuery, VOTE_FIELDS, WEIGHT_FIELDS, type GroupRef, type MotionRow } from '../api/queries.ts';
import { useAsOf } from '../app/asOf.ts';
import { useChain } from '../app/chain.tsx';
import { useQuery } from '../app/useQuery.ts';
import { TallyChart } from '../charts/TallyChart.tsx';
import { DataTable } from '../components/DataTable.tsx';
import { supportColumn, weightColumn } from '../components/voteColumns.tsx';
import { Breadcrumbs, PageTitle } from '../components/Layout.tsx';
import { areaHref, GroupLink } from '../components/Link.tsx';
import { Empty, QueryView } from '../components/States.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { Measured } from '../components/Measured.tsx';
import { TxLink } from '../components/TxLink.tsx';
import {
  formatBps,
  formatDuration,
  formatParam,
  formatPercent,
  formatTime,
  formatTokens,
  humanize,
  share,
  shortHex,
} from '../lib/format.ts';

interface Motion extends MotionRow {
  acceptDeadline: string;
  outcome: number;
  seatPrice: string;
  leaseTerm: string;
  acceptWindow: string;
  weightedGroupCount: number;
  vetoReason: string | null;
  vetoedAt: string | null;
  vetoedTx: string | null;
  accepted: boolean;
  finalizedAt: string | null;
  finalizedTx: string | null;
  area: { id: string; name: string; code: string };
  lease: {
    id: string;
    start: string;
    end: string;
    status: string;
    renewals: number;
    seat: { role: string };
    group: GroupRef;
    grantedTx: string;
  } | null;
  parameterChange: {
    id: string;
    param: string;
    oldValue: string;
    newValue: string;
    transactionHash: string;
  } | null;
}
interface Weight {
  id: string;
  weight: string;
  group: GroupRef & { role: string };
}
interface VoteRow {
  id: string;
  group: GroupRef & { role: string };
  voter: string;
  support: string;
  weight: string;
  reason: string;
  blockNumber: string;
  timestamp: string;
  transactionHash: string;
}

export default function MotionPage() {
  const { areaId = '', motionId = '' } = useParams<{ areaId: string; motionId: string }>();
  const block = useAsOf();
  const { now } = useChain();
  const q = useQuery<{ motion: Motion | null; votingWeights: Weight[]; votes: VoteRow[] }>(
    motionQuery(areaId, motionId, block),
  );
  const id = `${areaId}-${motionId}`;
  return (
    <QueryView state={q} what="motion" source>
      {({ motion: m, votingWeights, votes }) => {
        if (!m) {
          return (
            <>
              <PageTitle title={`Motion ${motionId}`} />
              <Empty>
                No motion {motionId} in area {areaId}
                {block !== undefined ? ` at block ${block}` : ''}.
              </Empty>
            </>
          );
        }
        const votingOpen = now !== undefined && now < Number(m.votingEnd) && m.status === 'ACTIVE';
        const subject =
          m.kind === 'PARAMETER_CHANGE'
            ? `${m.param}: ${formatParam(m.param, m.value)}`
            : m.seatRole
              ? `${humanize(m.seatRole)} seat`
              : 'General motion';
        return (
          <>
            <Breadcrumbs
              items={[
                { href: '/', label: 'Areas' },
                { href: areaHref(m.area.id), label: m.area.name },
                { label: `Motion #${m.motionId}` },
              ]}
            />
            <PageTitle title={`Motion #${m.motionId}: ${humanize(m.kind)}`} sub={subject}>
              <p>
                <StatusBadge status={m.status} vetoed={m.vetoed} />
              </p>
            </PageTitle>
            {m.description && <blockquote className="motion-description">{m.description}</blockquote>}

            <section aria-labelledby="terms-h" className="section">
              <h2 id="terms-h">Terms</h2>
              <dl className="kv">
                <div>
                  <dt>Kind</dt>
                  <dd>{humanize(m.kind)}</dd>
                </div>
                {m.seatRole && (
                  <div>
                    <dt>Seat</dt>
                    <dd>{humanize(m.seatRole)}</dd>
                  </div>
                )}
                {m.applicant && (
                  <div>
                    <dt>Applicant</dt>
                    <dd data-testid="motion-applicant">
                      <GroupLink areaId={m.area.id} group={m.applicant} />
                    </dd>
                  </div>
                )}
                <div>
                  <dt>Proposed by</dt>
                  <dd>
                    <GroupLink areaId={m.area.id} group={m.proposer} />
                  </dd>
                </div>
                {m.kind === 'PARAMETER_CHANGE' && (
                  <div>
                    <dt>Parameter</dt>
                    <dd>
                      {m.param} → {formatParam(m.param, m.value)}
                    </dd>
                  </div>
                )}
                {(m.kind === 'SEAT_ALLOCATION' || m.kind === 'LEASE_RENEWAL') && (
                  <>
                    <div>
                      <dt>Price</dt>
                      <dd>{formatTokens(m.seatPrice)} GGU</dd>
                    </div>
                    <div>
                      <dt>Lease term</dt>
                      <dd>{formatDuration(m.leaseTerm)}</dd>
                    </div>
                    <div>
                      <dt>Accept by</dt>
                      <dd>{formatTime(m.acceptDeadline)}</dd>
                    </div>
                  </>
                )}
                <div>
                  <dt>Voting window</dt>
                  <dd>
                    {formatTime(m.votingStart)} → {formatTime(m.votingEnd)}
                    {votingOpen && now !== undefined && (
                      <> (closes in {formatDuration(Number(m.votingEnd) - now)})</>
                    )}
                  </dd>
                </div>
                <div>
                  <dt>Quorum</dt>
                  <dd>{formatBps(m.quorumBps)} of the snapshot weight</dd>
                </div>
                <div>
                  <dt>Proposal tx</dt>
                  <dd>
                    <TxLink hash={m.createdTx} /> (block {m.createdAtBlock})
                  </dd>
                </div>
              </dl>
            </section>

            <section aria-labelledby="tally-h" className="section">
              <h2 id="tally-h">Tally</h2>
              <Measured max={900}>
                {(w) => (
                  <TallyChart
                    width={w}
                    forVotes={m.forVotes}
                    againstVotes={m.againstVotes}
                    abstainVotes={m.abstainVotes}
                    totalWeight={m.totalWeight}
                    quorumBps={m.quorumBps}
                  />
                )}
              </Measured>
            </section>

            <section aria-labelledby="outcome-h" className="section">
              <h2 id="outcome-h">Outcome</h2>
              <dl className="kv">
                <div>
                  <dt>Status</dt>
                  <dd data-testid="motion-status">
                    <StatusBadge status={m.status} vetoed={m.vetoed} />
                  </dd>
                </div>
                {m.finalizedAt && (
                  <div>
                    <dt>Finalized</dt>
                    <dd>
                      {formatTime(m.finalizedAt)} in <TxLink hash={m.finalizedTx} />
                    </dd>
                  </div>
                )}
                {m.vetoed && (
                  <div>
                    <dt>Veto reason</dt>
                    <dd data-testid="veto-reason">
                      {m.vetoReason || '—'}{' '}
                      {m.vetoedTx && (
                        <>
                          (<TxLink hash={m.vetoedTx} />)
                        </>
                      )}
                    </dd>
                  </div>
                )}
                {(m.kind === 'SEAT_ALLOCATION' || m.kind === 'LEASE_RENEWAL') && m.status === 'PASSED' && (
                  <div>
                    <dt>Resulting lease</dt>
                    <dd data-testid="resulting-lease">
                      {m.lease ? (
                        <>
                          {humanize(m.lease.seat.role)} to{' '}
                          <GroupLink areaId={m.area.id} group={m.lease.group} />, {formatTime(m.lease.start)}{' '}
                          → {formatTime(m.lease.end)}
                          {m.lease.status === 'EXPIRED' ? ' (expired)' : ''}
                        </>
                      ) : m.accepted ? (
                        'accepted'
                      ) : now !== undefined && now > Number(m.acceptDeadline) ? (
                        'not accepted within the accept window'
                      ) : (
                        'awaiting acceptance'
                      )}
                    </dd>
                  </div>
                )}
                {m.parameterChange && (
                  <div>
                    <dt>Applied change</dt>
                    <dd>
                      {m.parameterChange.param}:{' '}
                      {formatParam(m.parameterChange.param, m.parameterChange.oldValue)} →{' '}
                      {formatParam(m.parameterChange.param, m.parameterChange.newValue)} (
                      <TxLink hash={m.parameterChange.transactionHash} />)
                    </dd>
                  </div>
                )}
              </dl>
            </section>

            <section aria-labelledby="weights-h" className="section">
              <h2 id="weights-h">Weight snapshot</h2>
              <p className="muted">
                Taken at proposal: {m.weightedGroupCount} groups, total {formatTokens(m.totalWeight)} GOV.
              </p>
              <DataTable<Weight>
                caption="Voting weight per group at proposal"
                rows={votingWeights}
                columns={[
                  {
                    header: 'Group',
                    rowHeader: true,
                    cell: (w) => <GroupLink areaId={m.area.id} group={w.group} />,
                    csv: (w) => w.group.name,
                  },
                  { header: 'Role', cell: (w) => humanize(w.group.role), csv: (w) => w.group.role },
                  {
                    header: 'Weight',
                    numeric: true,
                    cell: (w) => formatTokens(w.weight),
                    csv: (w) => w.weight,
                  },
                  {
                    header: 'Share',
                    numeric: true,
                    cell: (w) => formatPercent(share(w.weight, m.totalWeight)),
                    csv: (w) => share(w.weight, m.totalWeight),
                  },
                ]}
                exportFrom={{
                  filename: `motion-${id}-weights`,
                  plural: 'votingWeights',
                  where: { motion: id },
                  selection: WEIGHT_FIELDS,
                }}
              />
            </section>

            <section aria-labelledby="votes-h" className="section">
              <h2 id="votes-h">Votes</h2>
              <DataTable<VoteRow>
                caption={`Votes cast (${votes.length})`}
                rows={votes}
                empty="No votes cast."
                columns={[
                  {
                    header: 'Group',
                    rowHeader: true,
                    cell: (v) => <GroupLink areaId={m.area.id} group={v.group} />,
                    csv: (v) => v.group.name,
                  },
                  supportColumn(),
                  weightColumn(),
                  {
                    header: 'Reason',
                    wrap: true,
                    cell: (v) => v.reason || <span className="muted">—</span>,
                    csv: (v) => v.reason,
                  },
                  {
                    header: 'Voter',
                    cell: (v) => <code title={v.voter}>{shortHex(v.voter)}</code>,
                    csv: (v) => v.voter,
                  },
                  { header: 'Time', cell: (v) => formatTime(v.timestamp), csv: (v) => v.timestamp },
                  {
                    header: 'Transaction',
                    cell: (v) => <TxLink hash={v.transactionHash} />,
                    csv: (v) => v.transactionHash,
                  },
                ]}
                exportFrom={{
                  filename: `motion-${id}-votes`,
                  plural: 'votes',
                  where: { motion: id },
                  selection: VOTE_FIELDS,
                }}
              />
            </section>
          </>
        );
      }}
    </QueryView>
  );
}
