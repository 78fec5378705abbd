// Entity assertions in plain JS terms: BigInt/Int8/Timestamp as bigint, Int as
// number, BigDecimal as its graph-node string, Bytes as lowercase 0x-hex,
// Boolean, arrays, and null for an absent field.
import { deepStrictEqual } from 'node:assert/strict';
import type { Entity, Value } from '../schema/values.js';
import { toString as decimalToString } from '../runtime/numbers/bigdecimal.js';
import type { EntityReader } from '../store/types.js';

export type Plain = string | number | bigint | boolean | null | Plain[];

export function plain(v: Value | undefined): Plain {
  if (v === undefined) return null;
  switch (v.kind) {
    case 'Null':
      return null;
    case 'Bytes':
      return '0x' + Buffer.from(v.value).toString('hex');
    case 'BigDecimal':
      return decimalToString(v.value);
    case 'Array':
      return v.value.map(plain);
    default:
      return v.value;
  }
}

export function plainEntity(e: Entity): Record<string, Plain> {
  return Object.fromEntries([...e].map(([k, v]) => [k, plain(v)]));
}

const norm = (x: unknown): unknown =>
  typeof x === 'string' && /^0x[0-9a-fA-F]*$/.test(x) ? x.toLowerCase() : Array.isArray(x) ? x.map(norm) : x;

/** Assert that entity `type`/`id` exists and that each field in `fields` has the given plain value. */
export function expectEntity(
  store: EntityReader,
  type: string,
  id: string,
  fields: Record<string, unknown> = {},
): Record<string, Plain> {
  const e = store.get(type, id);
  if (!e) throw new Error(`expected entity ${type}[${id}] to exist`);
  const p = plainEntity(e);
  for (const [k, want] of Object.entries(fields)) {
    const got = p[k] ?? null;
    deepStrictEqual(norm(got), norm(want), `${type}[${id}].${k}: expected ${show(want)}, got ${show(got)}`);
  }
  return p;
}

export function expectNoEntity(store: EntityReader, type: string, id: string): void {
  const e = store.get(type, id);
  if (e) throw new Error(`expected no entity ${type}[${id}], found ${show(plainEntity(e))}`);
}

const show = (x: unknown): string => JSON.stringify(x, (_, v) => (typeof v === 'bigint' ? `${v}n` : v));
