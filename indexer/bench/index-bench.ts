// Indexing benchmark (not a test): `npm run bench:index -w indexer [-- options]`.
//
// Generates a history of about 100,000 protocol events on a fresh anvil, then measures
//   (a) the floor: raw eth_getLogs over the range with the subgraph's topic set and
//       viem decodeEventLog of every log, in events/s;
//   (b) our indexer end to end on the same range (chain source, WASM handlers,
//       SQLite store file), in events/s;
// and prints both, the ratio b/a (target >= 0.5), the indexer's time split, the CPU time
// each side used by thread (bench/cpu-time.ts; Linux) and peak RSS.
//
// Options: --areas N --months N --groups N --consumers N --motions N --tick-hours N --seed N
// (history knobs, see contracts-abi HistoryOptions; the defaults are bench:generate's and give
// ~100k events in about two minutes), --db FILE (default: a temporary file), --memory (use
// ':memory:'), --chain-thread on|off|auto (the chain source on its own thread; auto: as
// the indexer decides), --rpc URL --network NAME (measure a chain that already has a history, e.g. one
// made by `npm run devnet -w contracts-abi -- --network bench --prune-history ...`, whose
// deployment is deployments/NAME.json; skips generation). For a CPU profile run it as
// `node --cpu-prof --import tsx bench/index-bench.ts ...`.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  deployProtocol,
  generateHistory,
  readDeployment,
  startAnvil,
  type Deployment,
} from '@ggn/contracts-abi';
import { Indexer } from '../src/indexer.js';
import { RpcClient } from '../src/chain/rpc.js';
import { floor } from './floor.js';
import { cpuMeter, describeCpu } from './cpu-time.js';
import { SubgraphRunner } from '../src/indexing/runner.js';
import { subgraphFor } from '../test/e2e/fixture.js';

const { values: args } = parseArgs({
  options: {
    areas: { type: 'string', default: '10' },
    months: { type: 'string', default: '12' },
    groups: { type: 'string', default: '4' },
    consumers: { type: 'string', default: '250' },
    motions: { type: 'string', default: '55' },
    'tick-hours': { type: 'string', default: '24' },
    seed: { type: 'string', default: '7' },
    rpc: { type: 'string' },
    network: { type: 'string', default: 'bench' },
    db: { type: 'string' },
    memory: { type: 'boolean', default: false },
    /** on | off | auto (default: the indexer's own choice, on with more than two cores). */
    'chain-thread': { type: 'string', default: 'auto' },
  },
});

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mib = (kb: number) => `${(kb / 1024).toFixed(0)} MiB`;

/** The chain to measure: an existing one (--rpc) or a fresh anvil with a generated history. */
async function chain(): Promise<{
  rpcUrl: string;
  deployment: Deployment;
  to: number;
  stop: () => Promise<void>;
}> {
  if (args.rpc) {
    const deployment = readDeployment(args.network!);
    const head = await new RpcClient({ url: args.rpc }).request('eth_blockNumber', [], (x) => Number(x));
    console.log(
      `measuring the existing chain ${args.rpc} (deployments/${args.network}.json) up to block ${head}`,
    );
    return { rpcUrl: args.rpc, deployment, to: head, stop: async () => {} };
  }
  const history = {
    areas: Number(args.areas),
    months: Number(args.months),
    groups: Number(args.groups),
    consumers: Number(args.consumers),
    motionsPerMonth: Number(args.motions),
    tickHours: Number(args['tick-hours']),
    seed: Number(args.seed),
  };
  // No historical states: the indexer needs blocks and logs, not eth_call at past blocks.
  const anvil = await startAnvil({ pruneHistory: true });
  const onSignal = () => {
    void anvil.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  console.log(`generating history ${JSON.stringify(history)} on ${anvil.rpcUrl} ...`);
  const deployment = await deployProtocol(anvil.rpcUrl);
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
  return { rpcUrl: anvil.rpcUrl, deployment, to: h.toBlock, stop: () => anvil.stop() };
}

async function main(): Promise<void> {
  const c = await chain();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'ggn-bench-'));
  try {
    const { rpcUrl, deployment, to } = c;
    const subgraphDir = subgraphFor(deployment);
    const from = deployment.startBlock;

    const runner = await SubgraphRunner.load(subgraphDir);
    const topics = runner.logTopics();
    const floorCpu = cpuMeter(rpcUrl);
    const a = await floor(rpcUrl, topics, from, to);
    const floorRate = (a.events * 1000) / a.ms;
    console.log(
      `(a) floor: eth_getLogs + decodeEventLog: ${fmt(a.events)} events in ${(a.ms / 1000).toFixed(2)}s = ${fmt(floorRate)} events/s`,
    );
    if (floorCpu) console.log(`    CPU: ${describeCpu(floorCpu(), a.ms)}`);

    const dbPath = args.memory ? ':memory:' : (args.db ?? path.join(tmp, 'bench.db'));
    let lastProgress = 0;
    const indexerCpu = cpuMeter(rpcUrl);
    const started = performance.now();
    const indexer = await Indexer.open({
      rpcUrl,
      subgraphDir,
      dbPath,
      follow: false,
      untilBlock: to,
      chainThread: args['chain-thread'] === 'auto' ? undefined : args['chain-thread'] === 'on',
      onProgress: (p) => {
        if (Date.now() - lastProgress < 5_000) return;
        lastProgress = Date.now();
        console.log(`  block ${p.block}/${p.head}, ${fmt(p.events)} events, ${fmt(p.eventsPerSecond)} ev/s`);
      },
    });
    // Timed until caught up (the last block committed, flushed, query indexes built); the
    // summary's store digest, a verification, is computed afterwards and not counted.
    const running = indexer.run();
    await indexer.caughtUp;
    const ms = performance.now() - started;
    const cpu = indexerCpu?.();
    const s = await running;
    await indexer.close();
    if (s.error) throw new Error(`indexing failed: ${s.error.message}`);
    const rate = (s.events * 1000) / ms;
    console.log(
      `(b) indexer end to end: ${fmt(s.events)} events, ${fmt(s.handlerCalls)} handler calls, ${fmt(s.entitiesWritten)} entity writes in ${(ms / 1000).toFixed(2)}s = ${fmt(rate)} events/s`,
    );
    console.log(
      `    time split: waiting for chain ${(s.timings.fetchWaitMs / 1000).toFixed(2)}s, handlers ${(s.timings.handlersMs / 1000).toFixed(2)}s, store commits ${(s.timings.commitMs / 1000).toFixed(2)}s, final flush + query indexes ${(s.timings.indexesMs / 1000).toFixed(2)}s`,
    );
    if (cpu) console.log(`    CPU: ${describeCpu(cpu, ms)}`);
    console.log(`ratio b/a: ${(rate / floorRate).toFixed(3)} (target >= 0.5)`);
    console.log(`peak RSS: ${mib(process.resourceUsage().maxRSS)}`);
    console.log(`digest: ${s.digest}`);
  } finally {
    await c.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
