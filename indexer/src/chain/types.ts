// What the chain source hands to the indexing runner: one block with everything
// its triggers need. Hex strings are lowercase 0x-prefixed.
import type { Hex } from 'viem';

export interface ChainBlock {
  number: number;
  hash: Hex;
  parentHash: Hex;
  timestamp: bigint;
  // Full header, for ethereum.Block (graph-host-abi.md §3.7).
  unclesHash: Hex;
  author: Hex; // miner / beneficiary
  stateRoot: Hex;
  transactionsRoot: Hex;
  receiptsRoot: Hex;
  gasUsed: bigint;
  gasLimit: bigint;
  difficulty: bigint;
  totalDifficulty: bigint; // 0 when the node does not report it
  size: bigint | null;
  baseFeePerGas: bigint | null;
}

export interface ChainLog {
  address: Hex;
  topics: Hex[];
  data: Hex;
  blockNumber: number;
  blockHash: Hex;
  transactionHash: Hex;
  transactionIndex: number;
  logIndex: number; // index within the block
  removed: boolean;
}

export interface ChainTransaction {
  hash: Hex;
  index: number;
  from: Hex;
  to: Hex | null;
  value: bigint;
  gasLimit: bigint;
  gasPrice: bigint; // effective gas price
  input: Hex;
  nonce: bigint;
}

export interface ChainReceipt {
  transactionHash: Hex;
  transactionIndex: number;
  blockHash: Hex;
  blockNumber: number;
  cumulativeGasUsed: bigint;
  gasUsed: bigint;
  contractAddress: Hex | null;
  logs: ChainLog[];
  status: bigint | null;
  root: Hex | null;
  logsBloom: Hex;
}

/** A block plus the logs the subgraph may want and the transactions they came from. */
export interface BlockWithTriggers {
  block: ChainBlock;
  /** In chain order (transactionIndex, logIndex). */
  logs: ChainLog[];
  /** Every transaction that emitted one of `logs`, by hash. */
  transactions: Map<Hex, ChainTransaction>;
  /** Receipts by tx hash, only when a handler asks for `receipt: true`. */
  receipts?: Map<Hex, ChainReceipt>;
}

/** A block pointer: what the store records as its head and per committed block. */
export interface BlockPtr {
  number: number;
  hash: Hex;
  parentHash: Hex;
  timestamp: number;
}

/** eth_call at a block, for the host's ethereum.call. Returns null on revert. */
export interface CallProvider {
  call(to: Hex, data: Hex, blockNumber: number): Promise<Hex | null>;
  getBalance?(address: Hex, blockNumber: number): Promise<bigint>;
  getCode?(address: Hex, blockNumber: number): Promise<Hex>;
}
