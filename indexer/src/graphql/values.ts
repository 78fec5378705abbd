// Converting between the store's column encodings (store/layout.ts) and the
// JSON graph-node puts in responses (§7.5): Int is a number; BigInt, BigDecimal
// (plain notation), Int8 and Timestamp are strings; Bytes a lowercase 0x string.
// And the other way: filter arguments into the column encoding to compare against.
import type { FieldModel, SchemaModel } from '../schema/model.js';
import {
  columnScalar,
  decodeBigDecimal,
  decodeBigInt,
  encodeBigDecimal,
  encodeBigInt,
  type ColumnScalar,
  type SqlValue,
} from '../store/layout.js';
import type { BigDecimalValue } from '../schema/values.js';
import { valueParseError } from './errors.js';

/** Plain decimal notation, never an exponent (graph-node's BigDecimal Display). */
export function formatBigDecimal(v: BigDecimalValue): string {
  if (v.digits === 0n) return '0';
  const neg = v.digits < 0n;
  const d = (neg ? -v.digits : v.digits).toString();
  let s: string;
  if (v.exp >= 0) s = d + '0'.repeat(v.exp);
  else {
    const point = d.length + v.exp;
    s = point > 0 ? `${d.slice(0, point)}.${d.slice(point)}` : `0.${'0'.repeat(-point)}${d}`;
  }
  return neg ? `-${s}` : s;
}

const toHex = (b: Uint8Array): string => '0x' + Buffer.from(b).toString('hex');

/** One column value (or list item) in response form. */
export function formatScalar(scalar: ColumnScalar, raw: unknown): unknown {
  if (raw === null || raw === undefined) return null;
  switch (scalar) {
    case 'String':
      return String(raw);
    case 'Int':
      return Number(raw);
    case 'Int8':
    case 'Timestamp':
      return String(raw);
    case 'Boolean':
      return raw === true || raw === 1 || raw === 1n;
    case 'BigInt':
      return decodeBigInt(raw as string).toString();
    case 'BigDecimal':
      return formatBigDecimal(decodeBigDecimal(raw as string));
    case 'Bytes':
      return typeof raw === 'string' ? raw.toLowerCase() : toHex(raw as Uint8Array);
  }
}

export function formatField(schema: SchemaModel, field: FieldModel, raw: unknown): unknown {
  if (raw === null || raw === undefined) return null;
  const scalar = columnScalar(schema, field);
  if (field.list) return (JSON.parse(raw as string) as unknown[]).map((i) => formatScalar(scalar, i));
  return formatScalar(scalar, raw);
}

/** An id column value in response form (ID is serialised as a string). */
export const formatId = (idType: 'String' | 'Bytes' | 'Int8', raw: unknown): string =>
  idType === 'Bytes' ? toHex(raw as Uint8Array) : String(raw);

// ---------------------------------------------------------------------------
// Filter values

function parseBigInt(s: string): bigint {
  if (!/^[+-]?\d+$/.test(s.trim())) throw valueParseError('BigInt', 'invalid digit found in string');
  return BigInt(s.trim());
}

/** Decimal text with optional exponent (bigdecimal's from_str) to digits/exp. */
export function parseBigDecimal(s: string): BigDecimalValue {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(s.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw valueParseError('BigDecimal', s);
  const frac = m[3] ?? '';
  const digits = BigInt((m[1] === '-' ? '-' : '') + (m[2]! + frac || '0'));
  return { digits, exp: Number(m[4] ?? 0) - frac.length };
}

export function parseBytes(s: string, what = 'Bytes'): Buffer {
  const h = s.startsWith('0x') ? s.slice(2) : s;
  if (h.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(h)) throw valueParseError(what, s);
  return Buffer.from(h, 'hex');
}

/** A filter argument value as the column encoding of `scalar` (null stays null). */
export function encodeFilterValue(scalar: ColumnScalar, v: unknown): SqlValue {
  if (v === null || v === undefined) return null;
  switch (scalar) {
    case 'String':
      return String(v);
    case 'Int':
      return Number(v);
    case 'Int8':
      try {
        return BigInt(v as string | number);
      } catch {
        throw valueParseError('Int8', String(v));
      }
    case 'Timestamp':
      try {
        return BigInt(v as string);
      } catch {
        throw valueParseError('Timestamp', String(v));
      }
    case 'Boolean':
      return v ? 1 : 0;
    case 'BigInt':
      return encodeBigInt(parseBigInt(String(v)));
    case 'BigDecimal':
      return encodeBigDecimal(parseBigDecimal(String(v)));
    case 'Bytes':
      return parseBytes(String(v));
  }
}

/** A list item as it appears inside a list column's JSON (layout.ts `encodeListItem`). */
export function encodeListItem(scalar: ColumnScalar, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  switch (scalar) {
    case 'Bytes':
      return '0x' + parseBytes(String(v)).toString('hex');
    case 'Int':
      return Number(v);
    case 'Int8':
    case 'Timestamp':
      return Number(v);
    case 'Boolean':
      return !!v;
    case 'BigInt':
      return encodeBigInt(parseBigInt(String(v)));
    case 'BigDecimal':
      return encodeBigDecimal(parseBigDecimal(String(v)));
    default:
      return String(v);
  }
}
