// Indexing benchmark (not a test): `npm run bench:index -w indexer [-- options]`.
//
// Generates a history of about 100,000 protocol events on a fresh anvil, then measures
//   (a) the floor: raw eth_getLogs over the range with the subgraph's topic set and
//       viem decodeEventLog of every log, in events/s;
//   (b) our indexer end to end on the same range (chain source, WASM handlers,
//       SQLite store file), in events/s;
// and prints both, the ratio b/a (target >= 0.5), the indexer's time split and peak RSS.
//
// Options: --areas N --months N --groups N --consumers N --motions N (history knobs,
// see contracts-abi HistoryOptions; defaults aim at ~100k events), --db FILE (default:
// a temporary file), --memory (use ':memory:').
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { decodeEventLog, type Hex } from 'viem';
import { allEventsAbi, deployProtocol, generateHistory, startAnvil } from '@ggn/contracts-abi';
import { Indexer } from '../src/indexer.js';
import { RpcClient } from '../src/chain/rpc.js';
import { parseLogs, toQuantity } from '../src/chain/format.js';
import { SubgraphRunner } from '../src/indexing/runner.js';
import { subgraphFor } from '../test/e2e/fixture.js';

const { values: args } = parseArgs({
  options: {
    areas: { type: 'string', default: '19' },
    months: { type: 'string', default: '36' },
    groups: { type: 'string', default: '4' },
    consumers: { type: 'string', default: '60' },
    motions: { type: 'string', default: '8' },
    db: { type: 'string' },
    memory: { type: 'boolean', default: false },
  },
});

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mib = (kb: number) => `${(kb / 1024).toFixed(0)} MiB`;

async function floor(
  rpcUrl: string,
  topics: Hex[],
  from: number,
  to: number,
): Promise<{ events: number; ms: number }> {
  const rpc = new RpcClient({ url: rpcUrl });
  const started = performance.now();
  let events = 0;
  const step = 2_000; // blocks per eth_getLogs, as the indexer's maximum range
  for (let a = from; a <= to; a += step) {
    const b = Math.min(to, a + step - 1);
    const logs = await rpc.request(
      'eth_getLogs',
      [{ fromBlock: toQuantity(a), toBlock: toQuantity(b), topics: [topics] }],
      parseLogs,
    );
    for (const log of logs) {
      decodeEventLog({
        abi: allEventsAbi,
        data: log.data,
        topics: log.topics as [Hex, ...Hex[]],
        strict: false,
      });
      events++;
    }
  }
  return { events, ms: performance.now() - started };
}

async function main(): Promise<void> {
  const history = {
    areas: Number(args.areas),
    months: Number(args.months),
    groups: Number(args.groups),
    consumers: Number(args.consumers),
    motionsPerMonth: Number(args.motions),
  };
  // No historical states: the indexer needs blocks and logs, not eth_call at past blocks.
  const anvil = await startAnvil({ pruneHistory: true });
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'ggn-bench-'));
  const onSignal = () => {
    void anvil.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    console.log(`generating history ${JSON.stringify(history)} on ${anvil.rpcUrl} ...`);
    const deployment = await deployProtocol(anvil.rpcUrl);
    const subgraphDir = subgraphFor(deployment);
    let lastPrint = 0;
    const h = await generateHistory(anvil.rpcUrl, deployment, {
      ...history,
      onProgress: (p) => {
        if (Date.now() - lastPrint < 5_000) return;
        lastPrint = Date.now();
        console.log(`  ${fmt(p.events)} events, ${fmt(p.blocks)} blocks, ${fmt(p.eventsPerSecond)} ev/s`);
      },
    });
    console.log(
      `history: ${fmt(h.totalEvents)} events in ${fmt(h.blocks)} blocks (${h.fromBlock}..${h.toBlock}), generated in ${(h.elapsedMs / 1000).toFixed(1)}s`,
    );
    const from = deployment.startBlock;
    const to = h.toBlock;

    const runner = await SubgraphRunner.load(subgraphDir);
    const topics = runner.logTopics();
    const a = await floor(anvil.rpcUrl, topics, from, to);
    const floorRate = (a.events * 1000) / a.ms;
    console.log(
      `(a) floor: eth_getLogs + decodeEventLog: ${fmt(a.events)} events in ${(a.ms / 1000).toFixed(2)}s = ${fmt(floorRate)} events/s`,
    );

    const dbPath = args.memory ? ':memory:' : (args.db ?? path.join(tmp, 'bench.db'));
    let lastProgress = 0;
    const started = performance.now();
    const indexer = await Indexer.open({
      rpcUrl: anvil.rpcUrl,
      subgraphDir,
      dbPath,
      follow: false,
      untilBlock: to,
      onProgress: (p) => {
        if (Date.now() - lastProgress < 5_000) return;
        lastProgress = Date.now();
        console.log(`  block ${p.block}/${p.head}, ${fmt(p.events)} events, ${fmt(p.eventsPerSecond)} ev/s`);
      },
    });
    const s = await indexer.run();
    const ms = performance.now() - started;
    await indexer.close();
    if (s.error) throw new Error(`indexing failed: ${s.error.message}`);
    const rate = (s.events * 1000) / ms;
    console.log(
      `(b) indexer end to end: ${fmt(s.events)} events, ${fmt(s.handlerCalls)} handler calls, ${fmt(s.entitiesWritten)} entity writes in ${(ms / 1000).toFixed(2)}s = ${fmt(rate)} events/s`,
    );
    console.log(
      `    time split: waiting for chain ${(s.timings.fetchWaitMs / 1000).toFixed(2)}s, handlers ${(s.timings.handlersMs / 1000).toFixed(2)}s, store commits ${(s.timings.commitMs / 1000).toFixed(2)}s`,
    );
    console.log(`ratio b/a: ${(rate / floorRate).toFixed(3)} (target >= 0.5)`);
    console.log(`peak RSS: ${mib(process.resourceUsage().maxRSS)}`);
    console.log(`digest: ${s.digest}`);
  } finally {
    await anvil.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
