// Resolving a root field's whole tree on the versioned store: one SQL statement per
// root field, then one per (field, level) for everything nested: references and
// derived fields of all parents at a level are fetched together (json_each of the
// parent ids), and per-parent `first`/`skip` of nested lists is a window function.
// Semantics follow graph-node's graphql/src/store/{query,prefetch,resolver}.rs and
// store/postgres/src/relational_queries.rs.
import {
  getArgumentValues,
  type FieldNode,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql/index.js';
import type Database from 'better-sqlite3';
import type { EntityModel, FieldModel, SchemaModel } from '../schema/model.js';
import { storedFields } from '../schema/model.js';
import { quoteIdent } from '../store/layout.js';
import type { StoreReader } from '../store/reader.js';
import {
  ambiguousDerivedFromResult,
  entityFieldError,
  notYetIndexed,
  orderByNotSupported,
  prunedAway,
  QueryExecutionError,
  rangeArgumentsError,
  valueParseError,
} from './errors.js';
import { collectFields, type Selection } from './fields.js';
import { compileWhere, idAsJson, idFromJson, pgLike, Sql, visibleAt, type FilterContext } from './filter.js';
import { formatField, formatId, parseBytes } from './values.js';

/** graph-node defaults: GRAPH_GRAPHQL_MAX_FIRST and GRAPH_GRAPHQL_MAX_SKIP. */
export const MAX_FIRST = 1000;
export const MAX_SKIP = 4_294_967_295;

export interface QueryBlock {
  number: number;
  /** null when the query pinned the block by number (graph-node then reports no hash). */
  hash: string | null;
}

export class Executor {
  private readonly stmts = new Map<string, Database.Statement>();

  constructor(
    readonly store: StoreReader,
    readonly model: SchemaModel,
    readonly schema: GraphQLSchema,
  ) {
    // Postgres LIKE/ILIKE semantics for the text filters (filter.ts).
    store.db.function('pg_like', { deterministic: true }, (v: unknown, p: unknown) => pgLike(v, p, false));
    store.db.function('pg_ilike', { deterministic: true }, (v: unknown, p: unknown) => pgLike(v, p, true));
  }

  get deployment(): string {
    return this.store.deployment;
  }

  private all(sql: Sql, text: string): Record<string, unknown>[] {
    let stmt = this.stmts.get(text);
    if (!stmt) {
      if (this.stmts.size > 500) this.stmts.clear();
      stmt = this.store.db.prepare(text);
      stmt.safeIntegers(true); // Int8 and Timestamp need all 64 bits
      this.stmts.set(text, stmt);
    }
    return stmt.all(sql.params) as Record<string, unknown>[];
  }

  // ---- block constraints (graphql/src/store/resolver.rs `locate_blocks`) -------

  resolveBlock(arg: unknown): QueryBlock {
    const head = this.store.head();
    if (!head) throw new QueryExecutionError(`subgraph ${this.deployment} has not started syncing yet`);
    const queryable = (n: number, what: string) => {
      if (n > head.number) throw valueParseError(what, notYetIndexed(this.deployment, head.number, n));
      const earliest = this.store.earliestBlock() ?? 0;
      if (n < earliest) throw valueParseError(what, prunedAway(this.deployment, earliest, n));
    };
    if (arg === null || arg === undefined) return { number: head.number, hash: head.hash };
    const b = arg as { hash?: string | null; number?: number | null; number_gte?: number | null };
    if (b.hash !== undefined && b.hash !== null) {
      const hex = '0x' + parseBytes(b.hash, 'block.hash').toString('hex');
      const ptr = this.store.blockByHash(hex);
      if (!ptr) throw valueParseError('block.hash', 'no block with that hash found');
      queryable(ptr.number, 'block.number');
      return { number: ptr.number, hash: ptr.hash };
    }
    if (b.number !== undefined && b.number !== null) {
      queryable(b.number, 'block.number');
      return { number: b.number, hash: null };
    }
    if (b.number_gte !== undefined && b.number_gte !== null) {
      if (head.number < b.number_gte)
        throw valueParseError('block.number_gte', notYetIndexed(this.deployment, head.number, b.number_gte));
      return { number: head.number, hash: head.hash };
    }
    throw new QueryExecutionError(`Invalid value provided for argument \`block\`: ${JSON.stringify(arg)}`);
  }

  hasIndexingErrors(block: number): boolean {
    return this.store.hasIndexingErrors(block);
  }

  // ---- root fields --------------------------------------------------------------

  /** `_meta`: block pointer, deployment, hasIndexingErrors. */
  meta(block: QueryBlock): {
    block: Record<string, unknown>;
    deployment: string;
    hasIndexingErrors: boolean;
  } {
    // graph-node looks timestamp and parent hash up by the block hash; a block pinned by
    // number has none, so both are null then.
    const ptr = block.hash ? this.store.blockByHash(block.hash) : null;
    return {
      block: {
        hash: block.hash,
        number: block.number,
        timestamp: ptr ? ptr.timestamp : null,
        parentHash: ptr ? ptr.parentHash : null,
      },
      deployment: this.deployment,
      hasIndexingErrors: this.hasIndexingErrors(block.number),
    };
  }

  single(
    entity: EntityModel,
    id: string,
    block: QueryBlock,
    nodes: readonly FieldNode[],
    sel: Selection,
  ): unknown {
    const idValue = (e: EntityModel): unknown => {
      if (e.idType === 'Bytes') return parseBytes(id, 'id');
      if (e.idType !== 'Int8') return id;
      if (!/^-?\d+$/.test(id)) throw valueParseError('Int8', id);
      return BigInt(id);
    };
    const sql = new Sql();
    const ctx: FilterContext = { model: this.model, block: block.number };
    const branches = this.concrete(entity).map((e) => {
      const a = sql.alias('c');
      return `SELECT ${this.columns(entity, e, a)} FROM ${quoteIdent(e.name)} ${a} WHERE ${a}."id" = ${sql.p(idValue(e))} AND ${visibleAt(sql, a, ctx.block)}`;
    });
    if (branches.length === 0) return null; // an interface nothing implements
    const rows = this.all(sql, branches.join(' UNION ALL ') + ' LIMIT 1');
    if (rows.length === 0) return null;
    const out = this.resolveObjects(rows, nodes, sel, block);
    return out[0];
  }

  plural(
    entity: EntityModel,
    args: Record<string, unknown>,
    block: QueryBlock,
    nodes: readonly FieldNode[],
    sel: Selection,
  ): unknown[] {
    const range = checkRange(args);
    const sql = new Sql();
    const ctx: FilterContext = { model: this.model, block: block.number };
    const order = this.order(entity, args);
    const tables = this.concrete(entity);
    let text: string;
    if (tables.length === 1 && entity.kind === 'entity') {
      const a = sql.alias('c');
      const { join, key } = this.sortJoin(sql, order, a, ctx.block);
      const where = compileWhere(ctx, sql, entity, a, args['where']);
      text =
        `SELECT ${this.columns(entity, entity, a)} FROM ${quoteIdent(entity.name)} ${a}${join} ` +
        `WHERE ${visibleAt(sql, a, ctx.block)} AND ${where} ` +
        `ORDER BY ${orderClause(order, key, `${a}."id"`)} LIMIT ${sql.p(range.first)} OFFSET ${sql.p(range.skip)}`;
    } else {
      const branches = tables.map((e) => this.branch(sql, ctx, entity, e, args['where'], order, undefined));
      if (branches.length === 0) return [];
      text =
        `SELECT * FROM (${branches.join(' UNION ALL ')}) ` +
        `ORDER BY ${orderClause(order, '__sk', '"id"')} LIMIT ${sql.p(range.first)} OFFSET ${sql.p(range.skip)}`;
    }
    const rows = this.all(sql, text);
    return this.resolveObjects(rows, nodes, sel, block);
  }

  // ---- SQL building blocks --------------------------------------------------------

  /** The object types holding rows of `entity` (itself, or an interface's implementers). */
  concrete(entity: EntityModel): EntityModel[] {
    return entity.kind === 'interface' ? entity.implementers.map((n) => this.model.entity(n)) : [entity];
  }

  /** Select list of a branch: `__typename` plus the columns of every type `asType` may be. */
  private columns(asType: EntityModel, table: EntityModel, alias: string): string {
    const cols = [`'${table.name}' AS __typename`];
    if (asType.kind === 'entity') cols.push(`${alias}.*`);
    else {
      const names = new Set<string>();
      for (const e of this.concrete(asType)) for (const f of storedFields(e)) names.add(f.name);
      for (const n of names)
        cols.push(
          table.fieldsByName.get(n) && !table.fieldsByName.get(n)!.derivedFrom
            ? `${alias}.${quoteIdent(n)}`
            : `NULL AS ${quoteIdent(n)}`,
        );
    }
    return cols.join(', ');
  }

  /** graph-node `build_order`: Default (id asc), by a field, or by a child's field. */
  private order(entity: EntityModel, args: Record<string, unknown>): Order {
    const dir = args['orderDirection'] === 'desc' ? 'DESC' : 'ASC';
    const orderBy = args['orderBy'] as string | undefined | null;
    if (!orderBy) return { kind: 'id', dir: 'ASC' };
    const [parentName, childName] = orderBy.split('__') as [string, string | undefined];
    const f = entity.fieldsByName.get(parentName);
    if (!f) throw entityFieldError(entity.name, parentName);
    if (childName === undefined) {
      if (f.name === 'id') return { kind: 'id', dir };
      if (f.list || f.base.kind !== 'scalar') throw orderByNotSupported(entity.name, f.name);
      return { kind: 'field', dir, field: f, nullable: !f.nonNull };
    }
    if (f.base.kind !== 'entity') throw entityFieldError(entity.name, parentName);
    const child = this.model.entity(f.base.entity);
    const cf = child.fieldsByName.get(childName);
    if (!cf) throw entityFieldError(child.name, childName);
    if (cf.list || cf.base.kind !== 'scalar') throw orderByNotSupported(child.name, childName);
    if (child.kind === 'interface')
      throw new QueryExecutionError('Not supported: Sorting by attributes of interface children');
    return { kind: 'child', dir, parentField: f, child, childField: cf };
  }

  /** The LEFT JOIN a child sort needs, and the sort key expression. */
  private sortJoin(sql: Sql, order: Order, alias: string, block: number): { join: string; key: string } {
    if (order.kind === 'id') return { join: '', key: `${alias}."id"` };
    if (order.kind === 'field') return { join: '', key: `${alias}.${quoteIdent(order.field.name)}` };
    const cc = sql.alias('cs');
    const f = order.parentField;
    let on: string;
    if (f.derivedFrom) on = `${cc}.${quoteIdent(f.derivedFrom)} = ${alias}."id"`;
    else on = `${cc}."id" = ${alias}.${quoteIdent(f.name)}`;
    return {
      join: ` LEFT JOIN ${quoteIdent(order.child.name)} ${cc} ON ${on} AND ${visibleAt(sql, cc, block)}`,
      key: `${cc}.${quoteIdent(order.childField.name)}`,
    };
  }

  /** One concrete table's rows of a (possibly nested) collection, with `__sk` and `__p`. */
  private branch(
    sql: Sql,
    ctx: FilterContext,
    asType: EntityModel,
    table: EntityModel,
    where: unknown,
    order: Order,
    link: Link | undefined,
  ): string {
    const a = sql.alias('c');
    const { join, key } = this.sortJoin(sql, order, a, ctx.block);
    let from = `${quoteIdent(table.name)} ${a}`;
    let parent = '';
    const conds = [visibleAt(sql, a, ctx.block), compileWhere(ctx, sql, table, a, where)];
    if (link?.kind === 'list') {
      // (parent index, child id) pairs of non-derived list fields
      from = `json_each(${sql.p(link.pairs)}) lp JOIN ${from} ON ${a}."id" = ${idFromJson(table.idType, `(lp.value ->> 1)`)}`;
      parent = 'lp.value ->> 0';
    } else if (link?.kind === 'derived') {
      const back = table.fieldsByName.get(link.field);
      if (!back) throw entityFieldError(table.name, link.field);
      if (back.list) {
        from = `${from} JOIN json_each(${a}.${quoteIdent(back.name)}) lb`;
        conds.push(`lb.value IN (SELECT value FROM json_each(${sql.p(link.parentIds)}))`);
        parent = 'lb.value';
      } else {
        conds.push(
          `${a}.${quoteIdent(back.name)} IN (SELECT ${idFromJson(link.parentIdType, 'value')} FROM json_each(${sql.p(link.parentIds)}))`,
        );
        parent = idAsJson(link.parentIdType, `${a}.${quoteIdent(back.name)}`);
      }
    } else if (link?.kind === 'ids') {
      conds.push(
        `${a}."id" IN (SELECT ${idFromJson(table.idType, 'value')} FROM json_each(${sql.p(link.ids)}))`,
      );
    }
    const extra = [`${key} AS __sk`];
    if (parent) extra.push(`${parent} AS __p`);
    return `SELECT ${this.columns(asType, table, a)}, ${extra.join(', ')} FROM ${from}${join} WHERE ${conds.join(' AND ')}`;
  }

  // ---- nested levels ----------------------------------------------------------------

  /** Turn rows of one level into response objects, fetching what they select below. */
  resolveObjects(
    rows: Record<string, unknown>[],
    nodes: readonly FieldNode[],
    sel: Selection,
    block: QueryBlock,
  ): Record<string, unknown>[] {
    const items: Item[] = rows.map((row) => ({ row, out: { __typename: row['__typename'] } }));
    this.resolveLevel(items, nodes, sel, block);
    return items.map((i) => i.out);
  }

  private resolveLevel(items: Item[], nodes: readonly FieldNode[], sel: Selection, block: QueryBlock): void {
    if (items.length === 0) return;
    const sets = nodes.map((n) => n.selectionSet);
    // Group the level's (response key, concrete type) pairs: one fetch per group.
    const groups = new Map<
      string,
      { type: EntityModel; key: string; fieldNodes: FieldNode[]; items: Item[] }
    >();
    const perType = new Map<string, Map<string, FieldNode[]>>();
    for (const item of items) {
      const typeName = item.row['__typename'] as string;
      let fields = perType.get(typeName);
      if (!fields) {
        fields = collectFields(this.model, sel, sets, typeName);
        perType.set(typeName, fields);
      }
      const type = this.model.entity(typeName);
      for (const [key, fieldNodes] of fields) {
        const name = fieldNodes[0]!.name.value;
        if (name === '__typename') continue; // graphql-js answers it from resolveType
        const f = type.fieldsByName.get(name);
        if (!f) throw new QueryExecutionError(`Type \`${typeName}\` has no field \`${name}\``);
        if (f.base.kind !== 'entity') {
          item.out[key] =
            name === 'id'
              ? formatId(type.idType, item.row['id'])
              : formatField(this.model, f, item.row[name]);
          continue;
        }
        const gk = `${key}\u0000${typeName}`;
        const g = groups.get(gk);
        if (g) g.items.push(item);
        else groups.set(gk, { type, key, fieldNodes, items: [item] });
      }
    }
    for (const g of groups.values()) this.resolveReference(g.type, g.key, g.fieldNodes, g.items, sel, block);
  }

  private resolveReference(
    parentType: EntityModel,
    key: string,
    fieldNodes: FieldNode[],
    items: Item[],
    sel: Selection,
    block: QueryBlock,
  ): void {
    const f = parentType.fieldsByName.get(fieldNodes[0]!.name.value)!;
    const target = this.model.entity((f.base as { entity: string }).entity);
    const ctx: FilterContext = { model: this.model, block: block.number };
    if (this.concrete(target).length === 0) {
      for (const it of items) it.out[key] = f.list ? [] : null; // an interface nothing implements
      return;
    }
    const gqlType = this.schema.getType(parentType.name) as GraphQLObjectType;
    const args = f.list ? getArgumentValues(gqlType.getFields()[f.name]!, fieldNodes[0]!, sel.variables) : {};
    const sql = new Sql();
    let children: Record<string, unknown>[];

    if (!f.derivedFrom && !f.list) {
      // Single reference: fetch the referenced rows by id.
      const ids = new Map<string, unknown>();
      for (const it of items) {
        const raw = it.row[f.name];
        if (raw !== null && raw !== undefined) ids.set(idKey(raw), jsonId(raw));
      }
      if (ids.size === 0) {
        for (const it of items) it.out[key] = null;
        return;
      }
      const link: Link = { kind: 'ids', ids: JSON.stringify([...ids.values()]) };
      const branches = this.concrete(target).map((e) =>
        this.branch(sql, ctx, target, e, undefined, { kind: 'id', dir: 'ASC' }, link),
      );
      children = this.all(sql, branches.join(' UNION ALL '));
      const byId = new Map<string, Record<string, unknown>>();
      for (const c of children) byId.set(idKey(c['id']), c);
      const childItems: Item[] = [];
      for (const it of items) {
        const raw = it.row[f.name];
        const c = raw === null || raw === undefined ? undefined : byId.get(idKey(raw));
        if (!c) it.out[key] = null;
        else {
          const child: Item = { row: c, out: { __typename: c['__typename'] } };
          childItems.push(child);
          it.out[key] = child.out;
        }
      }
      this.resolveLevel(childItems, fieldNodes, sel, block);
      return;
    }

    const range = f.list ? checkRange(args) : { first: Number.MAX_SAFE_INTEGER, skip: 0 };
    const order = f.list ? this.order(target, args) : ({ kind: 'id', dir: 'ASC' } as Order);
    let link: Link;
    // Parents are matched to children through `__p`: the parent's index in `items`
    // for list fields, the parent id's JSON form for derived fields.
    const parentsByKey = new Map<string, Item[]>();
    if (f.derivedFrom) {
      const ids = new Map<string, unknown>();
      for (const it of items) {
        const k = idKey(jsonIdFor(parentType.idType, it.row['id']));
        ids.set(k, jsonIdFor(parentType.idType, it.row['id']));
        const list = parentsByKey.get(k);
        if (list) list.push(it);
        else parentsByKey.set(k, [it]);
      }
      link = {
        kind: 'derived',
        field: f.derivedFrom,
        parentIds: JSON.stringify([...ids.values()]),
        parentIdType: parentType.idType,
      };
    } else {
      const pairs: unknown[] = [];
      items.forEach((it, i) => {
        parentsByKey.set(String(i), [it]);
        const raw = it.row[f.name];
        if (raw === null || raw === undefined) return;
        const seen = new Set<string>();
        for (const id of JSON.parse(raw as string) as unknown[]) {
          if (id === null || seen.has(String(id))) continue;
          seen.add(String(id));
          pairs.push([i, id]);
        }
      });
      link = { kind: 'list', pairs: JSON.stringify(pairs) };
    }
    const branches = this.concrete(target).map((e) =>
      this.branch(sql, ctx, target, e, args['where'], order, link),
    );
    const inner = branches.join(' UNION ALL ');
    const text = f.list
      ? `SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY __p ORDER BY ${orderClause(order, '__sk', '"id"')}) AS __rn FROM (${inner})) ` +
        `WHERE __rn > ${sql.p(range.skip)} AND __rn <= ${sql.p(range.skip + range.first)} ORDER BY __p, __rn`
      : inner;
    children = this.all(sql, text);

    const byParent = new Map<string, Record<string, unknown>[]>();
    for (const c of children) {
      const k = idKey(c['__p']);
      const list = byParent.get(k);
      if (list) list.push(c);
      else byParent.set(k, [c]);
    }
    const childItems: Item[] = [];
    for (const [k, parents] of parentsByKey) {
      const rows = byParent.get(k) ?? [];
      if (!f.list && rows.length > 1) {
        // Returned, not thrown: graphql-js raises it as this field's error (see engine.ts).
        for (const p of parents) p.out[key] = ambiguousDerivedFromResult(f.name, target.name, f.derivedFrom!);
        continue;
      }
      for (const p of parents) {
        const outs = rows.map((c) => {
          const child: Item = { row: c, out: { __typename: c['__typename'] } };
          childItems.push(child);
          return child.out;
        });
        p.out[key] = f.list ? outs : (outs[0] ?? null);
      }
    }
    this.resolveLevel(childItems, fieldNodes, sel, block);
  }
}

interface Item {
  row: Record<string, unknown>;
  out: Record<string, unknown>;
}

type Order =
  | { kind: 'id'; dir: 'ASC' | 'DESC' }
  | { kind: 'field'; dir: 'ASC' | 'DESC'; field: FieldModel; nullable: boolean }
  | {
      kind: 'child';
      dir: 'ASC' | 'DESC';
      parentField: FieldModel;
      child: EntityModel;
      childField: FieldModel;
    };

type Link =
  | { kind: 'ids'; ids: string }
  | { kind: 'list'; pairs: string }
  | { kind: 'derived'; field: string; parentIds: string; parentIdType: 'String' | 'Bytes' | 'Int8' };

/** `ORDER BY` as Postgres does it: nulls sort as the largest value, then `id` the same way. */
function orderClause(order: Order, key: string, id: string): string {
  if (order.kind === 'id') return `${id} ${order.dir}`;
  const nullable = order.kind === 'child' || order.nullable;
  const nulls = nullable ? (order.dir === 'ASC' ? ' NULLS LAST' : ' NULLS FIRST') : '';
  return `${key} ${order.dir}${nulls}, ${id} ${order.dir}`;
}

/** graph-node `build_range`: first in 1..=MAX_FIRST (default 100), skip in 0..=MAX_SKIP. */
export function checkRange(args: Record<string, unknown>): { first: number; skip: number } {
  const first = args['first'] === null || args['first'] === undefined ? 100 : (args['first'] as number);
  if (!(first > 0 && first <= MAX_FIRST)) throw rangeArgumentsError('first', MAX_FIRST, first);
  const skip = args['skip'] === null || args['skip'] === undefined ? 0 : (args['skip'] as number);
  if (!(skip >= 0 && skip <= MAX_SKIP)) throw rangeArgumentsError('skip', MAX_SKIP, skip);
  return { first, skip };
}

/** A map key for an id or `__p` value as SQLite returns it (text, blob or integer). */
function idKey(v: unknown): string {
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return '0x' + Buffer.from(v).toString('hex');
  return String(v);
}

/** An id column value as it goes into a JSON parameter. */
function jsonId(v: unknown): unknown {
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return '0x' + Buffer.from(v).toString('hex');
  if (typeof v === 'bigint') return Number(v);
  return v;
}
const jsonIdFor = (_t: string, v: unknown): unknown => jsonId(v);
