// The manifest runner: matches a block's triggers to data sources and runs
// their handlers in graph-node's order (graph-host-abi.md §5.4;
// chain/ethereum/src/trigger.rs `Ord`, core/src/subgraph/runner):
//   1. block handlers of the "start" type (`once`, at the data source's start block);
//   2. logs in block order (transaction index, then log index);
//   3. the other block handlers (no filter, `polling`);
// and for each trigger the matching data sources in manifest order, then creation
// order. Data sources created by handlers become active at the end of the
// block's processing, then the block's triggers matching them are processed
// (graph-node's dynamic data source stage), repeatedly while handlers create more.
import { readFile } from 'node:fs/promises';
import { encodeFunctionData, type Abi, type Hex } from 'viem';
import type { BlockWithTriggers, CallProvider, ChainLog, ChainTransaction } from '../chain/types.js';
import { parseSchema, type SchemaModel } from '../schema/model.js';
import { valuesEqual, type Entity } from '../schema/values.js';
import type { DataSourceRecord, EntityOp, EntityReader, SubgraphErrorRecord } from '../store/types.js';
import { MappingModule } from '../runtime/module.js';
import { CallCacheMiss, NonDeterministicError, det } from '../runtime/errors.js';
import type { HostEnv, LogLevel } from '../runtime/host/env.js';
import { parseAddress } from '../runtime/host/conversion.js';
import { decodeEventParams } from '../runtime/ethereum/decode.js';
import { writeBlock, writeEvent } from '../runtime/ethereum/triggers.js';
import { ethValueToAbi } from '../runtime/ethereum/values.js';
import { BlockCallCache } from './call-cache.js';
import { BlockEntityCache } from './entity-cache.js';
import {
  readManifest,
  type CallOperand,
  type DataSourceDef,
  type EventHandlerDef,
  type ManifestDef,
  type MappingDef,
} from './manifest.js';

export interface RunnerOptions {
  /** eth_call / balance / code for ethereum.call; without it a handler that calls fails the block non-deterministically. */
  calls?: CallProvider;
  /** Overrides the manifest's `network` for dataSource.network(). */
  network?: string;
  /** Mapping log output (log.info etc.). Default: discarded. */
  onLog?: (level: LogLevel, message: string, dataSource: string) => void;
  /** Run triggers on restored instances instead of new ones (default true; observably identical, see runtime/module.ts). */
  reuseInstances?: boolean;
}

export interface BlockResult {
  ops: EntityOp[];
  dataSources: DataSourceRecord[];
  error?: SubgraphErrorRecord;
  /** Handler executions that completed or failed (replays after a call-cache miss are not counted). */
  handlerCalls: number;
  /** Handler runs abandoned for an uncached ethereum call and replayed (declared calls avoid them). */
  callReplays: number;
}

/** A running data source: a static one from the manifest or one created from a template. */
interface Host {
  def: MappingDef;
  module: MappingModule;
  template: string | null;
  address: Hex | null;
  addressBytes: Uint8Array;
  startBlock: number;
  endBlock: number | null;
  context: Entity | null;
  /** What dataSource.* answers for it, made on first use (the same for every trigger). */
  env?: HostEnv['dataSource'];
}

type Trigger = { kind: 'start' } | { kind: 'log'; log: ChainLog } | { kind: 'end' };

class FatalHandlerError extends Error {}

export class SubgraphRunner {
  private dynamic: Host[] = [];

  private constructor(
    readonly manifest: ManifestDef,
    readonly schema: SchemaModel,
    private readonly statics: Host[],
    private readonly modules: Map<string, MappingModule>,
    private readonly opts: RunnerOptions,
  ) {}

  static async load(buildDir: string, opts: RunnerOptions = {}): Promise<SubgraphRunner> {
    const manifest = await readManifest(buildDir);
    const schema = parseSchema(await readFile(manifest.schemaFile, 'utf8'));
    const modules = new Map<string, MappingModule>();
    for (const def of [...manifest.dataSources, ...manifest.templates]) {
      const key = `${def.wasmFile}@${def.apiVersion}`;
      if (!modules.has(key))
        modules.set(
          key,
          await MappingModule.compile(await readFile(def.wasmFile), def.wasmFile, def.apiVersion, {
            reuseInstances: opts.reuseInstances,
          }),
        );
      const exported = new Set(modules.get(key)!.exportNames);
      for (const h of [...def.eventHandlers, ...def.blockHandlers])
        if (!exported.has(h.handler))
          throw new Error(`${def.wasmFile}: handler \`${h.handler}\` of \`${def.name}\` is not exported`);
    }
    const moduleOf = (def: MappingDef) => modules.get(`${def.wasmFile}@${def.apiVersion}`)!;
    const statics = manifest.dataSources.map((ds: DataSourceDef): Host => ({
      def: ds,
      module: moduleOf(ds),
      template: null,
      address: ds.address,
      addressBytes: ds.address ? parseAddress(ds.address) : new Uint8Array(0),
      startBlock: ds.startBlock,
      endBlock: ds.endBlock,
      context: ds.context,
    }));
    return new SubgraphRunner(manifest, schema, statics, modules, opts);
  }

  /** Triggers run on new WASM instances and on restored ones, over every module (see runtime/module.ts). */
  instanceStats(): { freshInstances: number; reusedInstances: number } {
    const t = { freshInstances: 0, reusedInstances: 0 };
    for (const m of this.modules.values()) {
      t.freshInstances += m.stats.freshInstances;
      t.reusedInstances += m.stats.reusedInstances;
    }
    return t;
  }

  /** The lowest start block of the manifest's data sources. */
  get startBlock(): number {
    return this.statics.length === 0 ? 0 : Math.min(...this.statics.map((s) => s.startBlock));
  }

  /** topic0 of every event handler of data sources and templates (the chain source filters logs by these). */
  logTopics(): Hex[] {
    const all = [...this.manifest.dataSources, ...this.manifest.templates].flatMap((d) =>
      d.eventHandlers.map((h) => h.topic0),
    );
    return [...new Set(all)];
  }

  get needsReceipts(): boolean {
    return [...this.manifest.dataSources, ...this.manifest.templates].some((d) =>
      d.eventHandlers.some((h) => h.receipt),
    );
  }

  get hasBlockHandlers(): boolean {
    return [...this.manifest.dataSources, ...this.manifest.templates].some((d) => d.blockHandlers.length > 0);
  }

  get nonFatalErrors(): boolean {
    return this.manifest.features.includes('nonFatalErrors');
  }

  /** Replace the created data sources by `records` (after a restart or a revert), in creation order. */
  restoreDataSources(records: DataSourceRecord[]): void {
    this.dynamic = records.map((r) =>
      this.fromTemplate(r.template, r.address as Hex, r.context, r.creationBlock),
    );
  }

  /** Data sources created from templates that are currently active. */
  dataSources(): DataSourceRecord[] {
    return this.dynamic.map((h) => ({
      template: h.template!,
      address: h.address!,
      context: h.context,
      creationBlock: h.startBlock,
    }));
  }

  private fromTemplate(name: string, address: Hex, context: Entity | null, creationBlock: number): Host {
    const def = this.manifest.templates.find((t) => t.name === name);
    if (!def) throw new Error(`data source template \`${name}\` is not in the manifest`);
    const lower = address.toLowerCase() as Hex;
    return {
      def,
      module: this.modules.get(`${def.wasmFile}@${def.apiVersion}`)!,
      template: name,
      address: lower,
      addressBytes: parseAddress(lower),
      startBlock: creationBlock,
      endBlock: null,
      context,
    };
  }

  async processBlock(b: BlockWithTriggers, reader: EntityReader): Promise<BlockResult> {
    // Blocks arrive in increasing order; seeing block n again means a revert undid everything created
    // at n or later, so those data sources must go (restoreDataSources after a revert does the same).
    this.dynamic = this.dynamic.filter((h) => h.startBlock < b.block.number);
    const dynamicBefore = this.dynamic.length;
    const cache = new BlockEntityCache(reader);
    const calls = new BlockCallCache(this.opts.calls, b.block.number);
    const state: BlockState = {
      block: { number: b.block.number, hash: b.block.hash, timestamp: b.block.timestamp },
      cache,
      calls,
      created: [],
      records: [],
      handlerCalls: 0,
      callReplays: 0,
      errors: [],
    };
    const n = b.block.number;
    const active = (h: Host) => h.startBlock <= n && (h.endBlock === null || n <= h.endBlock);
    const logs = [...b.logs].sort(
      (x, y) => x.transactionIndex - y.transactionIndex || x.logIndex - y.logIndex,
    );
    const triggers: Trigger[] = [
      { kind: 'start' },
      ...logs.map((log) => ({ kind: 'log' as const, log })),
      { kind: 'end' },
    ];
    try {
      await this.runStage(b, [...this.statics, ...this.dynamic].filter(active), triggers, state);
      while (state.created.length > 0) {
        const created = state.created;
        state.created = [];
        // graph-node ignores a data source identical to a running one (same template, address and context).
        const hosts: Host[] = [];
        for (const c of created) {
          const dup = this.dynamic.some(
            (h) => h.template === c.template && h.address === c.address && sameContext(h.context, c.context),
          );
          if (dup) {
            this.log(
              'warning',
              `data source ${c.template} at ${c.address} already exists; not created again`,
              c.template,
            );
            continue;
          }
          const host = this.fromTemplate(c.template, c.address, c.context, n);
          this.dynamic.push(host);
          hosts.push(host);
        }
        state.records.push(
          ...hosts.map((h) => ({
            template: h.template!,
            address: h.address!,
            context: h.context,
            creationBlock: n,
          })),
        );
        await this.runStage(b, hosts, triggers, state);
      }
    } catch (e) {
      this.dynamic.length = dynamicBefore;
      if (e instanceof FatalHandlerError)
        return {
          ops: [],
          dataSources: [],
          error: state.errors[0],
          handlerCalls: state.handlerCalls,
          callReplays: state.callReplays,
        };
      throw e;
    }
    const result: BlockResult = {
      ops: cache.ops(),
      dataSources: state.records,
      handlerCalls: state.handlerCalls,
      callReplays: state.callReplays,
    };
    if (state.errors.length > 0) result.error = state.errors[0];
    return result;
  }

  private async runStage(
    b: BlockWithTriggers,
    hosts: Host[],
    triggers: Trigger[],
    state: BlockState,
  ): Promise<void> {
    const n = b.block.number;
    // Indexed loops: in this async function for-of would allocate an iterator result per
    // step (triggers x data sources per block, ~2M steps over the benchmark's history).
    for (let ti = 0; ti < triggers.length; ti++) {
      const t = triggers[ti]!;
      // Lowercased once per trigger, not once per data source (a busy chain has thousands of both).
      const address = t.kind === 'log' ? t.log.address.toLowerCase() : '';
      const topic0 = t.kind === 'log' ? t.log.topics[0]?.toLowerCase() : undefined;
      for (let hi = 0; hi < hosts.length; hi++) {
        const host = hosts[hi]!;
        if (t.kind === 'log') {
          if (host.address !== null && host.address !== address) continue;
          const handlers = host.def.eventHandlers;
          for (let k = 0; k < handlers.length; k++) {
            const h = handlers[k]!;
            if (topic0 === h.topic0) {
              const pending = this.runEvent(b, host, h, t.log, state);
              if (pending) await pending; // only for declared calls and call-cache misses
            }
          }
        } else {
          for (const bh of host.def.blockHandlers) {
            const f = bh.filter;
            const fires =
              t.kind === 'start'
                ? f.kind === 'once' && n === host.startBlock
                : f.kind === 'every' || (f.kind === 'polling' && (n - host.startBlock) % f.every === 0);
            if (!fires) continue;
            const api = host.module.apiVersion;
            const pending = this.runHandler(
              b,
              host,
              bh.handler,
              (env) => writeBlock(env.heap, b.block, api),
              state,
            );
            if (pending) await pending;
            break; // graph-node's handler_for_block picks one handler per trigger type
          }
        }
      }
    }
  }

  /**
   * One log on one data source. Returns a promise only when something must be awaited
   * (declared calls to prefetch, an uncached call to fetch): a promise and a microtask
   * per handler call are measurable at 100k handlers.
   */
  private runEvent(
    b: BlockWithTriggers,
    host: Host,
    h: EventHandlerDef,
    log: ChainLog,
    state: BlockState,
  ): Promise<void> | void {
    let params;
    try {
      params = decodeEventParams(h.abiEvent, log);
    } catch (e) {
      this.log(
        'warning',
        `skipping log ${log.logIndex} of block ${log.blockNumber}: cannot decode ${h.event}: ${(e as Error).message}`,
        host.def.name,
      );
      return;
    }
    const transaction =
      b.transactions.get(log.transactionHash) ?? b.transactions.get(log.transactionHash.toLowerCase() as Hex);
    if (!transaction)
      throw new NonDeterministicError(
        `transaction ${log.transactionHash} of log ${log.logIndex} was not provided`,
      );
    if (h.calls.length > 0)
      return this.prefetchCalls(host, h, log, params, state).then(() =>
        this.runEventHandler(b, host, h, log, transaction, params, state),
      );
    return this.runEventHandler(b, host, h, log, transaction, params, state);
  }

  /** The handler's declared calls, fetched into the block's call cache before it runs. */
  private async prefetchCalls(
    host: Host,
    h: EventHandlerDef,
    log: ChainLog,
    params: ReturnType<typeof decodeEventParams>,
    state: BlockState,
  ): Promise<void> {
    for (const c of h.calls) {
      const operand = (o: CallOperand): unknown => {
        if (o.kind === 'eventAddress') return log.address;
        if (o.kind === 'dsAddress') return host.address;
        const i = h.abiEvent.inputs.findIndex((x) => x.name === o.name);
        return i < 0 ? undefined : ethValueToAbi(h.abiEvent.inputs[i]!, params[i]!.value);
      };
      try {
        const to = operand(c.address) as Hex;
        const data = encodeFunctionData({
          abi: [c.fn],
          functionName: c.fn.name,
          args: c.args.map(operand),
        } as Parameters<typeof encodeFunctionData>[0]);
        await state.calls.prefetch(to, data);
      } catch (e) {
        this.log(
          'warning',
          `declared call ${c.label} of ${h.handler} could not be prepared: ${(e as Error).message}`,
          host.def.name,
        );
      }
    }
  }

  private runEventHandler(
    b: BlockWithTriggers,
    host: Host,
    h: EventHandlerDef,
    log: ChainLog,
    transaction: ChainTransaction,
    params: ReturnType<typeof decodeEventParams>,
    state: BlockState,
  ): Promise<void> | void {
    const api = host.module.apiVersion;
    let receipt = null;
    if (h.receipt && api >= 7) {
      receipt = b.receipts?.get(log.transactionHash) ?? null;
      if (!receipt)
        throw new NonDeterministicError(
          `receipt of ${log.transactionHash} is required by ${h.handler} but was not provided`,
        );
    }
    return this.runHandler(
      b,
      host,
      h.handler,
      (env) => writeEvent(env.heap, { log, block: b.block, transaction, params, receipt }, api),
      state,
    );
  }

  /**
   * One trigger on one data source: kept only if it completes. A handler that needs an
   * ethereum call not in the block's cache is abandoned, the call fetched, and the
   * handler run again (the promise returned then; otherwise nothing is awaited).
   */
  private runHandler(
    b: BlockWithTriggers,
    host: Host,
    handler: string,
    writeArg: (env: HostEnv) => number,
    state: BlockState,
  ): Promise<void> | void {
    const miss = this.runOnce(b, host, handler, writeArg, state);
    if (miss !== null) return this.replay(miss, b, host, handler, writeArg, state);
  }

  private async replay(
    miss: CallCacheMiss,
    b: BlockWithTriggers,
    host: Host,
    handler: string,
    writeArg: (env: HostEnv) => number,
    state: BlockState,
  ): Promise<void> {
    for (
      let m: CallCacheMiss | null = miss;
      m !== null;
      m = this.runOnce(b, host, handler, writeArg, state)
    ) {
      state.callReplays += 1;
      await state.calls.fetch(m.request);
    }
  }

  /** Runs the handler once; the call-cache miss that abandoned it, or null when it ran to the end. */
  private runOnce(
    b: BlockWithTriggers,
    host: Host,
    handler: string,
    writeArg: (env: HostEnv) => number,
    state: BlockState,
  ): CallCacheMiss | null {
    const pending: Created[] = [];
    const env: Omit<HostEnv, 'heap'> = {
      apiVersion: host.module.apiVersion,
      schema: this.schema,
      store: state.cache,
      calls: state.calls,
      dataSource: (host.env ??= {
        name: host.def.name,
        address: host.addressBytes,
        network: this.opts.network ?? host.def.network,
        context: host.context,
        abis: host.def.abis as Map<string, Abi>,
        templates: this.manifest.templates.map((t) => t.name),
      }),
      block: state.block,
      createDataSource: (template, params, context) => {
        const addr = params[0];
        if (addr === undefined)
          throw det(`dataSource.create of \`${template}\` needs the contract address as its first parameter`);
        pending.push({
          template,
          address: ('0x' + Buffer.from(parseAddress(addr)).toString('hex')) as Hex,
          context,
        });
      },
      log: (level, message) => this.log(level, message, host.def.name),
    };
    let failure;
    try {
      failure = host.module.run(env, handler, writeArg);
    } catch (e) {
      state.cache.rollbackHandler();
      if (e instanceof CallCacheMiss) return e;
      throw e;
    }
    state.handlerCalls += 1;
    if (failure === null) {
      state.cache.commitHandler();
      state.created.push(...pending);
      return null;
    }
    state.cache.rollbackHandler();
    if (!failure.deterministic) throw new NonDeterministicError(`${handler}: ${failure.message}`);
    state.errors.push({
      message: failure.message,
      handler,
      blockNumber: b.block.number,
      blockHash: b.block.hash,
      deterministic: true,
    });
    this.log('error', `handler ${handler} failed: ${failure.message}`, host.def.name);
    if (!this.nonFatalErrors) throw new FatalHandlerError(failure.message);
    return null;
  }

  private log(level: LogLevel, message: string, dataSource: string): void {
    this.opts.onLog?.(level, message, dataSource);
  }
}

function sameContext(a: Entity | null, b: Entity | null): boolean {
  if (a === null || b === null) return a === b;
  return a.size === b.size && [...a].every(([k, v]) => b.has(k) && valuesEqual(v, b.get(k)!));
}

interface Created {
  template: string;
  address: Hex;
  context: Entity | null;
}

interface BlockState {
  block: HostEnv['block'];
  cache: BlockEntityCache;
  calls: BlockCallCache;
  created: Created[];
  records: DataSourceRecord[];
  handlerCalls: number;
  callReplays: number;
  errors: SubgraphErrorRecord[];
}
