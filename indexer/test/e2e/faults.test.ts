// Acceptance: RPC faults. The indexer reads the devnet through a loopback proxy
// that drops connections, stalls past the client timeout, answers 500, truncates
// or garbles the JSON, turns answers into JSON-RPC errors or wrong shapes, and
// refuses wide eth_getLogs ranges; the store must end with a clean run's digest.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanDigest, indexChain, startDevChain, type DevChain } from './fixture.js';
import { startFaultProxy, type FaultKind } from './fault-proxy.js';

let chain: DevChain;

beforeAll(async () => {
  chain = await startDevChain({ areas: 2, months: 6 });
});

afterAll(async () => {
  await chain?.anvil.stop();
});

describe('RPC faults', () => {
  it('gives the digest of a clean run through a proxy that fails a quarter of the requests', async () => {
    const clean = await cleanDigest(chain.anvil.rpcUrl, chain.subgraphDir);
    const proxy = await startFaultProxy({
      upstream: chain.anvil.rpcUrl,
      rate: 0.25,
      delayMs: 1_200,
      maxLogRange: 40,
      seed: 42,
    });
    const notices: string[] = [];
    try {
      const { indexer, summary } = await indexChain(proxy.url, chain.subgraphDir, {
        rpc: { timeoutMs: 400, backoffInitialMs: 10, backoffMaxMs: 200, maxAttempts: 200 },
        // Small ranges and batches: more requests, so more faults per run.
        source: { initialRange: 5, maxRange: 60, headerBatch: 10 },
        onNotice: (m) => notices.push(m),
      });
      await indexer.close();
      expect(summary.error).toBeNull();
      expect(summary.head!.number).toBe(clean.summary.head!.number);
      expect(summary.events).toBe(clean.summary.events);
      expect(summary.digest).toBe(clean.digest);

      // The faults really happened, of every kind, and were retried.
      const kinds = Object.keys(proxy.stats.faults) as FaultKind[];
      for (const k of kinds) expect(proxy.stats.faults[k], `fault ${k}`).toBeGreaterThan(0);
      expect(proxy.stats.limitRefusals).toBeGreaterThan(0);
      expect(summary.rpcRetries).toBeGreaterThan(10);
      expect(notices.some((n) => n.includes('retrying'))).toBe(true);
    } finally {
      await proxy.close();
    }
  });
});
