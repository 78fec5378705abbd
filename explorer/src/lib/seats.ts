// Seat and lease states as a reader of the chain sees them at chain time `now`.
import type { Lease, Seat } from '../api/queries.ts';
import type { TimelineLease } from '../charts/LeaseTimeline.tsx';

export type SeatState = 'active' | 'ending-soon' | 'ended-unsettled' | 'vacant' | 'community' | 'foundation';

export const SEAT_STATE_LABEL: Record<SeatState, string> = {
  active: 'Active',
  'ending-soon': 'Ending soon',
  'ended-unsettled': 'Ended, not yet settled',
  vacant: 'Vacant',
  community: 'Split by delegation',
  foundation: 'Foundation',
};

/**
 * A lease is active while now < end (protocol.md); "ending soon" once it is
 * inside the renewal window, when a renewal may be proposed; an ended lease
 * that nobody expired yet still shows its holder.
 */
export function seatState(
  seat: Pick<Seat, 'role' | 'holder' | 'currentLease'>,
  now: number | undefined,
  renewalWindow: string | number,
): SeatState {
  if (seat.role === 'COMMUNITY') return 'community';
  if (seat.role === 'FOUNDATION') return 'foundation';
  const lease = seat.currentLease;
  if (!lease || !seat.holder) return 'vacant';
  if (now === undefined) return 'active';
  const end = Number(lease.end);
  if (end <= now) return 'ended-unsettled';
  if (end - now <= Number(renewalWindow)) return 'ending-soon';
  return 'active';
}

export function toTimelineLease(l: Lease): TimelineLease {
  return {
    id: l.id,
    role: l.seat.role,
    holder: l.group.name,
    start: Number(l.start),
    end: Number(l.end),
    status: l.status,
    expiredAt: l.expiredAt === null ? null : Number(l.expiredAt),
    renewalsAt: [...l.renewalHistory]
      .sort((a, b) => Number(a.previousEnd) - Number(b.previousEnd))
      .map((r) => Number(r.previousEnd)),
  };
}
