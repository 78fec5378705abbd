// Member groups, their accounts and memberships.
import { Address, BigInt, ethereum, log } from '@graphprotocol/graph-ts';
import { GroupAccount, GroupMembership, MemberGroup } from '../../generated/schema';
import { addressKey, groupKey, membershipKey } from './ids';
import { stamp, stampCreated, stampEvent, stampUpdated } from './proof';

/** The group entity id for a protocol group id, or null for group id 0 ("none"). */
export function optionalGroupKey(area: string, groupId: BigInt): string | null {
  return groupId.isZero() ? null : groupKey(area, groupId);
}

/** Loads a group the contract guarantees to exist; a miss means the index is corrupt. */
export function loadGroup(id: string): MemberGroup {
  let group = MemberGroup.load(id);
  if (group == null) {
    log.critical('MemberGroup {} is referenced before its GroupRegistered event', [id]);
  }
  return group!;
}

/** Group entity id of the group whose account `account` is, or null. */
export function groupOfAccount(area: string, account: Address): string | null {
  let link = GroupAccount.load(addressKey(area, account));
  return link == null ? null : link.group;
}

export function createGroupAccount(
  area: string,
  account: Address,
  group: string,
  event: ethereum.Event,
): void {
  let link = new GroupAccount(addressKey(area, account));
  link.area = area;
  link.account = account;
  link.group = group;
  stampEvent(link, event);
  link.save();
}

/** Creates or reactivates a membership (GroupRegistered's members, MemberAdded). */
export function activateMembership(
  area: string,
  group: string,
  member: Address,
  event: ethereum.Event,
): void {
  let id = membershipKey(group, member);
  let membership = GroupMembership.load(id);
  if (membership == null) {
    membership = new GroupMembership(id);
    membership.area = area;
    membership.group = group;
    membership.member = member;
    stampCreated(membership, 'created', event);
  }
  membership.active = true;
  stamp(membership, 'added', event);
  membership.removedAt = null;
  membership.removedAtBlock = null;
  membership.removedTx = null;
  stampUpdated(membership, event);
  membership.save();
}

export function deactivateMembership(group: string, member: Address, event: ethereum.Event): void {
  let membership = GroupMembership.load(membershipKey(group, member));
  if (membership == null) {
    log.critical('MemberRemoved for {} which is not a member of group {}', [member.toHexString(), group]);
    return;
  }
  membership.active = false;
  stamp(membership, 'removed', event);
  stampUpdated(membership, event);
  membership.save();
}

/** Adds `delta` to the group's delegationCount (ConsumerDelegated). */
export function addDelegations(group: string, delta: i32, event: ethereum.Event): void {
  let g = loadGroup(group);
  g.delegationCount = g.delegationCount + delta;
  stampUpdated(g, event);
  g.save();
}
