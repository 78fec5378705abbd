/**
 * ChainWriter: builds blocks with pinned timestamps on an anvil node, so that the same
 * transactions always give the same chain (block hashes included).
 *
 * Automine is switched off while writing; each block is mined explicitly with `evm_mine(ts)`.
 * Transactions go out as eth_sendTransaction from impersonated accounts (no signing), in small
 * JSON-RPC batches with explicit nonces. anvil handles a batch concurrently, and its pool orders
 * same-fee transactions by arrival (we start it with --order fifo), so after mining we check
 * that the block holds exactly our transactions in our order, and that every one succeeded.
 */
import { decodeErrorResult, getContractAddress, type Address, type Hex } from 'viem';
import { ggnErrorsAbi } from './generated/abis.js';
import { Rpc, toHex } from './rpc.js';

export interface Tx {
  from: Address;
  to?: Address;
  data: Hex;
  gas: bigint;
  /** What the transaction does, for error messages. */
  label: string;
}

export interface MinedLog {
  address: Address;
  topics: Hex[];
  data: Hex;
  blockNumber: number;
  logIndex: number;
  transactionHash: Hex;
}

export interface MinedBlock {
  number: number;
  timestamp: number;
  txCount: number;
  logs: MinedLog[];
}

interface PendingBlock {
  timestamp: number;
  txs: Tx[];
  gas: bigint;
}

/** Batches of at most this many sends (anvil keeps arrival order for small batches; verified per block). */
const SEND_BATCH = 32;
const FUNDING = toHex(10n ** 24n);
const MAX_FEE = toHex(100_000_000_000n);

export class ChainWriter {
  readonly rpc: Rpc;
  private lastTimestamp: number;
  private current: PendingBlock | null = null;
  private queued: PendingBlock[] = [];
  private nonces = new Map<string, number>();
  private funded = new Set<string>();
  private restoreAutomine: boolean;
  /** Called after every mined block. */
  onBlock?: (b: MinedBlock) => void;
  blocksMined = 0;
  txsMined = 0;

  private constructor(
    rpc: Rpc,
    readonly chainId: number,
    readonly blockGasLimit: bigint,
    lastTimestamp: number,
    automine: boolean,
  ) {
    this.rpc = rpc;
    this.lastTimestamp = lastTimestamp;
    this.restoreAutomine = automine;
  }

  static async open(rpcUrl: string): Promise<ChainWriter> {
    const rpc = new Rpc(rpcUrl);
    const [chainId, latest, automine] = await rpc.batch<unknown>([
      { method: 'eth_chainId', params: [] },
      { method: 'eth_getBlockByNumber', params: ['latest', false] },
      { method: 'anvil_getAutomine', params: [] },
    ]);
    const block = latest as { timestamp: Hex; gasLimit: Hex };
    await rpc.batch([
      { method: 'evm_setAutomine', params: [false] },
      { method: 'anvil_autoImpersonateAccount', params: [true] },
    ]);
    return new ChainWriter(
      rpc,
      Number(chainId),
      BigInt(block.gasLimit),
      Number(block.timestamp),
      automine as boolean,
    );
  }

  /** Restores automine as it was. Call after the last flush. */
  async close(): Promise<void> {
    if (this.current || this.queued.length) throw new Error('ChainWriter closed with unmined transactions');
    await this.rpc.call('evm_setAutomine', [this.restoreAutomine]);
  }

  /** After a failure: drops unmined transactions and restores automine (best effort). */
  async abandon(): Promise<void> {
    this.current = null;
    this.queued = [];
    await this.rpc.call('evm_setAutomine', [this.restoreAutomine]).catch(() => undefined);
  }

  /** Timestamp of the block being built (the `block.timestamp` its transactions will see). */
  get now(): number {
    if (!this.current) throw new Error('no block begun');
    return this.current.timestamp;
  }

  get latestTimestamp(): number {
    return this.current?.timestamp ?? this.queued.at(-1)?.timestamp ?? this.lastTimestamp;
  }

  /** Starts a block at `timestamp` (or one second after the previous block if that is later). */
  begin(timestamp: number): number {
    this.seal();
    this.current = { timestamp: Math.max(timestamp, this.latestTimestamp + 1), txs: [], gas: 0n };
    return this.current.timestamp;
  }

  /** Adds a transaction to the current block; a full block continues in a new block one second later. */
  add(tx: Tx): void {
    if (!this.current) throw new Error('no block begun');
    if (this.current.txs.length > 0 && this.current.gas + tx.gas > this.blockGasLimit)
      this.begin(this.current.timestamp + 1);
    this.current.txs.push(tx);
    this.current.gas += tx.gas;
  }

  /** Address a deployment added now will get (the sender's nonce must be known: see `knowAccounts`). */
  nextContractAddress(from: Address): Address {
    const nonce = this.nonces.get(from.toLowerCase());
    if (nonce === undefined) throw new Error(`nonce of ${from} unknown`);
    const pending = [...this.queued, ...(this.current ? [this.current] : [])]
      .flatMap((b) => b.txs)
      .filter((t) => t.from.toLowerCase() === from.toLowerCase()).length;
    return getContractAddress({ from, nonce: BigInt(nonce + pending) }).toLowerCase() as Address;
  }

  /** Fetches nonces and funds accounts (anvil_setBalance) the writer has not seen yet. */
  async knowAccounts(addresses: Iterable<string>): Promise<void> {
    const fresh = [...new Set([...addresses].map((a) => a.toLowerCase()))].filter((a) => !this.nonces.has(a));
    for (let i = 0; i < fresh.length; i += 500) {
      const chunk = fresh.slice(i, i + 500);
      const counts = await this.rpc.batch<Hex>(
        chunk.map((a) => ({ method: 'eth_getTransactionCount', params: [a, 'latest'] })),
      );
      chunk.forEach((a, j) => this.nonces.set(a, Number(counts[j])));
      const unfunded = chunk.filter((a) => !this.funded.has(a));
      await this.rpc.batch(unfunded.map((a) => ({ method: 'anvil_setBalance', params: [a, FUNDING] })));
      unfunded.forEach((a) => this.funded.add(a));
    }
  }

  private seal(): void {
    if (this.current && this.current.txs.length > 0) this.queued.push(this.current);
    this.current = null;
  }

  /** Sends and mines every block built so far. */
  async flush(): Promise<MinedBlock[]> {
    this.seal();
    const blocks = this.queued;
    this.queued = [];
    const mined: MinedBlock[] = [];
    for (const b of blocks) mined.push(await this.mine(b));
    return mined;
  }

  /** The custom error a mined transaction reverted with, from anvil's call tracer. */
  private async revertReason(hash: Hex): Promise<string> {
    try {
      const trace = await this.rpc.call<{ output?: Hex; error?: string; gasUsed?: Hex }>(
        'debug_traceTransaction',
        [hash, { tracer: 'callTracer' }],
      );
      if (trace.output && trace.output.length >= 10) {
        try {
          return decodeErrorResult({ abi: ggnErrorsAbi, data: trace.output }).errorName + '()';
        } catch {
          return `revert data ${trace.output}`;
        }
      }
      return `${trace.error ?? 'reverted'} (gas used ${Number(trace.gasUsed ?? 0)})`;
    } catch (e) {
      return `no trace: ${(e as Error).message}`;
    }
  }

  private async mine(b: PendingBlock): Promise<MinedBlock> {
    await this.knowAccounts(b.txs.map((t) => t.from));
    const hashes: Hex[] = [];
    for (let i = 0; i < b.txs.length; i += SEND_BATCH) {
      const chunk = b.txs.slice(i, i + SEND_BATCH);
      const sent = await this.rpc.batch<Hex>(
        chunk.map((t) => {
          const key = t.from.toLowerCase();
          const nonce = this.nonces.get(key)!;
          this.nonces.set(key, nonce + 1);
          return {
            method: 'eth_sendTransaction',
            params: [
              {
                from: t.from,
                ...(t.to ? { to: t.to } : {}),
                data: t.data,
                gas: toHex(t.gas),
                nonce: toHex(nonce),
                maxFeePerGas: MAX_FEE,
                maxPriorityFeePerGas: '0x0',
                value: '0x0',
              },
            ],
          };
        }),
      );
      hashes.push(...sent);
    }
    await this.rpc.call('evm_mine', [b.timestamp]);
    this.lastTimestamp = b.timestamp;
    const [block, receipts] = await this.rpc.batch<unknown>([
      { method: 'eth_getBlockByNumber', params: ['latest', false] },
      { method: 'eth_getBlockReceipts', params: ['latest'] },
    ]);
    const blk = block as { number: Hex; timestamp: Hex; transactions: Hex[] };
    const rcpts = receipts as {
      status: Hex;
      transactionHash: Hex;
      logs: (Omit<MinedLog, 'blockNumber' | 'logIndex'> & { blockNumber: Hex; logIndex: Hex })[];
    }[];
    if (Number(blk.timestamp) !== b.timestamp)
      throw new Error(`block mined at ${Number(blk.timestamp)}, wanted ${b.timestamp}`);
    if (blk.transactions.length !== hashes.length || blk.transactions.some((h, i) => h !== hashes[i])) {
      throw new Error(
        `block ${Number(blk.number)} holds ${blk.transactions.length} transactions, not the ${hashes.length} sent, in order ` +
          '(is the node sorting its pool by fee? start anvil with --order fifo and a large --gas-limit)',
      );
    }
    const failed = rcpts.findIndex((r) => r.status !== '0x1');
    if (failed >= 0) {
      const hash = rcpts[failed].transactionHash;
      throw new Error(
        `transaction failed in block ${Number(blk.number)}: ${b.txs[failed].label} (${hash}): ${await this.revertReason(hash)}`,
      );
    }
    const logs = rcpts.flatMap((r) =>
      r.logs.map((l) => ({
        address: l.address.toLowerCase() as Address,
        topics: l.topics,
        data: l.data,
        blockNumber: Number(l.blockNumber),
        logIndex: Number(l.logIndex),
        transactionHash: l.transactionHash,
      })),
    );
    this.blocksMined++;
    this.txsMined += hashes.length;
    const minedBlock = { number: Number(blk.number), timestamp: b.timestamp, txCount: hashes.length, logs };
    this.onBlock?.(minedBlock);
    return minedBlock;
  }
}
