// Governance token holders of an area.
import { Address, BigInt, ethereum } from '@graphprotocol/graph-ts';
import { Area, TokenHolder } from '../../generated/schema';
import { groupOfAccount } from './groups';
import { addressKey } from './ids';
import { stampCreated, stampUpdated } from './proof';

export function getOrCreateTokenHolder(area: Area, address: Address, event: ethereum.Event): TokenHolder {
  let id = addressKey(area.id, address);
  let holder = TokenHolder.load(id);
  if (holder != null) return holder;
  holder = new TokenHolder(id);
  holder.area = area.id;
  holder.address = address;
  holder.balance = BigInt.zero();
  holder.group = groupOfAccount(area.id, address);
  holder.isTreasury = address.equals(area.dao);
  holder.transferCount = 0;
  stampCreated(holder, 'created', event);
  return holder;
}

/**
 * Links an existing holder to the group registered for its address. Needed when
 * a Transfer to a group account is handled before the group's GroupRegistered
 * (graph-node does not do that today; the mapping must not depend on it).
 */
export function linkHolderToGroup(
  area: string,
  account: Address,
  group: string,
  event: ethereum.Event,
): void {
  let holder = TokenHolder.load(addressKey(area, account));
  if (holder == null || holder.group != null) return;
  holder.group = group;
  stampUpdated(holder, event);
  holder.save();
}
