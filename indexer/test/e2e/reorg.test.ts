// Acceptance: reorgs. A following indexer indexes a branch of protocol activity,
// anvil reverts it (evm_snapshot / evm_revert) and mines a different branch that
// is shorter, as long or longer; for every depth 1..20 the store's digest must
// equal a clean index of the final chain. Then the same with the indexer stopped
// during the reorg and restarted on its store file.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Indexer } from '../../src/indexer.js';
import { chainClient, mineBranch, type ChainClient } from './branch.js';
import { cleanDigest, startDevChain, type DevChain } from './fixture.js';

let chain: DevChain;
let client: ChainClient;
let tmp: string;

beforeAll(async () => {
  chain = await startDevChain({ areas: 2, months: 2 });
  client = chainClient(chain.anvil.rpcUrl);
  tmp = mkdtempSync(path.join(os.tmpdir(), 'ggn-reorg-'));
});

afterAll(async () => {
  await chain?.anvil.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function waitSynced(indexer: Indexer): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const latest = await client.getBlock();
    const head = indexer.store.head();
    if (head && head.number === Number(latest.number) && head.hash === latest.hash) return;
    if (Date.now() > deadline)
      throw new Error(
        `indexer stuck at ${head?.number} ${head?.hash}; chain at ${latest.number} ${latest.hash}`,
      );
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function branchLogs(from: number): Promise<number> {
  const logs = await client.getLogs({ fromBlock: BigInt(from) });
  return logs.length;
}

describe('reorgs', () => {
  it('a following indexer ends with the state of a clean index after reorgs of depth 1..20', async () => {
    const indexer = await Indexer.open({
      rpcUrl: chain.anvil.rpcUrl,
      subgraphDir: chain.subgraphDir,
      dbPath: path.join(tmp, 'follow.db'),
      follow: true,
      pollIntervalMs: 20,
    });
    const run = indexer.run();
    try {
      await indexer.caughtUp;
      let expectedReverted = 0;
      for (let depth = 1; depth <= 20; depth++) {
        await waitSynced(indexer);
        const fork = Number(await client.getBlockNumber());
        const snapshot = await client.snapshot();
        await mineBranch(client, chain.deployment, `a${depth}`, depth);
        expect(await branchLogs(fork + 1)).toBeGreaterThan(depth); // the branch really has protocol events
        await waitSynced(indexer);
        const before = indexer.store.digest();

        await client.revert({ id: snapshot });
        // The replacing branch: shorter, as long, or longer than the one it replaces.
        const length = Math.max(1, depth + ((depth % 3) - 1));
        await mineBranch(client, chain.deployment, `b${depth}`, length);
        await waitSynced(indexer);
        expectedReverted += depth;

        const after = indexer.store.digest();
        expect(after).not.toBe(before);
        const clean = await cleanDigest(chain.anvil.rpcUrl, chain.subgraphDir);
        expect(after, `digest after a reorg of depth ${depth}`).toBe(clean.digest);
        expect(indexer.store.head()!.number).toBe(clean.summary.head!.number);
      }
      await indexer.stop();
      const summary = await run;
      expect(summary.error).toBeNull();
      expect(summary.reorgs).toBeGreaterThanOrEqual(20);
      expect(summary.revertedBlocks).toBeGreaterThanOrEqual(expectedReverted);
    } finally {
      await indexer.close();
    }
  }, 600_000);

  it('a restarted indexer finds the fork point of a reorg that happened while it was down', async () => {
    const dbPath = path.join(tmp, 'restart.db');
    const first = await Indexer.open({
      rpcUrl: chain.anvil.rpcUrl,
      subgraphDir: chain.subgraphDir,
      dbPath,
      follow: false,
    });
    const snapshot = await client.snapshot();
    await mineBranch(client, chain.deployment, 'restart-a', 7);
    const s1 = await first.run();
    expect(s1.error).toBeNull();
    await first.close();

    await client.revert({ id: snapshot });
    await mineBranch(client, chain.deployment, 'restart-b', 5); // shorter: the old head no longer exists

    const second = await Indexer.open({
      rpcUrl: chain.anvil.rpcUrl,
      subgraphDir: chain.subgraphDir,
      dbPath,
      follow: false,
    });
    try {
      const s2 = await second.run();
      expect(s2.reorgs).toBe(1);
      expect(s2.revertedBlocks).toBe(7);
      const clean = await cleanDigest(chain.anvil.rpcUrl, chain.subgraphDir);
      expect(s2.digest).toBe(clean.digest);
      expect(s2.head!.hash).toBe((await client.getBlock()).hash);
    } finally {
      await second.close();
    }
  });
});
