// A store whose SQLite writing runs on a worker thread (OpenOptions.writerThread),
// so that while catching up the main thread, busy with handlers, pays for a
// block's commit only what it costs to check and encode it (bench/store-bench.ts).
//
// The writer thread (writer-worker.ts) owns the file's writing connection: a
// SqliteStore with group commit, which does exactly what it does in-thread, so
// the file, vids included, is the same. This thread keeps a read-only
// connection (WAL) and, per table, what it handed the writer and has not seen
// committed (overlay.ts), so get() and head() answer at once as the in-thread
// store would, reading its own writes. Blocks go over in batches of encoded
// rows, packed into one transferred buffer (row-pack.ts); committed groups come
// back as a sequence number in shared memory. Measured per entity write on the
// main thread (subgraph-like rows): structured clone of EntityOp[] ~5-8 µs,
// encoding rows ~2 µs + structured clone of them ~3-4 µs (their Buffers drag
// their 8 KiB pools along), encoding + packing ~3 µs. The main thread must
// encode anyway: it decides each write as the writer will (overlay.ts). Everything else (flush, revertTo, fail, ensureIndexes, getRelated,
// digest, the rarer reads) is a synchronous call: this thread waits
// (Atomics.wait) for the writer to reach it and answer.
//
// Failures: a block the in-thread store would refuse is refused here, at once
// (overlay.ts). An SQLite error in the writer (disk full, I/O) skips the blocks
// after the failed one and is thrown by the next commitBlock or call, once the
// file holds what survived and this thread has started again from the file.
// `db` is the read connection: it sees committed groups only.
import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { SchemaModel } from '../schema/model.js';
import type { BlockPtr } from '../chain/types.js';
import type { SqlValue } from './layout.js';
import type { Entity } from '../schema/values.js';
import type { DataSourceRecord, EntityOp, SubgraphErrorRecord } from './types.js';
import type { OpenOptions, WritableStore } from './sqlite-store.js';
import { openConnection } from './connection.js';
import { moduleWorker } from '../threads.js';
import { ensureSchema } from './ddl.js';
import { StoreReader, type StoreMetadata } from './reader.js';
import { TableOverlay, releaseBlock, undoBlock, type BlockLog } from './overlay.js';
import { StoreWriteError } from './versions.js';
import { RowPacker } from './row-pack.js';
import {
  CTL,
  dataSourceRow,
  type BlockMessage,
  type DataSourceRow,
  type Reply,
  type WireError,
  type WriterData,
} from './writer-protocol.js';

/** Blocks (or rows) gathered before they are posted: one message per block costs more than its clone. */
const BATCH_BLOCKS = 256;
const BATCH_ROWS = 8_000;
/**
 * Blocks, and entity writes, handed over that the writer may not have taken yet
 * before commitBlock waits for it (this thread remembers them until committed).
 */
const MAX_LAG_BLOCKS = 1_000;
const MAX_LAG_ROWS = 25_000;
/** The writer thread's nice value (Linux; writer-worker.ts); GGN_WRITER_NICE overrides it. */
const WRITER_NICE = 5;

// Before the writer's module loads: if the thread ends (or the module cannot load), callers
// waiting on the control cells must wake up and see it dead.
const PRELUDE = `
const ctl = new Int32Array(data.ctl);
const dead = () => { Atomics.store(ctl, ${CTL.DEAD}, 1); Atomics.notify(ctl, ${CTL.REPLY}); Atomics.notify(ctl, ${CTL.PROCESSED}); };
process.on('exit', dead);
`;
const ON_FAILURE = `
data.replies.postMessage({ id: 0, ok: false, error: { message: 'store writer thread: ' + (e && e.stack || e), storeWrite: false } });
Atomics.store(ctl, ${CTL.REPLY}, 0);
dead();
`;

function fromWire(w: WireError): Error {
  const e = w.storeWrite ? new StoreWriteError(w.message) : new Error(w.message);
  if (w.code !== undefined) (e as Error & { code?: string }).code = w.code;
  if (w.stack) e.stack = w.stack;
  return e;
}

/** The writer thread's answer to call `id` (waiting for it). */
function awaitReply(ctl: Int32Array, replies: MessagePort, id: number): Reply {
  waitAtLeast(ctl, CTL.REPLY, id);
  const r = receiveMessageOnPort(replies)?.message as Reply | undefined;
  if (!r || r.id !== id) throw new Error(`store writer thread: no answer to call ${id}`);
  return r;
}

function waitAtLeast(ctl: Int32Array, cell: number, value: number): void {
  for (;;) {
    const v = Atomics.load(ctl, cell);
    if (v >= value) return;
    if (Atomics.load(ctl, CTL.DEAD) === 1) throw new Error('the store writer thread has ended');
    Atomics.wait(ctl, cell, v, 1_000);
  }
}

export class ThreadedStore extends StoreReader implements WritableStore {
  private readonly overlays: TableOverlay[] = [];
  private readonly overlayOf = new Map<string, TableOverlay>();
  private cachedHead: BlockPtr | null;
  private cachedEarliest: number | null;
  private cachedFatal: SubgraphErrorRecord | null;
  /** Sequence number of the last block handed over (the writer counts them alike). */
  private sent = 0;
  /** Writes of blocks not yet seen committed, oldest first (from `inFlightStart`). */
  private inFlight: { seq: number; log: BlockLog }[] = [];
  private inFlightStart = 0;
  private batch: BlockMessage[] = [];
  private batchRows = 0;
  /** Entity writes handed over, modulo 2^32 (as CTL.PROCESSED_ROWS counts them). */
  private sentRows = 0;
  private readonly packer = new RowPacker();
  private postScheduled = false;
  private calls = 0;
  private closed = false;
  /** Time (ms) this thread waited for the writer: calls, and commits that found it too far behind. */
  waitedMs = 0;

  private constructor(
    db: Database.Database,
    schema: SchemaModel,
    deployment: string,
    private readonly worker: Worker,
    private readonly ctl: Int32Array,
    private readonly replies: MessagePort,
  ) {
    super(db, schema, deployment);
    let i = 0;
    for (const [name, t] of this.tables) {
      const ov = new TableOverlay(t, i++);
      this.overlays.push(ov);
      this.overlayOf.set(name, ov);
    }
    this.cachedHead = super.head();
    this.cachedEarliest = super.earliestBlock();
    this.cachedFatal = super.fatalError();
  }

  /** SqliteStore.open with `writerThread` (a file, group commit): see the header. */
  static open(path: string, schema: SchemaModel, opts: OpenOptions): ThreadedStore {
    const ctl = new Int32Array(new SharedArrayBuffer(CTL.SIZE * 4));
    ctl[CTL.REPLY] = -1;
    const { port1, port2 } = new MessageChannel();
    const data: WriterData = {
      path,
      schema: schema.source,
      deployment: opts.deployment,
      groupCommitMs: opts.groupCommitMs ?? 0,
      deferIndexes: opts.deferIndexes ?? false,
      nice: Number(process.env.GGN_WRITER_NICE ?? WRITER_NICE),
      ctl: ctl.buffer as SharedArrayBuffer,
      replies: port2,
    };
    const worker = moduleWorker(import.meta.url, './writer-worker', data, {
      prelude: PRELUDE,
      onFailure: ON_FAILURE,
      transferList: [port2],
      // Its garbage is short-lived rows: a small young generation will do, whatever the
      // process's --max-semi-space-size (the indexer's 64 MiB would add ~200 MiB here).
      resourceLimits: { maxYoungGenerationSizeMb: 24 },
    });
    // Not a reason to keep the process alive (close() ends it); its failures reach callers as
    // errors of calls (DEAD), so the 'error' event needs no handler beyond not crashing.
    worker.unref();
    worker.on('error', () => undefined);
    let db: Database.Database | null = null;
    try {
      const r = awaitReply(ctl, port1, 0);
      if (!r.ok) throw fromWire(r.error);
      db = openConnection(path, true);
      const deployment = ensureSchema(db, path, schema, null);
      return new ThreadedStore(db, schema, deployment, worker, ctl, port1);
    } catch (e) {
      db?.close();
      void worker.terminate();
      port1.close();
      throw e;
    }
  }

  // ---- calls to the writer -------------------------------------------------------------------

  private post(): void {
    if (this.batch.length === 0) return;
    const { data, length } = this.packer.take();
    this.worker.postMessage({ blocks: this.batch, rows: data, rowsLength: length }, [data]);
    this.batch = [];
    this.batchRows = 0;
  }

  /** Run `op` in the writer after everything handed over so far, and wait for its answer. */
  private call(op: string, ...args: unknown[]): unknown {
    if (this.closed) throw new Error('the store is closed');
    this.post();
    const id = ++this.calls;
    this.worker.postMessage({ call: { id, op, args } });
    const t = performance.now();
    const r = awaitReply(this.ctl, this.replies, id);
    this.waitedMs += performance.now() - t;
    if (!r.ok) {
      if (r.recovered) this.restartFromFile();
      throw fromWire(r.error);
    }
    this.releaseCommitted();
    return r.value;
  }

  private read<T>(method: string, ...args: unknown[]): T {
    return this.call('read', method, ...args) as T;
  }

  /** The writer failed and the file holds what survived: start again from it. */
  private restartFromFile(): void {
    for (const ov of this.overlays) ov.forget();
    this.inFlight = [];
    this.inFlightStart = 0;
    this.cachedHead = super.head();
    this.cachedEarliest = super.earliestBlock();
    this.cachedFatal = super.fatalError();
  }

  /** Hand over to the reading connection the versions of blocks the writer has committed. */
  private releaseCommitted(): void {
    const committed = Atomics.load(this.ctl, CTL.COMMITTED);
    const q = this.inFlight;
    let i = this.inFlightStart;
    while (i < q.length && q[i].seq <= committed) {
      const { seq, log } = q[i++];
      releaseBlock(log, seq);
    }
    if (i === q.length) {
      this.inFlight = [];
      i = 0;
    } else if (i > 1024 && i * 2 > q.length) {
      this.inFlight = q.slice(i);
      i = 0;
    }
    this.inFlightStart = i;
  }

  // ---- writing -------------------------------------------------------------------------------

  /** As SqliteStore.commitBlock; durable once the writer commits its group (as with group commit). */
  commitBlock(
    ptr: BlockPtr,
    ops: EntityOp[],
    dataSources: DataSourceRecord[],
    error?: SubgraphErrorRecord,
  ): void {
    if (this.closed) throw new Error('the store is closed');
    if (Atomics.load(this.ctl, CTL.FAILED) === 1) this.call('flush'); // throws the writer's failure
    const head = this.cachedHead;
    if (head && ptr.number < head.number)
      throw new Error(
        `cannot commit block ${ptr.number}: the head is already at block ${head.number} (revert first)`,
      );
    if (head && ptr.number === head.number && ptr.hash.toLowerCase() !== head.hash.toLowerCase())
      throw new Error(
        `cannot commit block ${ptr.number} ${ptr.hash}: block ${head.number} was committed as ${head.hash}`,
      );
    this.releaseCommitted();
    const n = ptr.number;
    const seq = this.sent + 1;
    const log: BlockLog = [];
    const writes: [TableOverlay, { key: SqlValue; row: SqlValue[] | null }][] = [];
    let dsRows: DataSourceRow[];
    try {
      for (const op of ops) {
        const ov = this.overlayOf.get(op.type) ?? this.overlayOf.get(this.table(op.type).entity.name)!;
        const w = ov.plan(n, seq, op.id, op.entity, log);
        if (w) writes.push([ov, w]);
      }
      dsRows = dataSources.map(dataSourceRow);
    } catch (e) {
      undoBlock(log); // a refused block leaves nothing behind
      throw e;
    }
    this.sent = seq;
    if (log.length > 0) this.inFlight.push({ seq, log });
    const p = this.packer;
    for (const [ov, { key, row }] of writes) {
      p.u32(ov.index);
      p.value(key);
      p.u32(row === null ? 0 : row.length + 1);
      if (row !== null) for (const v of row) p.value(v);
    }
    const hash = ptr.hash.toLowerCase() as BlockPtr['hash'];
    const parentHash = ptr.parentHash.toLowerCase() as BlockPtr['parentHash'];
    const changed = ops.length > 0 || dataSources.length > 0 || error !== undefined;
    this.batch.push([n, hash, parentHash, ptr.timestamp, changed, writes.length, dsRows, error ?? null]);
    this.batchRows += writes.length;
    this.sentRows = (this.sentRows + writes.length) | 0;
    if (this.cachedEarliest === null) this.cachedEarliest = n;
    if (this.cachedFatal && n >= this.cachedFatal.blockNumber) this.cachedFatal = null;
    this.cachedHead = { number: n, hash, parentHash, timestamp: ptr.timestamp };

    if (this.batch.length >= BATCH_BLOCKS || this.batchRows >= BATCH_ROWS) this.post();
    else if (!this.postScheduled) {
      // Whatever is gathered goes over as soon as this thread yields (e.g. to fetch blocks).
      this.postScheduled = true;
      setImmediate(() => {
        this.postScheduled = false;
        if (!this.closed) this.post();
      }).unref();
    }
    if (this.lagging(MAX_LAG_BLOCKS, MAX_LAG_ROWS)) {
      this.post();
      const t = performance.now();
      while (this.lagging(MAX_LAG_BLOCKS / 2, MAX_LAG_ROWS / 2)) {
        const seen = Atomics.load(this.ctl, CTL.PROCESSED);
        if (Atomics.load(this.ctl, CTL.DEAD) === 1) throw new Error('the store writer thread has ended');
        Atomics.wait(this.ctl, CTL.PROCESSED, seen, 1_000);
      }
      this.waitedMs += performance.now() - t;
    }
  }

  /** Whether the writer has more than `blocks` blocks or `rows` writes still to take. */
  private lagging(blocks: number, rows: number): boolean {
    return (
      this.sent - Atomics.load(this.ctl, CTL.PROCESSED) > blocks ||
      ((this.sentRows - Atomics.load(this.ctl, CTL.PROCESSED_ROWS)) | 0) > rows
    );
  }

  /** Make every block committed so far durable and visible to other connections. */
  flush(): void {
    if (this.closed) return;
    this.call('flush');
  }

  fail(error: SubgraphErrorRecord): void {
    this.call('fail', error);
    this.cachedFatal = { ...error };
  }

  revertTo(blockNumber: number): void {
    const head = this.cachedHead;
    if (!head || blockNumber >= head.number) return;
    try {
      this.call('revertTo', blockNumber);
    } finally {
      // Reverted (and flushed), or refused with the group still open: either way, from the file.
      try {
        this.call('flush');
      } finally {
        this.restartFromFile();
      }
    }
  }

  ensureIndexes(): number {
    return this.call('ensureIndexes') as number;
  }

  hasAllIndexes(): boolean {
    return this.call('hasAllIndexes') as boolean;
  }

  override close(): void {
    if (this.closed) return;
    // The read connection first: the writer's is then the last, whose close checkpoints the WAL.
    super.close();
    try {
      this.call('close');
    } finally {
      this.closed = true;
      void this.worker.terminate();
      this.replies.close();
    }
  }

  // ---- reading -------------------------------------------------------------------------------

  override head(): BlockPtr | null {
    return this.cachedHead;
  }

  override earliestBlock(): number | null {
    return this.cachedEarliest;
  }

  override fatalError(): SubgraphErrorRecord | null {
    return this.cachedFatal;
  }

  override get(type: string, id: string): Entity | null {
    this.releaseCommitted();
    const tables = this.tablesFor(type);
    for (const t of tables) {
      // As StoreReader.get: through an interface, an id one implementer cannot have is not there.
      if (tables.length > 1 && !t.acceptsId(id)) continue;
      const e = this.overlayOf.get(t.entity.name)!.get(id);
      if (e) return e;
    }
    return null;
  }

  // The rest is read where the writer's open group is visible: in the writer.
  override getRelated(type: string, field: string, id: string): Entity[] {
    return this.read('getRelated', type, field, id);
  }
  override getAt(type: string, id: string, block: number): Entity | null {
    return this.read('getAt', type, id, block);
  }
  override blockPtr(number: number): BlockPtr | null {
    return this.read('blockPtr', number);
  }
  override blockByHash(hash: string): BlockPtr | null {
    return this.read('blockByHash', hash);
  }
  override dataSources(): DataSourceRecord[] {
    return this.read('dataSources');
  }
  override hasIndexingErrors(block?: number): boolean {
    return this.read('hasIndexingErrors', block);
  }
  override indexingErrors(block?: number): SubgraphErrorRecord[] {
    return this.read('indexingErrors', block);
  }
  override metadata(): StoreMetadata {
    return this.read('metadata');
  }
  override digest(block?: number): string {
    return this.read('digest', block);
  }
}
