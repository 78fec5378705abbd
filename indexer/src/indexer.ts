// The indexing loop: chain source -> subgraph runner -> store, one block at a time.
//
//  - Resumes from the store's head + 1 (or the manifest's start block / fromBlock
//    for an empty store), restoring the template data sources created so far.
//  - Each block is committed in one store transaction (entity changes, new data
//    sources, head pointer), so a killed process restarts at a block boundary.
//    Blocks without triggers are not run through the runner; the last block of
//    every fetched range is committed so the head advances over empty stretches.
//  - Reorgs: the chain source reports a range whose first block does not follow
//    the block before it; when caught up, the head block is re-checked on every
//    poll (a same-height or shorter branch). Either way the common ancestor is
//    found among the committed pointers, the store reverts to it, the runner's
//    data sources are reloaded, and indexing continues on the new branch.
//  - A deterministic handler error is recorded (store.fail) and indexing stops at
//    that block, as graph-node does without the nonFatalErrors feature.
//  - RPC faults are retried inside the chain layer; nothing is skipped. If the
//    node stays broken past the retry budget, run() rejects and the store is left
//    at its last committed block.
// While fetching a range the next one is already being fetched, so RPC latency
// overlaps with handler execution.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { setImmediate } from 'node:timers/promises';
import { RpcCallProvider } from './chain/calls.js';
import { AbortedError, RpcClient, sleep, type RpcOptions } from './chain/rpc.js';
import {
  ChainSource,
  blockPtr,
  type BlockSource,
  type ChainSourceOptions,
  type RangeResult,
} from './chain/source.js';
import { ThreadedChainSource } from './chain/threaded-source.js';
import type { BlockPtr, BlockWithTriggers } from './chain/types.js';
import { parseSchema } from './schema/model.js';
import { SqliteStore, type WritableStore } from './store/sqlite-store.js';
import type { SubgraphErrorRecord } from './store/types.js';
import { SubgraphRunner, type BlockResult } from './indexing/runner.js';
import { NonDeterministicError } from './runtime/errors.js';
import { deploymentId, schemaPath } from './sync/deployment.js';
import { ProgressMeter, type Progress } from './sync/progress.js';
import { findCommonAncestor } from './sync/reorg.js';

export type { Progress } from './sync/progress.js';

export interface IndexerConfig {
  rpcUrl: string;
  /** The built subgraph: the directory holding subgraph.yaml (`graph build` output). */
  subgraphDir: string;
  /** SQLite file, or ':memory:'. */
  dbPath: string;
  /** First block for an empty store (default: the manifest's lowest startBlock). */
  fromBlock?: number;
  /** Stop after this block (default: the chain head, or forever with `follow`). */
  untilBlock?: number;
  /** Keep following the head after catching up, until stop(). */
  follow: boolean;
  /** How often to poll eth_blockNumber when caught up (default 1000 ms). */
  pollIntervalMs?: number;
  onProgress?: (p: Progress) => void;
  /** Retries, reorgs and other things an operator wants to know about. */
  onNotice?: (message: string) => void;
  /** RPC tuning (timeouts, retry budget); the URL comes from rpcUrl. */
  rpc?: Omit<RpcOptions, 'url' | 'signal'>;
  /** Range tuning for eth_getLogs and header batches. */
  source?: Omit<ChainSourceOptions, 'topics' | 'signal' | 'receipts'>;
  /**
   * Fetch and parse the chain on a worker thread (chain/threaded-source.ts). Default: for an
   * HTTP RPC on a machine with more than two cores. On two, the handlers, the store's writer
   * thread and the node itself already use both: measured no faster, ~250 MiB more memory.
   */
  chainThread?: boolean;
}

export interface IndexingSummary {
  head: BlockPtr | null;
  blocks: number;
  events: number;
  handlerCalls: number;
  entitiesWritten: number;
  reorgs: number;
  revertedBlocks: number;
  elapsedMs: number;
  /** The handler error indexing stopped on, if any. */
  error: SubgraphErrorRecord | null;
  /** Store digest at the head (see store/digest.ts). */
  digest: string;
  deployment: string;
  rpcRequests: number;
  rpcRetries: number;
  /** Milliseconds: where the time went: waiting for the chain, running handlers, committing blocks, and (once) flushing and building the query indexes when first caught up. */
  timings: { fetchWaitMs: number; handlersMs: number; commitMs: number; indexesMs: number };
}

/** How long committed blocks may wait to share one SQLite transaction while catching up. */
const GROUP_COMMIT_MS = 250;
/** How long block processing runs before it lets the event loop read the prefetch's answers. */
const YIELD_EVERY_MS = 10;

export class Indexer {
  private readonly meter = new ProgressMeter();
  private stopping = false;
  private running: Promise<IndexingSummary> | null = null;
  private resolveCaughtUp!: () => void;
  private rejectCaughtUp!: (e: unknown) => void;
  /** Resolves the first time indexing reaches untilBlock or the chain head; rejects if the run ends before. */
  readonly caughtUp: Promise<void>;
  private readonly totals = {
    blocks: 0,
    events: 0,
    handlerCalls: 0,
    entitiesWritten: 0,
    reorgs: 0,
    revertedBlocks: 0,
  };
  /** Where the time went (ms): waiting for the chain, running handlers, committing to the store. */
  private readonly timings = { fetchWaitMs: 0, handlersMs: 0, commitMs: 0, indexesMs: 0 };
  private error: SubgraphErrorRecord | null = null;
  private chainHead = 0;

  private constructor(
    readonly config: IndexerConfig,
    readonly store: WritableStore,
    private readonly runner: SubgraphRunner,
    private readonly source: BlockSource,
    private readonly rpc: RpcClient,
    private readonly calls: RpcCallProvider,
    readonly deployment: string,
    private readonly abort: AbortController,
  ) {
    this.caughtUp = new Promise((resolve, reject) => {
      this.resolveCaughtUp = resolve;
      this.rejectCaughtUp = reject;
    });
    this.caughtUp.catch(() => undefined); // nobody has to wait for it
  }

  /** Loads the subgraph, opens (or creates) the store and restores its data sources. */
  static async open(config: IndexerConfig): Promise<Indexer> {
    const deployment = deploymentId(config.subgraphDir);
    const schema = parseSchema(readFileSync(schemaPath(config.subgraphDir), 'utf8'));
    const abort = new AbortController();
    const rpcOptions: RpcOptions = {
      ...config.rpc,
      url: config.rpcUrl,
      signal: abort.signal,
      onRetry: (i) => {
        config.rpc?.onRetry?.(i);
        config.onNotice?.(
          `rpc ${i.method} failed (attempt ${i.attempt}), retrying: ${String((i.error as Error)?.message ?? i.error).split('\n')[0]}`,
        );
      },
    };
    const rpc = new RpcClient(rpcOptions);
    const calls = new RpcCallProvider(rpc);
    const runner = await SubgraphRunner.load(config.subgraphDir, { calls });
    // Blocks share a SQLite transaction for up to GROUP_COMMIT_MS (each block still atomic: a
    // failed one is undone alone, store/redo-log.ts; a crash resumes at a block boundary), and
    // per-field indexes, which only queries need, are built once the store first catches up
    // with the chain. A file is written by a writer thread, so commits cost this thread little
    // (store/writer-thread.ts).
    const store = SqliteStore.open(config.dbPath, schema, {
      deployment,
      groupCommitMs: GROUP_COMMIT_MS,
      deferIndexes: true,
      writerThread: true,
    });
    try {
      runner.restoreDataSources(store.dataSources());
      const sourceOptions: ChainSourceOptions = {
        ...config.source,
        topics: runner.logTopics(),
        receipts: runner.needsReceipts,
        signal: abort.signal,
      };
      // The worker's RPC counters are added to this thread's, for the summary; the signal ends it.
      const source =
        (config.chainThread ?? (availableParallelism() > 2 && /^https?:\/\//i.test(config.rpcUrl)))
          ? new ThreadedChainSource(rpcOptions, sourceOptions, { countInto: rpc.stats })
          : new ChainSource(rpc, sourceOptions);
      // One abort signal stops the loop and any RPC call in flight.
      return new Indexer(config, store, runner, source, rpc, calls, deployment, abort);
    } catch (e) {
      store.close();
      throw e;
    }
  }

  /** Runs until caught up (or, with `follow`, until stop()). Idempotent: returns the same promise. */
  run(): Promise<IndexingSummary> {
    this.running ??= this.loop().then(
      () => {
        this.rejectCaughtUp(new AbortedError()); // no-op if it already resolved
        return this.summary();
      },
      (e) => {
        this.rejectCaughtUp(e);
        if (this.stopping && e instanceof AbortedError) return this.summary();
        throw e;
      },
    );
    return this.running;
  }

  /** Stops after the block being committed; resolves once the loop has ended. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.abort.abort();
    await this.running?.catch(() => undefined);
  }

  /** Stops (if running) and closes the store. */
  async close(): Promise<void> {
    await this.stop();
    this.store.close();
  }

  private get startBlock(): number {
    return Math.max(0, this.config.fromBlock ?? this.runner.startBlock);
  }

  private async loop(): Promise<void> {
    const poll = this.config.pollIntervalMs ?? 1_000;
    const until = this.config.untilBlock;
    while (!this.stopping) {
      const head = this.store.head();
      const from = head ? head.number + 1 : this.startBlock;
      this.chainHead = await this.source.headNumber();
      const target = until !== undefined ? Math.min(until, this.chainHead) : this.chainHead;

      if (from > target) {
        // Nothing new. A reorg may still have replaced or shortened what we have.
        if (head && (await this.headReorged(head))) continue;
        // Caught up: make everything visible to readers and give queries their indexes.
        const finishing = performance.now();
        this.store.flush();
        if (!this.store.hasAllIndexes()) {
          // Seconds on a large store (~21 s at a million events): say why nothing moves.
          this.config.onNotice?.(`at block ${head?.number ?? '-'}: building the query indexes…`);
          this.store.ensureIndexes();
        }
        this.timings.indexesMs += performance.now() - finishing;
        this.emitProgress(true);
        this.resolveCaughtUp();
        if (!this.config.follow || (until !== undefined && head && head.number >= until)) return;
        await sleep(poll, this.abort.signal);
        continue;
      }

      const outcome = await this.indexRange(from, target, head && head.number === from - 1 ? head : null);
      if (outcome === 'failed') {
        this.resolveCaughtUp();
        return;
      }
      if (outcome === 'reorg' && !(await this.handleReorg())) {
        // The node's answers disagree but our blocks are all still canonical (a node
        // mid-reorg, or a load balancer between nodes): give it a moment.
        await sleep(poll, this.abort.signal);
      }
    }
  }

  /** Fetches and commits from..target, prefetching the next range while committing one. */
  private async indexRange(
    from: number,
    target: number,
    parent: BlockPtr | null,
  ): Promise<'done' | 'reorg' | 'failed'> {
    let pending: Promise<RangeResult> | null = this.source.next(from, target, parent);
    while (pending && !this.stopping) {
      const waitStart = performance.now();
      const result: RangeResult = await pending;
      this.timings.fetchWaitMs += performance.now() - waitStart;
      pending = null;
      if (result.kind === 'reorg') return 'reorg';
      const last = result.blocks.at(-1)!;
      if (last.block.number < target) {
        pending = this.source.next(last.block.number + 1, target, blockPtr(last.block));
        pending.catch(() => undefined); // observed when awaited; avoid an unhandled rejection meanwhile
      }
      let yielded = performance.now();
      for (const b of result.blocks) {
        if (this.stopping) return 'done';
        if (!(await this.processBlock(b, b === last))) return 'failed';
        // Handlers never wait for I/O, so without this the prefetch's answers would sit
        // unread until the range is done, and its next request (headers after logs) would
        // only go out then: let the event loop take them every few milliseconds.
        if (pending && performance.now() - yielded > YIELD_EVERY_MS) {
          const t = performance.now();
          await setImmediate();
          yielded = performance.now();
          this.timings.fetchWaitMs += yielded - t; // reading the chain's answers
        }
      }
      this.emitProgress(false);
    }
    return 'done';
  }

  /** Runs one block's triggers and commits it; false if a handler failed. */
  private async processBlock(b: BlockWithTriggers, lastOfRange: boolean): Promise<boolean> {
    const ptr = blockPtr(b.block);
    this.totals.blocks++;
    if (b.logs.length === 0 && !this.runner.hasBlockHandlers) {
      // Nothing can happen in this block: commit only range ends, to move the head.
      if (lastOfRange) this.commit(ptr, { ops: [], dataSources: [] });
      return true;
    }
    const runStart = performance.now();
    const result = await this.runBlock(b, ptr);
    this.timings.handlersMs += performance.now() - runStart;
    this.totals.events += b.logs.length;
    this.totals.handlerCalls += result.handlerCalls;
    if (result.error && !this.runner.nonFatalErrors) {
      // graph-node without nonFatalErrors: the subgraph fails at this block and keeps nothing of it.
      this.error = result.error;
      this.store.fail(result.error);
      this.config.onNotice?.(
        `handler ${result.error.handler ?? '?'} failed at block ${ptr.number}: ${result.error.message}; indexing stopped`,
      );
      return false;
    }
    this.commit(ptr, result);
    return true;
  }

  private commit(ptr: BlockPtr, result: Pick<BlockResult, 'ops' | 'dataSources' | 'error'>): void {
    const start = performance.now();
    this.store.commitBlock(ptr, result.ops, result.dataSources, result.error);
    this.timings.commitMs += performance.now() - start;
    this.totals.entitiesWritten += result.ops.length;
  }

  /** The runner on one block; non-deterministic failures (e.g. an eth_call that kept failing) are retried. */
  private async runBlock(b: BlockWithTriggers, ptr: BlockPtr): Promise<BlockResult> {
    for (let attempt = 1; ; attempt++) {
      this.calls.pin(ptr);
      try {
        return await this.runner.processBlock(b, this.store);
      } catch (e) {
        if (!(e instanceof NonDeterministicError) || attempt >= 10 || this.stopping) throw e;
        this.config.onNotice?.(`block ${ptr.number}: ${e.message}; retrying the block`);
        await sleep(Math.min(30_000, 500 * 2 ** attempt), this.abort.signal);
      } finally {
        this.calls.pin(null);
      }
    }
  }

  /** True (and handled) if the committed head is no longer on the canonical chain. */
  private async headReorged(head: BlockPtr): Promise<boolean> {
    const canonical = await this.source.blockAt(head.number);
    if (canonical && canonical.hash === head.hash) return false;
    await this.handleReorg();
    return true;
  }

  /** Reverts to the common ancestor; false if every committed block is still canonical. */
  private async handleReorg(): Promise<boolean> {
    const before = this.store.head();
    const ancestor = await findCommonAncestor(this.store, this.source);
    if (!before || !ancestor) return false;
    const reverted = before.number - ancestor.number;
    if (reverted <= 0) return false;
    this.store.revertTo(ancestor.number);
    this.runner.restoreDataSources(this.store.dataSources());
    this.totals.reorgs++;
    this.totals.revertedBlocks += reverted;
    this.config.onNotice?.(`reorg: reverted ${reverted} block(s) to block ${ancestor.number}`);
    return true;
  }

  private emitProgress(caughtUp: boolean): void {
    if (!this.config.onProgress) return;
    const head = this.store.head();
    const target =
      this.config.untilBlock !== undefined
        ? Math.min(this.config.untilBlock, this.chainHead)
        : this.chainHead;
    const rates = this.meter.sample(this.totals.blocks, this.totals.events);
    const blocksLeft = Math.max(0, target - (head?.number ?? this.startBlock - 1));
    this.config.onProgress({
      block: head?.number ?? null,
      head: target,
      blocksDone: this.totals.blocks,
      blocksLeft,
      events: this.totals.events,
      handlerCalls: this.totals.handlerCalls,
      entitiesWritten: this.totals.entitiesWritten,
      eventsPerSecond: rates.eventsPerSecond,
      blocksPerSecond: rates.blocksPerSecond,
      etaSeconds:
        blocksLeft === 0 ? 0 : rates.blocksPerSecond > 0 ? blocksLeft / rates.blocksPerSecond : null,
      reorgs: this.totals.reorgs,
      revertedBlocks: this.totals.revertedBlocks,
      caughtUp,
      elapsedMs: Date.now() - this.meter.startedAt,
    });
  }

  private summary(): IndexingSummary {
    const head = this.store.head();
    const elapsedMs = Date.now() - this.meter.startedAt;
    // A pass over every stored entity: seconds on large stores (~16 s per million events).
    if (head) this.config.onNotice?.(`computing the store digest at block ${head.number}…`);
    return {
      head,
      ...this.totals,
      elapsedMs,
      error: this.error ?? this.store.fatalError(),
      digest: this.store.digest(),
      deployment: this.deployment,
      rpcRequests: this.rpc.stats.requests,
      rpcRetries: this.rpc.stats.retries,
      timings: { ...this.timings },
    };
  }
}

/** Opens, indexes to the target (or follows), and returns the running indexer. */
export async function startIndexing(config: IndexerConfig): Promise<Indexer> {
  const indexer = await Indexer.open(config);
  void indexer.run().catch(() => undefined); // errors surface through indexer.run()
  return indexer;
}
