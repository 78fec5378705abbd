// ethereum.Value (graph-ts chain/ethereum.ts) ⇄ ABI types and values.
// graph-node converts between ethabi/alloy DynSolValue and this union
// (chain/ethereum/src/runtime/abi.rs, runtime/wasm/src/to_from/external.rs).
import type { AbiParameter } from 'viem';
import type { AscHeap } from '../asc/heap.js';
import { TypeId } from '../asc/type-ids.js';
import {
  readArray,
  readBigInt,
  readBytes,
  readEnum,
  readString,
  writeArray,
  writeBigInt,
  writeBytes,
  writeEnum,
  writeString,
} from '../asc/codec.js';
import { det } from '../errors.js';

export type EthValue =
  | { kind: 'address'; value: Uint8Array }
  | { kind: 'fixedBytes'; value: Uint8Array }
  | { kind: 'bytes'; value: Uint8Array }
  | { kind: 'int'; value: bigint }
  | { kind: 'uint'; value: bigint }
  | { kind: 'bool'; value: boolean }
  | { kind: 'string'; value: string }
  | { kind: 'fixedArray'; items: EthValue[] }
  | { kind: 'array'; items: EthValue[] }
  | { kind: 'tuple'; items: EthValue[] };

export const EthKind = {
  ADDRESS: 0,
  FIXED_BYTES: 1,
  BYTES: 2,
  INT: 3,
  UINT: 4,
  BOOL: 5,
  STRING: 6,
  FIXED_ARRAY: 7,
  ARRAY: 8,
  TUPLE: 9,
} as const;

const U256_MAX = (1n << 256n) - 1n;
const I256_MIN = -(1n << 255n);
const I256_MAX = (1n << 255n) - 1n;

export function writeEthValue(h: AscHeap, v: EthValue): number {
  const T = TypeId.EthereumValue;
  const K = EthKind;
  switch (v.kind) {
    case 'address':
      return writeEnum(h, K.ADDRESS, BigInt(writeBytes(h, v.value)), T);
    case 'fixedBytes':
      return writeEnum(h, K.FIXED_BYTES, BigInt(writeBytes(h, v.value)), T);
    case 'bytes':
      return writeEnum(h, K.BYTES, BigInt(writeBytes(h, v.value)), T);
    case 'int':
      return writeEnum(h, K.INT, BigInt(writeBigInt(h, v.value)), T);
    case 'uint':
      return writeEnum(h, K.UINT, BigInt(writeBigInt(h, v.value)), T);
    case 'bool':
      return writeEnum(h, K.BOOL, v.value ? 1n : 0n, T);
    case 'string':
      return writeEnum(h, K.STRING, BigInt(writeString(h, v.value)), T);
    case 'fixedArray':
    case 'array':
    case 'tuple': {
      const items = v.items.map((x) => writeEthValue(h, x));
      const kind = v.kind === 'fixedArray' ? K.FIXED_ARRAY : v.kind === 'array' ? K.ARRAY : K.TUPLE;
      return writeEnum(h, kind, BigInt(writeArray(h, items, TypeId.ArrayEthereumValue)), T);
    }
  }
}

export function readEthValue(h: AscHeap, ptr: number): EthValue {
  const { kind, payload } = readEnum(h, ptr);
  const p = Number(payload & 0xffffffffn);
  const K = EthKind;
  switch (kind) {
    case K.ADDRESS: {
      const b = readBytes(h, p);
      if (b.length !== 20) throw det(`Address must be 20 bytes, got ${b.length}`);
      return { kind: 'address', value: b };
    }
    case K.FIXED_BYTES: {
      const b = readBytes(h, p);
      if (b.length > 32) throw det(`Fixed bytes value must be at most 32 bytes, got ${b.length}`);
      return { kind: 'fixedBytes', value: b };
    }
    case K.BYTES:
      return { kind: 'bytes', value: readBytes(h, p) };
    case K.INT: {
      const n = readBigInt(h, p);
      if (n < I256_MIN || n > I256_MAX) throw det(`Int value ${n} does not fit in int256`);
      return { kind: 'int', value: n };
    }
    case K.UINT: {
      const n = readBigInt(h, p);
      if (n < 0n || n > U256_MAX) throw det(`Uint value ${n} is negative or does not fit in uint256`);
      return { kind: 'uint', value: n };
    }
    case K.BOOL:
      return { kind: 'bool', value: payload !== 0n };
    case K.STRING:
      return { kind: 'string', value: readString(h, p) };
    case K.FIXED_ARRAY:
    case K.ARRAY:
    case K.TUPLE: {
      const items = readArray(h, p).map((q) => readEthValue(h, q));
      return { kind: kind === K.FIXED_ARRAY ? 'fixedArray' : kind === K.ARRAY ? 'array' : 'tuple', items };
    }
    default:
      throw det(`Unknown ethereum value kind ${kind}`);
  }
}

const toHex = (b: Uint8Array): `0x${string}` => `0x${Buffer.from(b).toString('hex')}`;
const fromHex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h.replace(/^0x/, ''), 'hex'));

/** The ABI value viem expects for `param`, built from an ethereum.Value. */
export function ethValueToAbi(param: AbiParameter, v: EthValue): unknown {
  const type = param.type;
  const arr = /^(.*)\[(\d*)\]$/.exec(type);
  if (arr) {
    if (v.kind !== 'array' && v.kind !== 'fixedArray')
      throw det(`expected an array for ${type}, got ${v.kind}`);
    const inner = { ...param, type: arr[1]! } as AbiParameter;
    return v.items.map((x) => ethValueToAbi(inner, x));
  }
  if (type === 'tuple') {
    if (v.kind !== 'tuple') throw det(`expected a tuple, got ${v.kind}`);
    const comps = (param as { components: readonly AbiParameter[] }).components;
    return comps.map((c, i) => ethValueToAbi(c, v.items[i]!));
  }
  switch (v.kind) {
    case 'address':
      return toHex(v.value);
    case 'fixedBytes': {
      // ethabi right-pads shorter fixed bytes into the declared width.
      const n = Number(/^bytes(\d+)$/.exec(type)?.[1] ?? v.value.length);
      const b = new Uint8Array(n);
      b.set(v.value.subarray(0, n));
      return toHex(b);
    }
    case 'bytes':
      return toHex(v.value);
    case 'int':
    case 'uint':
      return v.value;
    case 'bool':
      return v.value;
    case 'string':
      return v.value;
    default:
      throw det(`cannot use ${v.kind} as ${type}`);
  }
}

/** An ethereum.Value from a viem-decoded value of ABI type `param`. */
export function abiToEthValue(param: AbiParameter, x: unknown): EthValue {
  const type = param.type;
  const arr = /^(.*)\[(\d*)\]$/.exec(type);
  if (arr) {
    const inner = { ...param, type: arr[1]! } as AbiParameter;
    const items = (x as unknown[]).map((e) => abiToEthValue(inner, e));
    return arr[2] === '' ? { kind: 'array', items } : { kind: 'fixedArray', items };
  }
  if (type === 'tuple') {
    const comps = (param as { components: readonly AbiParameter[] }).components;
    const values = Array.isArray(x)
      ? x
      : comps.map((c, i) => (x as Record<string, unknown>)[c.name ?? String(i)]);
    return { kind: 'tuple', items: comps.map((c, i) => abiToEthValue(c, values[i])) };
  }
  if (type === 'address') return { kind: 'address', value: fromHex(x as string) };
  if (type === 'bool') return { kind: 'bool', value: x as boolean };
  if (type === 'string') return { kind: 'string', value: x as string };
  if (type === 'bytes') return { kind: 'bytes', value: fromHex(x as string) };
  if (/^bytes\d+$/.test(type)) return { kind: 'fixedBytes', value: fromHex(x as string) };
  if (/^uint\d*$/.test(type)) return { kind: 'uint', value: BigInt(x as bigint | number) };
  if (/^int\d*$/.test(type)) return { kind: 'int', value: BigInt(x as bigint | number) };
  throw det(`unsupported ABI type ${type}`);
}

/** The ABI type ethabi infers for a bare token (ethereum.encode has no declared types). */
export function inferAbiParam(v: EthValue): AbiParameter {
  switch (v.kind) {
    case 'address':
      return { type: 'address' };
    case 'fixedBytes':
      return { type: `bytes${v.value.length}` };
    case 'bytes':
      return { type: 'bytes' };
    case 'int':
      return { type: 'int256' };
    case 'uint':
      return { type: 'uint256' };
    case 'bool':
      return { type: 'bool' };
    case 'string':
      return { type: 'string' };
    case 'array':
    case 'fixedArray': {
      const inner = v.items.length > 0 ? inferAbiParam(v.items[0]!) : { type: 'uint256' };
      const suffix = v.kind === 'array' ? '[]' : `[${v.items.length}]`;
      if (inner.type.startsWith('tuple')) return { ...inner, type: `${inner.type}${suffix}` } as AbiParameter;
      return { ...inner, type: `${inner.type}${suffix}` } as AbiParameter;
    }
    case 'tuple':
      return { type: 'tuple', components: v.items.map(inferAbiParam) } as AbiParameter;
  }
}

/** alloy DynSolType syntax (`(address,uint256)[]`, `bytes32`, `(bool,(string,int8))`) → a viem AbiParameter. */
export function parseDynSolType(src: string): AbiParameter {
  let i = 0;
  const s = src.replace(/\s+/g, '');
  const parseOne = (): AbiParameter => {
    let base: AbiParameter;
    if (s[i] === '(') {
      i++;
      const components: AbiParameter[] = [];
      if (s[i] === ')') i++;
      else
        for (;;) {
          components.push(parseOne());
          if (s[i] === ',') i++;
          else if (s[i] === ')') {
            i++;
            break;
          } else throw det(`Failed to read types: ${src}`);
        }
      base = { type: 'tuple', components } as AbiParameter;
    } else {
      const m = /^(?:tuple)?[a-z]+\d*/.exec(s.slice(i));
      if (!m) throw det(`Failed to read types: ${src}`);
      i += m[0].length;
      let t = m[0];
      if (t === 'uint') t = 'uint256';
      if (t === 'int') t = 'int256';
      if (!/^(address|bool|string|bytes\d*|u?int\d*|function)$/.test(t))
        throw det(`Failed to read types: ${src}`);
      base = { type: t };
    }
    while (s[i] === '[') {
      const m = /^\[(\d*)\]/.exec(s.slice(i));
      if (!m) throw det(`Failed to read types: ${src}`);
      i += m[0].length;
      base = { ...base, type: `${base.type}[${m[1]}]` } as AbiParameter;
    }
    return base;
  };
  const p = parseOne();
  if (i !== s.length) throw det(`Failed to read types: ${src}`);
  return p;
}
