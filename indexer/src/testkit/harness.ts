// Our Matchstick: a built subgraph run in-process on an in-memory store.
//   const sg = await SubgraphHarness.load('../subgraph/build', { calls });
//   await sg.block([{ abi, event: 'AreaCreated', args, address }]);
//   expectEntity(sg.store, 'Area', '1', { name: 'North' });
import type { Abi, Hex } from 'viem';
import type { BlockWithTriggers, CallProvider } from '../chain/types.js';
import { SubgraphRunner, type BlockResult } from '../indexing/runner.js';
import type { LogLevel } from '../runtime/host/env.js';
import { blockWithEvents, type EventSpec } from './chain.js';
import { MemoryStore } from './memory-store.js';

export interface HarnessOptions {
  calls?: CallProvider;
  network?: string;
  /** Throw when a block ends with a handler error (default true). */
  failOnError?: boolean;
}

export class SubgraphHarness {
  readonly store = new MemoryStore();
  readonly logs: { level: LogLevel; message: string; dataSource: string }[] = [];
  readonly results: BlockResult[] = [];
  nextBlock: number;

  private constructor(
    readonly runner: SubgraphRunner,
    private readonly opts: HarnessOptions,
  ) {
    this.nextBlock = Math.max(runner.startBlock, 1);
  }

  static async load(buildDir: string, opts: HarnessOptions = {}): Promise<SubgraphHarness> {
    let self: SubgraphHarness | null = null;
    const runner = await SubgraphRunner.load(buildDir, {
      calls: opts.calls,
      network: opts.network,
      onLog: (level, message, dataSource) => self?.logs.push({ level, message, dataSource }),
    });
    self = new SubgraphHarness(runner, opts);
    return self;
  }

  /** Process a prepared block and apply its changes to the store. */
  async process(b: BlockWithTriggers): Promise<BlockResult> {
    const r = await this.runner.processBlock(b, this.store);
    this.results.push(r);
    if (r.error && this.opts.failOnError !== false)
      throw new Error(`block ${b.block.number}: ${r.error.handler}: ${r.error.message}`);
    this.store.apply(r.ops);
    this.nextBlock = b.block.number + 1;
    return r;
  }

  /** Emit `events` (in order) in the next block. */
  async block(events: EventSpec[], over: { number?: number; timestamp?: bigint } = {}): Promise<BlockResult> {
    const n = over.number ?? this.nextBlock;
    return this.process(
      blockWithEvents(n, events, over.timestamp === undefined ? {} : { timestamp: over.timestamp }),
    );
  }

  /** Shorthand for one event in its own block. */
  async event(
    abi: Abi,
    event: string,
    args: EventSpec['args'],
    address: Hex,
    extra: Partial<EventSpec> = {},
  ): Promise<BlockResult> {
    return this.block([{ abi, event, args, address, ...extra }]);
  }
}
