// The worker side of ThreadedChainSource: a ChainSource over its own RpcClient,
// answering the calls of the indexing thread, and fetching ahead.
//
// The indexer asks for consecutive ranges: after a range ending at block L it asks
// next(L + 1, maxTo, blockPtr(L)). So once a range is fetched, the worker starts
// on the one that follows, up to `ahead` ranges nobody has asked for yet, and a
// request that is the predicted one is answered from them. Any other request (a
// reorg, another target) drops the prediction: what is still in flight finishes
// unseen. Fetches run one after another, as in-thread, so the ranges (adaptive
// sizes included) are the ones the in-thread source would fetch.
import { parentPort, workerData } from 'node:worker_threads';
import { RpcClient } from './rpc.js';
import { ChainSource, blockPtr, type RangeResult } from './source.js';
import type { BlockPtr } from './types.js';
import { encodeRange } from './wire.js';
import {
  toWireError,
  type SourceReply,
  type SourceRequest,
  type SourceStats,
  type SourceWorkerData,
  type Unstamped,
  type WireResult,
} from './source-protocol.js';

const port = parentPort!;
const config = workerData as SourceWorkerData;

const rpc = new RpcClient({
  ...config.rpc,
  onRetry: (i) =>
    post({ id: 0, retry: { method: i.method, attempt: i.attempt, error: toWireError(i.error) } }),
});
const source = new ChainSource(rpc, config.source);

function stats(): SourceStats {
  return { rpc: { ...rpc.stats }, source: { ...source.stats } };
}

function post(reply: Unstamped<SourceReply, 'stats'>): void {
  const message = { ...reply, stats: stats() } as SourceReply;
  const transfer = 'ok' in reply && reply.ok ? transferables(reply.value) : [];
  port.postMessage(message, transfer);
}

function transferables(value: unknown): ArrayBuffer[] {
  const w = value as WireResult | null;
  if (!w || typeof w !== 'object' || w.kind !== 'blocks') return [];
  return [w.range.lengths.buffer as ArrayBuffer, w.range.numbers.buffer as ArrayBuffer];
}

/** A range asked for or predicted, with its fetch (started or settled). */
interface Ahead {
  from: number;
  maxTo: number;
  parent: BlockPtr | null;
  result: Promise<{ wire: WireResult; last: BlockPtr | null }>;
  /** The range after it is predicted already. */
  extended: boolean;
}

/** Ranges fetched ahead and not asked for yet, in chain order. */
let predicted: Ahead[] = [];
/** The range predictions continue from: the last one predicted, or else the last one asked for. */
let tail: Ahead | null = null;
/** The fetch the next one waits for: one at a time, in the order of the chain. */
let lastFetch: Promise<unknown> = Promise.resolve();

function fetchRange(from: number, maxTo: number, parent: BlockPtr | null): Ahead {
  const result = lastFetch
    .then(() => source.next(from, maxTo, parent))
    .then((r: RangeResult) =>
      r.kind === 'reorg'
        ? { wire: r, last: null }
        : {
            wire: { kind: 'blocks' as const, range: encodeRange(r.blocks) },
            last: blockPtr(r.blocks.at(-1)!.block),
          },
    );
  lastFetch = result.catch(() => undefined);
  return { from, maxTo, parent, result, extended: false };
}

/** Once the tail is fetched, predicts the range after it, while fewer than `ahead` wait. */
function refill(): void {
  const t = tail;
  if (!t || predicted.length >= config.ahead) return;
  t.result.then(
    ({ last }) => {
      if (t !== tail || t.extended || predicted.length >= config.ahead) return;
      if (!last || last.number >= t.maxTo) return; // a reorg, or the target reached
      t.extended = true;
      tail = fetchRange(last.number + 1, t.maxTo, last);
      predicted.push(tail);
      refill();
    },
    () => undefined, // reported to whoever asks for that range
  );
}

function samePtr(a: BlockPtr | null, b: BlockPtr | null): boolean {
  return a === b || (a !== null && b !== null && a.number === b.number && a.hash === b.hash);
}

async function next(from: number, maxTo: number, parent: BlockPtr | null): Promise<WireResult> {
  const first = predicted[0];
  let entry: Ahead;
  if (first && first.from === from && first.maxTo === maxTo && samePtr(first.parent, parent)) {
    entry = predicted.shift()!;
  } else {
    // Not what was predicted: whatever is in flight finishes unseen.
    predicted = [];
    entry = tail = fetchRange(from, maxTo, parent);
  }
  refill();
  return (await entry.result).wire;
}

port.on('message', (req: SourceRequest) => {
  const answer: Promise<unknown> =
    req.op === 'next'
      ? next(req.from, req.maxTo, req.parent)
      : req.op === 'headNumber'
        ? source.headNumber()
        : source.blockAt(req.number);
  answer.then(
    (value) => post({ id: req.id, ok: true, value }),
    (e: unknown) => post({ id: req.id, ok: false, error: toWireError(e) }),
  );
});
