// Instance reuse end to end: the runner with restored instances (the default)
// and with a fresh instance per trigger must produce identical block results,
// on the fixture subgraph (templates, call replays, failures) and on the GGN
// subgraph over a generated devnet history.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hex } from 'viem';
import { startDevnet } from '@ggn/contracts-abi';
import { SubgraphRunner, type BlockResult } from '../../src/indexing/runner.js';
import { MockCalls, blockWithEvents, type EventSpec } from '../../src/testkit/index.js';
import { MemoryStore } from '../../src/testkit/memory-store.js';
import { RpcClient } from '../../src/chain/rpc.js';
import { ChainSource, blockPtr } from '../../src/chain/source.js';
import type { BlockPtr, BlockWithTriggers } from '../../src/chain/types.js';
import { SUBGRAPH_BUILD, subgraphFor } from '../e2e/fixture.js';
import { FACTORY, buildFixture, childAbi, factoryAbi, removeFixtures } from './fixture.js';

const CHILD = '0x00000000000000000000000000000000000000c1' as Hex;

afterAll(removeFixtures);

/** Runs `blocks` through a runner and returns every block's result. */
async function runAll(
  dir: string,
  blocks: BlockWithTriggers[],
  opts: { reuseInstances: boolean; calls?: () => MockCalls },
): Promise<{ results: BlockResult[]; runner: SubgraphRunner }> {
  const runner = await SubgraphRunner.load(dir, {
    reuseInstances: opts.reuseInstances,
    calls: opts.calls?.(),
  });
  const store = new MemoryStore();
  const results: BlockResult[] = [];
  for (const b of blocks) {
    const r = await runner.processBlock(b, store);
    if (!r.error) store.apply(r.ops);
    results.push(r);
  }
  return { results, runner };
}

describe('runner results with reused instances', () => {
  it('equal those with a fresh instance per trigger on the fixture subgraph', async () => {
    const dir = await buildFixture({ features: ['nonFatalErrors'], blockHandlers: true });
    const created = (name: string, tx?: string): EventSpec => ({
      abi: factoryAbi,
      event: 'ChildCreated',
      args: { child: CHILD, name },
      address: FACTORY,
      tx,
    });
    const ping = (value: bigint, tx?: string): EventSpec => ({
      abi: childAbi,
      event: 'Ping',
      args: { value },
      address: CHILD,
      tx,
    });
    const fail = (reason: string): EventSpec => ({
      abi: childAbi,
      event: 'Fail',
      args: { reason },
      address: CHILD,
    });
    const tick = (n: bigint): EventSpec => ({
      abi: factoryAbi,
      event: 'Tick',
      args: { n, tag: `t${n}`, delta: -n, big: (1n << 255n) + n },
      address: FACTORY,
    });
    const blocks = [
      blockWithEvents(1, [ping(1n, 'a'), created('alpha', 'b'), ping(2n, 'b')]),
      blockWithEvents(2, [ping(3n), tick(1n), fail('boom'), ping(4n)]),
      blockWithEvents(3, []),
      blockWithEvents(4, [tick(2n), tick(3n), created('beta'), ping(5n)]),
      blockWithEvents(5, [fail('again'), tick(4n)]),
    ];
    const calls = () => new MockCalls().on(CHILD, childAbi, 'count', 11n).reverts(CHILD, childAbi, 'label');
    const fresh = await runAll(dir, blocks, { reuseInstances: false, calls });
    const reused = await runAll(dir, blocks, { reuseInstances: true, calls });
    expect(fresh.runner.instanceStats().reusedInstances).toBe(0);
    expect(reused.runner.instanceStats().reusedInstances).toBeGreaterThan(10);
    expect(fresh.results.some((r) => r.error)).toBe(true);
    expect(fresh.results.reduce((n, r) => n + r.ops.length, 0)).toBeGreaterThan(5);
    expect(fresh.results.reduce((n, r) => n + r.callReplays, 0)).toBeGreaterThan(0);
    expect(reused.results).toEqual(fresh.results);
  });

  const built = existsSync(join(SUBGRAPH_BUILD, 'subgraph.yaml'));
  describe.skipIf(!built)('on the GGN subgraph (subgraph/build) over a devnet history', () => {
    let devnet: Awaited<ReturnType<typeof startDevnet>>;
    let blocks: BlockWithTriggers[];
    let dir: string;
    beforeAll(async () => {
      devnet = await startDevnet({ history: { areas: 1, months: 2, consumers: 8 } });
      dir = subgraphFor(devnet.deployment);
      const probe = await SubgraphRunner.load(dir);
      const source = new ChainSource(new RpcClient({ url: devnet.rpcUrl }), { topics: probe.logTopics() });
      blocks = [];
      let parent: BlockPtr | null = null;
      for (let n = devnet.deployment.startBlock; n <= devnet.summary!.toBlock;) {
        const r = await source.next(n, devnet.summary!.toBlock, parent);
        if (r.kind !== 'blocks') throw new Error('reorg on a quiet devnet');
        blocks.push(...r.blocks.filter((b) => b.logs.length > 0));
        parent = blockPtr(r.blocks.at(-1)!.block);
        n = parent.number + 1;
      }
    });
    afterAll(async () => {
      await devnet?.stop();
    });

    it('gives byte-identical entity ops for every block', async () => {
      const fresh = await runAll(dir, blocks, { reuseInstances: false });
      const reused = await runAll(dir, blocks, { reuseInstances: true });
      const handlerCalls = fresh.results.reduce((n, r) => n + r.handlerCalls, 0);
      expect(handlerCalls).toBeGreaterThan(100);
      expect(fresh.results.every((r) => !r.error)).toBe(true);
      expect(reused.runner.instanceStats().reusedInstances).toBeGreaterThan(handlerCalls / 2);
      expect(reused.results).toEqual(fresh.results);
    });
  });
});
