// `where: T_filter` compiled to SQL over layout.ts's tables, with graph-node's
// semantics (graphql/src/store/query.rs builds the filter, store/postgres
// relational_queries.rs turns it into SQL). Compiled per concrete table: an
// interface query is a union of its implementers, each filtered on its own.
//
// SQL semantics kept from Postgres:
//   - comparisons with NULL: `= null` is `IS NULL`, `_not: null` is `IS NOT NULL`;
//     otherwise `col <> v` and `col NOT IN (...)` leave out rows where col is null;
//   - `_in: []` and `_not_in: []` are both `false`;
//   - `_contains`/`_starts_with`/`_ends_with` are LIKE patterns: `%` and `_` in the
//     value are wildcards, `\` escapes, and a `_contains` value that already starts
//     or ends with `%` is used as the whole pattern; `_nocase` is ILIKE with C-locale
//     (ASCII-only) case folding;
//   - list `_contains` is `@>` (all given items present), `_not_contains` is
//     `NOT (col && v)` (no item present); both are false when the column is null.
import type { EntityModel, FieldModel, SchemaModel } from '../schema/model.js';
import { columnScalar, quoteIdent, type ColumnScalar } from '../store/layout.js';
import {
  childFilterNesting,
  entityFieldError,
  invalidFilterError,
  invalidOrFilterStructure,
  QueryExecutionError,
  unsupportedFilter,
} from './errors.js';
import { encodeFilterValue, encodeListItem } from './values.js';

/**
 * One statement being built: named parameters (`@p1`…), so fragments can be composed
 * in any order, and table aliases numbered per statement, so the same query shape
 * always gives the same SQL text (and reuses its prepared statement).
 */
export class Sql {
  readonly params: Record<string, unknown> = {};
  private n = 0;
  private aliases = 0;
  p(v: unknown): string {
    const name = `p${++this.n}`;
    this.params[name] = v;
    return `@${name}`;
  }
  alias(prefix: string): string {
    return `${prefix}${++this.aliases}`;
  }
}

/** Rows of `alias` visible at `block` (graph-node's block-range containment). */
export function visibleAt(sql: Sql, alias: string, block: number): string {
  return `${alias}.block_from <= ${sql.p(block)} AND (${alias}.block_to IS NULL OR ${alias}.block_to > ${sql.p(block)})`;
}

/** graph-node's `parse_field_as_filter`: the first matching suffix, in this order. */
const SUFFIXES: [string, string][] = [
  ['_not', 'not'],
  ['_gt', 'gt'],
  ['_lt', 'lt'],
  ['_gte', 'gte'],
  ['_lte', 'lte'],
  ['_not_in', 'not_in'],
  ['_in', 'in'],
  ['_not_contains', 'not_contains'],
  ['_not_contains_nocase', 'not_contains_nocase'],
  ['_contains', 'contains'],
  ['_contains_nocase', 'contains_nocase'],
  ['_not_starts_with', 'not_starts_with'],
  ['_not_starts_with_nocase', 'not_starts_with_nocase'],
  ['_not_ends_with', 'not_ends_with'],
  ['_not_ends_with_nocase', 'not_ends_with_nocase'],
  ['_starts_with', 'starts_with'],
  ['_starts_with_nocase', 'starts_with_nocase'],
  ['_ends_with', 'ends_with'],
  ['_ends_with_nocase', 'ends_with_nocase'],
  ['_', 'child'],
];

export function parseFilterKey(key: string): { field: string; op: string } {
  for (const [suffix, op] of SUFFIXES) if (key.endsWith(suffix)) return { field: trimEnd(key, suffix), op };
  if (key === 'and' || key === 'or') return { field: key, op: key };
  return { field: key, op: '' };
}

/** Rust's `trim_end_matches`: strips the suffix repeatedly. */
function trimEnd(s: string, suffix: string): string {
  while (s.endsWith(suffix)) s = s.slice(0, -suffix.length);
  return s;
}

/** Postgres LIKE / ILIKE (C locale) as SQL functions on the query connection. */
export function likeToRegExp(pattern: string, nocase: boolean): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) re += escapeRe(pattern[++i]!);
    else if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else re += escapeRe(nocase ? asciiLower(c) : c);
  }
  return new RegExp(`^${re}$`, 'u');
}
// Only regex syntax characters: with the `u` flag, escaping anything else is an error.
const escapeRe = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const asciiLower = (s: string): string => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

const likeCache = new Map<string, RegExp>();
export function pgLike(value: unknown, pattern: unknown, nocase: boolean): number | null {
  if (value === null || pattern === null || value === undefined || pattern === undefined) return null;
  const k = (nocase ? 'i' : 'c') + String(pattern);
  let re = likeCache.get(k);
  if (!re) {
    if (likeCache.size > 1000) likeCache.clear();
    re = likeToRegExp(String(pattern), nocase);
    likeCache.set(k, re);
  }
  const v = String(value);
  return re.test(nocase ? asciiLower(v) : v) ? 1 : 0;
}

export interface FilterContext {
  model: SchemaModel;
  block: number;
}

type Where = Record<string, unknown>;
const isObject = (v: unknown): v is Where => typeof v === 'object' && v !== null && !Array.isArray(v);

/** graph-node iterates filter objects in key order (a BTreeMap). */
const sortedKeys = (o: Where): string[] => Object.keys(o).sort();

/** The SQL condition for `where` on rows of the concrete entity `entity` aliased `alias`. */
export function compileWhere(
  ctx: FilterContext,
  sql: Sql,
  entity: EntityModel,
  alias: string,
  where: unknown,
  allowChild = true,
): string {
  if (where === null || where === undefined) return 'true';
  if (!isObject(where)) throw invalidFilterError();
  return and(compileObject(ctx, sql, entity, alias, where, allowChild));
}

const and = (terms: string[]): string => (terms.length === 0 ? 'true' : `(${terms.join(' AND ')})`);
const or = (terms: string[]): string => (terms.length === 0 ? 'false' : `(${terms.join(' OR ')})`);

function compileObject(
  ctx: FilterContext,
  sql: Sql,
  entity: EntityModel,
  alias: string,
  obj: Where,
  allowChild: boolean,
): string[] {
  if ('or' in obj) {
    const columns = sortedKeys(obj).filter((k) => k !== 'or' && k !== 'and' && k !== '_change_block');
    if (columns.length > 0) throw invalidOrFilterStructure(columns);
  }
  const terms: string[] = [];
  for (const key of sortedKeys(obj)) {
    const value = obj[key];
    if (key === '_change_block') {
      const n = isObject(value) ? value['number_gte'] : undefined;
      if (typeof n !== 'number') throw invalidFilterError();
      terms.push(`${alias}.block_from >= ${sql.p(n)}`);
      continue;
    }
    const { field, op } = parseFilterKey(key);
    if (op === 'and' || op === 'or') {
      // graph-node combines the lists of EVERY entry of this object here, and
      // rejects any entry that is not a list of objects.
      const items: string[] = [];
      for (const k of sortedKeys(obj)) {
        const list = obj[k];
        if (!Array.isArray(list)) throw invalidFilterError();
        for (const item of list) {
          if (!isObject(item)) throw invalidFilterError();
          items.push(and(compileObject(ctx, sql, entity, alias, item, allowChild)));
        }
      }
      terms.push(op === 'and' ? and(items) : or(items));
      continue;
    }
    const f = entity.fieldsByName.get(field);
    if (!f) throw entityFieldError(entity.name, field);
    if (op === 'child') {
      if (!isObject(value))
        throw new QueryExecutionError(
          `Query contains value with invalid type \`${typeString(f)}\`: \`${JSON.stringify(value)}\``,
        );
      if (!allowChild) throw childFilterNesting(field, `${key}: ${JSON.stringify(value)}`);
      terms.push(compileChild(ctx, sql, entity, alias, f, value));
      continue;
    }
    terms.push(
      f.list ? compileListOp(ctx, sql, alias, f, op, value) : compileScalarOp(ctx, sql, alias, f, op, value),
    );
  }
  return terms;
}

function typeString(f: FieldModel): string {
  const base =
    f.base.kind === 'scalar' ? f.base.scalar : f.base.kind === 'enum' ? f.base.enum : f.base.entity;
  const inner = f.list ? `[${base}${f.itemNonNull ? '!' : ''}]` : base;
  return f.nonNull ? `${inner}!` : inner;
}

const col = (alias: string, f: FieldModel): string => `${alias}.${quoteIdent(f.name)}`;

function compileScalarOp(
  ctx: FilterContext,
  sql: Sql,
  alias: string,
  f: FieldModel,
  op: string,
  value: unknown,
): string {
  const scalar = columnScalar(ctx.model, f);
  const c = col(alias, f);
  const enc = (v: unknown) => encodeFilterValue(scalar, v);
  switch (op) {
    case '':
    case 'not':
    case 'gt':
    case 'lt':
    case 'gte':
    case 'lte': {
      if (value === null || value === undefined) {
        if (op === '') return `${c} IS NULL`;
        if (op === 'not') return `${c} IS NOT NULL`;
        throw unsupportedFilter(op, 'null');
      }
      const sqlOp = { '': '=', not: '<>', gt: '>', lt: '<', gte: '>=', lte: '<=' }[op]!;
      return `${c} ${sqlOp} ${sql.p(enc(value))}`;
    }
    case 'in':
    case 'not_in': {
      if (!Array.isArray(value)) throw new QueryExecutionError(`Non-list value passed to \`_${op}\` filter`);
      if (value.length === 0) return 'false';
      const nonNull = value.filter((v) => v !== null);
      const parts: string[] = [];
      if (nonNull.length < value.length) parts.push(`${c} ${op === 'in' ? 'IS NULL' : 'IS NOT NULL'}`);
      if (nonNull.length > 0)
        parts.push(`${c} ${op === 'in' ? 'IN' : 'NOT IN'} (${nonNull.map((v) => sql.p(enc(v))).join(', ')})`);
      return parts.length === 1 ? parts[0]! : `(${parts.join(' OR ')})`;
    }
    default:
      return compileTextOp(sql, c, scalar, op, value);
  }
}

/** contains / starts_with / ends_with and their `not` and `nocase` variants. */
function compileTextOp(sql: Sql, c: string, scalar: ColumnScalar, op: string, value: unknown): string {
  const negated = op.startsWith('not_');
  const base = op.replace(/^not_/, '').replace(/_nocase$/, '');
  const nocase = op.endsWith('_nocase');
  if (value === null || value === undefined) throw unsupportedFilter(op, 'null');
  if (scalar === 'Bytes' && !nocase && base === 'contains') {
    // position(needle in col) > 0 on bytea
    const needle = encodeFilterValue('Bytes', value);
    return `instr(${c}, ${sql.p(needle)}) ${negated ? '=' : '>'} 0`;
  }
  if (scalar !== 'String' && scalar !== 'Bytes') throw unsupportedFilter(op, String(value));
  // A reference to a Bytes-id entity is filtered with String operators on its hex text.
  const text = scalar === 'Bytes' ? `('0x' || lower(hex(${c})))` : c;
  const s = String(value);
  let pattern: string;
  if (base === 'contains') pattern = s.startsWith('%') || s.endsWith('%') ? s : `%${s}%`;
  else if (base === 'starts_with') pattern = `${s}%`;
  else pattern = `%${s}`;
  const fn = nocase ? 'pg_ilike' : 'pg_like';
  return `${fn}(${text}, ${sql.p(pattern)}) = ${negated ? 0 : 1}`;
}

function compileListOp(
  ctx: FilterContext,
  sql: Sql,
  alias: string,
  f: FieldModel,
  op: string,
  value: unknown,
): string {
  const scalar = columnScalar(ctx.model, f);
  const c = col(alias, f);
  const items = (): unknown[] => {
    if (!Array.isArray(value)) throw new QueryExecutionError(`Non-list value passed to \`_${op}\` filter`);
    return value.map((v) => encodeListItem(scalar, v));
  };
  // json_each yields JSON booleans as 1/0
  const bind = (v: unknown) => sql.p(typeof v === 'boolean' ? (v ? 1 : 0) : v);
  switch (op) {
    case '':
    case 'not':
      if (value === null || value === undefined) return `${c} IS ${op === '' ? '' : 'NOT '}NULL`;
      return `json(${c}) ${op === '' ? '=' : '<>'} json(${sql.p(JSON.stringify(items()))})`;
    case 'contains': {
      const xs = items();
      const all = xs.map((v) => `EXISTS (SELECT 1 FROM json_each(${c}) j WHERE j.value = ${bind(v)})`);
      return `(${c} IS NOT NULL${all.map((t) => ` AND ${t}`).join('')})`;
    }
    case 'not_contains': {
      const xs = items();
      if (xs.length === 0) return `${c} IS NOT NULL`;
      return `(${c} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM json_each(${c}) j WHERE j.value IN (${xs.map(bind).join(', ')})))`;
    }
    case 'contains_nocase':
    case 'not_contains_nocase': {
      const xs = items();
      const any =
        xs.length === 0 ? 'false' : xs.map((v) => `pg_ilike(j.value, ${sql.p(v)}) = 1`).join(' OR ');
      return `${op === 'not_contains_nocase' ? 'NOT ' : ''}EXISTS (SELECT 1 FROM json_each(${c}) j WHERE ${any})`;
    }
    default:
      throw unsupportedFilter(op, JSON.stringify(value));
  }
}

/** An id column compared with an element of a JSON list of ids (`j.value`). */
export function idFromJson(idType: 'String' | 'Bytes' | 'Int8', expr: string): string {
  return idType === 'Bytes' ? `unhex(substr(${expr}, 3))` : expr;
}
/** An id column as it appears inside a JSON list. */
export function idAsJson(idType: 'String' | 'Bytes' | 'Int8', expr: string): string {
  return idType === 'Bytes' ? `('0x' || lower(hex(${expr})))` : expr;
}

function compileChild(
  ctx: FilterContext,
  sql: Sql,
  parent: EntityModel,
  alias: string,
  f: FieldModel,
  value: Where,
): string {
  if (f.base.kind !== 'entity') throw invalidFilterError();
  const target = ctx.model.entity(f.base.entity);
  const tables = target.kind === 'interface' ? target.implementers.map((n) => ctx.model.entity(n)) : [target];
  const parts = tables.map((child) => {
    const a = sql.alias('cf');
    let join: string;
    if (f.derivedFrom) {
      const back = child.fieldsByName.get(f.derivedFrom);
      if (!back) throw entityFieldError(child.name, f.derivedFrom);
      join = back.list
        ? `EXISTS (SELECT 1 FROM json_each(${col(a, back)}) j WHERE j.value = ${idAsJson(parent.idType, `${alias}."id"`)})`
        : `${col(a, back)} = ${alias}."id"`;
    } else if (f.list) {
      join = `${a}."id" IN (SELECT ${idFromJson(child.idType, 'j.value')} FROM json_each(${col(alias, f)}) j)`;
    } else {
      join = `${a}."id" = ${col(alias, f)}`;
    }
    const childWhere = compileWhere(ctx, sql, child, a, value, false);
    return `EXISTS (SELECT 1 FROM ${quoteIdent(child.name)} ${a} WHERE ${join} AND ${visibleAt(sql, a, ctx.block)} AND ${childWhere})`;
  });
  return parts.length === 1 ? parts[0]! : or(parts);
}
