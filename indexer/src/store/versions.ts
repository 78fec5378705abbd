// One entity type's table of versions (layout.ts): reading the version visible
// at a block, writing a block's final state of an entity, and undoing blocks.
// Statements are prepared once per table; rows are read as raw arrays with
// 64-bit integers as bigint so Int8 and Timestamp survive beyond 2^53.
//
// The write path is the indexer's hottest loop (one call per entity a block
// changed), so it avoids reading what it can know: the writer's tables remember
// the current version (vid, block_from, encoded values), or the absence, of the
// entities they wrote or read last (CURRENT_CACHE_SIZE of them, least recently
// written or read dropped). So an update is a close and an insert with no read,
// and handlers, which read every entity before they write it, read a
// remembered entity without SQL and create a new one with a single probe. (Guessing that an unknown
// entity is new, with one INSERT ... SELECT ... WHERE NOT EXISTS instead of a
// probe and an INSERT, measured 1.5-2.5x slower: such a statement gets a
// statement journal, which copies every page it touches.)
// The cache describes the rows this connection sees, so the store forgets it
// whenever SQL it did not see changes them: a revert, a failed block (undone
// by a rollback), a lost group.
import type Database from 'better-sqlite3';
import { storedFields, type EntityModel, type FieldModel, type SchemaModel } from '../schema/model.js';
import type { Entity, Value } from '../schema/values.js';
import {
  columnName,
  columnScalar,
  decodeField,
  encodeField,
  encodeScalar,
  hexToBytes,
  tableName,
  type ColumnScalar,
  type SqlValue,
} from './layout.js';
import { RedoLog } from './redo-log.js';
import { IdFilter } from './id-filter.js';

type Row = unknown[]; // [vid, block_from, block_to, id, ...fields] as selected by `cols`
const VID = 0;
const BLOCK_FROM = 1;
const BLOCK_TO = 2;
const FIRST_FIELD = 3;

/**
 * Current versions a mutable table remembers (see the header). An entry is
 * about 1 KB for the subgraph's widest type (Area), so at most ~10 MB for a
 * table with that many live entities; smaller tables cost what they hold.
 */
export const CURRENT_CACHE_SIZE = 10_000;

/** The current version of an entity as the writer knows it; null: the entity does not exist now. */
interface Current {
  vid: number | bigint;
  blockFrom: number;
  /**
   * Column values: [id, ...fields after id] as read (bigint integers), or as written
   * (our encoding), then followed by block_from: the INSERT's own parameters.
   */
  row: SqlValue[];
}

/** A Map key for an encoded id: equal ids, equal keys (Bytes ids compare by content). */
export const cacheKey = (key: SqlValue): string | bigint | number =>
  Buffer.isBuffer(key) ? key.toString('hex') : (key as string | bigint | number);

const NULL_VALUE: Value = { kind: 'Null' };
const NO_VALUES: SqlValue[] = [];

/** A block's write to an entity was refused (graph-node rejects the same writes). */
export class StoreWriteError extends Error {}

/** The refusal of a change (or removal) of an immutable entity written at block `since`. */
export function immutableError(entity: EntityModel, id: string, since: number | null): StoreWriteError {
  return new StoreWriteError(
    since === null
      ? `${entity.name}[${id}]: entities of type ${entity.name} are immutable and cannot be removed`
      : `${entity.name}[${id}]: entities of type ${entity.name} are immutable and cannot be changed once written (block ${since})`,
  );
}

/** The column value of an id given as a string: Bytes ids are 0x hex, Int8 ids decimal. */
export function encodeIdString(scalar: ColumnScalar, id: string): SqlValue {
  switch (scalar) {
    case 'Bytes':
      if (!/^(0x)?([0-9a-fA-F]{2})*$/.test(id))
        throw new StoreWriteError(`\`${id}\` is not a valid Bytes id (0x hex)`);
      return Buffer.from(hexToBytes(id));
    case 'Int8':
      if (!/^-?[0-9]+$/.test(id)) throw new StoreWriteError(`\`${id}\` is not a valid Int8 id`);
      return BigInt(id);
    default:
      return id;
  }
}

/** The JSON element a list column holds for an id (layout.ts list encoding). */
function listItemOfIdString(scalar: ColumnScalar, id: string): string | number {
  if (scalar === 'Bytes')
    return id.toLowerCase().startsWith('0x') ? id.toLowerCase() : '0x' + id.toLowerCase();
  if (scalar === 'Int8') return Number(id);
  return id;
}

function sqlEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint'))
    return BigInt(a) === BigInt(b);
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  return false;
}

/** Whether two rows (Current.row) have the same `n` fields after the id. */
export function sameFields(a: SqlValue[], b: SqlValue[], n: number): boolean {
  for (let i = 1; i <= n; i++) if (!sqlEqual(a[i], b[i])) return false;
  return true;
}

export class VersionTable {
  readonly entity: EntityModel;
  /** Stored fields, `id` first, then in schema order: the column order of every row. */
  readonly fields: FieldModel[];
  /** Indexes into `fields` in field-name order, so decoded entities come out sorted. */
  private readonly sortedFieldIdx: number[];
  private readonly idScalar: ColumnScalar;
  private readonly table: string;
  private readonly cols: string;
  private readonly read: {
    latest: Database.Statement;
    latestAt: Database.Statement;
    visibleAt: Database.Statement;
  };
  /** Per field after `id`: its value's column encoding (encodeField, with the field's scalar resolved once). */
  private readonly encoders: ((v: Value) => SqlValue)[];
  /** Stored field name -> its index in `encoders` (`id` left out). */
  private readonly encoderOf = new Map<string, number>();
  /**
   * Current versions by cacheKey(id), Map order = least recently remembered first.
   * Only a connection that is the file's single writer may remember what it reads
   * (rememberReads); any connection remembers what it writes.
   */
  private readonly currents = new Map<string | bigint | number, Current | null>();
  private readsRemembered = false;
  /** false: remember versions without their values (keepVersionsOnly). */
  private keepValues = true;
  /** The writer's filter of every id the table holds (id-filter.ts), built on its first lookup. */
  private idFilter: IdFilter | null = null;
  /** Runs (and, in a group, records) this table's writes: the writer's shared log (becomeWriter). */
  private log = new RedoLog();
  private writeStmts?: {
    insert: Database.Statement;
    replace: Database.Statement | null;
    close: Database.Statement;
    deleteVid: Database.Statement;
    deleteAfter: Database.Statement;
    reopenAfter: Database.Statement | null;
  };

  constructor(
    private readonly db: Database.Database,
    private readonly schema: SchemaModel,
    entity: EntityModel,
  ) {
    this.entity = entity;
    const stored = storedFields(entity);
    this.fields = [stored.find((f) => f.name === 'id')!, ...stored.filter((f) => f.name !== 'id')];
    this.sortedFieldIdx = this.fields
      .map((f, i) => [f.name, i] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([, i]) => i);
    this.idScalar = columnScalar(schema, this.fields[0]);
    this.encoders = this.fields.slice(1).map((f) => {
      if (f.list) return (v: Value) => encodeField(schema, f, v);
      const scalar = columnScalar(schema, f);
      return (v: Value) => encodeScalar(scalar, v);
    });
    this.fields.slice(1).forEach((f, i) => this.encoderOf.set(f.name, i));
    this.table = tableName(entity.name);
    this.cols = this.fields.map((f) => columnName(f.name)).join(', ');
    const sel = `SELECT vid, block_from, block_to, ${this.cols} FROM ${this.table}`;
    const prep = (sql: string) => db.prepare(sql).raw(true).safeIntegers(true);
    // An id's versions have disjoint ranges, so the one with the greatest block_from
    // (<= B) is the only candidate: one index probe however long the history (a
    // filter on block_to instead would visit every version of a hot entity).
    this.read = {
      latest: prep(`${sel} WHERE "id" = ? ORDER BY block_from DESC LIMIT 1`),
      latestAt: prep(`${sel} WHERE "id" = ? AND block_from <= ? ORDER BY block_from DESC LIMIT 1`),
      visibleAt: prep(`${sel} WHERE block_from <= ? AND (block_to IS NULL OR block_to > ?) ORDER BY "id"`),
    };
  }

  /** Write statements are prepared on first use: a read-only connection never needs them. */
  private get write() {
    if (!this.writeStmts) {
      const t = this.table;
      const marks = this.fields.map(() => '?').join(', ');
      const sets = this.fields
        .slice(1)
        .map((f) => `${columnName(f.name)} = ?`)
        .join(', ');
      this.writeStmts = {
        insert: this.db.prepare(`INSERT INTO ${t} (${this.cols}, block_from) VALUES (${marks}, ?)`),
        replace: sets ? this.db.prepare(`UPDATE ${t} SET ${sets} WHERE vid = ?`) : null, // null: only an id
        close: this.db.prepare(`UPDATE ${t} SET block_to = ? WHERE vid = ?`),
        deleteVid: this.db.prepare(`DELETE FROM ${t} WHERE vid = ?`),
        deleteAfter: this.db.prepare(`DELETE FROM ${t} WHERE block_from > ?`),
        reopenAfter: this.entity.immutable
          ? null
          : this.db.prepare(`UPDATE ${t} SET block_to = NULL WHERE block_to > ?`),
      };
    }
    return this.writeStmts;
  }

  acceptsId(id: string): boolean {
    try {
      this.encodeId(id);
      return true;
    } catch {
      return false;
    }
  }

  encodeId(id: string): SqlValue {
    return encodeIdString(this.idScalar, id);
  }

  decode(row: Row): Entity {
    const e: Entity = new Map();
    for (const i of this.sortedFieldIdx) {
      const raw = row[FIRST_FIELD + i];
      // graph-node leaves null columns out of the entities it loads.
      if (raw !== null) e.set(this.fields[i].name, decodeField(this.schema, this.fields[i], raw));
    }
    return e;
  }

  /** The current version's row, if the entity exists now. */
  private current(key: SqlValue): Row | undefined {
    const row = this.read.latest.get(key) as Row | undefined;
    return row && row[BLOCK_TO] === null ? row : undefined;
  }

  get(id: string): Entity | null {
    const key = this.encodeId(id);
    if (!this.readsRemembered || !this.keepValues) {
      const row = this.current(key);
      return row ? this.decode(row) : null;
    }
    const ck = cacheKey(key);
    let cur = this.currents.get(ck);
    if (cur === undefined) this.remember(ck, (cur = this.load(key)));
    return cur === null ? null : this.decodeCurrent(cur);
  }

  /**
   * Called by the file's single writer (SqliteStore): its writes run through its
   * redo log, and get() remembers what it reads, which stays exact because every
   * change goes through this connection (see the header).
   */
  becomeWriter(log: RedoLog): void {
    this.log = log;
    this.readsRemembered = true;
  }

  /** Fields after the id (the length of a row's field part). */
  get fieldCount(): number {
    return this.encoders.length;
  }

  /** decode() of the row a remembered version stands for (its values decode as the stored ones do). */
  private decodeCurrent(cur: Current): Entity {
    return this.decodeColumns(cur.row);
  }

  /** decode() of Current.row: [id, ...fields after id(, block_from)]. */
  decodeColumns(row: SqlValue[]): Entity {
    const e: Entity = new Map();
    for (const i of this.sortedFieldIdx) {
      const raw = row[i];
      if (raw !== null) e.set(this.fields[i].name, decodeField(this.schema, this.fields[i], raw));
    }
    return e;
  }

  getAt(id: string, block: number): Entity | null {
    const row = this.read.latestAt.get(this.encodeId(id), block) as Row | undefined;
    if (!row || (row[BLOCK_TO] !== null && Number(row[BLOCK_TO]) <= block)) return null;
    return this.decode(row);
  }

  /** Every entity visible at `block`, ordered by id (raw rows, for digest and scans). */
  *rowsAt(block: number): Generator<Row> {
    for (const row of this.read.visibleAt.iterate(block, block)) yield row as Row;
  }

  /** Current entities whose `field` equals `id` (or, for a list field, contains it), by id. */
  related(field: FieldModel, id: string): Entity[] {
    const scalar = columnScalar(this.schema, field);
    const col = columnName(field.name);
    const sel = `SELECT vid, block_from, block_to, ${this.cols} FROM ${this.table}`;
    const rows = field.list
      ? this.cached(
          `related:${field.name}`,
          `${sel} WHERE block_to IS NULL AND EXISTS (SELECT 1 FROM json_each(${col}) WHERE json_each.value = ?) ORDER BY "id"`,
        ).all(listItemOfIdString(scalar, id))
      : this.cached(
          `related:${field.name}`,
          `${sel} WHERE ${col} = ? AND block_to IS NULL ORDER BY "id"`,
        ).all(encodeIdString(scalar, id));
    return (rows as Row[]).map((r) => this.decode(r));
  }

  private readonly extra = new Map<string, Database.Statement>();
  private cached(key: string, sql: string): Database.Statement {
    let st = this.extra.get(key);
    if (!st) this.extra.set(key, (st = this.db.prepare(sql).raw(true).safeIntegers(true)));
    return st;
  }

  /**
   * The INSERT parameters of a version of entity `id` (encoded as `key`) from
   * `block`: [key, ...stored fields after id, block].
   */
  encodeRow(key: SqlValue, id: string, e: Entity, block: number): SqlValue[] {
    // Fast path: one pass over the entity's own fields. Anything unusual (a field the
    // table does not store, a value that does not encode) takes the checked path
    // below, so errors stay exactly what they were.
    const n = this.encoders.length;
    const out = new Array<SqlValue>(n + 2).fill(null);
    out[0] = key;
    out[n + 1] = block;
    let unusual = false;
    try {
      // forEach, not for-of: no [name, value] array per field.
      e.forEach((v, name) => {
        if (unusual) return;
        const i = this.encoderOf.get(name);
        if (i !== undefined) out[i + 1] = this.encoders[i]!(v);
        else if (name !== 'id') unusual = true;
      });
    } catch {
      unusual = true;
    }
    return unusual ? [key, ...this.encodeFields(id, e), block] : out;
  }

  /** The column values of an entity's stored fields, `id` excluded (it is the key). */
  private encodeFields(id: string, e: Entity): SqlValue[] {
    for (const name of e.keys()) {
      const f = this.entity.fieldsByName.get(name);
      if (!f) throw new StoreWriteError(`${this.entity.name}[${id}]: the schema has no field \`${name}\``);
      if (f.derivedFrom)
        throw new StoreWriteError(`${this.entity.name}[${id}]: \`${name}\` is derived and cannot be stored`);
    }
    const n = this.encoders.length;
    const out: SqlValue[] = new Array<SqlValue>(n);
    for (let i = 0; i < n; i++) out[i] = this.encoders[i](e.get(this.fields[i + 1].name) ?? NULL_VALUE);
    return out;
  }

  /** The current version as stored (a read), null if the entity does not exist now. */
  private load(key: SqlValue): Current | null {
    if (this.readsRemembered && !this.ids().mayHave(String(cacheKey(key)))) return null;
    return this.loadStored(key);
  }

  /** The current version as this connection sees it in the file (always SQL). */
  loadStored(key: SqlValue): Current | null {
    const row = this.current(key);
    return row
      ? {
          vid: row[VID] as bigint,
          blockFrom: Number(row[BLOCK_FROM]),
          row: row.slice(FIRST_FIELD) as SqlValue[],
        }
      : null;
  }

  /**
   * Every id in the table (any version, reverted ones included: a superset is
   * safe), then kept up to date by writeAt. Only the single writer has one:
   * nobody else changes the table behind its back.
   */
  private ids(): IdFilter {
    if (this.idFilter === null) {
      const f = new IdFilter();
      this.scanIds((ck) => f.add(ck));
      this.idFilter = f;
    }
    return this.idFilter;
  }

  /** String(cacheKey(id)) of every version in the table, as this connection sees it. */
  scanIds(add: (ck: string) => void): void {
    const all = this.db.prepare(`SELECT "id" FROM ${this.table}`).raw(true).safeIntegers(true);
    for (const [id] of all.iterate() as IterableIterator<[SqlValue]>) add(String(cacheKey(id)));
  }

  /**
   * Remember current versions without their values: for a writer thread, which is
   * handed only writes that change something (writer-thread.ts decided), so it
   * never compares values, and the main thread remembers them already.
   */
  keepVersionsOnly(): void {
    this.keepValues = false;
    this.currents.clear();
  }

  private remember(ck: string | bigint | number, cur: Current | null): void {
    if (cur !== null && !this.keepValues) cur = { vid: cur.vid, blockFrom: cur.blockFrom, row: NO_VALUES };
    const m = this.currents;
    m.delete(ck); // re-inserted at the end: the Map's order is least recently written first
    m.set(ck, cur);
    if (m.size > CURRENT_CACHE_SIZE) m.delete(m.keys().next().value!);
  }

  /** Forget every remembered current version (the rows changed behind the cache's back). */
  forgetCurrents(): void {
    this.currents.clear();
  }

  /**
   * Record the final state of entity `id` after block `block` (null = removed):
   * close the current version at `block` and add the new one. A version that
   * this same block already wrote is replaced in place, so no zero-length range
   * is left behind. An unchanged entity writes nothing (graph-node skips
   * unchanged entities too, which keeps `_change_block` exact).
   */
  writeAt(block: number, id: string, entity: Entity | null): void {
    const key = this.encodeId(id);
    this.writeRowAt(block, key, id, entity === null ? null : this.encodeRow(key, id, entity, block));
  }

  /**
   * writeAt with the entity already encoded (`row`: encodeRow's, null = removed),
   * e.g. by the main thread for a writer thread (writer-thread.ts).
   */
  writeRowAt(block: number, key: SqlValue, id: string, row: SqlValue[] | null): void {
    const ck = cacheKey(key);
    const w = this.write;
    let cur = this.currents.get(ck); // undefined: not known

    if (row === null) {
      if (cur === undefined) cur = this.load(key);
      if (cur === null) return;
      if (cur.blockFrom === block) this.log.run(w.deleteVid, [cur.vid]);
      else if (this.entity.immutable) throw immutableError(this.entity, id, null);
      else this.log.run(w.close, [block, cur.vid]);
      this.remember(ck, null);
      return;
    }

    if (cur === undefined) cur = this.load(key);
    if (cur === null) {
      const info = this.log.run(w.insert, row);
      this.idFilter?.add(String(ck));
      return this.remember(ck, { vid: info.lastInsertRowid, blockFrom: block, row });
    }
    const sameBlock = cur.blockFrom === block;
    if (!sameBlock && sameFields(row, cur.row, this.encoders.length)) return;
    if (sameBlock) {
      if (w.replace) this.log.run(w.replace, [...row.slice(1, -1), cur.vid]);
      return this.remember(ck, { vid: cur.vid, blockFrom: block, row });
    }
    if (this.entity.immutable) throw immutableError(this.entity, id, cur.blockFrom);
    this.log.run(w.close, [block, cur.vid]);
    const info = this.log.run(w.insert, row);
    this.remember(ck, { vid: info.lastInsertRowid, blockFrom: block, row });
  }

  /** Undo every block after `block`: drop versions created later, reopen versions closed later. */
  revertTo(block: number): void {
    this.forgetCurrents();
    const w = this.write;
    this.log.run(w.deleteAfter, [block]);
    if (w.reopenAfter) this.log.run(w.reopenAfter, [block]);
  }
}
