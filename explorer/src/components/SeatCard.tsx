// One seat as a card: holder, lease dates, progress through the term, countdown.
import type { Seat } from '../api/queries.ts';
import { formatDuration, formatTime, formatTokens, humanize } from '../lib/format.ts';
import { SEAT_STATE_LABEL, seatState } from '../lib/seats.ts';
import { GroupLink, Link, motionHref } from './Link.tsx';

export function SeatCard({
  areaId,
  seat,
  now,
  renewalWindow,
  totalDelegations,
  communityGroups,
}: {
  areaId: string;
  seat: Seat;
  now: number | undefined;
  renewalWindow: string;
  totalDelegations: number;
  communityGroups: { groupId: string; name: string; delegationCount: number }[];
}) {
  const state = seatState(seat, now, renewalWindow);
  const lease = seat.currentLease;
  const headingId = `seat-${seat.role}`;
  let progress: number | undefined;
  if (lease && now !== undefined) {
    const start = Number(lease.start);
    const end = Number(lease.end);
    progress = Math.min(1, Math.max(0, (now - start) / Math.max(1, end - start)));
  }
  return (
    <article
      className={`seat-card seat-${state}`}
      aria-labelledby={headingId}
      data-testid={`seat-${seat.role}`}
    >
      <header>
        <h3 id={headingId}>{humanize(seat.role)}</h3>
        <span className={`badge badge-${state}`}>{SEAT_STATE_LABEL[state]}</span>
      </header>
      <dl>
        <div>
          <dt>Allocation</dt>
          <dd>{formatTokens(seat.allocation)} GOV</dd>
        </div>
        {seat.role === 'COMMUNITY' ? (
          <div>
            <dt>Delegations</dt>
            <dd>
              {totalDelegations === 0 ? (
                'none yet'
              ) : (
                <ul className="delegation-list">
                  {communityGroups
                    .filter((g) => g.delegationCount > 0)
                    .map((g) => (
                      <li key={g.groupId}>
                        <GroupLink areaId={areaId} group={g} />{' '}
                        {Math.round((g.delegationCount / totalDelegations) * 1000) / 10}%
                      </li>
                    ))}
                </ul>
              )}
            </dd>
          </div>
        ) : (
          <div>
            <dt>Holder</dt>
            <dd data-testid="seat-holder">
              {seat.holder ? (
                <GroupLink areaId={areaId} group={seat.holder} />
              ) : (
                <span className="muted">Vacant</span>
              )}
            </dd>
          </div>
        )}
        {lease && (
          <>
            <div>
              <dt>Lease</dt>
              <dd>
                {formatTime(lease.start)} → {formatTime(lease.end)}
                {lease.renewals > 0 && ` (renewed ${lease.renewals}×)`}
              </dd>
            </div>
            <div>
              <dt>Granted by</dt>
              <dd>
                <Link href={motionHref(areaId, lease.motion.motionId)}>Motion #{lease.motion.motionId}</Link>
              </dd>
            </div>
          </>
        )}
      </dl>
      {lease && progress !== undefined && now !== undefined && (
        <div className="lease-progress">
          <progress
            max={1}
            value={progress}
            aria-label={`Lease term elapsed: ${Math.round(progress * 100)}%`}
          />
          <p className="countdown">
            {Number(lease.end) > now ? (
              <>Ends in {formatDuration(Number(lease.end) - now)}</>
            ) : (
              <>Ended {formatDuration(now - Number(lease.end))} ago — awaiting settlement (expireLease)</>
            )}
          </p>
        </div>
      )}
    </article>
  );
}
