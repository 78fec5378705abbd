// A ChainSource that runs on a worker thread (source-worker.ts): the HTTP
// answers (tens of MiB of JSON for a dense range) are read, parsed, checked and
// assembled there, and this thread, busy with handlers, only turns ready ranges
// back into BlockWithTriggers (wire.ts). On the 100k-event bench chain that is
// ~0.1 s of this thread's CPU instead of ~0.8 s (and less garbage to collect);
// starting the worker costs ~0.5 s once, mostly loading viem's modules again.
//
// Same calls and behaviour as ChainSource: ranges, retries and reorg reports are
// the in-thread source's own, run there; errors come back with their class and
// message (source-protocol.ts); onRetry and the RPC counters are reported here.
// The worker fetches up to `ahead` ranges beyond the last one asked for, so a
// range is usually ready when asked for, and memory stays bounded.
//
// Lifetime: the signal's abort (the indexer's stop) or close() ends the worker,
// and calls in flight reject with AbortedError. The worker keeps the process
// alive only while a call waits for it. If it dies, calls reject with why.
import type { Worker } from 'node:worker_threads';
import { moduleWorker } from '../threads.js';
import { AbortedError, type RpcOptions } from './rpc.js';
import type { BlockSource, ChainSource, ChainSourceOptions, RangeResult } from './source.js';
import type { BlockPtr } from './types.js';
import { decodeRange } from './wire.js';
import {
  fromWireError,
  type SourceReply,
  type SourceRequest,
  type SourceStats,
  type SourceWorkerData,
  type Unstamped,
  type WireResult,
} from './source-protocol.js';

export interface ThreadedSourceOptions {
  /** Ranges the worker fetches beyond the last one asked for (default 1; the indexer asks one ahead itself). */
  ahead?: number;
  /** RPC counters to add the worker's requests and retries to (e.g. the indexer's RpcClient.stats). */
  countInto?: { requests: number; retries: number };
}

type Call = { resolve: (v: unknown) => void; reject: (e: unknown) => void };

export class ThreadedChainSource implements BlockSource {
  /** The worker's ChainSource counters, as of its last message. */
  readonly stats: ChainSource['stats'] = { getLogs: 0, rangeShrinks: 0, refetches: 0, bloomRequeries: 0 };
  private readonly worker: Worker;
  private readonly calls = new Map<number, Call>();
  private nextId = 1;
  /** Why calls fail from now on (stopped, or the worker died). */
  private ended: Error | null = null;
  /** Resolves once the worker has ended (close, abort, or a failure). */
  readonly exited: Promise<void>;
  private rpcSeen = { requests: 0, retries: 0 };

  constructor(
    private readonly rpc: RpcOptions,
    opts: ChainSourceOptions,
    private readonly threadOpts: ThreadedSourceOptions = {},
  ) {
    if (opts.topics.length === 0) throw new Error('ChainSource needs at least one topic');
    // Functions and the signal stay here: onRetry is called from the worker's reports, the signal ends it.
    const rpcData: SourceWorkerData['rpc'] = { ...rpc };
    delete (rpcData as RpcOptions).onRetry;
    delete (rpcData as RpcOptions).signal;
    const sourceData: SourceWorkerData['source'] = { ...opts };
    delete (sourceData as ChainSourceOptions).signal;
    const data: SourceWorkerData = {
      rpc: rpcData,
      source: sourceData,
      ahead: threadOpts.ahead ?? 1,
    };
    this.worker = moduleWorker(import.meta.url, './source-worker', data, {
      // Its garbage is parsed answers that die within a range: a small young generation will
      // do, whatever the process's --max-semi-space-size (64 MiB would add ~150 MiB here).
      resourceLimits: { maxYoungGenerationSizeMb: 32 },
    });
    this.worker.unref();
    this.worker.on('message', (m: SourceReply) => this.onMessage(m));
    this.worker.on('error', (e) => this.end(e));
    this.exited = new Promise((resolve) =>
      this.worker.once('exit', (code) => {
        this.end(new Error(`the chain source worker has ended (exit code ${code})`));
        resolve();
      }),
    );
    const signal = opts.signal;
    if (signal?.aborted) void this.close();
    else signal?.addEventListener('abort', () => void this.close(), { once: true });
  }

  /** The node's latest block number. */
  headNumber(): Promise<number> {
    return this.call({ op: 'headNumber' }) as Promise<number>;
  }

  /** The canonical block at `number` now, or null if the chain is shorter. */
  blockAt(number: number): Promise<BlockPtr | null> {
    return this.call({ op: 'blockAt', number }) as Promise<BlockPtr | null>;
  }

  /** As ChainSource.next. */
  async next(from: number, maxTo: number, parent: BlockPtr | null): Promise<RangeResult> {
    if (maxTo < from) throw new Error(`empty range ${from}..${maxTo}`);
    const r = (await this.call({ op: 'next', from, maxTo, parent })) as WireResult;
    return r.kind === 'reorg' ? r : { kind: 'blocks', blocks: decodeRange(r.range) };
  }

  /** Ends the worker; calls in flight reject with AbortedError. Resolves once it has exited. */
  async close(): Promise<void> {
    this.end(new AbortedError());
    await this.worker.terminate();
    await this.exited;
  }

  private call(req: Unstamped<SourceRequest, 'id'>): Promise<unknown> {
    if (this.ended) return Promise.reject(this.failure());
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.calls.set(id, { resolve, reject });
      if (this.calls.size === 1) this.worker.ref(); // an answer to wait for keeps the process alive
      this.worker.postMessage({ ...req, id } as SourceRequest);
    });
  }

  private settle(id: number): Call | undefined {
    const call = this.calls.get(id);
    this.calls.delete(id);
    if (this.calls.size === 0 && !this.ended) this.worker.unref();
    return call;
  }

  private onMessage(m: SourceReply): void {
    this.count(m.stats);
    if ('retry' in m) {
      this.rpc.onRetry?.({
        method: m.retry.method,
        attempt: m.retry.attempt,
        error: fromWireError(m.retry.error),
      });
      return;
    }
    const call = this.settle(m.id);
    if (!call) return;
    if (m.ok) call.resolve(m.value);
    else call.reject(fromWireError(m.error));
  }

  /** Adds what the worker's RpcClient did since its last message to `countInto`. */
  private count(s: SourceStats): void {
    Object.assign(this.stats, s.source);
    const into = this.threadOpts.countInto;
    if (into) {
      into.requests += s.rpc.requests - this.rpcSeen.requests;
      into.retries += s.rpc.retries - this.rpcSeen.retries;
    }
    this.rpcSeen = s.rpc;
  }

  private failure(): Error {
    // A fresh AbortedError per call, as an aborted RpcClient gives.
    return this.ended instanceof AbortedError ? new AbortedError() : this.ended!;
  }

  /** No more calls: the ones waiting reject with `why`. */
  private end(why: Error): void {
    if (this.ended) return;
    this.ended = why;
    for (const id of [...this.calls.keys()]) this.settle(id)!.reject(this.failure());
    this.worker.unref();
  }
}
