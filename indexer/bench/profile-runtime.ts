// Where indexing time goes (not a test): `npx tsx bench/profile-runtime.ts [--history small|default] [--runs N]`.
//
// On a fresh devnet with the seeded history it measures, separately:
//   1. the whole indexer (chain source + runner + SQLite ':memory:' store), events/s and its own
//      time split (waiting for the chain / handlers / commits);
//   2. the chain source alone: every block of the range fetched into memory;
//   3. the runner alone on those pre-fetched blocks, over an in-memory reader (no RPC, no SQLite),
//      with an in-process CPU profile grouped by layer (WASM, host imports, heap codec, trigger
//      writing, ABI decoding, entity cache, GC...) and the hottest functions;
//   0. the benchmark's floor (eth_getLogs + viem decodeEventLog), the reference of issue #4;
//   4. the runner over a real SqliteStore (reads from SQLite, commitBlock per block, no RPC),
//      in memory, then on a file with per-block commits and with group commit;
//   5. micro-costs: instantiating a module, decoding one event's params, writing one event.
// Options: --history small|default, --runs N, --no-profile, --runner-only (phases 2, 3 and 5),
// --alloc-profile (what the runner alone allocates, by function), --save-profile FILE (phase 3's
// CPU profile, for Chrome DevTools).
// Each phase reports events/s over the events (logs matching the subgraph's topics) it handled.
import { Session } from 'node:inspector/promises';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readDeployment, startDevnet } from '@ggn/contracts-abi';
import { Indexer } from '../src/indexer.js';
import { RpcClient } from '../src/chain/rpc.js';
import { ChainSource, blockPtr } from '../src/chain/source.js';
import type { BlockPtr, BlockWithTriggers } from '../src/chain/types.js';
import { SubgraphRunner } from '../src/indexing/runner.js';
import { MemoryStore } from '../src/testkit/memory-store.js';
import { SqliteStore } from '../src/store/sqlite-store.js';
import { parseSchema } from '../src/schema/model.js';
import { decodeEventParams } from '../src/runtime/ethereum/decode.js';
import { writeEvent } from '../src/runtime/ethereum/triggers.js';
import { MappingModule } from '../src/runtime/module.js';
import { schemaPath } from '../src/sync/deployment.js';
import { subgraphFor } from '../test/e2e/fixture.js';
import { floor } from './floor.js';

const { values: args } = parseArgs({
  options: {
    history: { type: 'string', default: 'default' },
    runs: { type: 'string', default: '3' },
    'no-profile': { type: 'boolean', default: false },
    /** Only the chain source and the runner alone (phases 2, 3, 5). */
    'runner-only': { type: 'boolean', default: false },
    /** Also sample what the runner alone allocates (garbage included), by allocating function. */
    'alloc-profile': { type: 'boolean', default: false },
    /** Also write the runner's CPU profile (phase 3) to this .cpuprofile file (Chrome DevTools). */
    'save-profile': { type: 'string' },
    /** Profile a chain that already has a history (deployments/NETWORK.json) instead of a fresh devnet. */
    rpc: { type: 'string' },
    network: { type: 'string', default: 'bench' },
  },
});

const fmt = (n: number, d = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const rate = (events: number, ms: number) => `${fmt((events * 1000) / ms)} events/s`;
const line = (label: string, text: string) => console.log(`${label.padEnd(34)} ${text}`);
const countEvents = (blocks: BlockWithTriggers[]) => blocks.reduce((n, b) => n + b.logs.length, 0);

/** Every block of from..to through the chain source, as the indexer receives them. */
async function fetchAll(rpcUrl: string, runner: SubgraphRunner, from: number, to: number) {
  const rpc = new RpcClient({ url: rpcUrl });
  const source = new ChainSource(rpc, { topics: runner.logTopics(), receipts: runner.needsReceipts });
  const blocks: BlockWithTriggers[] = [];
  let parent: BlockPtr | null = null;
  const started = performance.now();
  for (let n = from; n <= to;) {
    const r = await source.next(n, to, parent);
    if (r.kind !== 'blocks') throw new Error('unexpected reorg on a quiet devnet');
    blocks.push(...r.blocks);
    const last = r.blocks.at(-1)!.block;
    parent = blockPtr(last);
    n = last.number + 1;
  }
  return {
    blocks,
    ms: performance.now() - started,
    requests: rpc.stats.requests,
    getLogs: source.stats.getLogs,
  };
}

/** The runner over pre-fetched blocks with an in-memory committed state. */
async function runInMemory(subgraphDir: string, blocks: BlockWithTriggers[]) {
  const runner = await SubgraphRunner.load(subgraphDir);
  const store = new MemoryStore();
  let handlerCalls = 0;
  let ops = 0;
  const started = performance.now();
  for (const b of blocks) {
    if (b.logs.length === 0 && !runner.hasBlockHandlers) continue; // as the indexer skips them
    const r = await runner.processBlock(b, store);
    if (r.error) throw new Error(`handler failed at ${b.block.number}: ${r.error.message}`);
    store.apply(r.ops);
    handlerCalls += r.handlerCalls;
    ops += r.ops.length;
  }
  return {
    ms: performance.now() - started,
    handlerCalls,
    ops,
    store,
    // A runner from before instance reuse has no instanceStats: one new instance per handler call.
    instances: runner.instanceStats?.() ?? { freshInstances: handlerCalls, reusedInstances: 0 },
  };
}

/** The runner over a real SQLite store: reads through SQLite, one commitBlock per block, no RPC. */
async function runSqlite(
  subgraphDir: string,
  blocks: BlockWithTriggers[],
  opts: { file?: boolean; groupCommitMs?: number } = {},
) {
  const runner = await SubgraphRunner.load(subgraphDir);
  const schema = parseSchema(readFileSync(schemaPath(subgraphDir), 'utf8'));
  const tmp = opts.file ? mkdtempSync(path.join(os.tmpdir(), 'ggn-profile-')) : null;
  const store = SqliteStore.open(tmp ? path.join(tmp, 'store.db') : ':memory:', schema, {
    deployment: 'profile',
    groupCommitMs: opts.groupCommitMs,
  });
  let handlersMs = 0;
  let commitMs = 0;
  const started = performance.now();
  const last = blocks.at(-1);
  for (const b of blocks) {
    if (b.logs.length === 0 && !runner.hasBlockHandlers) {
      if (b === last) store.commitBlock(blockPtr(b.block), [], []);
      continue;
    }
    const t0 = performance.now();
    const r = await runner.processBlock(b, store);
    const t1 = performance.now();
    store.commitBlock(blockPtr(b.block), r.ops, r.dataSources, r.error);
    commitMs += performance.now() - t1;
    handlersMs += t1 - t0;
  }
  const t = performance.now();
  store.flush(); // a pending group commit is part of the cost
  commitMs += performance.now() - t;
  const ms = performance.now() - started;
  const digest = store.digest();
  store.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  return { ms, handlersMs, commitMs, digest };
}

// ------------------------------------------------------------------ CPU profile summary
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const LAYERS: Array<[string, (url: string, fn: string) => boolean]> = [
  ['GC', (_u, f) => f === '(garbage collector)'],
  ['idle/program', (_u, f) => f === '(idle)' || f === '(program)' || f === '(root)'],
  ['mapping WASM code', (u) => u.startsWith('wasm://')],
  ['runtime/asc (heap codec)', (u) => u.includes('/runtime/asc/')],
  ['runtime/host (host imports)', (u) => u.includes('/runtime/host/')],
  ['runtime/ethereum (triggers, decode)', (u) => u.includes('/runtime/ethereum/')],
  ['runtime/numbers', (u) => u.includes('/runtime/numbers/')],
  ['runtime/module (instantiate)', (u) => u.includes('/runtime/module')],
  ['indexing (runner, caches)', (u) => u.includes('/src/indexing/')],
  ['schema/values', (u) => u.includes('/src/schema/')],
  ['store (SQLite layer)', (u) => u.includes('/src/store/') || u.includes('better-sqlite3')],
  ['testkit memory store', (u) => u.includes('/src/testkit/')],
  ['chain source', (u) => u.includes('/src/chain/')],
  ['viem / ox (ABI, hex)', (u) => /node_modules\/(viem|ox|abitype|@noble)/.test(u)],
  ['node internals', (u) => u.startsWith('node:') || u === ''],
];

function summarize(p: Profile, top = 25): void {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const layers = new Map<string, number>();
  const fns = new Map<string, number>();
  for (const [id, us] of self) {
    const { url, functionName, lineNumber } = byId.get(id)!.callFrame;
    const layer = LAYERS.find(([, m]) => m(url, functionName))?.[0] ?? 'other';
    layers.set(layer, (layers.get(layer) ?? 0) + us);
    const where = url.startsWith('wasm://') ? 'wasm' : url.replace(/^.*\/(src|node_modules)\//, '$1/');
    const key = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
  }
  console.log(`  CPU self time by layer (of ${fmt(total / 1000)} ms sampled):`);
  for (const [k, us] of [...layers].sort((a, b) => b[1] - a[1]))
    console.log(
      `    ${k.padEnd(38)} ${fmt(us / 1000).padStart(7)} ms  ${fmt((100 * us) / total, 1).padStart(5)} %`,
    );
  console.log(`  hottest functions (self time):`);
  for (const [k, us] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`    ${fmt(us / 1000).padStart(7)} ms  ${fmt((100 * us) / total, 1).padStart(5)} %  ${k}`);
}

async function profiled<T>(fn: () => Promise<T>): Promise<{ value: T; profile: Profile }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  try {
    const value = await fn();
    const { profile } = await session.post('Profiler.stop');
    if (args['save-profile']) writeFileSync(args['save-profile'], JSON.stringify(profile));
    return { value, profile: profile as unknown as Profile };
  } finally {
    session.disconnect();
  }
}

/**
 * Bytes allocated by function while `fn` runs, from V8's sampling heap profiler with the
 * objects later collected by minor and major GCs included (the garbage is what costs GC time).
 */
async function allocationProfile(fn: () => Promise<unknown>, top = 25): Promise<void> {
  interface HeapNode {
    callFrame: { functionName: string; url: string; lineNumber: number };
    selfSize: number;
    children: HeapNode[];
  }
  const session = new Session();
  session.connect();
  try {
    await session.post('HeapProfiler.enable');
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: 4096,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    } as never);
    await fn();
    const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as {
      profile: { head: HeapNode };
    };
    const bySite = new Map<string, number>();
    let total = 0;
    const name = (n: HeapNode) => {
      const { url, functionName, lineNumber } = n.callFrame;
      const where = url.replace(/^.*\/(src|node_modules)\//, '$1/');
      return `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
    };
    // Builtins (Map.prototype.set, iterators' next...) are named with their caller.
    const walk = (n: HeapNode, parent: string) => {
      const own = name(n);
      const key = n.callFrame.url === '' ? `${own} < ${parent}` : own;
      bySite.set(key, (bySite.get(key) ?? 0) + n.selfSize);
      total += n.selfSize;
      for (const c of n.children) walk(c, own);
    };
    walk(profile.head, '');
    console.log(`  allocated (sampled, garbage included): ${fmt(total / 2 ** 20)} MiB, by function:`);
    for (const [k, b] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, top))
      console.log(
        `    ${fmt(b / 2 ** 20, 1).padStart(8)} MiB  ${fmt((100 * b) / total, 1).padStart(5)} %  ${k}`,
      );
  } finally {
    session.disconnect();
  }
}

// ------------------------------------------------------------------ micro-costs
async function microCosts(subgraphDir: string, blocks: BlockWithTriggers[]) {
  const runner = await SubgraphRunner.load(subgraphDir);
  const tpl = runner.manifest.templates.find((t) => t.name === 'AreaDAO') ?? runner.manifest.templates[0]!;
  const module = await MappingModule.compile(readFileSync(tpl.wasmFile), tpl.wasmFile, tpl.apiVersion);
  const env = {
    apiVersion: module.apiVersion,
    schema: runner.schema,
    store: new MemoryStore() as never,
    calls: {} as never,
    dataSource: {
      name: 'x',
      address: new Uint8Array(20),
      network: 'devnet',
      context: null,
      abis: new Map(),
      templates: [],
    },
    block: { number: 1, hash: '0x00' as const, timestamp: 0n },
    createDataSource: () => undefined,
    log: () => undefined,
  };
  const time = (n: number, f: () => void) => {
    for (let i = 0; i < Math.min(50, n); i++) f(); // warm up
    const t = performance.now();
    for (let i = 0; i < n; i++) f();
    return ((performance.now() - t) * 1000) / n; // µs per call
  };
  line(
    '  instantiate + _start',
    `${fmt(
      time(2000, () => module.instantiate(env)),
      1,
    )} µs`,
  );
  // Event decoding and writing over the history's own logs with their handler's ABI.
  const handlers = [...runner.manifest.dataSources, ...runner.manifest.templates].flatMap(
    (d) => d.eventHandlers,
  );
  const byTopic = new Map(handlers.map((h) => [h.topic0, h]));
  const samples = blocks
    .flatMap((b) =>
      b.logs.map((log) => ({ b, log, h: byTopic.get(log.topics[0]!.toLowerCase() as `0x${string}`) })),
    )
    .filter((s) => s.h);
  let k = 0;
  const next = () => samples[k++ % samples.length]!;
  line(
    '  decodeEventParams (viem)',
    `${fmt(
      time(20000, () => {
        const s = next();
        decodeEventParams(s.h!.abiEvent, s.log);
      }),
      1,
    )} µs`,
  );
  const { env: full } = module.instantiate(env);
  const decoded = samples
    .slice(0, 500)
    .map((s) => ({ ...s, params: decodeEventParams(s.h!.abiEvent, s.log) }));
  let j = 0;
  line(
    '  writeEvent into the heap',
    `${fmt(
      time(5000, () => {
        const s = decoded[j++ % decoded.length]!;
        const transaction = s.b.transactions.get(s.log.transactionHash)!;
        writeEvent(
          full.heap,
          { log: s.log, block: s.b.block, transaction, params: s.params, receipt: null },
          module.apiVersion,
        );
      }),
      1,
    )} µs`,
  );
}

// ------------------------------------------------------------------ main
async function main(): Promise<void> {
  const history = args.history === 'small' ? { areas: 1, months: 2 } : {};
  let devnet: { rpcUrl: string; deployment: ReturnType<typeof readDeployment>; stop: () => Promise<void> };
  let to: number;
  if (args.rpc) {
    devnet = { rpcUrl: args.rpc, deployment: readDeployment(args.network!), stop: async () => {} };
    to = await new RpcClient({ url: args.rpc }).request('eth_blockNumber', [], (x) => Number(x));
    console.log(`existing chain ${args.rpc} (deployments/${args.network}.json)`);
  } else {
    console.log(`starting devnet (${args.history} history) ...`);
    const d = await startDevnet({ history });
    devnet = d;
    to = d.summary!.toBlock;
  }
  try {
    const subgraphDir = subgraphFor(devnet.deployment);
    const from = devnet.deployment.startBlock;
    console.log(`history: blocks ${from}..${to}`);
    const runs = Math.max(1, Number(args.runs));
    const topics = (await SubgraphRunner.load(subgraphDir)).logTopics();
    console.log("\n0. floor (eth_getLogs + viem decodeEventLog), the benchmark's reference");
    for (let i = 0; i < runs; i++) {
      const f = await floor(devnet.rpcUrl, topics, from, to);
      line(`  run ${i + 1}`, `${fmt(f.events)} events in ${fmt(f.ms)} ms = ${rate(f.events, f.ms)}`);
    }

    if (!args['runner-only']) console.log('\n1. whole indexer (chain source + runner + SQLite :memory:)');
    for (let i = 0; i < (args['runner-only'] ? 0 : runs); i++) {
      const started = performance.now();
      const indexer = await Indexer.open({
        rpcUrl: devnet.rpcUrl,
        subgraphDir,
        dbPath: ':memory:',
        follow: false,
        untilBlock: to,
      });
      const s = await indexer.run();
      const ms = performance.now() - started;
      await indexer.close();
      if (s.error) throw new Error(`indexing failed: ${s.error.message}`);
      const t = s.timings;
      line(
        `  run ${i + 1}`,
        `${fmt(s.events)} events, ${fmt(s.handlerCalls)} handler calls, ${fmt(s.entitiesWritten)} entity writes in ${fmt(ms)} ms = ${rate(s.events, ms)}`,
      );
      line(
        '',
        `fetch wait ${fmt(t.fetchWaitMs)} ms, handlers ${fmt(t.handlersMs)} ms, commits ${fmt(t.commitMs)} ms, ${s.rpcRequests} RPC requests`,
      );
    }

    console.log('\n2. chain source alone (every block into memory)');
    const probe = await SubgraphRunner.load(subgraphDir);
    const fetched = await fetchAll(devnet.rpcUrl, probe, from, to);
    const events = countEvents(fetched.blocks);
    line(
      '  fetch',
      `${fmt(fetched.blocks.length)} blocks, ${fmt(events)} events in ${fmt(fetched.ms)} ms = ${rate(events, fetched.ms)} (${fetched.requests} HTTP requests, ${fetched.getLogs} eth_getLogs)`,
    );

    console.log('\n3. runner alone on pre-fetched blocks (in-memory reader)');
    for (let i = 0; i < runs; i++) {
      const r = await runInMemory(subgraphDir, fetched.blocks);
      line(
        `  run ${i + 1}`,
        `${fmt(r.handlerCalls)} handler calls, ${fmt(r.ops)} ops in ${fmt(r.ms)} ms = ${rate(events, r.ms)}, ${fmt((r.ms * 1000) / r.handlerCalls)} µs/handler`,
      );
      if (i === 0)
        line(
          '',
          `WASM instances: ${fmt(r.instances.freshInstances)} new, ${fmt(r.instances.reusedInstances)} reused`,
        );
    }
    if (!args['no-profile']) {
      const { value: r, profile } = await profiled(() => runInMemory(subgraphDir, fetched.blocks));
      line('  profiled run', `${fmt(r.ms)} ms (sampling overhead included)`);
      summarize(profile);
    }
    if (args['alloc-profile']) await allocationProfile(() => runInMemory(subgraphDir, fetched.blocks));

    if (!args['runner-only']) console.log('\n4. runner + SqliteStore :memory: (no RPC)');
    for (let i = 0; i < (args['runner-only'] ? 0 : runs); i++) {
      const r = await runSqlite(subgraphDir, fetched.blocks);
      line(
        `  run ${i + 1}`,
        `${fmt(r.ms)} ms = ${rate(events, r.ms)}: handlers (incl. store reads) ${fmt(r.handlersMs)} ms, commitBlock ${fmt(r.commitMs)} ms`,
      );
      if (i === 0) line('', `digest ${r.digest}`);
    }
    if (!args['no-profile'] && !args['runner-only']) {
      const { value: r, profile } = await profiled(() => runSqlite(subgraphDir, fetched.blocks));
      line('  profiled run', `${fmt(r.ms)} ms (sampling overhead included)`);
      summarize(profile, 15);
    }

    if (!args['runner-only']) {
      console.log('\n4b. runner + SqliteStore on a file (as bench:index), per-block commits vs group commit');
      for (const groupCommitMs of [0, 1000]) {
        const r = await runSqlite(subgraphDir, fetched.blocks, { file: true, groupCommitMs });
        line(
          `  groupCommitMs ${groupCommitMs}`,
          `${fmt(r.ms)} ms = ${rate(events, r.ms)}: handlers ${fmt(r.handlersMs)} ms, commits ${fmt(r.commitMs)} ms`,
        );
      }
    }

    console.log('\n5. micro-costs');
    await microCosts(subgraphDir, fetched.blocks);
    console.log(`\nsubgraph: ${path.relative(process.cwd(), subgraphDir) || '.'}`);
  } finally {
    await devnet.stop();
  }
}

await main();
