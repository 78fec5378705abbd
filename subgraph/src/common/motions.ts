// Motions, consumers and leases that an event refers to by id.
import { log } from '@graphprotocol/graph-ts';
import { Consumer, Lease, Motion, Seat } from '../../generated/schema';

/** Loads a motion the contract guarantees to exist (its MotionProposed came first). */
export function loadMotion(id: string): Motion {
  let motion = Motion.load(id);
  if (motion == null) log.critical('Motion {} is referenced before its MotionProposed event', [id]);
  return motion!;
}

export function loadConsumer(id: string): Consumer {
  let consumer = Consumer.load(id);
  if (consumer == null) log.critical('Consumer {} is referenced before its ConsumerRegistered event', [id]);
  return consumer!;
}

/** The lease a seat holds; LeaseRenewed and LeaseExpired always concern it. */
export function loadCurrentLease(seat: Seat): Lease {
  let id = seat.currentLease;
  if (id == null) log.critical('Seat {} has no current lease', [seat.id]);
  let lease = Lease.load(id!);
  if (lease == null) log.critical('Lease {} of seat {} is missing', [id!, seat.id]);
  return lease!;
}
