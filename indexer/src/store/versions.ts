// One entity type's table of versions (layout.ts): reading the version visible
// at a block, writing a block's final state of an entity, and undoing blocks.
// Statements are prepared once per table; rows are read as raw arrays with
// 64-bit integers as bigint so Int8 and Timestamp survive beyond 2^53.
import type Database from 'better-sqlite3';
import { storedFields, type EntityModel, type FieldModel, type SchemaModel } from '../schema/model.js';
import type { Entity, Value } from '../schema/values.js';
import {
  columnName,
  columnScalar,
  decodeField,
  encodeField,
  hexToBytes,
  tableName,
  type ColumnScalar,
  type SqlValue,
} from './layout.js';

type Row = unknown[]; // [vid, block_from, block_to, id, ...fields] as selected by `cols`
const VID = 0;
const BLOCK_FROM = 1;
const BLOCK_TO = 2;
const FIRST_FIELD = 3;

/** A block's write to an entity was refused (graph-node rejects the same writes). */
export class StoreWriteError extends Error {}

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
    const row = this.current(this.encodeId(id));
    return row ? this.decode(row) : null;
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

  /** The column values of an entity's stored fields, `id` excluded (it is the key). */
  private encodeFields(id: string, e: Entity): SqlValue[] {
    for (const name of e.keys()) {
      const f = this.entity.fieldsByName.get(name);
      if (!f) throw new StoreWriteError(`${this.entity.name}[${id}]: the schema has no field \`${name}\``);
      if (f.derivedFrom)
        throw new StoreWriteError(`${this.entity.name}[${id}]: \`${name}\` is derived and cannot be stored`);
    }
    const out: SqlValue[] = [];
    for (let i = 1; i < this.fields.length; i++) {
      const f = this.fields[i];
      const v: Value = e.get(f.name) ?? { kind: 'Null' };
      out.push(encodeField(this.schema, f, v));
    }
    return out;
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
    const cur = this.current(key);
    const sameBlock = cur !== undefined && Number(cur[BLOCK_FROM]) === block;
    const w = this.write;
    const what = `${this.entity.name}[${id}]`;

    if (entity === null) {
      if (!cur) return;
      if (sameBlock) w.deleteVid.run(cur[VID]);
      else if (this.entity.immutable)
        throw new StoreWriteError(
          `${what}: entities of type ${this.entity.name} are immutable and cannot be removed`,
        );
      else w.close.run(block, cur[VID]);
      return;
    }

    const values = this.encodeFields(id, entity);
    if (cur && !sameBlock && values.every((v, i) => sqlEqual(v, cur[FIRST_FIELD + 1 + i]))) return;
    if (cur && sameBlock) {
      w.replace?.run(...values, cur[VID]);
      return;
    }
    if (cur) {
      if (this.entity.immutable)
        throw new StoreWriteError(
          `${what}: entities of type ${this.entity.name} are immutable and cannot be changed once written (block ${Number(cur[BLOCK_FROM])})`,
        );
      w.close.run(block, cur[VID]);
    }
    w.insert.run(key, ...values, block);
  }

  /** Undo every block after `block`: drop versions created later, reopen versions closed later. */
  revertTo(block: number): void {
    const w = this.write;
    w.deleteAfter.run(block);
    w.reopenAfter?.run(block);
  }
}
