// json.*: lossless parsing so numbers keep their source text (serde_json
// `arbitrary_precision` in graph-node); objects come back with sorted keys.
import { isLosslessNumber, parse } from 'lossless-json';
import { readBytes, readString, writeBigInt, writeResult } from '../asc/codec.js';
import { writeJson, type JsonValue } from '../asc/json.js';
import { TypeId } from '../asc/type-ids.js';
import { det } from '../errors.js';
import { parseBigInt } from './bigint.js';
import type { HostNamespace } from './env.js';

const MAX_JSON_SIZE = 10_000_000;

function toJsonValue(x: unknown): JsonValue {
  if (x === null) return { kind: 'null' };
  if (typeof x === 'boolean') return { kind: 'bool', value: x };
  if (typeof x === 'string') return { kind: 'string', value: x };
  if (isLosslessNumber(x)) return { kind: 'number', text: x.value };
  if (Array.isArray(x)) return { kind: 'array', items: x.map(toJsonValue) };
  return { kind: 'object', entries: Object.entries(x as object).map(([k, v]) => [k, toJsonValue(v)]) };
}

export function parseJson(bytes: Uint8Array): JsonValue {
  if (bytes.length > MAX_JSON_SIZE) throw det(`JSON size exceeds max size of ${MAX_JSON_SIZE}`);
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    // serde_json (no preserve_order) keeps the last of duplicate keys.
    return toJsonValue(parse(text, null, { onDuplicateKey: ({ newValue }) => newValue }));
  } catch (e) {
    throw det((e as Error).message);
  }
}

const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;
const U64_MAX = (1n << 64n) - 1n;

export const jsonImports: HostNamespace = {
  'json.fromBytes': (env) => (ptr: number) => writeJson(env.heap, parseJson(readBytes(env.heap, ptr >>> 0))),
  'json.try_fromBytes': (env) => (ptr: number) => {
    let v: JsonValue | null = null;
    try {
      v = parseJson(readBytes(env.heap, ptr >>> 0));
    } catch {
      v = null;
    }
    const value = v === null ? null : writeJson(env.heap, v);
    return writeResult(env.heap, value, TypeId.ResultJsonValueBool, TypeId.WrappedJsonValue);
  },
  // Rust `i64::from_str` / `u64::from_str`: optional sign, digits only.
  'json.toI64': (env) => (ptr: number) => {
    const s = readString(env.heap, ptr >>> 0);
    const n = /^[+-]?\d+$/.test(s) ? BigInt(s) : null;
    if (n === null || n < I64_MIN || n > I64_MAX) throw det(`JSON \`${s}\` cannot be parsed as i64`);
    return n;
  },
  'json.toU64': (env) => (ptr: number) => {
    const s = readString(env.heap, ptr >>> 0);
    const n = /^\+?\d+$/.test(s) ? BigInt(s) : null;
    if (n === null || n > U64_MAX) throw det(`JSON \`${s}\` cannot be parsed as u64`);
    return BigInt.asIntN(64, n); // u64 bits cross the boundary as an i64
  },
  'json.toF64': (env) => (ptr: number) => {
    const s = readString(env.heap, ptr >>> 0);
    if (!/^[+-]?(inf|infinity|nan|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)$/i.test(s))
      throw det(`JSON \`${s}\` cannot be parsed as f64`);
    const body = s.replace(/^[+-]/, '').toLowerCase();
    const sign = s.startsWith('-') ? -1 : 1;
    if (body === 'nan') return NaN;
    if (body === 'inf' || body === 'infinity') return sign * Infinity;
    return parseFloat(s);
  },
  'json.toBigInt': (env) => (ptr: number) => {
    const s = readString(env.heap, ptr >>> 0);
    let n: bigint;
    try {
      n = parseBigInt(s);
    } catch {
      throw det(`JSON \`${s}\` is not a decimal string`);
    }
    return writeBigInt(env.heap, n);
  },
};
