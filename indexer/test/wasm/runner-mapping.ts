// Mapping of the runner test subgraph (test/indexing/fixture.ts builds it):
// every handler appends a `Trace` entity, so tests can see which handlers ran
// and in which order.
import {
  Address,
  BigInt,
  Bytes,
  DataSourceContext,
  DataSourceTemplate,
  dataSource,
  ethereum,
  store,
  Entity,
  Value,
} from '@graphprotocol/graph-ts';

function trace(kind: string, block: BigInt, detail: string): void {
  let counter = store.get('Counter', 'seq');
  let seq = 0;
  if (counter != null) seq = counter.getI32('value');
  seq += 1;
  let c = new Entity();
  c.set('value', Value.fromI32(seq));
  store.set('Counter', 'seq', c);
  let t = new Entity();
  t.set('seq', Value.fromI32(seq));
  t.set('kind', Value.fromString(kind));
  t.set('block', Value.fromBigInt(block));
  t.set('detail', Value.fromString(detail));
  store.set('Trace', seq.toString(), t);
}

export function handleChildCreated(event: ethereum.Event): void {
  let child = event.parameters[0].value.toAddress();
  let name = event.parameters[1].value.toString();
  let e = new Entity();
  e.set('name', Value.fromString(name));
  e.set('pings', Value.fromBigInt(BigInt.zero()));
  e.set('created', Value.fromBigInt(event.block.number));
  store.set('Child', child.toHexString(), e);
  let ctx = new DataSourceContext();
  ctx.setString('name', name);
  DataSourceTemplate.createWithContext('Child', [child.toHexString()], ctx);
  trace('created', event.block.number, name);
}

export function handleTick(event: ethereum.Event): void {
  let p = event.parameters;
  let detail =
    p[0].name +
    '=' +
    p[0].value.toBigInt().toString() +
    ';' +
    p[1].name +
    '=' +
    p[1].value.toBytes().toHexString() +
    ';' +
    p[2].name +
    '=' +
    p[2].value.toBigInt().toString() +
    ';' +
    p[3].name +
    '=' +
    p[3].value.toBigInt().toString() +
    ':' +
    p[3].value.toBigInt().length.toString() +
    ';' +
    'log=' +
    event.logIndex.toString() +
    ';tx=' +
    event.transaction.index.toString() +
    ';from=' +
    event.transaction.from.toHexString() +
    ';ts=' +
    event.block.timestamp.toString() +
    ';addr=' +
    event.address.toHexString() +
    ';ds=' +
    dataSource.address().toHexString() +
    ';receipt=' +
    (event.receipt == null ? 'none' : 'some');
  trace('tick', event.block.number, detail);
}

class ChildContract extends ethereum.SmartContract {
  static bind(address: Address): ChildContract {
    return new ChildContract('Child', address);
  }
  count(): BigInt {
    return super.call('count', 'count():(uint256)', [])[0].toBigInt();
  }
  try_label(who: Address): ethereum.CallResult<string> {
    let r = super.tryCall('label', 'label(address):(string)', [ethereum.Value.fromAddress(who)]);
    if (r.reverted) return new ethereum.CallResult();
    return ethereum.CallResult.fromValue(r.value[0].toString());
  }
}

export function handlePing(event: ethereum.Event): void {
  let id = event.address.toHexString();
  let e = store.get('Child', id);
  if (e == null) {
    e = new Entity();
    e.set('name', Value.fromString('unknown'));
    e.set('created', Value.fromBigInt(event.block.number));
    e.set('pings', Value.fromBigInt(BigInt.zero()));
  }
  e.set('pings', Value.fromBigInt(e.getBigInt('pings').plus(event.parameters[0].value.toBigInt())));
  let contract = ChildContract.bind(event.address);
  e.set('count', Value.fromBigInt(contract.count()));
  let label = contract.try_label(event.transaction.from);
  e.set('label', label.reverted ? Value.fromNull() : Value.fromString(label.value));
  store.set('Child', id, e);
  let receipt = event.receipt;
  let logs = receipt == null ? -1 : receipt.logs.length;
  trace(
    'ping',
    event.block.number,
    dataSource.context().getString('name') + ';receiptLogs=' + logs.toString(),
  );
}

export function handleFail(event: ethereum.Event): void {
  let e = new Entity();
  e.set('name', Value.fromString('should not persist'));
  e.set('pings', Value.fromBigInt(BigInt.zero()));
  e.set('created', Value.fromBigInt(event.block.number));
  store.set('Child', '0x00000000000000000000000000000000000000ff', e);
  assert(false, event.parameters[0].value.toString());
}

export function handleOnce(block: ethereum.Block): void {
  trace('once', block.number, block.hash.toHexString());
}
export function handleEvery(block: ethereum.Block): void {
  trace('every', block.number, '');
}
export function handlePoll(block: ethereum.Block): void {
  trace('poll', block.number, '');
}

function hexOrNull(b: Bytes | null): string {
  return changetype<usize>(b) == 0 ? 'null' : b!.toHexString();
}
function intOrNull(b: BigInt | null): string {
  return changetype<usize>(b) == 0 ? 'null' : b!.toString();
}

/** Dumps every field of the trigger objects the host wrote (Event, Block, Transaction, Receipt, Log). */
export function handleInspect(event: ethereum.Event): void {
  let b = event.block;
  let t = event.transaction;
  let parts = new Array<string>();
  parts.push(
    'block=' +
      [
        b.hash.toHexString(),
        b.parentHash.toHexString(),
        b.unclesHash.toHexString(),
        b.author.toHexString(),
        b.stateRoot.toHexString(),
        b.transactionsRoot.toHexString(),
        b.receiptsRoot.toHexString(),
        b.number.toString(),
        b.gasUsed.toString(),
        b.gasLimit.toString(),
        b.timestamp.toString(),
        b.difficulty.toString(),
        b.totalDifficulty.toString(),
        intOrNull(b.size),
        intOrNull(b.baseFeePerGas),
      ].join(','),
  );
  parts.push(
    'tx=' +
      [
        t.hash.toHexString(),
        t.index.toString(),
        t.from.toHexString(),
        hexOrNull(t.to),
        t.value.toString(),
        t.gasLimit.toString(),
        t.gasPrice.toString(),
        t.input.toHexString(),
        t.nonce.toString(),
      ].join(','),
  );
  parts.push(
    'event=' +
      [
        event.address.toHexString(),
        event.logIndex.toString(),
        event.transactionLogIndex.toString(),
        changetype<usize>(event.logType) == 0 ? 'null' : event.logType!,
      ].join(','),
  );
  let params = new Array<string>();
  for (let i = 0; i < event.parameters.length; i++) {
    let p = event.parameters[i];
    params.push(p.name + ':' + p.value.kind.toString() + ':' + p.value.toBytes().toHexString());
  }
  parts.push('params=' + params.join(','));
  let r = event.receipt;
  if (changetype<usize>(r) != 0) {
    r = r!;
    parts.push(
      'receipt=' +
        [
          r.transactionHash.toHexString(),
          r.transactionIndex.toString(),
          r.blockHash.toHexString(),
          r.blockNumber.toString(),
          r.cumulativeGasUsed.toString(),
          r.gasUsed.toString(),
          hexOrNull(r.contractAddress),
          intOrNull(r.status),
          hexOrNull(r.root),
          r.logsBloom.length.toString(),
          r.logs.length.toString(),
        ].join(','),
    );
    let l = r.logs[r.logs.length - 1];
    let topics = new Array<string>();
    for (let i = 0; i < l.topics.length; i++) topics.push(l.topics[i].toHexString());
    // graph-node writes Log.blockNumber as a BigInt although graph-ts types it Bytes.
    parts.push(
      'log=' +
        [
          l.address.toHexString(),
          topics.join('|'),
          l.data.toHexString(),
          l.blockHash.toHexString(),
          changetype<BigInt>(l.blockNumber).toString(),
          l.transactionHash.toHexString(),
          l.transactionIndex.toString(),
          l.logIndex.toString(),
          changetype<usize>(l.transactionLogIndex) == 0 ? 'null' : l.transactionLogIndex.toString(),
          changetype<usize>(l.logType) == 0 ? 'null' : l.logType,
          changetype<usize>(l.removed) == 0 ? 'null' : l.removed!.inner ? 'true' : 'false',
        ].join(','),
    );
  }
  trace('inspect', b.number, parts.join(';'));
}
