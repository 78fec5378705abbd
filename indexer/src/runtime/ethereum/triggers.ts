// Trigger objects the host writes for event and block handlers
// (graph-host-abi.md §3.7; graph-node chain/ethereum/src/runtime/abi.rs).
// Layouts are for apiVersion >= 0.0.6 (Block_0_0_6, Transaction_0_0_6); the
// event carries `receipt` from 0.0.7 on. Every field is a 4-byte pointer.
import type { ChainBlock, ChainLog, ChainReceipt, ChainTransaction } from '../../chain/types.js';
import { blockSize, type AscHeap } from '../asc/heap.js';
import { TypeId } from '../asc/type-ids.js';
import {
  writeArray,
  writeBigInt,
  writeBytes,
  writeNullableBigInt,
  writeNullableBytes,
  writeString,
  writeWrappedBool,
} from '../asc/codec.js';
import { writeEthValue, type EthValue } from './values.js';
import { bigintToSignedLE, checkBigIntSize } from '../numbers/bigint.js';

const bytes = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex.replace(/^0x/, ''), 'hex'));

/** Allocate an object of `fields.length` pointer fields after the fields themselves were written. */
function struct(h: AscHeap, typeId: number, fields: number[]): number {
  const ptr = h.alloc(fields.length * 4, typeId);
  fields.forEach((f, i) => h.setU32(ptr + 4 * i, f));
  return ptr;
}

// A block is written once per trigger in it, a transaction once per log of it: their
// fields are converted (hex to bytes, numbers to graph-node's BigInt bytes) once and
// kept with the object. null stands for a null field.
type Fields = (Uint8Array | null)[];
const blockFields = new WeakMap<ChainBlock, Fields>();
const transactionFields = new WeakMap<ChainTransaction, Fields>();

const bigIntBytes = (n: bigint): Uint8Array => bigintToSignedLE(checkBigIntSize(n));
const nullableBigIntBytes = (n: bigint | null): Uint8Array | null => (n === null ? null : bigIntBytes(n));

function fieldsOf<T extends object>(cache: WeakMap<T, Fields>, o: T, make: (o: T) => Fields): Fields {
  let f = cache.get(o);
  if (!f) cache.set(o, (f = make(o)));
  return f;
}

/** The first `count` fields as Bytes/BigInt objects (both are Uint8Array-shaped), then the struct. */
function writeFields(h: AscHeap, typeId: number, fields: Fields, count: number): number {
  let bytes = blockSize(4 * count);
  for (let i = 0; i < count; i++) {
    const f = fields[i]!;
    if (f !== null) bytes += blockSize(f.length) + blockSize(12);
  }
  // One call into WASM for the ~30 objects of a block or transaction (AscHeap.inRegion).
  return h.inRegion(bytes, () => {
    const ptrs = new Array<number>(count);
    for (let i = 0; i < count; i++) {
      const f = fields[i]!;
      ptrs[i] = f === null ? 0 : writeBytes(h, f);
    }
    return struct(h, typeId, ptrs);
  });
}

export function writeBlock(h: AscHeap, b: ChainBlock, apiVersion: number): number {
  const fields = fieldsOf(blockFields, b, (b) => [
    bytes(b.hash),
    bytes(b.parentHash),
    bytes(b.unclesHash),
    bytes(b.author),
    bytes(b.stateRoot),
    bytes(b.transactionsRoot),
    bytes(b.receiptsRoot),
    bigIntBytes(BigInt(b.number)),
    bigIntBytes(b.gasUsed),
    bigIntBytes(b.gasLimit),
    bigIntBytes(b.timestamp),
    bigIntBytes(b.difficulty),
    bigIntBytes(b.totalDifficulty), // 0, not null, when unknown
    nullableBigIntBytes(b.size),
    nullableBigIntBytes(b.baseFeePerGas), // from apiVersion 0.0.6
  ]);
  return writeFields(h, TypeId.EthereumBlock, fields, apiVersion >= 6 ? 15 : 14);
}

export function writeTransaction(h: AscHeap, t: ChainTransaction, apiVersion: number): number {
  const fields = fieldsOf(transactionFields, t, (t) => [
    bytes(t.hash),
    bigIntBytes(BigInt(t.index)),
    bytes(t.from),
    t.to === null ? null : bytes(t.to),
    bigIntBytes(t.value),
    bigIntBytes(t.gasLimit),
    bigIntBytes(t.gasPrice),
    bytes(t.input),
    bigIntBytes(t.nonce), // from apiVersion 0.0.6
  ]);
  return writeFields(h, TypeId.EthereumTransaction, fields, apiVersion >= 6 ? 9 : 8);
}

export function writeLog(h: AscHeap, l: ChainLog): number {
  const topics = writeArray(
    h,
    l.topics.map((t) => writeBytes(h, bytes(t))),
    TypeId.ArrayH256,
  );
  return struct(h, TypeId.Log, [
    writeBytes(h, bytes(l.address)),
    topics,
    writeBytes(h, bytes(l.data)),
    writeBytes(h, bytes(l.blockHash)),
    writeBigInt(h, BigInt(l.blockNumber)), // a BigInt although graph-ts types it Bytes, as graph-node writes it
    writeBytes(h, bytes(l.transactionHash)),
    writeBigInt(h, BigInt(l.transactionIndex)),
    writeBigInt(h, BigInt(l.logIndex)),
    0, // transactionLogIndex: null
    0, // logType: null
    writeWrappedBool(h, l.removed),
  ]);
}

export function writeReceipt(h: AscHeap, r: ChainReceipt): number {
  const logs = writeArray(
    h,
    r.logs.map((l) => writeLog(h, l)),
    TypeId.ArrayLog,
  );
  return struct(h, TypeId.TransactionReceipt, [
    writeBytes(h, bytes(r.transactionHash)),
    writeBigInt(h, BigInt(r.transactionIndex)),
    writeBytes(h, bytes(r.blockHash)),
    writeBigInt(h, BigInt(r.blockNumber)),
    writeBigInt(h, r.cumulativeGasUsed),
    writeBigInt(h, r.gasUsed),
    writeNullableBytes(h, r.contractAddress === null ? null : bytes(r.contractAddress)),
    logs,
    writeNullableBigInt(h, r.status),
    writeNullableBytes(h, r.root === null ? null : bytes(r.root)),
    writeBytes(h, bytes(r.logsBloom)),
  ]);
}

export interface EventParam {
  name: string;
  value: EthValue;
}

export interface EventTrigger {
  log: ChainLog;
  block: ChainBlock;
  transaction: ChainTransaction;
  params: EventParam[];
  /** Only for handlers with `receipt: true` (written from apiVersion 0.0.7). */
  receipt: ChainReceipt | null;
}

export function writeEvent(h: AscHeap, e: EventTrigger, apiVersion: number): number {
  const params = writeArray(
    h,
    e.params.map((p) => struct(h, TypeId.EventParam, [writeString(h, p.name), writeEthValue(h, p.value)])),
    TypeId.ArrayEventParam,
  );
  const logIndex = BigInt(e.log.logIndex);
  const fields = [
    writeBytes(h, bytes(e.log.address)),
    writeBigInt(h, logIndex),
    writeBigInt(h, logIndex), // transactionLogIndex: graph-node puts the block's log index here
    0, // logType: always null
    writeBlock(h, e.block, apiVersion),
    writeTransaction(h, e.transaction, apiVersion),
    params,
  ];
  if (apiVersion >= 7) fields.push(e.receipt ? writeReceipt(h, e.receipt) : 0);
  return struct(h, TypeId.EthereumEvent, fields);
}
