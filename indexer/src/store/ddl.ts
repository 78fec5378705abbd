// The SQL schema of a store file: one versioned table per entity type (layout.ts)
// plus the bookkeeping tables, and the check that an existing file was made for
// the same deployment and schema.
//
// Bookkeeping tables are named with a leading "__", which GraphQL reserves, so
// they can never collide with an entity type's table:
//   __meta(key, value)                       format, deployment, schema fingerprint,
//                                            earliest_block, fatal_error (JSON)
//   __blocks(number, hash, parent_hash, timestamp, changed)
//                                            committed block pointers; the head is the
//                                            row with the greatest number
//   __data_sources(vid, template, address, context, creation_block, block_from, block_to)
//   __errors(vid, message, handler, block_number, block_hash, deterministic, block_from, block_to)
//
// Indexes on entity tables, and why (figures: bench/store-bench.ts and the
// report of issue #4; random keys such as "<txHash>-<logIndex>" ids make every
// index entry land on a different page, so each index costs a page write per row):
//   UNIQUE (id, block_from)   one version per id and block; serves get/getAt (the
//                             current version is the one with block_to NULL) and ORDER BY id.
//   (block_from)              revert (DELETE ... WHERE block_from > n) and the API's
//                             `_change_block: {number_gte}` filter.
//   (block_to) WHERE block_to IS NOT NULL   (mutable types only) revert's reopening of
//                             versions closed after n. Current rows stay out of it.
//   (<ref>, id) WHERE <ref> IS NOT NULL     for every single-valued reference field:
//                             `where: {area: "1"}` with the default ORDER BY id (or any
//                             other order, after a sort), `<ref>_in`, and the reverse
//                             lookups of derived fields (store.loadRelated, the API's
//                             derived lists). An equality or IN on <ref> implies NOT NULL,
//                             so SQLite uses the partial index; null references cost nothing.
//   (<field>)                 for every other stored non-list field: serves
//                             `WHERE <field> op ?` and `ORDER BY <field>, id` (SQLite walks
//                             the index and sorts only ties by id: "USE TEMP B-TREE FOR LAST
//                             TERM OF ORDER BY"). Adding id to these keys doubled the write
//                             cost and the file size for no gain on these orderings.
//   None of these are partial on block_to IS NULL: closing a version would then rewrite
//   every index of the row, and time-travel queries could not use them.
//   List fields (JSON text) get no index; `_contains` on them scans.
//
// Deferred indexes. The per-field indexes (the last two kinds) are most of the
// cost of a commit: an Area version has ~30 of them, each a random-position
// B-tree insert. While the indexer catches up with the chain nobody needs fast
// filters, so a store opened with `deferIndexes` creates only the first three
// (what writes, reads by id, time travel and revert need) and
// SqliteStore.ensureIndexes() builds the rest once, when indexing first reaches
// the chain head (CREATE INDEX IF NOT EXISTS: idempotent; one sort per index is
// far cheaper than maintaining it row by row). Until then API filters and
// orderings scan, correct but slow. A reference field queried by
// store.loadRelated gets its index on the first such call, since handlers do
// need that read fast during catch-up. The indexes' existence is the state: a
// file reopened before catching up simply still lacks them.
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { storedFields, type EntityModel, type SchemaModel } from '../schema/model.js';
import { columnName, quoteIdent, sqlType, tableName } from './layout.js';

/** Bumped when the layout of a store file changes incompatibly. */
export const STORE_FORMAT = 'ggn-store/1';

export const META = '__meta';
export const BLOCKS = '__blocks';
export const DATA_SOURCES = '__data_sources';
export const ERRORS = '__errors';

/** Columns every entity table has besides its fields. */
const SYSTEM_COLUMNS = ['vid', 'block_from', 'block_to'];

/** Entity types that get a table: @entity object types (interfaces are unions of them). */
export const tableEntities = (schema: SchemaModel): EntityModel[] =>
  [...schema.entities.values()].filter((e) => e.kind === 'entity').sort((a, b) => cmp(a.name, b.name));

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A digest of everything in the schema that shapes stored data or the API
 * generated from it (types, fields, lists, nullability, derivations, enums),
 * ignoring formatting, comments and descriptions.
 */
export function schemaFingerprint(schema: SchemaModel): string {
  const entities = [...schema.entities.values()]
    .sort((a, b) => cmp(a.name, b.name))
    .map((e) => ({
      name: e.name,
      kind: e.kind,
      immutable: e.immutable,
      idType: e.idType,
      interfaces: [...e.interfaces].sort(),
      fields: e.fields.map((f) => [f.name, f.base, f.list, f.nonNull, f.itemNonNull, f.derivedFrom ?? null]),
    }));
  const enums = [...schema.enums.entries()].sort((a, b) => cmp(a[0], b[0]));
  return createHash('sha256').update(JSON.stringify({ entities, enums })).digest('hex');
}

/** The table of an entity type and the indexes it always has (the first three above). */
function entityTableDdl(schema: SchemaModel, e: EntityModel): string[] {
  const fields = storedFields(e);
  for (const f of fields)
    if (SYSTEM_COLUMNS.includes(f.name))
      throw new Error(`${e.name}.${f.name}: the field name \`${f.name}\` is reserved by the store`);
  const t = tableName(e.name);
  const cols = fields.map(
    (f) => `${columnName(f.name)} ${sqlType(schema, f)}${f.name === 'id' ? ' NOT NULL' : ''}`,
  );
  const ix = (suffix: string) => quoteIdent(`${e.name}_${suffix}`);
  const ddl = [
    `CREATE TABLE ${t} (vid INTEGER PRIMARY KEY, ${cols.join(', ')}, block_from INTEGER NOT NULL, block_to INTEGER) STRICT`,
    `CREATE UNIQUE INDEX ${ix('id_block_from')} ON ${t} ("id", block_from)`,
    `CREATE INDEX ${ix('block_from')} ON ${t} (block_from)`,
  ];
  if (!e.immutable) ddl.push(`CREATE INDEX ${ix('block_to')} ON ${t} (block_to) WHERE block_to IS NOT NULL`);
  return ddl;
}

/** One per-field index of an entity table (the last two kinds above). */
export interface FieldIndex {
  /** The index's name in sqlite_schema (unquoted). */
  name: string;
  entity: string;
  field: string;
  /** Idempotent: CREATE INDEX IF NOT EXISTS. */
  sql: string;
}

/**
 * The per-field indexes of every entity table, in a fixed order. Their names
 * are "<Type>_<field>" ("<Type>_<field>_id" for references), as files made
 * before these indexes could be deferred have them; a name that would collide
 * with another index of the table gets a "_<n>" suffix.
 */
export function fieldIndexes(schema: SchemaModel): FieldIndex[] {
  const out: FieldIndex[] = [];
  for (const e of tableEntities(schema)) {
    const t = tableName(e.name);
    const taken = new Set(['id_block_from', 'block_from', 'block_to'].map((s) => `${e.name}_${s}`));
    const unique = (base: string) => {
      let name = base;
      for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
      taken.add(name);
      return name;
    };
    for (const f of storedFields(e)) {
      if (f.name === 'id' || f.list) continue;
      const c = columnName(f.name);
      const ref = f.base.kind === 'entity';
      const name = unique(`${e.name}_${f.name}${ref ? '_id' : ''}`);
      const sql = ref
        ? `CREATE INDEX IF NOT EXISTS ${quoteIdent(name)} ON ${t} (${c}, "id") WHERE ${c} IS NOT NULL`
        : `CREATE INDEX IF NOT EXISTS ${quoteIdent(name)} ON ${t} (${c})`;
      out.push({ name, entity: e.name, field: f.name, sql });
    }
  }
  return out;
}

/** Names of the indexes the file has. */
export const existingIndexes = (db: Database.Database): Set<string> =>
  new Set(db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index'`).pluck().all() as string[]);

function bookkeepingDdl(): string[] {
  return [
    `CREATE TABLE ${META} (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT`,
    `CREATE TABLE ${BLOCKS} (number INTEGER PRIMARY KEY, hash TEXT NOT NULL, parent_hash TEXT NOT NULL,
       timestamp INTEGER NOT NULL, changed INTEGER NOT NULL) STRICT`,
    `CREATE INDEX ${BLOCKS}_hash ON ${BLOCKS} (hash)`,
    // Lets pruning find old unchanged pointers without walking the retained ones.
    `CREATE INDEX ${BLOCKS}_unchanged ON ${BLOCKS} (number) WHERE changed = 0`,
    `CREATE TABLE ${DATA_SOURCES} (vid INTEGER PRIMARY KEY, template TEXT NOT NULL, address TEXT NOT NULL,
       context TEXT, creation_block INTEGER NOT NULL, block_from INTEGER NOT NULL, block_to INTEGER) STRICT`,
    `CREATE INDEX ${DATA_SOURCES}_block_from ON ${DATA_SOURCES} (block_from)`,
    `CREATE TABLE ${ERRORS} (vid INTEGER PRIMARY KEY, message TEXT NOT NULL, handler TEXT,
       block_number INTEGER NOT NULL, block_hash TEXT NOT NULL, deterministic INTEGER NOT NULL,
       block_from INTEGER NOT NULL, block_to INTEGER) STRICT`,
    `CREATE INDEX ${ERRORS}_block_from ON ${ERRORS} (block_from)`,
  ];
}

const readMeta = (db: Database.Database, key: string): string | undefined =>
  (db.prepare(`SELECT value FROM ${META} WHERE key = ?`).get(key) as { value: string } | undefined)?.value;

const hasTable = (db: Database.Database, name: string): boolean =>
  db.prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?`).get(name) !== undefined;

/**
 * Create the tables in an empty file, or check that an existing file holds this
 * deployment with this schema. Mixing data of two schemas or deployments in one
 * file would silently corrupt both, so any mismatch is an error. A new file
 * gets its per-field indexes only with `fieldIndexes` (see "Deferred indexes").
 * Returns the deployment stored in the file.
 */
export function ensureSchema(
  db: Database.Database,
  path: string,
  schema: SchemaModel,
  deployment: string | null,
  opts: { fieldIndexes: boolean } = { fieldIndexes: true },
): string {
  const fingerprint = schemaFingerprint(schema);
  if (!hasTable(db, META)) {
    const anyTable = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' LIMIT 1`).get();
    if (anyTable) throw new Error(`${path} is a SQLite database but not an indexer store (no ${META} table)`);
    if (deployment === null)
      throw new Error(`${path} is not an indexer store yet (nothing has been indexed)`);
    db.transaction(() => {
      for (const sql of bookkeepingDdl()) db.exec(sql);
      for (const e of tableEntities(schema)) for (const sql of entityTableDdl(schema, e)) db.exec(sql);
      if (opts.fieldIndexes) for (const ix of fieldIndexes(schema)) db.exec(ix.sql);
      const put = db.prepare(`INSERT INTO ${META} (key, value) VALUES (?, ?)`);
      put.run('format', STORE_FORMAT);
      put.run('deployment', deployment);
      put.run('schema', fingerprint);
    })();
    return deployment;
  }
  const format = readMeta(db, 'format');
  if (format !== STORE_FORMAT)
    throw new Error(`${path} has store format ${format ?? '(none)'}, this indexer writes ${STORE_FORMAT}`);
  const stored = readMeta(db, 'deployment')!;
  if (deployment !== null && stored !== deployment)
    throw new Error(
      `${path} holds deployment ${stored}, not ${deployment}: use another database file (or delete this one) to index a different deployment`,
    );
  if (readMeta(db, 'schema') !== fingerprint)
    throw new Error(
      `${path} was created with a different schema.graphql (deployment ${stored}): use another database file (or delete this one) after a schema change`,
    );
  return stored;
}
