// The indexer with its chain source on a worker thread (the default for an HTTP
// RPC on more than two cores) against the in-thread source: the same store, and a worker that ends when
// the indexer stops.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChainSource } from '../../src/chain/source.js';
import { ThreadedChainSource } from '../../src/chain/threaded-source.js';
import { Indexer } from '../../src/indexer.js';
import { indexChain, startDevChain, type DevChain } from '../e2e/fixture.js';

let chain: DevChain;

/** The indexer's source (private): which one it uses, and whether its worker ended. */
const sourceOf = (indexer: Indexer) => (indexer as unknown as { source: unknown }).source;

beforeAll(async () => {
  chain = await startDevChain({ areas: 2, months: 4 });
});

afterAll(async () => {
  await chain?.anvil.stop();
});

describe('Indexer with the threaded chain source', () => {
  it('gives the in-thread source\u2019s store, and counts the worker\u2019s requests', async () => {
    // Small ranges: many of them, so the worker fetches ahead most of the time.
    const source = { initialRange: 4, maxRange: 16 };
    const inThread = await indexChain(chain.anvil.rpcUrl, chain.subgraphDir, { chainThread: false, source });
    await inThread.indexer.close();
    expect(sourceOf(inThread.indexer)).toBeInstanceOf(ChainSource);

    const threaded = await indexChain(chain.anvil.rpcUrl, chain.subgraphDir, { chainThread: true, source });
    const worker = sourceOf(threaded.indexer) as ThreadedChainSource;
    expect(worker).toBeInstanceOf(ThreadedChainSource);
    await threaded.indexer.close();
    await worker.exited;

    const [a, b] = [inThread.summary, threaded.summary];
    expect(b.error).toBeNull();
    expect(b.events).toBeGreaterThan(100);
    expect([b.head, b.events, b.blocks, b.digest]).toEqual([a.head, a.events, a.blocks, a.digest]);
    // Every range was asked for once; what was fetched ahead and not used is also counted.
    expect(b.rpcRequests).toBeGreaterThanOrEqual(a.rpcRequests);
  });

  it('ends the worker when a following indexer stops', async () => {
    const indexer = await Indexer.open({
      rpcUrl: chain.anvil.rpcUrl,
      subgraphDir: chain.subgraphDir,
      dbPath: ':memory:',
      follow: true,
      pollIntervalMs: 50,
      chainThread: true,
    });
    const worker = sourceOf(indexer) as ThreadedChainSource;
    const running = indexer.run();
    await indexer.caughtUp;
    await new Promise((r) => setTimeout(r, 200)); // a few polls of the head through the worker
    await indexer.close();
    const summary = await running;
    expect(summary.error).toBeNull();
    expect(summary.head!.number).toBe(chain.history.toBlock);
    await worker.exited;
  });
});
