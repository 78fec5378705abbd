// The chain source on a worker thread against a real anvil: the same blocks as
// the in-thread source (fetching ahead included), the same reorg reports and
// errors, RPC retries reported to this thread, and a worker that ends on close,
// on abort, and does not keep a process alive.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hex } from 'viem';
import { startAnvil, type Anvil } from '@ggn/contracts-abi/anvil.ts';
import { ChainSource, blockPtr, type BlockSource } from '../../src/chain/source.js';
import { ThreadedChainSource } from '../../src/chain/threaded-source.js';
import { AbortedError, RpcClient } from '../../src/chain/rpc.js';
import type { BlockPtr, BlockWithTriggers } from '../../src/chain/types.js';
import { startFaultProxy } from '../e2e/fault-proxy.js';
import { anvilClient, deployEmitter, emitInOneBlock, topic, type AnvilClient } from './emitter.js';

const A = topic(0xa);
const B = topic(0xb);
const C = topic(0xc);

let anvil: Anvil;
let client: AnvilClient;
let emitter: Hex;
const open: ThreadedChainSource[] = [];

function threaded(...args: ConstructorParameters<typeof ThreadedChainSource>): ThreadedChainSource {
  const s = new ThreadedChainSource(...args);
  open.push(s);
  return s;
}

/** As the indexer does: the next range is asked for as soon as one arrives. */
async function collect(source: BlockSource, from: number, to: number, parent: BlockPtr | null) {
  const out: BlockWithTriggers[] = [];
  let pending: Promise<Awaited<ReturnType<BlockSource['next']>>> | null = source.next(from, to, parent);
  while (pending) {
    const r = await pending;
    pending = null;
    if (r.kind !== 'blocks') throw new Error(`unexpected reorg at ${r.at}`);
    out.push(...r.blocks);
    const last = r.blocks.at(-1)!.block;
    if (last.number < to) pending = source.next(last.number + 1, to, blockPtr(last));
  }
  return out;
}

function view(blocks: BlockWithTriggers[]) {
  return JSON.stringify(blocks, (_k, v) =>
    typeof v === 'bigint' ? v.toString() : v instanceof Map ? [...v.entries()] : v,
  );
}

async function failure(p: Promise<unknown>): Promise<Error> {
  return p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: Error) => e,
  );
}

beforeAll(async () => {
  anvil = await startAnvil();
  client = anvilClient(anvil.rpcUrl);
  emitter = await deployEmitter(client);
  for (let i = 0; i < 12; i++) {
    await emitInOneBlock(client, emitter, [A, C, B, A].slice(0, 1 + (i % 4)));
    if (i % 3 === 0) await client.mine({ blocks: 5 + i });
  }
});

afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
  await anvil?.stop();
});

describe('ThreadedChainSource', () => {
  it('gives the in-thread source\u2019s blocks, ranges and counters', async () => {
    const head = Number(await client.getBlockNumber());
    const opts = { topics: [A, B], initialRange: 3, maxRange: 8, targetLogsPerRange: 4 };
    const inThread = new ChainSource(new RpcClient({ url: anvil.rpcUrl }), opts);
    const counters = { requests: 0, retries: 0 };
    const source = threaded({ url: anvil.rpcUrl }, opts, { ahead: 2, countInto: counters });

    const ranges = async (s: BlockSource) => {
      const sizes: number[] = [];
      let parent: BlockPtr | null = null;
      for (let n = 0; n <= head;) {
        const r = await s.next(n, head, parent);
        if (r.kind !== 'blocks') throw new Error('reorg');
        sizes.push(r.blocks.length);
        parent = blockPtr(r.blocks.at(-1)!.block);
        n = parent.number + 1;
      }
      return sizes;
    };
    expect(await ranges(source)).toEqual(await ranges(inThread));
    expect(source.stats).toEqual(inThread.stats);

    // Asking for something else than the range fetched ahead drops it.
    const first = await source.next(0, head, null);
    const again = await source.next(0, head, null);
    if (first.kind !== 'blocks' || again.kind !== 'blocks') throw new Error('reorg');
    expect(again.blocks[0]!.block).toEqual(first.blocks[0]!.block);

    const expected = await collect(
      new ChainSource(new RpcClient({ url: anvil.rpcUrl }), opts),
      0,
      head,
      null,
    );
    const got = await collect(source, 0, head, null);
    expect(got.flatMap((b) => b.logs).length).toBeGreaterThan(10);
    expect(view(got)).toBe(view(expected));
    expect(await source.headNumber()).toBe(head);
    expect(await source.blockAt(head)).toEqual(blockPtr(got.at(-1)!.block));
    expect(await source.blockAt(head + 100)).toBeNull();
    expect(counters.requests).toBeGreaterThan(10);
  });

  it('attaches receipts when asked', async () => {
    const head = Number(await client.getBlockNumber());
    const opts = { topics: [A], receipts: true, headerBatch: 3 };
    const expected = await collect(
      new ChainSource(new RpcClient({ url: anvil.rpcUrl }), opts),
      0,
      head,
      null,
    );
    const got = await collect(threaded({ url: anvil.rpcUrl }, opts), 0, head, null);
    expect(got.filter((b) => b.receipts).length).toBeGreaterThan(3);
    expect(view(got)).toBe(view(expected));
  });

  it('retries RPC faults in the worker and reports them here', async () => {
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
      const retries: string[] = [];
      const counters = { requests: 0, retries: 0 };
      const source = threaded(
        {
          url: proxy.url,
          timeoutMs: 500,
          backoffInitialMs: 5,
          backoffMaxMs: 50,
          maxAttempts: 100,
          onRetry: (i) => retries.push(`${i.method}: ${(i.error as Error).message}`),
        },
        { topics: [A, B], initialRange: 16, headerBatch: 8 },
        { countInto: counters },
      );
      expect(view(await collect(source, 0, head, null))).toBe(view(clean));
      expect(source.stats.rangeShrinks).toBeGreaterThan(0);
      expect(counters.retries).toBeGreaterThan(0);
      expect(retries.length).toBe(counters.retries);
    } finally {
      await proxy.close();
    }
  });

  it('reports a reorg as the in-thread source does', async () => {
    const source = threaded(
      { url: anvil.rpcUrl },
      { topics: [A, B], initialRange: 1, maxRange: 1 },
      { ahead: 2 },
    );
    const fork = Number(await client.getBlockNumber());
    const snapshot = await client.snapshot();
    await emitInOneBlock(client, emitter, [A]);
    await emitInOneBlock(client, emitter, [B, B]);
    const oldHead = Number(await client.getBlockNumber());
    const oldBlocks = await collect(source, fork + 1, oldHead, await source.blockAt(fork));
    expect(oldBlocks.flatMap((b) => b.logs).length).toBe(3);

    await client.revert({ id: snapshot });
    await client.mine({ blocks: 1 });
    await emitInOneBlock(client, emitter, [A, A]);
    await emitInOneBlock(client, emitter, [B]);
    const newHead = Number(await client.getBlockNumber());
    const r = await source.next(oldHead + 1, newHead, blockPtr(oldBlocks.at(-1)!.block));
    expect(r).toEqual({ kind: 'reorg', at: oldHead + 1 });
    const newBranch = await collect(source, fork + 1, newHead, await source.blockAt(fork));
    expect(newBranch.flatMap((b) => b.logs.map((l) => l.topics[0]))).toEqual([A, A, B]);
    expect(newBranch[0]!.block.hash).not.toBe(oldBlocks[0]!.block.hash);
  });

  it('fails with the in-thread source\u2019s errors', async () => {
    const head = Number(await client.getBlockNumber());
    const logBlock = Number((await client.getLogs({ fromBlock: 0n, toBlock: BigInt(head) }))[0]!.blockNumber);
    const cases: Array<[Parameters<typeof threaded>[0], (s: BlockSource) => Promise<unknown>]> = [
      // The node's answers never fit: "block N alone exceeds the node's limits".
      [{ url: anvil.rpcUrl, maxResponseBytes: 64 }, (s) => s.next(logBlock, logBlock + 3, null)],
      // Nobody listens: the transport error, after the retry budget.
      [{ url: 'http://127.0.0.1:1', maxAttempts: 2, backoffInitialMs: 1 }, (s) => s.headNumber()],
      [{ url: anvil.rpcUrl }, (s) => s.next(5, 4, null)],
    ];
    for (const [rpc, call] of cases) {
      const want = await failure(call(new ChainSource(new RpcClient(rpc), { topics: [A] })));
      const got = await failure(call(threaded(rpc, { topics: [A] })));
      // Same name and message; our error classes (AbortedError, LimitError...) are rebuilt as such.
      expect([got.name, got.message]).toEqual([want.name, want.message]);
    }
  });

  it('surfaces a failure of the worker itself, then refuses calls', async () => {
    // A topic that is not a hex string breaks ChainSource's constructor, in the worker.
    const source = threaded({ url: anvil.rpcUrl }, { topics: [42 as unknown as Hex] });
    const e = await failure(source.headNumber());
    expect(e.message).toMatch(/Uint8Array expected/);
    await source.exited;
    expect((await failure(source.blockAt(1))).message).toBe(e.message);
  });

  it('ends the worker on close and on abort; calls in flight reject with AbortedError', async () => {
    const closing = threaded({ url: anvil.rpcUrl }, { topics: [A] });
    expect(await closing.headNumber()).toBeGreaterThan(0);
    await closing.close(); // resolves once the worker has exited
    expect(await failure(closing.headNumber())).toBeInstanceOf(AbortedError);

    // A node that never answers: the call is in flight when the signal aborts.
    const proxy = await startFaultProxy({
      upstream: anvil.rpcUrl,
      rate: 1,
      kinds: ['delay'],
      delayMs: 5_000,
    });
    try {
      const abort = new AbortController();
      const source = threaded({ url: proxy.url }, { topics: [A], signal: abort.signal });
      const inFlight = failure(source.next(0, 10, null));
      await new Promise((r) => setTimeout(r, 300));
      abort.abort();
      expect(await inFlight).toBeInstanceOf(AbortedError);
      await source.exited;
    } finally {
      await proxy.close();
    }
  });

  it('does not keep a process alive once nothing waits for it (node --import tsx)', () => {
    const module = fileURLToPath(new URL('../../src/chain/threaded-source.ts', import.meta.url));
    const script = `
      const { ThreadedChainSource } = await import(${JSON.stringify(module)});
      const s = new ThreadedChainSource({ url: ${JSON.stringify(anvil.rpcUrl)} }, { topics: [${JSON.stringify(A)}] });
      console.log('head', await s.headNumber());
      await s.next(0, 3, null); // then the worker fetches ahead, and is never closed
    `;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^head \d+/);
    expect(run.status).toBe(0);
  });
});
