// Entity values as the store, the WASM host and the query layer all see them.
// Mirrors graph-node's `store::Value` (graph/src/data/store/mod.rs): one tagged
// union, so the host can round-trip exactly what a mapping wrote.

/** A decimal as graph-node keeps it: value = digits * 10^exp (exp = -scale). */
export interface BigDecimalValue {
  digits: bigint;
  exp: number;
}

export type Value =
  | { kind: 'String'; value: string }
  | { kind: 'Int'; value: number }
  | { kind: 'Int8'; value: bigint }
  | { kind: 'Timestamp'; value: bigint } // microseconds since the epoch
  | { kind: 'BigInt'; value: bigint }
  | { kind: 'BigDecimal'; value: BigDecimalValue }
  | { kind: 'Bool'; value: boolean }
  | { kind: 'Bytes'; value: Uint8Array }
  | { kind: 'Array'; value: Value[] }
  | { kind: 'Null' };

export type ValueKind = Value['kind'];

/** An entity: field name to value. Field order is irrelevant; the store sorts. */
export type Entity = Map<string, Value>;

export const NULL: Value = { kind: 'Null' };

export const str = (value: string): Value => ({ kind: 'String', value });
export const int = (value: number): Value => ({ kind: 'Int', value });
export const bigInt = (value: bigint): Value => ({ kind: 'BigInt', value });
export const bool = (value: boolean): Value => ({ kind: 'Bool', value });
export const bytes = (value: Uint8Array): Value => ({ kind: 'Bytes', value });

export function valuesEqual(a: Value, b: Value): boolean {
  if (a === b) return true; // entities saved back share most Value objects with the loaded ones
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'Null':
      return true;
    case 'Bytes': {
      const av = a.value;
      const bv = (b as typeof a).value;
      if (av.length !== bv.length) return false;
      for (let i = 0; i < av.length; i++) if (av[i] !== bv[i]) return false;
      return true;
    }
    case 'BigDecimal': {
      const bv = (b as typeof a).value;
      return a.value.digits === bv.digits && a.value.exp === bv.exp;
    }
    case 'Array': {
      const bv = (b as typeof a).value;
      return a.value.length === bv.length && a.value.every((x, i) => valuesEqual(x, bv[i]!));
    }
    default:
      return a.value === (b as typeof a).value;
  }
}
