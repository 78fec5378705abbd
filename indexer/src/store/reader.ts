// Everything that reads a store file: entities (current or at a past block),
// the committed block pointers and head, data sources, indexing errors,
// metadata for `_meta` and /health, and the digest. The writer (SqliteStore)
// extends it; the GraphQL layer gets one on a read-only connection
// (openReadonly), or the writer itself for ':memory:'.
import type Database from 'better-sqlite3';
import type { EntityModel, SchemaModel } from '../schema/model.js';
import type { Entity } from '../schema/values.js';
import type { BlockPtr } from '../chain/types.js';
import type { DataSourceRecord, EntityReader, SubgraphErrorRecord } from './types.js';
import { BLOCKS, DATA_SOURCES, ERRORS, META, tableEntities } from './ddl.js';
import { StoreDigest } from './digest.js';
import { entityFromJson } from './entity-json.js';
import { VersionTable } from './versions.js';

export interface StoreMetadata {
  deployment: string;
  /** The last committed block; null before the first commit. */
  head: BlockPtr | null;
  /** The first block ever committed (queries before it have no data); null before the first commit. */
  earliestBlock: number | null;
  /** Deterministic (non-fatal) errors visible at the head, as graph-node's `_meta.hasIndexingErrors`. */
  hasIndexingErrors: boolean;
  /** Set when indexing stopped on an error (SqliteStore.fail); cleared by progress past it or a revert. */
  fatalError: SubgraphErrorRecord | null;
}

interface BlockRow {
  number: number;
  hash: `0x${string}`;
  parent_hash: `0x${string}`;
  timestamp: number;
}

interface ErrorRow {
  message: string;
  handler: string | null;
  block_number: number;
  block_hash: string;
  deterministic: number;
}

const toPtr = (r: BlockRow | undefined): BlockPtr | null =>
  r ? { number: r.number, hash: r.hash, parentHash: r.parent_hash, timestamp: r.timestamp } : null;

const toError = (r: ErrorRow): SubgraphErrorRecord => ({
  message: r.message,
  handler: r.handler,
  blockNumber: r.block_number,
  blockHash: r.block_hash,
  deterministic: r.deterministic === 1,
});

export class StoreReader implements EntityReader {
  /** Version tables of @entity object types, by type name. */
  protected readonly tables = new Map<string, VersionTable>();
  private readonly q: Record<
    'head' | 'ptr' | 'byHash' | 'meta' | 'dataSources' | 'hasErrors' | 'errors',
    Database.Statement
  >;

  protected constructor(
    /** The raw connection, for the query layer's own SQL against layout.ts's tables. */
    readonly db: Database.Database,
    readonly schema: SchemaModel,
    readonly deployment: string,
  ) {
    for (const e of tableEntities(schema)) this.tables.set(e.name, new VersionTable(db, schema, e));
    const cols = 'number, hash, parent_hash, timestamp';
    this.q = {
      head: db.prepare(`SELECT ${cols} FROM ${BLOCKS} ORDER BY number DESC LIMIT 1`),
      ptr: db.prepare(`SELECT ${cols} FROM ${BLOCKS} WHERE number = ?`),
      byHash: db.prepare(`SELECT ${cols} FROM ${BLOCKS} WHERE hash = ?`),
      meta: db.prepare(`SELECT value FROM ${META} WHERE key = ?`).pluck(),
      dataSources: db.prepare(
        `SELECT template, address, context, creation_block FROM ${DATA_SOURCES} WHERE block_to IS NULL ORDER BY vid`,
      ),
      hasErrors: db
        .prepare(
          `SELECT EXISTS (SELECT 1 FROM ${ERRORS} WHERE deterministic = 1 AND block_from <= ? AND (block_to IS NULL OR block_to > ?))`,
        )
        .pluck(),
      errors: db.prepare(
        `SELECT message, handler, block_number, block_hash, deterministic FROM ${ERRORS}
         WHERE block_from <= ? AND (block_to IS NULL OR block_to > ?) ORDER BY vid`,
      ),
    };
  }

  /** Close the connection (idempotent). */
  close(): void {
    if (this.db.open) this.db.close();
  }

  // ---- blocks ---------------------------------------------------------------

  head(): BlockPtr | null {
    return toPtr(this.q.head.get() as BlockRow | undefined);
  }

  /** The committed block pointer at `number`, if retained (see SqliteStore on retention). */
  blockPtr(number: number): BlockPtr | null {
    return toPtr(this.q.ptr.get(number) as BlockRow | undefined);
  }

  /** For `block: {hash}`: the committed block with this hash (lowercase 0x hex), if retained. */
  blockByHash(hash: string): BlockPtr | null {
    return toPtr(this.q.byHash.get(hash.toLowerCase()) as BlockRow | undefined);
  }

  protected metaValue(key: string): string | undefined {
    return this.q.meta.get(key) as string | undefined;
  }

  earliestBlock(): number | null {
    const v = this.metaValue('earliest_block');
    return v === undefined ? null : Number(v);
  }

  // ---- errors and metadata -------------------------------------------------

  /** Deterministic indexing errors visible at `block` (default: head). graph-node's has_deterministic_errors. */
  hasIndexingErrors(block?: number): boolean {
    const b = block ?? this.head()?.number;
    if (b === undefined) return false;
    return this.q.hasErrors.get(b, b) === 1;
  }

  /** The non-fatal errors recorded up to `block` (default: head), oldest first. */
  indexingErrors(block?: number): SubgraphErrorRecord[] {
    const b = block ?? this.head()?.number;
    if (b === undefined) return [];
    return (this.q.errors.all(b, b) as ErrorRow[]).map(toError);
  }

  fatalError(): SubgraphErrorRecord | null {
    const v = this.metaValue('fatal_error');
    return v === undefined ? null : (JSON.parse(v) as SubgraphErrorRecord);
  }

  metadata(): StoreMetadata {
    // One read transaction, so head and error state agree even while the writer commits.
    return this.db.transaction(() => {
      const head = this.head();
      return {
        deployment: this.deployment,
        head,
        earliestBlock: this.earliestBlock(),
        hasIndexingErrors: head ? this.hasIndexingErrors(head.number) : false,
        fatalError: this.fatalError(),
      };
    })();
  }

  // ---- data sources ----------------------------------------------------------

  /** Dynamic data sources, in creation order. */
  dataSources(): DataSourceRecord[] {
    return (
      this.q.dataSources.all() as {
        template: string;
        address: string;
        context: string | null;
        creation_block: number;
      }[]
    ).map((r) => ({
      template: r.template,
      address: r.address,
      context: entityFromJson(r.context),
      creationBlock: r.creation_block,
    }));
  }

  // ---- entities --------------------------------------------------------------

  /** The tables holding entities of `type`: its own, or its implementers' for an interface. */
  protected tablesFor(type: string): VersionTable[] {
    const model: EntityModel = this.schema.entity(type); // throws for unknown types
    if (model.kind === 'entity') return [this.tables.get(type)!];
    return model.implementers.map((n) => this.tables.get(n)!).filter(Boolean);
  }

  protected table(type: string): VersionTable {
    const t = this.tables.get(type);
    if (t) return t;
    this.schema.entity(type); // throws "not defined in the schema"
    throw new Error(`\`${type}\` is an interface: entities are stored under its implementing types`);
  }

  /** The latest version of an entity, fields sorted by name, null fields left out. */
  get(type: string, id: string): Entity | null {
    return this.findIn(type, id, (t) => t.get(id));
  }

  /** The version of an entity visible at `block` (the state after all handlers of that block). */
  getAt(type: string, id: string, block: number): Entity | null {
    return this.findIn(type, id, (t) => t.getAt(id, block));
  }

  private findIn(type: string, id: string, read: (t: VersionTable) => Entity | null): Entity | null {
    const tables = this.tablesFor(type);
    for (const t of tables) {
      // Through an interface, an id that cannot be an id of one implementer
      // (not hex for a Bytes id) just is not there.
      if (tables.length > 1 && !t.acceptsId(id)) continue;
      const e = read(t);
      if (e) return e;
    }
    return null;
  }

  /** Current entities of `type` whose `field` equals (or, for a list field, contains) `id`, by id. */
  getRelated(type: string, field: string, id: string): Entity[] {
    const out: Entity[] = [];
    for (const t of this.tablesFor(type)) {
      const f = t.entity.fieldsByName.get(field);
      if (!f || f.derivedFrom) throw new Error(`${t.entity.name} has no stored field \`${field}\``);
      out.push(...t.related(f, id));
    }
    return out;
  }

  /** Deterministic digest of every entity visible at `block` (default: head); see digest.ts. */
  digest(block?: number): string {
    return this.db.transaction(() => {
      const head = this.head();
      const b = block ?? head?.number;
      const d = new StoreDigest();
      if (b === undefined) return d.finish();
      if (!head || b > head.number)
        throw new Error(
          `cannot digest block ${b}: the store has only indexed up to block ${head?.number ?? 'none'}`,
        );
      for (const [name, t] of this.tables) for (const row of t.rowsAt(b)) d.add(name, t.decode(row));
      return d.finish();
    })();
  }
}
