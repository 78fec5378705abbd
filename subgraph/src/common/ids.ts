// Entity ids, exactly as shared/spec/api.md spells them: numbers in decimal,
// addresses and hashes as lowercase 0x hex, roles by name.
import { Address, BigInt, ethereum } from '@graphprotocol/graph-ts';
import { roleName } from './enums';

export const SECONDS_PER_DAY: i64 = 86400;

/** "<txHash>-<logIndex>": immutable event entities (Delegation, GovernanceEvent, …). */
export function eventId(event: ethereum.Event): string {
  return event.transaction.hash.toHexString() + '-' + event.logIndex.toString();
}

/** "<areaId>" */
export function areaKey(areaId: BigInt): string {
  return areaId.toString();
}

/** "<areaId>-<ROLE>" */
export function seatKey(area: string, role: i32): string {
  return area + '-' + roleName(role);
}

/** "<areaId>-<groupId>" */
export function groupKey(area: string, groupId: BigInt): string {
  return area + '-' + groupId.toString();
}

/** "<areaId>-<motionId>" */
export function motionKey(area: string, motionId: BigInt): string {
  return area + '-' + motionId.toString();
}

/** "<areaId>-<ROLE>-<grant motionId>" */
export function leaseKey(area: string, role: i32, motionId: BigInt): string {
  return seatKey(area, role) + '-' + motionId.toString();
}

/** "<areaId>-<address>": Consumer, TokenHolder, GroupAccount. */
export function addressKey(area: string, address: Address): string {
  return area + '-' + address.toHexString();
}

/** "<groupEntityId>-<member address>" */
export function membershipKey(group: string, member: Address): string {
  return group + '-' + member.toHexString();
}

/** "<motionEntityId>-<groupId>": VotingWeight and Vote (one per group and motion). */
export function motionGroupKey(motion: string, groupId: BigInt): string {
  return motion + '-' + groupId.toString();
}

/** UTC day number of a block time. */
export function dayIndex(timestamp: BigInt): i32 {
  return i32(timestamp.toI64() / SECONDS_PER_DAY);
}

/** "<areaId>-<dayIndex>" */
export function dayKey(area: string, day: i32): string {
  return area + '-' + day.toString();
}
