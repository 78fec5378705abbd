// The main thread's view of one entity table while a writer thread writes it
// (writer-thread.ts): what the file holds, as the main thread's read connection
// sees it, under the writes handed to the writer and not yet seen committed.
//
// The main thread decides every write exactly as VersionTable.writeAt will in
// the writer (same encoding, same "unchanged: nothing to write", same
// immutability refusals), so a refused block throws here, synchronously, and
// the writer only gets blocks it will accept. Since every write starts here,
// this view is exact without asking the writer: it remembers current versions
// like the writer's own tables do (versions.ts: CURRENT_CACHE_SIZE, and an id
// filter, so a new id costs no SQL), except that a version the writer has not
// committed yet ("pending") is never forgotten: the read connection cannot see it.
import type { Entity } from '../schema/values.js';
import { IdFilter } from './id-filter.js';
import type { SqlValue } from './layout.js';
import { CURRENT_CACHE_SIZE, cacheKey, immutableError, sameFields, type VersionTable } from './versions.js';

export type CacheKey = string | bigint | number;

/** A current version: the block it is from and its row (VersionTable.encodeRow's, or read). */
export interface Known {
  blockFrom: number;
  row: SqlValue[];
}

/** A remembered version, and whether the file holds it yet. */
interface Entry {
  cur: Known | null;
  /** The block sequence number (writer-thread.ts) that wrote it, until committed; then 0. */
  seq: number;
}

/**
 * What a block changed in the overlays, as flat triples (overlay, cache key,
 * the entry it replaced): to undo a refused block, or to release a committed one.
 */
export type BlockLog = (TableOverlay | CacheKey | Entry | undefined)[];

/** Undo a block's changes (newest first): it was refused. */
export function undoBlock(log: BlockLog): void {
  for (let i = log.length - 3; i >= 0; i -= 3)
    (log[i] as TableOverlay).restore(log[i + 1] as CacheKey, log[i + 2] as Entry | undefined);
}

/** The writer committed block `seq`: its versions are in the file. */
export function releaseBlock(log: BlockLog, seq: number): void {
  for (let i = 0; i < log.length; i += 3) (log[i] as TableOverlay).release(log[i + 1] as CacheKey, seq);
}

/** How many of the least recently remembered entries eviction looks at for one the file holds. */
const EVICTION_SCAN = 64;

export class TableOverlay {
  /**
   * Current versions remembered, least recently written or loaded first (as
   * VersionTable's): at most CURRENT_CACHE_SIZE of those the file holds, and
   * every one it does not hold yet (seq > 0), which must not be forgotten.
   */
  private readonly entries = new Map<CacheKey, Entry>();
  /** Every id the table holds or was handed (a superset); built on first use. */
  private ids: IdFilter | null = null;

  constructor(
    readonly table: VersionTable,
    /** This table's index in the store's table order (RowWrite). */
    readonly index: number,
  ) {}

  /** The entity now, as the in-thread store would answer (fields by name, nulls left out). */
  get(id: string): Entity | null {
    const key = this.table.encodeId(id);
    const ck = cacheKey(key);
    const e = this.entries.get(ck);
    const cur = e !== undefined ? e.cur : this.load(key, ck);
    return cur === null ? null : this.table.decodeColumns(cur.row);
  }

  /** The version the file holds, remembered (the entity is not remembered). */
  private load(key: SqlValue, ck: CacheKey): Known | null {
    const cur = this.idFilter().mayHave(String(ck)) ? this.table.loadStored(key) : null;
    this.remember(ck, { cur, seq: 0 });
    return cur;
  }

  private idFilter(): IdFilter {
    if (this.ids === null) {
      const f = new IdFilter();
      // The file as committed now, plus everything not yet seen committed: acknowledgements
      // are taken only between store calls, so whatever was released was committed before.
      this.table.scanIds((ck) => f.add(ck));
      for (const [ck, e] of this.entries) if (e.seq !== 0) f.add(String(ck));
      this.ids = f;
    }
    return this.ids;
  }

  private remember(ck: CacheKey, e: Entry): void {
    const m = this.entries;
    m.delete(ck); // re-inserted at the end: least recently remembered first
    m.set(ck, e);
    if (m.size > CURRENT_CACHE_SIZE) {
      let scanned = 0;
      for (const [k, old] of m) {
        if (old.seq === 0) {
          m.delete(k);
          break;
        }
        if (++scanned >= EVICTION_SCAN) break; // all pending: the map grows until they are committed
      }
    }
  }

  /**
   * Block `seq` (number `block`) writes entity `id` (null = removed): decided as
   * VersionTable.writeRowAt will, so this throws what it would throw. Makes the
   * new state pending (logged in `log`) and returns the row to hand the writer,
   * or undefined if there is nothing to write.
   */
  plan(
    block: number,
    seq: number,
    id: string,
    entity: Entity | null,
    log: BlockLog,
  ): { key: SqlValue; row: SqlValue[] | null } | undefined {
    const t = this.table;
    const key = t.encodeId(id);
    const ck = cacheKey(key);
    const row = entity === null ? null : t.encodeRow(key, id, entity, block);
    const e = this.entries.get(ck);
    const cur = e !== undefined ? e.cur : this.load(key, ck);
    if (row === null) {
      if (cur === null) return undefined;
      if (cur.blockFrom !== block && t.entity.immutable) throw immutableError(t.entity, id, null);
    } else if (cur !== null && cur.blockFrom !== block) {
      if (sameFields(row, cur.row, t.fieldCount)) return undefined;
      if (t.entity.immutable) throw immutableError(t.entity, id, cur.blockFrom);
    }
    log.push(this, ck, e);
    this.remember(ck, { cur: row === null ? null : { blockFrom: block, row }, seq });
    if (cur === null) this.ids?.add(String(ck));
    return { key, row };
  }

  /** Put back the entry a refused block replaced. */
  restore(ck: CacheKey, prev: Entry | undefined): void {
    if (prev) this.entries.set(ck, prev);
    else this.entries.delete(ck);
  }

  /** The writer committed block `seq`: its version of `ck`, unless written again since, is in the file now. */
  release(ck: CacheKey, seq: number): void {
    const e = this.entries.get(ck);
    if (e !== undefined && e.seq === seq) e.seq = 0;
  }

  /** Forget everything remembered (the file changed in ways this view did not decide: revert, failure). */
  forget(): void {
    this.entries.clear();
  }
}
