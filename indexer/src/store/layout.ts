// How entities map onto SQLite: table and column names and the encoding of each
// value type. Shared by the store (writes) and the query layer (filters and
// ordering compiled to SQL), so both agree byte for byte.
//
// Layout (graph-node's block-range layout, in SQLite):
//   one table per entity type, named as the type ("Area"), columns:
//     vid        INTEGER PRIMARY KEY   insertion order of versions
//     id         the entity id (TEXT, BLOB for Bytes ids, INTEGER for Int8 ids)
//     <field>    one column per stored (non-derived) field, named as the field
//     block_from INTEGER NOT NULL      first block at which this version is visible
//     block_to   INTEGER               first block at which it is no longer visible; NULL = current
//   A version is visible at block B iff block_from <= B AND (block_to IS NULL OR block_to > B).
//   Immutable entities are written once and never get a block_to.
//
// Value encodings (chosen so SQLite's byte-wise comparison orders values as
// graph-node's Postgres does; graph-node uses C collation for strings):
//   String, ID, enum        TEXT (UTF-8; compared byte-wise)
//   Bytes                   BLOB
//   Int, Int8, Timestamp    INTEGER
//   Boolean                 INTEGER 0/1
//   BigInt                  TEXT, order-preserving (encodeBigInt)
//   BigDecimal              TEXT, order-preserving (encodeBigDecimal)
//   reference to an entity  encoded as the referenced type's id
//   list [T]                TEXT, a JSON array of the element encodings
//                           (Bytes elements as lowercase 0x-hex strings, Int8 as numbers)
//   null                    SQL NULL
import type { BigDecimalValue, Value } from '../schema/values.js';
import type { EntityModel, FieldModel, SchemaModel } from '../schema/model.js';

export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;
export const tableName = (entity: string): string => quoteIdent(entity);
export const columnName = (field: string): string => quoteIdent(field);

/** The scalar a field's column holds: references resolve to the referenced id's type. */
export type ColumnScalar =
  'String' | 'Bytes' | 'Int' | 'Int8' | 'Timestamp' | 'Boolean' | 'BigInt' | 'BigDecimal';

export function columnScalar(schema: SchemaModel, field: FieldModel): ColumnScalar {
  const b = field.base;
  if (b.kind === 'enum') return 'String';
  if (b.kind === 'entity') return idScalar(schema.entity(b.entity));
  switch (b.scalar) {
    case 'ID':
    case 'String':
      return 'String';
    default:
      return b.scalar;
  }
}

export function idScalar(e: EntityModel): ColumnScalar {
  return e.idType === 'Bytes' ? 'Bytes' : e.idType === 'Int8' ? 'Int8' : 'String';
}

export function sqlType(schema: SchemaModel, field: FieldModel): string {
  if (field.list) return 'TEXT';
  switch (columnScalar(schema, field)) {
    case 'Bytes':
      return 'BLOB';
    case 'Int':
    case 'Int8':
    case 'Timestamp':
    case 'Boolean':
      return 'INTEGER';
    default:
      return 'TEXT';
  }
}

// ---------------------------------------------------------------------------
// Order-preserving text for arbitrary-size integers.
//   n >= 0: "1" + 6-digit length of |n| + decimal digits
//   n <  0: "0" + 6-digit (999999 - length) + nines' complement of the digits
// So shorter magnitudes sort first among positives and last among negatives.
// graph-node caps BigInt at 435,412 bits (~131,000 digits), well inside 6 digits.
const LEN_WIDTH = 6;
const LEN_MAX = 999_999;
const nines = (digits: string): string => digits.replace(/[0-9]/g, (d) => String(9 - Number(d)));

/** encodeBigInt's prefixes of non-negative values, by digit count (the common lengths, built once). */
const POSITIVE_PREFIX = Array.from({ length: 100 }, (_, n) => '1' + String(n).padStart(LEN_WIDTH, '0'));

export function encodeBigInt(n: bigint): string {
  if (n >= 0n) {
    const d = n.toString();
    const prefix = POSITIVE_PREFIX[d.length] ?? '1' + String(d.length).padStart(LEN_WIDTH, '0');
    return prefix + d;
  }
  const d = (-n).toString();
  return '0' + String(LEN_MAX - d.length).padStart(LEN_WIDTH, '0') + nines(d);
}

export function decodeBigInt(s: string): bigint {
  const body = s.slice(1 + LEN_WIDTH);
  return s[0] === '1' ? BigInt(body) : -BigInt(nines(body));
}

// Order-preserving text for normalized decimals (digits * 10^exp, no trailing zeros in digits).
//   0:    "1"
//   > 0:  "2" + 7-digit (adjusted exponent + 5,000,000) + digits
//   < 0:  "0" + 7-digit (5,000,000 - adjusted exponent) + nines' complement of digits + ":"
// adjusted exponent = position of the leading digit (len(digits) - 1 + exp). The ":" (after
// "9" in ASCII) makes a longer negative mantissa sort before its own prefix (-1.55 < -1.5).
const EXP_WIDTH = 7;
const EXP_BIAS = 5_000_000;

export function encodeBigDecimal(v: BigDecimalValue): string {
  if (v.digits === 0n) return '1';
  const neg = v.digits < 0n;
  let d = (neg ? -v.digits : v.digits).toString();
  let exp = v.exp;
  while (d.length > 1 && d.endsWith('0')) {
    d = d.slice(0, -1);
    exp += 1;
  }
  const adjusted = d.length - 1 + exp;
  if (!neg) return '2' + String(adjusted + EXP_BIAS).padStart(EXP_WIDTH, '0') + d;
  return '0' + String(EXP_BIAS - adjusted).padStart(EXP_WIDTH, '0') + nines(d) + ':';
}

export function decodeBigDecimal(s: string): BigDecimalValue {
  if (s === '1') return { digits: 0n, exp: 0 };
  const neg = s[0] === '0';
  const e = Number(s.slice(1, 1 + EXP_WIDTH));
  const adjusted = neg ? EXP_BIAS - e : e - EXP_BIAS;
  const d = neg ? nines(s.slice(1 + EXP_WIDTH, -1)) : s.slice(1 + EXP_WIDTH);
  const digits = BigInt(d);
  return { digits: neg ? -digits : digits, exp: adjusted - (d.length - 1) };
}

// ---------------------------------------------------------------------------
export const bytesToHex = (b: Uint8Array): string => '0x' + Buffer.from(b).toString('hex');
export const hexToBytes = (h: string): Uint8Array => new Uint8Array(Buffer.from(h.replace(/^0x/, ''), 'hex'));

export type SqlValue = string | number | bigint | Buffer | null;

/** Encode one scalar (non-list) value for a column of the given scalar type. */
export function encodeScalar(scalar: ColumnScalar, v: Value): SqlValue {
  if (v.kind === 'Null') return null;
  switch (v.kind) {
    case 'String':
      return v.value;
    case 'Bytes':
      return Buffer.from(v.value);
    case 'Int':
      return v.value;
    case 'Int8':
    case 'Timestamp':
      return v.value;
    case 'Bool':
      return v.value ? 1 : 0;
    case 'BigInt':
      return encodeBigInt(v.value);
    case 'BigDecimal':
      return encodeBigDecimal(v.value);
    case 'Array':
      throw new Error(`a list value cannot be stored in a ${scalar} column`);
  }
}

function encodeListItem(v: Value): unknown {
  switch (v.kind) {
    case 'Null':
      return null;
    case 'Bytes':
      return bytesToHex(v.value);
    case 'Int8':
    case 'Timestamp':
      return Number(v.value); // JSON numbers; values beyond 2^53 are not expected in lists
    case 'Bool':
      return v.value;
    case 'BigInt':
      return encodeBigInt(v.value);
    case 'BigDecimal':
      return encodeBigDecimal(v.value);
    case 'Array':
      throw new Error('nested lists are not supported');
    default:
      return v.value;
  }
}

export function encodeField(schema: SchemaModel, field: FieldModel, v: Value): SqlValue {
  if (v.kind === 'Null') return null;
  if (field.list) {
    if (v.kind !== 'Array') throw new Error(`field ${field.name} is a list`);
    return JSON.stringify(v.value.map(encodeListItem));
  }
  return encodeScalar(columnScalar(schema, field), v);
}

function decodeScalar(scalar: ColumnScalar, raw: unknown): Value {
  switch (scalar) {
    case 'String':
      return { kind: 'String', value: raw as string };
    case 'Bytes':
      return {
        kind: 'Bytes',
        value: typeof raw === 'string' ? hexToBytes(raw) : new Uint8Array(raw as Buffer),
      };
    case 'Int':
      return { kind: 'Int', value: Number(raw) };
    case 'Int8':
      return { kind: 'Int8', value: BigInt(raw as number | bigint) };
    case 'Timestamp':
      return { kind: 'Timestamp', value: BigInt(raw as number | bigint) };
    case 'Boolean':
      return { kind: 'Bool', value: raw === true || Number(raw) === 1 };
    case 'BigInt':
      return { kind: 'BigInt', value: decodeBigInt(raw as string) };
    case 'BigDecimal':
      return { kind: 'BigDecimal', value: decodeBigDecimal(raw as string) };
  }
}

export function decodeField(schema: SchemaModel, field: FieldModel, raw: unknown): Value {
  if (raw === null || raw === undefined) return { kind: 'Null' };
  const scalar = columnScalar(schema, field);
  if (field.list) {
    const items = JSON.parse(raw as string) as unknown[];
    return {
      kind: 'Array',
      value: items.map((i) => (i === null ? { kind: 'Null' } : decodeScalar(scalar, i))),
    };
  }
  return decodeScalar(scalar, raw);
}
