// Seats: one per area and role, created by SeatConfigured in the DAO constructor.
import { BigInt, ethereum } from '@graphprotocol/graph-ts';
import { Seat } from '../../generated/schema';
import { roleName } from './enums';
import { seatKey } from './ids';
import { stampCreated } from './proof';

export function getOrCreateSeat(area: string, role: i32, event: ethereum.Event): Seat {
  let id = seatKey(area, role);
  let seat = Seat.load(id);
  if (seat != null) return seat;
  seat = new Seat(id);
  seat.area = area;
  seat.role = roleName(role);
  seat.allocation = BigInt.zero();
  seat.leaseCount = 0;
  stampCreated(seat, 'created', event);
  return seat;
}
