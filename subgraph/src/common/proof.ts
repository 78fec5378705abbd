// The proof every entity carries: block number, block time and transaction of
// its creation and of its last change (and the log index for event entities).
// Written through the generic Entity setters so one helper serves every type.
import { Entity, ethereum } from '@graphprotocol/graph-ts';

/** Sets <prefix>At, <prefix>AtBlock and <prefix>Tx (e.g. created*, registered*, finalized*). */
export function stamp(entity: Entity, prefix: string, event: ethereum.Event): void {
  entity.setBigInt(prefix + 'At', event.block.timestamp);
  entity.setBigInt(prefix + 'AtBlock', event.block.number);
  entity.setBytes(prefix + 'Tx', event.transaction.hash);
}

/** Stamps the creation proof (under `prefix`) and the first updated*. */
export function stampCreated(entity: Entity, prefix: string, event: ethereum.Event): void {
  stamp(entity, prefix, event);
  stamp(entity, 'updated', event);
}

export function stampUpdated(entity: Entity, event: ethereum.Event): void {
  stamp(entity, 'updated', event);
}

/** blockNumber, timestamp, transactionHash, logIndex of immutable event entities. */
export function stampEvent(entity: Entity, event: ethereum.Event): void {
  entity.setBigInt('blockNumber', event.block.number);
  entity.setBigInt('timestamp', event.block.timestamp);
  entity.setBytes('transactionHash', event.transaction.hash);
  entity.setBigInt('logIndex', event.logIndex);
}
