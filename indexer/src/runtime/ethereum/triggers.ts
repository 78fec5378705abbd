// Trigger objects the host writes for event and block handlers
// (graph-host-abi.md §3.7; graph-node chain/ethereum/src/runtime/abi.rs).
// Layouts are for apiVersion >= 0.0.6 (Block_0_0_6, Transaction_0_0_6); the
// event carries `receipt` from 0.0.7 on. Every field is a 4-byte pointer.
import type { ChainBlock, ChainLog, ChainReceipt, ChainTransaction } from '../../chain/types.js';
import type { AscHeap } from '../asc/heap.js';
import { TypeId } from '../asc/type-ids.js';
import {
  writeArray,
  writeBigInt,
  writeBytes,
  writeNullableBigInt,
  writeNullableBytes,
  writeBytesStruct,
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
// kept with the object. null stands for a null field; `extras` holds the bigint of
// each BigInt field (noted with its object, written.ts), null for the others.
interface Fields {
  data: (Uint8Array | null)[];
  extras: (bigint | null)[];
}
const blockFields = new WeakMap<ChainBlock, Fields>();
const transactionFields = new WeakMap<ChainTransaction, Fields>();

type Field = [Uint8Array | null, bigint | null];
const hexField = (hex: string | null): Field => [hex === null ? null : bytes(hex), null];
const bigIntField = (n: bigint | null): Field =>
  n === null ? [null, null] : [bigintToSignedLE(checkBigIntSize(n)), n];

function fieldsOf<T extends object>(cache: WeakMap<T, Fields>, o: T, make: (o: T) => Field[]): Fields {
  let f = cache.get(o);
  if (!f) {
    const made = make(o);
    cache.set(o, (f = { data: made.map((x) => x[0]), extras: made.map((x) => x[1]) }));
  }
  return f;
}

export function writeBlock(h: AscHeap, b: ChainBlock, apiVersion: number): number {
  const fields = fieldsOf(blockFields, b, (b) => [
    hexField(b.hash),
    hexField(b.parentHash),
    hexField(b.unclesHash),
    hexField(b.author),
    hexField(b.stateRoot),
    hexField(b.transactionsRoot),
    hexField(b.receiptsRoot),
    bigIntField(BigInt(b.number)),
    bigIntField(b.gasUsed),
    bigIntField(b.gasLimit),
    bigIntField(b.timestamp),
    bigIntField(b.difficulty),
    bigIntField(b.totalDifficulty), // 0, not null, when unknown
    bigIntField(b.size),
    bigIntField(b.baseFeePerGas), // from apiVersion 0.0.6
  ]);
  // One call into WASM for the ~30 objects of a block (AscHeap.inRegion).
  return writeBytesStruct(h, TypeId.EthereumBlock, fields.data, fields.extras, apiVersion >= 6 ? 15 : 14);
}

export function writeTransaction(h: AscHeap, t: ChainTransaction, apiVersion: number): number {
  const fields = fieldsOf(transactionFields, t, (t) => [
    hexField(t.hash),
    bigIntField(BigInt(t.index)),
    hexField(t.from),
    hexField(t.to),
    bigIntField(t.value),
    bigIntField(t.gasLimit),
    bigIntField(t.gasPrice),
    hexField(t.input),
    bigIntField(t.nonce), // from apiVersion 0.0.6
  ]);
  return writeBytesStruct(h, TypeId.EthereumTransaction, fields.data, fields.extras, apiVersion >= 6 ? 9 : 8);
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
