// Raw JSON-RPC objects -> the chain types, checking every field we use. A node
// (or a proxy) that answers with something malformed gets MalformedAnswerError,
// which the RPC client retries; nothing unchecked reaches the handlers.
import type { Hex } from 'viem';
import { MalformedAnswerError } from './rpc.js';
import type { ChainBlock, ChainLog, ChainTransaction, ChainReceipt } from './types.js';

type Raw = Record<string, unknown>;

const HEX = /^0x[0-9a-fA-F]*$/;

function fail(what: string, value: unknown): never {
  throw new MalformedAnswerError(`bad ${what}: ${JSON.stringify(value)?.slice(0, 120)}`);
}

function obj(v: unknown, what: string): Raw {
  if (!v || typeof v !== 'object' || Array.isArray(v)) fail(what, v);
  return v as Raw;
}

function hex(v: unknown, what: string, bytes?: number): Hex {
  if (typeof v !== 'string' || !HEX.test(v)) fail(what, v);
  if (bytes !== undefined && v.length !== 2 + bytes * 2) fail(what, v);
  return v.toLowerCase() as Hex;
}

function optHex(v: unknown, what: string, bytes?: number): Hex | null {
  return v === null || v === undefined ? null : hex(v, what, bytes);
}

function qty(v: unknown, what: string): bigint {
  if (typeof v !== 'string' || !/^0x[0-9a-fA-F]+$/.test(v)) fail(what, v);
  return BigInt(v);
}

function optQty(v: unknown, what: string): bigint | null {
  return v === null || v === undefined ? null : qty(v, what);
}

function num(v: unknown, what: string): number {
  const n = qty(v, what);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) fail(what, v);
  return Number(n);
}

export function toQuantity(n: number | bigint): Hex {
  return `0x${n.toString(16)}` as Hex;
}

export function parseBlockNumber(v: unknown): number {
  return num(v, 'block number');
}

export function parseBlock(v: unknown): ChainBlock {
  const b = obj(v, 'block');
  return {
    number: num(b.number, 'block.number'),
    hash: hex(b.hash, 'block.hash', 32),
    parentHash: hex(b.parentHash, 'block.parentHash', 32),
    timestamp: qty(b.timestamp, 'block.timestamp'),
    unclesHash: hex(b.sha3Uncles, 'block.sha3Uncles', 32),
    author: hex(b.miner, 'block.miner', 20),
    stateRoot: hex(b.stateRoot, 'block.stateRoot', 32),
    transactionsRoot: hex(b.transactionsRoot, 'block.transactionsRoot', 32),
    receiptsRoot: hex(b.receiptsRoot, 'block.receiptsRoot', 32),
    gasUsed: qty(b.gasUsed, 'block.gasUsed'),
    gasLimit: qty(b.gasLimit, 'block.gasLimit'),
    difficulty: qty(b.difficulty ?? '0x0', 'block.difficulty'),
    // graph-node writes 0 when the node does not report it (post-merge nodes drop it).
    totalDifficulty: optQty(b.totalDifficulty, 'block.totalDifficulty') ?? 0n,
    size: optQty(b.size, 'block.size'),
    baseFeePerGas: optQty(b.baseFeePerGas, 'block.baseFeePerGas'),
  };
}

/** The block's logs bloom (for the "did getLogs miss something" check). */
export function parseBloom(v: unknown): Hex {
  return hex(obj(v, 'block').logsBloom, 'block.logsBloom', 256);
}

export function parseLog(v: unknown): ChainLog {
  const l = obj(v, 'log');
  if (!Array.isArray(l.topics)) fail('log.topics', l.topics);
  return {
    address: hex(l.address, 'log.address', 20),
    topics: l.topics.map((t) => hex(t, 'log.topic', 32)),
    data: hex(l.data, 'log.data'),
    blockNumber: num(l.blockNumber, 'log.blockNumber'),
    blockHash: hex(l.blockHash, 'log.blockHash', 32),
    transactionHash: hex(l.transactionHash, 'log.transactionHash', 32),
    transactionIndex: num(l.transactionIndex, 'log.transactionIndex'),
    logIndex: num(l.logIndex, 'log.logIndex'),
    removed: l.removed === true,
  };
}

export function parseLogs(v: unknown): ChainLog[] {
  if (!Array.isArray(v)) fail('logs', v);
  return v.map(parseLog);
}

export function parseTransaction(v: unknown, baseFeePerGas: bigint | null): ChainTransaction {
  const t = obj(v, 'transaction');
  // Effective gas price (graph-host-abi §3.7): what the sender paid per gas in this block.
  let gasPrice = optQty(t.gasPrice, 'tx.gasPrice');
  const maxFee = optQty(t.maxFeePerGas, 'tx.maxFeePerGas');
  const tip = optQty(t.maxPriorityFeePerGas, 'tx.maxPriorityFeePerGas');
  if (maxFee !== null && tip !== null && baseFeePerGas !== null) {
    const effective = baseFeePerGas + tip;
    gasPrice = effective < maxFee ? effective : maxFee;
  }
  return {
    hash: hex(t.hash, 'tx.hash', 32),
    index: num(t.transactionIndex, 'tx.transactionIndex'),
    from: hex(t.from, 'tx.from', 20),
    to: optHex(t.to, 'tx.to', 20),
    value: qty(t.value, 'tx.value'),
    gasLimit: qty(t.gas, 'tx.gas'),
    gasPrice: gasPrice ?? 0n,
    input: hex(t.input, 'tx.input'),
    nonce: qty(t.nonce, 'tx.nonce'),
  };
}

export function parseReceipt(v: unknown): ChainReceipt {
  const r = obj(v, 'receipt');
  return {
    transactionHash: hex(r.transactionHash, 'receipt.transactionHash', 32),
    transactionIndex: num(r.transactionIndex, 'receipt.transactionIndex'),
    blockHash: hex(r.blockHash, 'receipt.blockHash', 32),
    blockNumber: num(r.blockNumber, 'receipt.blockNumber'),
    cumulativeGasUsed: qty(r.cumulativeGasUsed, 'receipt.cumulativeGasUsed'),
    gasUsed: qty(r.gasUsed, 'receipt.gasUsed'),
    contractAddress: optHex(r.contractAddress, 'receipt.contractAddress', 20),
    logs: parseLogs(r.logs),
    status: optQty(r.status, 'receipt.status'),
    root: optHex(r.root, 'receipt.root', 32),
    logsBloom: hex(r.logsBloom, 'receipt.logsBloom', 256),
  };
}
