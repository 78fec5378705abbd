// The chain source: turns a JSON-RPC node into a gap-free, ordered sequence of
// BlockWithTriggers, one per block (empty blocks included, so the head moves).
//
// Per step it takes a range [from, to] and
//   1. eth_getLogs by topic0 set, no address filter (template addresses are only
//      known while indexing); the range adapts: halved on "too many results" or an
//      oversized body, doubled while answers stay small;
//   2. every header of the range in batched eth_getBlockByNumber calls, with full
//      transactions only for blocks that have logs;
//   3. checks the answers against each other: headers chain by parentHash (the
//      first one to the block the caller says came before), every log's blockHash
//      is its header's hash and its transaction is in that block, and a header
//      whose logsBloom may hold one of our topics but got no logs is queried again
//      by block hash. Any disagreement means the chain moved while we asked: the
//      range is fetched again. A first header that does not follow the caller's
//      previous block is reported as a reorg.
// Receipts are fetched only when asked (handlers with `receipt: true`).
import type { Hex } from 'viem';
import { bloomBits, bloomMayContain } from './bloom.js';
import {
  parseBlock,
  parseBlockNumber,
  parseBloom,
  parseLogs,
  parseReceipt,
  parseTransaction,
  toQuantity,
} from './format.js';
import { LimitError, MalformedAnswerError, sleep, type RpcCall, type RpcClient } from './rpc.js';
import type {
  BlockPtr,
  BlockWithTriggers,
  ChainBlock,
  ChainLog,
  ChainReceipt,
  ChainTransaction,
} from './types.js';

export interface ChainSourceOptions {
  /** topic0 of every event any data source or template handles. */
  topics: Hex[];
  /** Fetch receipts of the transactions that emitted logs. */
  receipts?: boolean;
  /** Blocks per eth_getLogs to start with, and bounds for the adaptive range. */
  initialRange?: number;
  maxRange?: number;
  /** Grow the range while a getLogs answer holds fewer logs than this. */
  targetLogsPerRange?: number;
  /** Headers per batched HTTP request (halved on oversized answers). */
  headerBatch?: number;
  signal?: AbortSignal;
}

export type RangeResult =
  | { kind: 'blocks'; blocks: BlockWithTriggers[] }
  /** The first block of the range does not follow `parent`: the caller must find the common ancestor. */
  | { kind: 'reorg'; at: number };

/** What the indexer asks of a chain source: ChainSource, or ThreadedChainSource running one on a worker thread. */
export interface BlockSource {
  headNumber(): Promise<number>;
  blockAt(number: number): Promise<BlockPtr | null>;
  next(from: number, maxTo: number, parent: BlockPtr | null): Promise<RangeResult>;
}

export function blockPtr(b: ChainBlock): BlockPtr {
  return { number: b.number, hash: b.hash, parentHash: b.parentHash, timestamp: Number(b.timestamp) };
}

interface RawBlock {
  block: ChainBlock;
  bloom: Hex;
  txs: ChainTransaction[] | null; // null when fetched without transactions
}

class Inconsistent extends Error {}

/** The adaptive eth_getLogs range's defaults (bench/floor.ts makes the same requests). */
export const RANGE_DEFAULTS = {
  // Small first range: nothing runs until the first answer is in, and on a dense chain
  // 100 blocks held 27k logs (0.4 s before the first handler). The range grows from here.
  initialRange: 10,
  maxRange: 2_000,
  targetLogsPerRange: 5_000,
} as const;

/**
 * The range after an answer of `logs` logs for `blocks` blocks: doubled while answers
 * hold under half the target (and the range was used in full), halved above twice it.
 */
export function nextRange(
  range: number,
  blocks: number,
  logs: number,
  maxRange: number = RANGE_DEFAULTS.maxRange,
  targetLogs: number = RANGE_DEFAULTS.targetLogsPerRange,
): number {
  if (logs < targetLogs / 2 && blocks >= range) return Math.min(maxRange, range * 2);
  if (logs > targetLogs * 2) return Math.max(1, Math.floor(range / 2));
  return range;
}

export class ChainSource implements BlockSource {
  private range: number;
  private readonly maxRange: number;
  private readonly targetLogs: number;
  private headerBatch: number;
  private readonly topicBits: Array<[number, number, number]>;
  /** Counters for progress and tests. */
  readonly stats = { getLogs: 0, rangeShrinks: 0, refetches: 0, bloomRequeries: 0 };

  constructor(
    private readonly rpc: RpcClient,
    private readonly opts: ChainSourceOptions,
  ) {
    if (opts.topics.length === 0) throw new Error('ChainSource needs at least one topic');
    this.range = opts.initialRange ?? RANGE_DEFAULTS.initialRange;
    this.maxRange = opts.maxRange ?? RANGE_DEFAULTS.maxRange;
    this.targetLogs = opts.targetLogsPerRange ?? RANGE_DEFAULTS.targetLogsPerRange;
    this.headerBatch = opts.headerBatch ?? 100;
    this.topicBits = opts.topics.map(bloomBits);
  }

  /** The node's latest block number. */
  async headNumber(): Promise<number> {
    return this.rpc.request('eth_blockNumber', [], parseBlockNumber);
  }

  /** The canonical block at `number` now, or null if the chain is shorter. */
  async blockAt(number: number): Promise<BlockPtr | null> {
    const b = await this.rpc.request('eth_getBlockByNumber', [toQuantity(number), false], (v) => {
      if (v === null) return null;
      const block = parseBlock(v);
      if (block.number !== number)
        throw new MalformedAnswerError(`asked block ${number}, got ${block.number}`);
      return block;
    });
    return b && blockPtr(b);
  }

  /**
   * The blocks from `from` up to at most `maxTo` (fewer when the adaptive range is
   * smaller), every one of them, in order. `parent` is the block before `from` as
   * the caller knows it (null at genesis / when nothing is known).
   */
  async next(from: number, maxTo: number, parent: BlockPtr | null): Promise<RangeResult> {
    if (maxTo < from) throw new Error(`empty range ${from}..${maxTo}`);
    for (let attempt = 1; ; attempt++) {
      const to = Math.min(maxTo, from + this.range - 1);
      try {
        const result = await this.fetchRange(from, to, parent);
        return result;
      } catch (e) {
        if (!(e instanceof Inconsistent)) throw e;
        // The chain moved while we were asking (or a node lied): ask again.
        this.stats.refetches++;
        await sleep(Math.min(2_000, 50 * attempt), this.opts.signal);
      }
    }
  }

  private async fetchRange(from: number, to: number, parent: BlockPtr | null): Promise<RangeResult> {
    const logs = await this.getLogs(from, to);
    to = logs.to;
    const logBlocks = new Set(logs.logs.map((l) => l.blockNumber));
    const raw = await this.getBlocks(from, to, logBlocks);

    // Chain linkage, first to the caller's previous block, then within the range.
    const first = raw[0]!.block;
    if (parent && parent.number === from - 1 && first.parentHash !== parent.hash) {
      return { kind: 'reorg', at: from };
    }
    for (let i = 1; i < raw.length; i++) {
      if (raw[i]!.block.parentHash !== raw[i - 1]!.block.hash)
        throw new Inconsistent(`headers do not chain at ${from + i}`);
    }

    const byBlock = new Map<number, ChainLog[]>();
    const seen = new Set<string>();
    for (const log of logs.logs) {
      const key = `${log.blockHash}:${log.logIndex}`;
      if (seen.has(key)) continue; // a duplicate entry in the answer
      seen.add(key);
      let list = byBlock.get(log.blockNumber);
      if (!list) byBlock.set(log.blockNumber, (list = []));
      list.push(log);
    }

    // Bloom cross-check: blocks that may hold our topics but returned no logs.
    const requery = raw.filter(
      (r) => !byBlock.has(r.block.number) && this.topicBits.some((bits) => bloomMayContain(r.bloom, bits)),
    );
    if (requery.length > 0) {
      this.stats.bloomRequeries += requery.length;
      const answers = await this.rpc.batch(
        requery.map((r) => ({
          method: 'eth_getLogs',
          params: [{ blockHash: r.block.hash, topics: [this.opts.topics] }],
        })),
        parseLogs,
      );
      const needTxs: RawBlock[] = [];
      answers.forEach((found, k) => {
        if (found.length === 0) return; // a bloom false positive
        const r = requery[k]!;
        byBlock.set(r.block.number, found);
        needTxs.push(r);
      });
      if (needTxs.length > 0) {
        const full = await this.rpc.batch(
          needTxs.map((r) => ({ method: 'eth_getBlockByHash', params: [r.block.hash, true] })),
          (v) => (v === null ? null : this.parseRaw(v, true)),
        );
        full.forEach((f, k) => {
          if (!f || f.block.hash !== needTxs[k]!.block.hash)
            throw new Inconsistent('block vanished during bloom re-query');
          needTxs[k]!.txs = f.txs;
        });
      }
    }

    const blocks: BlockWithTriggers[] = raw.map((r) => {
      const blockLogs = (byBlock.get(r.block.number) ?? []).sort((a, b) => a.logIndex - b.logIndex);
      const transactions = new Map<Hex, ChainTransaction>();
      if (blockLogs.length > 0) {
        if (!r.txs)
          throw new Inconsistent(`block ${r.block.number} has logs but was fetched without transactions`);
        const txByHash = new Map(r.txs.map((t) => [t.hash, t]));
        for (const log of blockLogs) {
          if (log.removed) throw new Inconsistent(`removed log in block ${log.blockNumber}`);
          if (log.blockHash !== r.block.hash)
            throw new Inconsistent(`log of block ${log.blockNumber} has another block hash`);
          const tx = txByHash.get(log.transactionHash);
          if (!tx || tx.index !== log.transactionIndex) {
            throw new Inconsistent(
              `log's transaction ${log.transactionHash} is not in block ${log.blockNumber}`,
            );
          }
          transactions.set(tx.hash, tx);
        }
      }
      return { block: r.block, logs: blockLogs, transactions };
    });

    if (this.opts.receipts) await this.attachReceipts(blocks);
    return { kind: 'blocks', blocks };
  }

  /** eth_getLogs over [from, to], shrinking `to` until the node answers. */
  private async getLogs(from: number, to: number): Promise<{ logs: ChainLog[]; to: number }> {
    for (;;) {
      this.stats.getLogs++;
      try {
        const logs = await this.rpc.request(
          'eth_getLogs',
          [{ fromBlock: toQuantity(from), toBlock: toQuantity(to), topics: [this.opts.topics] }],
          parseLogs,
        );
        for (const l of logs) {
          if (l.blockNumber < from || l.blockNumber > to)
            throw new Inconsistent(`log of block ${l.blockNumber} outside ${from}..${to}`);
        }
        this.range = nextRange(this.range, to - from + 1, logs.length, this.maxRange, this.targetLogs);
        return { logs, to };
      } catch (e) {
        if (!(e instanceof LimitError)) throw e;
        if (to === from)
          throw new Error(
            `block ${from} alone exceeds the node's limits: ${e.message}; raise maxResponseBytes`,
          );
        this.stats.rangeShrinks++;
        this.range = Math.max(1, Math.floor((to - from + 1) / 2));
        to = from + this.range - 1;
      }
    }
  }

  /** Headers from..to, with transactions for `withTxs`; batches halve on oversized answers. */
  private async getBlocks(from: number, to: number, withTxs: Set<number>): Promise<RawBlock[]> {
    const out: RawBlock[] = [];
    let n = from;
    while (n <= to) {
      const end = Math.min(to, n + this.headerBatch - 1);
      const calls: RpcCall[] = [];
      for (let k = n; k <= end; k++)
        calls.push({ method: 'eth_getBlockByNumber', params: [toQuantity(k), withTxs.has(k)] });
      let answers: Array<RawBlock | null>;
      try {
        // Shape checks inside the validator, so a wrong answer is retried, not fatal.
        answers = await this.rpc.batch(calls, (v, k) => {
          if (v === null) return null;
          const number = n + k;
          const raw = this.parseRaw(v, withTxs.has(number));
          if (raw.block.number !== number)
            throw new MalformedAnswerError(`asked block ${number}, got ${raw.block.number}`);
          if (withTxs.has(number) && !raw.txs)
            throw new MalformedAnswerError(`block ${number} came without transactions`);
          return raw;
        });
      } catch (e) {
        if (!(e instanceof LimitError) || this.headerBatch === 1) throw e;
        this.headerBatch = Math.max(1, Math.floor(this.headerBatch / 2));
        continue;
      }
      answers.forEach((a, k) => {
        const number = n + k;
        // null: the chain is shorter than when we asked for its head (a reorg in progress).
        if (!a) throw new Inconsistent(`block ${number} not available`);
        out.push(a);
      });
      n = end + 1;
    }
    return out;
  }

  private parseRaw(v: unknown, requireTxs: boolean | null): RawBlock {
    const block = parseBlock(v);
    const txsRaw = (v as { transactions?: unknown }).transactions;
    if (!Array.isArray(txsRaw))
      throw new MalformedAnswerError(`block ${block.number} has no transaction list`);
    const full = txsRaw.length > 0 && typeof txsRaw[0] === 'object';
    if (requireTxs && txsRaw.length > 0 && !full)
      throw new MalformedAnswerError('expected full transactions');
    return {
      block,
      bloom: parseBloom(v),
      txs: full || txsRaw.length === 0 ? txsRaw.map((t) => parseTransaction(t, block.baseFeePerGas)) : null,
    };
  }

  private async attachReceipts(blocks: BlockWithTriggers[]): Promise<void> {
    const hashes = blocks.flatMap((b) => [...b.transactions.keys()]);
    if (hashes.length === 0) return;
    const receipts: Array<ChainReceipt | null> = [];
    for (let i = 0; i < hashes.length; i += this.headerBatch) {
      const chunk = hashes.slice(i, i + this.headerBatch);
      receipts.push(
        ...(await this.rpc.batch(
          chunk.map((h) => ({ method: 'eth_getTransactionReceipt', params: [h] })),
          (v) => (v === null ? null : parseReceipt(v)),
        )),
      );
    }
    const byHash = new Map<Hex, ChainReceipt>();
    receipts.forEach((r, k) => {
      if (!r || r.transactionHash !== hashes[k]) throw new Inconsistent(`receipt of ${hashes[k]} missing`);
      byHash.set(r.transactionHash, r);
    });
    for (const b of blocks) {
      if (b.transactions.size === 0) continue;
      b.receipts = new Map();
      for (const h of b.transactions.keys()) {
        const r = byHash.get(h)!;
        if (r.blockHash !== b.block.hash) throw new Inconsistent(`receipt of ${h} is from another block`);
        b.receipts.set(h, r);
      }
    }
  }
}
