// AreaGovernanceToken: Transfer moves voting power. Mints at area creation
// (seat allocations to the AreaDAO treasury, the foundation allocation to the
// foundation account), lease grants (treasury -> holder) and lease expiries
// (holder -> treasury).
import { Address, BigInt, ethereum } from '@graphprotocol/graph-ts';
import { Area, TokenHolder, TokenTransfer } from '../../generated/schema';
import { Transfer } from '../../generated/templates/AreaGovernanceToken/AreaGovernanceToken';
import { areaOfDataSource } from '../common/area';
import { getOrCreateTokenHolder } from '../common/holders';
import { eventId } from '../common/ids';
import { stampEvent, stampUpdated } from '../common/proof';
import { Scope } from '../common/scope';

export function handleTransfer(event: Transfer): void {
  let p = event.params;
  let area = areaOfDataSource(event);
  let row = new TokenTransfer(eventId(event));
  row.area = area.id;
  row.from = p.from;
  row.to = p.to;
  row.value = p.value;
  stampEvent(row, event);

  // The audit row names the receiving group (the one gaining voting power), else the sender's.
  let concerned: string | null = null;
  if (p.from.equals(Address.zero())) {
    area.totalSupply = area.totalSupply.plus(p.value);
  } else {
    let from = moveBalance(area, p.from, p.value.neg(), event);
    row.fromHolder = from.id;
    concerned = from.group;
  }
  if (p.to.equals(Address.zero())) {
    area.totalSupply = area.totalSupply.minus(p.value);
  } else {
    let to = moveBalance(area, p.to, p.value, event);
    row.toHolder = to.id;
    let toGroup = to.group;
    if (toGroup != null) concerned = toGroup;
  }
  row.save();

  new Scope(area, event).about(null, concerned, null, p.to).finish('Transfer');
}

function moveBalance(area: Area, address: Address, delta: BigInt, event: ethereum.Event): TokenHolder {
  let holder = getOrCreateTokenHolder(area, address, event);
  holder.balance = holder.balance.plus(delta);
  holder.transferCount = holder.transferCount + 1;
  stampUpdated(holder, event);
  holder.save();
  return holder;
}
