// The embedded indexer's store: graph-node's block-range versioning on one
// SQLite file (layout.ts, ddl.ts). Each block is committed atomically in one
// SQLite transaction: entity versions, new data sources, errors and the block
// pointer (the head is the greatest committed pointer), so a process killed at
// any moment reopens at a block boundary. WAL mode lets the GraphQL layer read
// on its own connection without ever blocking the writer; synchronous=NORMAL
// keeps commits cheap and still survives a killed process (not a power cut,
// which at worst loses the last commits, never a block's consistency).
//
// Block pointer retention: every block with changes (entities, data sources or
// errors) keeps its pointer forever; blocks without changes are kept only for
// the last BLOCK_RETENTION blocks below the head. That covers reorg detection
// (graph-node's reorg threshold is 250) and `block: {hash}` for recent blocks,
// without a row per empty block of the whole chain.
//
// Speed while catching up (bench/store-bench.ts): open with `groupCommitMs`
// (many blocks per SQLite transaction, a failed one undone alone: redo-log.ts)
// and `deferIndexes` (per-field indexes built by ensureIndexes() once the chain
// head is reached, ddl.ts); versions.ts remembers current versions so updates
// need no read.
// The indexer should call flush() when it has caught up or goes idle, and
// ensureIndexes() the first time it catches up.
// With `writerThread` (OpenOptions) a file's writing runs on a worker thread:
// writer-thread.ts.
import type Database from 'better-sqlite3';
import type { SchemaModel } from '../schema/model.js';
import type { BlockPtr } from '../chain/types.js';
import type { Entity } from '../schema/values.js';
import type { DataSourceRecord, EntityOp, IndexingStore, SubgraphErrorRecord } from './types.js';
import {
  BLOCKS,
  DATA_SOURCES,
  ERRORS,
  META,
  ensureSchema,
  existingIndexes,
  fieldIndexes,
  type FieldIndex,
} from './ddl.js';
import { openConnection } from './connection.js';
import { StoreReader } from './reader.js';
import { RedoLog, type Params } from './redo-log.js';
import { dataSourceRow, type DataSourceRow, type RowWrite } from './writer-protocol.js';
import { ThreadedStore } from './writer-thread.js';

export { StoreReader, type StoreMetadata } from './reader.js';
export { StoreWriteError } from './versions.js';
import type { VersionTable } from './versions.js';

/** Unchanged blocks whose pointer is kept below the head. */
export const BLOCK_RETENTION = 1000;

/** WAL size (pages of 8 KiB: 128 MiB) that triggers a checkpoint with group commit. */
const GROUP_WAL_PAGES = 16_384;

export interface OpenOptions {
  /** The deployment this file indexes (subgraph id / hash); a file holds exactly one. */
  deployment: string;
  /**
   * Group commit. 0 (default): every commitBlock is one SQLite transaction,
   * durable when it returns. N > 0: blocks committed within N ms share one
   * SQLite transaction, committed N ms after its first block (a timer, and a
   * check on every commit) or by flush()/close(). Each block stays atomic (a
   * failed block is undone alone: redo-log.ts) and a crash still reopens
   * at a block boundary, but up to N ms of acknowledged blocks may be lost and
   * must be indexed again (from head()), and other connections see them only
   * once flushed. Much faster while catching up: see bench/store-bench.ts.
   * The caller should flush() whenever it has nothing more to commit for a
   * while (caught up with the chain, waiting for blocks): the timer bounds the
   * delay only when the event loop is free to run it, or at the next commit.
   */
  groupCommitMs?: number;
  /**
   * false (default): the per-field indexes the API's filters and orderings use
   * exist when open() returns (created with the file, or completed now if an
   * earlier run deferred them). true: a new file gets them only from
   * ensureIndexes(), which the indexer calls once it has caught up with the
   * chain head; until then commits are ~3x cheaper and API filters scan
   * (ddl.ts, "Deferred indexes").
   */
  deferIndexes?: boolean;
  /**
   * true: with group commit on a file (not ':memory:'), a worker thread does the
   * writing and this thread keeps a read connection plus what it handed the
   * worker and has not seen committed (writer-thread.ts), so commitBlock costs
   * this thread little more than encoding the block. Otherwise ignored.
   * As with group commit, a block is durable once its group is committed, here
   * by the writer, which may lag behind commitBlock (bounded: writer-thread.ts),
   * and a crash reopens at a block boundary.
   */
  writerThread?: boolean;
}

/** What the indexer needs of a store it writes: SqliteStore, or ThreadedStore (writer-thread.ts). */
export interface WritableStore extends StoreReader, IndexingStore {
  flush(): void;
  fail(error: SubgraphErrorRecord): void;
  ensureIndexes(): number;
  hasAllIndexes(): boolean;
  getRelated(type: string, field: string, id: string): Entity[];
  close(): void;
}

function prepareWrites(db: Database.Database) {
  return {
    putBlock: db.prepare(
      `INSERT INTO ${BLOCKS} (number, hash, parent_hash, timestamp, changed) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (number) DO UPDATE SET changed = max(changed, excluded.changed)`,
    ),
    prune: db.prepare(`DELETE FROM ${BLOCKS} WHERE changed = 0 AND number < ?`),
    putMeta: db.prepare(`INSERT OR REPLACE INTO ${META} (key, value) VALUES (?, ?)`),
    delMeta: db.prepare(`DELETE FROM ${META} WHERE key = ?`),
    addDataSource: db.prepare(
      `INSERT INTO ${DATA_SOURCES} (template, address, context, creation_block, block_from) VALUES (?, ?, ?, ?, ?)`,
    ),
    addError: db.prepare(
      `INSERT INTO ${ERRORS} (message, handler, block_number, block_hash, deterministic, block_from) VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    dsRevert: db.prepare(`DELETE FROM ${DATA_SOURCES} WHERE block_from > ?`),
    dsReopen: db.prepare(`UPDATE ${DATA_SOURCES} SET block_to = NULL WHERE block_to > ?`),
    errRevert: db.prepare(`DELETE FROM ${ERRORS} WHERE block_from > ?`),
    errReopen: db.prepare(`UPDATE ${ERRORS} SET block_to = NULL WHERE block_to > ?`),
    blocksRevert: db.prepare(`DELETE FROM ${BLOCKS} WHERE number > ?`),
  };
}

export class SqliteStore extends StoreReader implements IndexingStore {
  private readonly w: ReturnType<typeof prepareWrites>;
  // This connection is the file's only writer, so these stay exact between commits.
  private cachedHead: BlockPtr | null;
  private cachedEarliest: number | null;
  private cachedFatal: SubgraphErrorRecord | null;
  private readonly groupCommitMs: number;
  /** Start (performance.now()) of the open group transaction, or null. */
  private groupStarted: number | null = null;
  private groupTimer: NodeJS.Timeout | null = null;
  /** A timer's flush that failed, thrown by the next write (a timer has no caller to tell). */
  private deferredError: unknown = null;
  /** Runs a function in a transaction (without group commit). */
  private readonly atomically: (fn: () => void) => void;
  /** Every write statement runs through it; it records the open group's (redo-log.ts). */
  private readonly log = new RedoLog();
  /** Every per-field index of the schema, and which of them the file has (as far as this connection made or saw them). */
  private readonly allIndexes: FieldIndex[];
  /** Each per-field index by "<Type>.<field>" (for getRelated). */
  private readonly indexByField = new Map<string, FieldIndex>();
  private indexes: Set<string>;
  /** Called after each group's COMMIT (the writer thread acknowledges blocks with it). */
  onCommitted: (() => void) | null = null;
  /** Set: a timer's failed flush goes here rather than to the next write. */
  onTimerError: ((e: unknown) => void) | null = null;

  private constructor(db: Database.Database, schema: SchemaModel, deployment: string, groupCommitMs: number) {
    super(db, schema, deployment);
    this.groupCommitMs = groupCommitMs;
    this.allIndexes = fieldIndexes(schema);
    for (const ix of this.allIndexes) this.indexByField.set(`${ix.entity}.${ix.field}`, ix);
    this.indexes = existingIndexes(db);
    this.w = prepareWrites(db);
    for (const t of this.tables.values()) t.becomeWriter(this.log);
    this.atomically = db.transaction((fn: () => void) => fn());
    this.cachedHead = super.head();
    this.cachedEarliest = super.earliestBlock();
    this.cachedFatal = super.fatalError();
  }

  /**
   * Open (creating if needed) the store file at `path`, or ':memory:'. Fails if
   * the file was created for another deployment or another schema.
   */
  static open(path: string, schema: SchemaModel, opts: OpenOptions & { writerThread?: false }): SqliteStore;
  static open(path: string, schema: SchemaModel, opts: OpenOptions): WritableStore;
  static open(path: string, schema: SchemaModel, opts: OpenOptions): WritableStore {
    if (opts.writerThread && path !== ':memory:' && (opts.groupCommitMs ?? 0) > 0)
      return ThreadedStore.open(path, schema, opts);
    const db = openConnection(path, false);
    try {
      const defer = opts.deferIndexes ?? false;
      ensureSchema(db, path, schema, opts.deployment, { fieldIndexes: !defer });
      const store = new SqliteStore(db, schema, opts.deployment, Math.max(0, opts.groupCommitMs ?? 0));
      // Checkpoints (copying the WAL into the file, fsync'ed twice) cost far more than
      // the pages they copy while catching up: SQLite's default of one per 1,000-page
      // WAL made one nearly every group. With group commit, one per GROUP_WAL_PAGES;
      // safety is the WAL's either way.
      if (store.groupCommitMs > 0) db.pragma(`wal_autocheckpoint = ${GROUP_WAL_PAGES}`);
      if (!defer) store.ensureIndexes();
      return store;
    } catch (e) {
      db.close();
      throw e;
    }
  }

  /**
   * A read-only connection to a store file another connection writes, for the
   * GraphQL layer (WAL: readers see committed blocks and never block the
   * writer). For ':memory:' there is no second connection: use the writer,
   * which is a StoreReader too.
   */
  static openReadonly(path: string, schema: SchemaModel): StoreReader {
    if (path === ':memory:')
      throw new Error(`a ':memory:' store has no second connection: use the SqliteStore itself`);
    const db = openConnection(path, true);
    try {
      const deployment = ensureSchema(db, path, schema, null);
      return new ReadonlyStore(db, schema, deployment);
    } catch (e) {
      db.close();
      throw e;
    }
  }

  override head(): BlockPtr | null {
    return this.cachedHead;
  }

  override earliestBlock(): number | null {
    return this.cachedEarliest;
  }

  override fatalError(): SubgraphErrorRecord | null {
    return this.cachedFatal;
  }

  /**
   * Atomically write block `ptr`: the final state of each entity it changed
   * (`entity: null` = removed), the data sources it created, a non-fatal error
   * it recorded, and the head. The same block may be committed again (same
   * hash) to add more changes; an older block is refused (revert first).
   */
  commitBlock(
    ptr: BlockPtr,
    ops: EntityOp[],
    dataSources: DataSourceRecord[],
    error?: SubgraphErrorRecord,
  ): void {
    this.checkOrder(ptr);
    const changed = ops.length > 0 || dataSources.length > 0 || error !== undefined;
    const n = ptr.number;
    this.commitWith(
      ptr,
      changed,
      () => {
        for (const op of ops) this.table(op.type).writeAt(n, op.id, op.entity);
      },
      dataSources,
      error,
    );
  }

  /**
   * For a writer thread (writer-thread.ts), handed only writes that change
   * something: remember current versions without their values (less memory).
   */
  keepVersionsOnly(): void {
    for (const t of this.tables.values()) t.keepVersionsOnly();
  }

  /** The tables in schema order, as RowWrite numbers them (made once). */
  private tableOrder: VersionTable[] | null = null;

  /** commitBlock with entities and data sources already encoded (writer-thread.ts). */
  commitRows(
    ptr: BlockPtr,
    changed: boolean,
    writes: RowWrite[],
    dataSources: DataSourceRow[],
    error?: SubgraphErrorRecord,
  ): void {
    this.checkOrder(ptr);
    const n = ptr.number;
    const tables = (this.tableOrder ??= [...this.tables.values()]);
    this.commitWith(
      ptr,
      changed,
      () => {
        for (const [t, key, row] of writes) tables[t].writeRowAt(n, key, String(key), row);
      },
      dataSources,
      error,
    );
  }

  private checkOrder(ptr: BlockPtr): void {
    const head = this.cachedHead;
    if (head && ptr.number < head.number)
      throw new Error(
        `cannot commit block ${ptr.number}: the head is already at block ${head.number} (revert first)`,
      );
    if (head && ptr.number === head.number && ptr.hash.toLowerCase() !== head.hash.toLowerCase())
      throw new Error(
        `cannot commit block ${ptr.number} ${ptr.hash}: block ${head.number} was committed as ${head.hash}`,
      );
  }

  private commitWith(
    ptr: BlockPtr,
    changed: boolean,
    writeEntities: () => void,
    dataSources: (DataSourceRecord | DataSourceRow)[],
    error: SubgraphErrorRecord | undefined,
  ): void {
    const w = this.w;
    const run = (st: Database.Statement, params: Params) => this.log.run(st, params);
    const n = ptr.number;
    this.write(() => {
      writeEntities();
      for (const ds of dataSources)
        run(w.addDataSource, [...(Array.isArray(ds) ? ds : dataSourceRow(ds)), n]);
      if (error)
        run(w.addError, [
          error.message,
          error.handler,
          error.blockNumber,
          error.blockHash,
          error.deterministic ? 1 : 0,
          n,
        ]);
      run(w.putBlock, [
        n,
        ptr.hash.toLowerCase(),
        ptr.parentHash.toLowerCase(),
        ptr.timestamp,
        changed ? 1 : 0,
      ]);
      run(w.prune, [n - BLOCK_RETENTION]);
      if (this.cachedEarliest === null) run(w.putMeta, ['earliest_block', String(n)]);
      // Indexing got past the block that had failed (e.g. a retried RPC error): no longer failed.
      if (this.cachedFatal && n >= this.cachedFatal.blockNumber) run(w.delMeta, ['fatal_error']);
    });
    if (this.cachedEarliest === null) this.cachedEarliest = n;
    if (this.cachedFatal && n >= this.cachedFatal.blockNumber) this.cachedFatal = null;
    this.cachedHead = {
      number: n,
      hash: ptr.hash.toLowerCase() as BlockPtr['hash'],
      parentHash: ptr.parentHash.toLowerCase() as BlockPtr['parentHash'],
      timestamp: ptr.timestamp,
    };
  }

  /**
   * Run `fn` atomically: its own transaction, or, with group commit, inside the
   * group's transaction (opened here if needed), undone alone if it fails by
   * rolling back the group and redoing the blocks before it (redo-log.ts).
   */
  private write(fn: () => void): void {
    if (this.deferredError !== null) {
      const e = this.deferredError;
      this.deferredError = null;
      throw e;
    }
    if (this.groupCommitMs > 0 && this.groupStarted === null) {
      this.db.exec('BEGIN IMMEDIATE');
      this.log.start();
      this.groupStarted = performance.now();
      // Unref'd: a pending group never keeps the process alive (close() flushes it).
      this.groupTimer = setTimeout(() => {
        try {
          this.flush();
        } catch (e) {
          if (this.onTimerError) this.onTimerError(e);
          else this.deferredError = e;
        }
      }, this.groupCommitMs).unref();
    }
    const grouped = this.groupStarted !== null;
    const mark = this.log.mark();
    try {
      if (grouped) fn();
      else this.atomically(fn);
    } catch (e) {
      // Versions remembered while writing the failed block may be gone.
      this.forgetCurrents();
      if (grouped) this.undoInGroup(mark);
      throw e;
    }
    // The timer cannot fire while a synchronous caller keeps committing: check here too.
    if (this.groupStarted !== null && performance.now() - this.groupStarted >= this.groupCommitMs)
      this.flush();
  }

  /** Make every block committed so far durable and visible to other connections. */
  flush(): void {
    if (this.groupStarted === null || !this.db.open) return;
    this.endGroup();
    try {
      this.db.exec('COMMIT');
      this.onCommitted?.();
    } catch (e) {
      // The group is lost (or, if SQLite kept it open, rolled back here): the store is
      // back at the last flushed block, and head() says so; the caller indexes again from it.
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      this.reloadCaches();
      throw e;
    }
  }

  /**
   * A block failed inside the group: back to the state before it. If SQLite
   * already rolled back the whole group (e.g. disk full), or the blocks before
   * it cannot be redone, the group is lost: the store is back at the last
   * flushed block, and head() says so.
   */
  private undoInGroup(mark: number): void {
    let lost = !this.db.inTransaction;
    if (!lost) {
      this.db.exec('ROLLBACK');
      try {
        if (mark > 0) {
          this.db.exec('BEGIN IMMEDIATE');
          this.log.redo(mark);
        } else this.endGroup(); // the failed block was the group's first: nothing to redo
      } catch {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        lost = true;
      }
    }
    if (lost) {
      this.endGroup();
      this.reloadCaches();
    }
    // An index getRelated made inside the group is gone (it is made again on use).
    this.indexes = existingIndexes(this.db);
  }

  private endGroup(): void {
    this.log.stop();
    this.groupStarted = null;
    if (this.groupTimer) clearTimeout(this.groupTimer);
    this.groupTimer = null;
  }

  private reloadCaches(): void {
    this.cachedHead = super.head();
    this.cachedEarliest = super.earliestBlock();
    this.cachedFatal = super.fatalError();
    this.indexes = existingIndexes(this.db); // one made inside a lost group is gone too
    this.forgetCurrents();
  }

  private forgetCurrents(): void {
    for (const t of this.tables.values()) t.forgetCurrents();
  }

  /** Whether every per-field index exists (false while deferred: see OpenOptions.deferIndexes). */
  hasAllIndexes(): boolean {
    return this.allIndexes.every((ix) => this.indexes.has(ix.name));
  }

  /**
   * Create the per-field indexes a store opened with `deferIndexes` left out
   * (idempotent; a no-op once they exist). Flushes a pending group first and
   * builds them in one transaction, blocking this connection meanwhile (readers
   * keep reading): ~4 µs per version row of a table with a dozen indexes in
   * bench/store-bench.ts, a fraction of what maintaining them row by row cost.
   * Returns how many it created.
   */
  ensureIndexes(): number {
    const missing = this.allIndexes.filter((ix) => !this.indexes.has(ix.name));
    if (missing.length === 0) return 0;
    this.flush();
    this.db.transaction(() => {
      for (const ix of missing) this.db.exec(ix.sql);
    })();
    for (const ix of missing) this.indexes.add(ix.name);
    return missing.length;
  }

  /**
   * store.loadRelated during indexing: with deferred indexes, the first call
   * for a reference field creates that field's index (inside the pending
   * group, if any), so handlers never scan a table per call while catching up.
   */
  override getRelated(type: string, field: string, id: string): Entity[] {
    for (const t of this.tablesFor(type)) {
      const ix = this.indexByField.get(`${t.entity.name}.${field}`);
      if (ix && !this.indexes.has(ix.name)) {
        this.db.exec(ix.sql);
        this.indexes.add(ix.name);
      }
    }
    return super.getRelated(type, field, id);
  }

  /**
   * Indexing stopped at a block because of `error` (graph-node's failed
   * deployment): record it without moving the head. `fatalError` reports it
   * until a commit reaches that block or a revert goes below it.
   */
  fail(error: SubgraphErrorRecord): void {
    this.write(() => this.log.run(this.w.putMeta, ['fatal_error', JSON.stringify(error)]));
    this.cachedFatal = { ...error };
    this.flush(); // indexing stops here: nothing more will come to complete the group
  }

  /**
   * Undo every block after `blockNumber` (a reorg), in one transaction: versions,
   * data sources and errors created later go, versions closed later reopen,
   * later block pointers go; the head becomes block `blockNumber`. Reverting to
   * before the first committed block empties the store.
   *
   * With group commit, the revert joins the pending group, which is then
   * flushed at once: durable and visible when revertTo returns, and readers go
   * straight from the last flushed state to the reverted one, never seeing
   * the pending group's blocks the reorg orphaned.
   */
  revertTo(blockNumber: number): void {
    const head = this.cachedHead;
    if (!head || blockNumber >= head.number) return;
    const earliest = this.cachedEarliest;
    const wipe = earliest !== null && blockNumber < earliest;
    if (!wipe && !this.blockPtr(blockNumber))
      throw new Error(
        `cannot revert to block ${blockNumber}: its pointer is no longer retained (only the last ${BLOCK_RETENTION} blocks and blocks with changes are kept)`,
      );
    const w = this.w;
    const run = (st: Database.Statement, params: Params) => this.log.run(st, params);
    this.write(() => {
      for (const t of this.tables.values()) t.revertTo(blockNumber);
      for (const st of [w.dsRevert, w.dsReopen, w.errRevert, w.errReopen, w.blocksRevert])
        run(st, [blockNumber]);
      if (wipe) run(w.delMeta, ['earliest_block']);
      if (this.cachedFatal && this.cachedFatal.blockNumber > blockNumber) run(w.delMeta, ['fatal_error']);
    });
    this.reloadCaches();
    this.flush();
  }

  override close(): void {
    if (this.db.open) this.flush();
    super.close();
  }
}

/** SqliteStore.openReadonly, for the GraphQL layer. */
export const openReadonly = (path: string, schema: SchemaModel): StoreReader =>
  SqliteStore.openReadonly(path, schema);

/** A store opened read-only: reads only, always the latest committed state. */
class ReadonlyStore extends StoreReader {
  constructor(db: Database.Database, schema: SchemaModel, deployment: string) {
    super(db, schema, deployment);
  }
}
