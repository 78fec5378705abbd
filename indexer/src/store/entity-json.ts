// A lossless JSON form of an Entity, for values the store keeps outside entity
// tables (a dynamic data source's context). Each value carries its kind so it
// reads back exactly as written: an Int8 stays an Int8, a BigDecimal keeps its
// exponent, Bytes stay bytes.
import type { Entity, Value } from '../schema/values.js';
import { bytesToHex, hexToBytes } from './layout.js';

type TaggedValue = { k: Value['kind']; v?: unknown };

function tag(v: Value): TaggedValue {
  switch (v.kind) {
    case 'Null':
      return { k: 'Null' };
    case 'Int8':
    case 'Timestamp':
    case 'BigInt':
      return { k: v.kind, v: v.value.toString() };
    case 'BigDecimal':
      return { k: 'BigDecimal', v: [v.value.digits.toString(), v.value.exp] };
    case 'Bytes':
      return { k: 'Bytes', v: bytesToHex(v.value) };
    case 'Array':
      return { k: 'Array', v: v.value.map(tag) };
    default:
      return { k: v.kind, v: v.value };
  }
}

function untag(t: TaggedValue): Value {
  switch (t.k) {
    case 'Null':
      return { kind: 'Null' };
    case 'Int8':
    case 'Timestamp':
    case 'BigInt':
      return { kind: t.k, value: BigInt(t.v as string) };
    case 'BigDecimal': {
      const [digits, exp] = t.v as [string, number];
      return { kind: 'BigDecimal', value: { digits: BigInt(digits), exp } };
    }
    case 'Bytes':
      return { kind: 'Bytes', value: hexToBytes(t.v as string) };
    case 'Array':
      return { kind: 'Array', value: (t.v as TaggedValue[]).map(untag) };
    case 'String':
      return { kind: 'String', value: t.v as string };
    case 'Int':
      return { kind: 'Int', value: t.v as number };
    case 'Bool':
      return { kind: 'Bool', value: t.v as boolean };
  }
}

export function entityToJson(e: Entity | null): string | null {
  if (e === null) return null;
  const names = [...e.keys()].sort();
  return JSON.stringify(names.map((n) => [n, tag(e.get(n)!)]));
}

export function entityFromJson(s: string | null): Entity | null {
  if (s === null) return null;
  const pairs = JSON.parse(s) as [string, TaggedValue][];
  return new Map(pairs.map(([n, t]) => [n, untag(t)]));
}
