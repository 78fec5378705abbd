// The chain source against a real anvil: completeness and order, agreement with
// a plain eth_getLogs, resilience to a faulty RPC, and reorg detection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hex } from 'viem';
import { startAnvil, type Anvil } from '@ggn/contracts-abi/anvil.ts';
import { ChainSource, RANGE_DEFAULTS, blockPtr, nextRange } from '../../src/chain/source.js';
import { RpcClient } from '../../src/chain/rpc.js';
import type { BlockPtr, BlockWithTriggers } from '../../src/chain/types.js';
import { startFaultProxy } from '../e2e/fault-proxy.js';
import { anvilClient, deployEmitter, emitInOneBlock, topic, type AnvilClient } from './emitter.js';

const A = topic(0xa);
const B = topic(0xb);
const C = topic(0xc); // emitted but not subscribed: must never show up

let anvil: Anvil;
let client: AnvilClient;
let emitter: Hex;

async function collect(
  source: ChainSource,
  from: number,
  to: number,
  parent: BlockPtr | null,
): Promise<BlockWithTriggers[]> {
  const out: BlockWithTriggers[] = [];
  let n = from;
  let prev = parent;
  while (n <= to) {
    const r = await source.next(n, to, prev);
    if (r.kind !== 'blocks') throw new Error(`unexpected reorg at ${r.at}`);
    out.push(...r.blocks);
    prev = blockPtr(r.blocks.at(-1)!.block);
    n = prev.number + 1;
  }
  return out;
}

// Plain-data view for deep equality (Maps and bigints do not compare well in snapshots).
function view(blocks: BlockWithTriggers[]) {
  return JSON.stringify(blocks, (_k, v) =>
    typeof v === 'bigint' ? v.toString() : v instanceof Map ? [...v.entries()] : v,
  );
}

beforeAll(async () => {
  anvil = await startAnvil();
  client = anvilClient(anvil.rpcUrl);
  emitter = await deployEmitter(client);
  // A history with dense, sparse and empty stretches.
  for (let i = 0; i < 12; i++) {
    await emitInOneBlock(client, emitter, [A, C, B, A].slice(0, 1 + (i % 4)));
    if (i % 3 === 0) await client.mine({ blocks: 5 + i });
  }
});

afterAll(async () => {
  await anvil?.stop();
});

describe('ChainSource', () => {
  it('yields every block once, in order, with exactly the subscribed logs and their transactions', async () => {
    const head = Number(await client.getBlockNumber());
    const source = new ChainSource(new RpcClient({ url: anvil.rpcUrl }), { topics: [A, B], initialRange: 3 });
    const blocks = await collect(source, 0, head, null);

    expect(blocks.map((b) => b.block.number)).toEqual(Array.from({ length: head + 1 }, (_, i) => i));
    for (let i = 1; i < blocks.length; i++)
      expect(blocks[i]!.block.parentHash).toBe(blocks[i - 1]!.block.hash);

    const expected = await client.getLogs({ fromBlock: 0n, toBlock: BigInt(head) });
    const wanted = expected.filter((l) => l.topics[0] === A || l.topics[0] === B);
    const got = blocks.flatMap((b) => b.logs);
    expect(got.length).toBe(wanted.length);
    expect(got.length).toBeGreaterThan(10);
    expect(got.map((l) => [l.blockNumber, l.logIndex, l.topics[0]])).toEqual(
      wanted.map((l) => [Number(l.blockNumber), l.logIndex, l.topics[0]]),
    );
    expect(got.some((l) => l.topics[0] === C)).toBe(false);

    const [sender] = await client.getAddresses();
    for (const b of blocks) {
      for (const l of b.logs) {
        const tx = b.transactions.get(l.transactionHash)!;
        expect(tx).toBeDefined();
        expect(tx.to).toBe(emitter);
        expect(tx.from).toBe(sender!.toLowerCase());
        expect(tx.input.slice(0, 66)).toBe(l.topics[0]);
        expect(tx.gasPrice).toBeGreaterThan(0n);
      }
    }
    const header = await client.getBlock({ blockNumber: BigInt(head) });
    const last = blocks.at(-1)!.block;
    expect(last.hash).toBe(header.hash);
    expect(last.stateRoot).toBe(header.stateRoot);
    expect(last.timestamp).toBe(header.timestamp);
    expect(last.gasLimit).toBe(header.gasLimit);
  });

  it('gives the same blocks through a faulty RPC that also limits log ranges', async () => {
    const head = Number(await client.getBlockNumber());
    const clean = await collect(
      new ChainSource(new RpcClient({ url: anvil.rpcUrl }), { topics: [A, B] }),
      0,
      head,
      null,
    );
    const proxy = await startFaultProxy({
      upstream: anvil.rpcUrl,
      rate: 0.3,
      maxLogRange: 4,
      delayMs: 1_500,
      seed: 7,
    });
    try {
      const rpc = new RpcClient({
        url: proxy.url,
        timeoutMs: 500,
        backoffInitialMs: 5,
        backoffMaxMs: 50,
        maxAttempts: 100,
      });
      const source = new ChainSource(rpc, { topics: [A, B], initialRange: 16, headerBatch: 8 });
      const faulty = await collect(source, 0, head, null);
      expect(view(faulty)).toBe(view(clean));
      const faults = Object.values(proxy.stats.faults).reduce((a, b) => a + b, 0);
      expect(faults).toBeGreaterThan(5);
      expect(proxy.stats.limitRefusals).toBeGreaterThan(0);
      expect(source.stats.rangeShrinks).toBeGreaterThan(0);
      expect(rpc.stats.retries).toBeGreaterThan(0);
    } finally {
      await proxy.close();
    }
  });

  it('attaches receipts when asked, one per transaction that emitted a subscribed log', async () => {
    const head = Number(await client.getBlockNumber());
    const source = new ChainSource(new RpcClient({ url: anvil.rpcUrl }), {
      topics: [A],
      receipts: true,
      headerBatch: 3,
    });
    const blocks = await collect(source, 0, head, null);
    let receipts = 0;
    for (const b of blocks) {
      expect(b.receipts?.size ?? 0).toBe(b.transactions.size);
      for (const [hash, r] of b.receipts ?? []) {
        receipts++;
        const expected = await client.getTransactionReceipt({ hash });
        expect(r.blockHash).toBe(b.block.hash);
        expect(r.status).toBe(1n);
        expect(r.gasUsed).toBe(expected.gasUsed);
        expect(r.logs.map((l) => l.logIndex)).toEqual(expected.logs.map((l) => l.logIndex));
      }
    }
    expect(receipts).toBeGreaterThan(5);
  });

  it('notices logs missing from a range answer through the headers\u2019 logsBloom', async () => {
    const head = Number(await client.getBlockNumber());
    const clean = await collect(
      new ChainSource(new RpcClient({ url: anvil.rpcUrl }), { topics: [A, B] }),
      0,
      head,
      null,
    );
    const proxy = await startFaultProxy({ upstream: anvil.rpcUrl, rate: 0, emptyRangeLogs: 0.5, seed: 3 });
    try {
      const source = new ChainSource(new RpcClient({ url: proxy.url }), {
        topics: [A, B],
        initialRange: 4,
        maxRange: 4,
      });
      const got = await collect(source, 0, head, null);
      expect(proxy.stats.emptiedLogs).toBeGreaterThan(0);
      expect(source.stats.bloomRequeries).toBeGreaterThan(0);
      expect(view(got)).toBe(view(clean));
    } finally {
      await proxy.close();
    }
  });

  it('reports a reorg when the next block does not follow the one it was given', async () => {
    const rpc = new RpcClient({ url: anvil.rpcUrl });
    const source = new ChainSource(rpc, { topics: [A, B] });
    const fork = Number(await client.getBlockNumber());
    const snapshot = await client.snapshot();
    await emitInOneBlock(client, emitter, [A]);
    await emitInOneBlock(client, emitter, [B, B]);
    const oldHead = Number(await client.getBlockNumber());
    const oldBlocks = await collect(source, fork + 1, oldHead, await source.blockAt(fork));
    expect(oldBlocks.flatMap((b) => b.logs).length).toBe(3);

    await client.revert({ id: snapshot });
    await client.mine({ blocks: 1 }); // a different block at fork+1
    await emitInOneBlock(client, emitter, [A, A]);
    await emitInOneBlock(client, emitter, [B]);
    const r = await source.next(
      oldHead + 1,
      Number(await client.getBlockNumber()),
      blockPtr(oldBlocks.at(-1)!.block),
    );
    expect(r).toEqual({ kind: 'reorg', at: oldHead + 1 });
    // The fork point itself is unchanged; the blocks after it are not.
    expect((await source.blockAt(fork))!.hash).toBe(oldBlocks[0]!.block.parentHash);
    expect((await source.blockAt(fork + 1))!.hash).not.toBe(oldBlocks[0]!.block.hash);
    const newBranch = await collect(
      source,
      fork + 1,
      Number(await client.getBlockNumber()),
      await source.blockAt(fork),
    );
    expect(newBranch.flatMap((b) => b.logs.map((l) => l.topics[0]))).toEqual([A, A, B]);
  });
});

describe('adaptive eth_getLogs range', () => {
  it('starts small, doubles on sparse answers up to the cap, halves on dense ones', () => {
    const target = RANGE_DEFAULTS.targetLogsPerRange;
    expect(RANGE_DEFAULTS.initialRange).toBeLessThanOrEqual(10);
    expect(nextRange(10, 10, target / 2 - 1)).toBe(20);
    // A short last range (fewer blocks than the range) says nothing about density.
    expect(nextRange(10, 4, 0)).toBe(10);
    expect(nextRange(10, 10, target / 2)).toBe(10);
    expect(nextRange(10, 10, target * 2)).toBe(10);
    expect(nextRange(10, 10, target * 2 + 1)).toBe(5);
    expect(nextRange(1, 1, target * 10)).toBe(1);
    expect(nextRange(RANGE_DEFAULTS.maxRange, RANGE_DEFAULTS.maxRange, 0)).toBe(RANGE_DEFAULTS.maxRange);
    expect(nextRange(8, 8, 0, 12, 100)).toBe(12);
  });
});
