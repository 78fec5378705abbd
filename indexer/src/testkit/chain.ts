// Typed chain objects for tests: events encoded from a contract ABI with viem,
// and blocks/transactions with deterministic filler values.
import {
  encodeAbiParameters,
  encodeEventTopics,
  keccak256,
  toHex,
  type Abi,
  type AbiEvent,
  type Hex,
} from 'viem';
import type {
  BlockWithTriggers,
  ChainBlock,
  ChainLog,
  ChainReceipt,
  ChainTransaction,
} from '../chain/types.js';

const ZERO32 = ('0x' + '00'.repeat(32)) as Hex;
const hash = (label: string): Hex => keccak256(toHex(label));

export function makeBlock(number: number, over: Partial<ChainBlock> = {}): ChainBlock {
  return {
    number,
    hash: hash(`block ${number}`),
    parentHash: number === 0 ? ZERO32 : hash(`block ${number - 1}`),
    timestamp: 1_700_000_000n + BigInt(number) * 12n,
    unclesHash: ZERO32,
    author: '0x0000000000000000000000000000000000000000',
    stateRoot: ZERO32,
    transactionsRoot: ZERO32,
    receiptsRoot: ZERO32,
    gasUsed: 0n,
    gasLimit: 30_000_000n,
    difficulty: 0n,
    totalDifficulty: 0n,
    size: null,
    baseFeePerGas: 1n,
    ...over,
  };
}

export interface EventSpec {
  abi: Abi;
  event: string;
  /** Named arguments (or positional in ABI order). */
  args: Record<string, unknown> | unknown[];
  address: Hex;
  /** Transaction sender, default 0x…01. */
  from?: Hex;
  /** Give several events the same `tx` label to put them in one transaction. */
  tx?: string;
}

/** ABI-encode an event into topics and data (indexed dynamic values are hashed by viem, as on chain). */
export function encodeEvent(
  abi: Abi,
  event: string,
  args: Record<string, unknown> | unknown[],
): { topics: Hex[]; data: Hex } {
  const item = abi.find((x): x is AbiEvent => x.type === 'event' && x.name === event);
  if (!item) throw new Error(`event ${event} is not in the ABI`);
  const positional = Array.isArray(args)
    ? args
    : item.inputs.map((i) => (args as Record<string, unknown>)[i.name!]);
  const indexedArgs = item.inputs
    .map((i, k) => (i.indexed ? positional[k] : undefined))
    .filter((_, k) => item.inputs[k]!.indexed);
  const topics = encodeEventTopics({ abi: [item], eventName: event, args: indexedArgs } as Parameters<
    typeof encodeEventTopics
  >[0]) as Hex[];
  const dataInputs = item.inputs.filter((i) => !i.indexed);
  const dataValues = item.inputs.map((_, k) => positional[k]).filter((_, k) => !item.inputs[k]!.indexed);
  return { topics, data: encodeAbiParameters(dataInputs, dataValues) };
}

/** A block whose logs are `events`, in order, with one transaction per distinct `tx` label. */
export function blockWithEvents(
  number: number,
  events: EventSpec[],
  over: Partial<ChainBlock> = {},
): BlockWithTriggers {
  const block = makeBlock(number, over);
  const transactions = new Map<Hex, ChainTransaction>();
  const receipts = new Map<Hex, ChainReceipt>();
  const txIndex = new Map<string, number>();
  const logs: ChainLog[] = events.map((e, logIndex) => {
    const label = e.tx ?? `log ${logIndex}`;
    if (!txIndex.has(label)) txIndex.set(label, txIndex.size);
    const index = txIndex.get(label)!;
    const txHash = hash(`tx ${number} ${label}`);
    if (!transactions.has(txHash))
      transactions.set(txHash, {
        hash: txHash,
        index,
        from: e.from ?? '0x0000000000000000000000000000000000000001',
        to: e.address,
        value: 0n,
        gasLimit: 1_000_000n,
        gasPrice: 1n,
        input: '0x',
        nonce: BigInt(index),
      });
    const { topics, data } = encodeEvent(e.abi, e.event, e.args);
    return {
      address: e.address.toLowerCase() as Hex,
      topics,
      data,
      blockNumber: number,
      blockHash: block.hash,
      transactionHash: txHash,
      transactionIndex: index,
      logIndex,
      removed: false,
    };
  });
  for (const tx of transactions.values())
    receipts.set(tx.hash, {
      transactionHash: tx.hash,
      transactionIndex: tx.index,
      blockHash: block.hash,
      blockNumber: number,
      cumulativeGasUsed: 21_000n,
      gasUsed: 21_000n,
      contractAddress: null,
      logs: logs.filter((l) => l.transactionHash === tx.hash),
      status: 1n,
      root: null,
      logsBloom: ('0x' + '00'.repeat(256)) as Hex,
    });
  return { block, logs, transactions, receipts };
}
