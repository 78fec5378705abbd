// bigInt.* with graph-node's texts and limits (host_exports.rs).
import { readBigDecimal, readBigInt, readString, writeBigDecimal, writeBigInt } from '../asc/codec.js';
import { det } from '../errors.js';
import * as bd from '../numbers/bigdecimal.js';
import type { HostEnv, HostNamespace } from './env.js';

type Bin = (x: bigint, y: bigint) => bigint;
const binary = (f: Bin) => (env: HostEnv) => (x: number, y: number) =>
  writeBigInt(env.heap, f(readBigInt(env.heap, x >>> 0), readBigInt(env.heap, y >>> 0)));

/** Arguments declared `u8` arrive as i32; graph-node's conversion refuses values beyond 255. */
function u8(n: number, what: string): bigint {
  const v = n >>> 0;
  if (v > 255) throw det(`${what}: value ${v} does not fit in u8`);
  return BigInt(v);
}

/** num-bigint `from_str`: optional sign, decimal digits, `_` separators allowed between digits. */
export function parseBigInt(s: string): bigint {
  if (!/^[+-]?[0-9][0-9_]*$/.test(s)) throw det(`string is not a BigInt: \`${s}\``);
  const neg = s.startsWith('-');
  const digits = s.replace(/^[+-]/, '').replace(/_/g, '');
  const n = BigInt(digits);
  return neg ? -n : n;
}

export const bigIntImports: HostNamespace = {
  'bigInt.plus': binary((x, y) => x + y),
  'bigInt.minus': binary((x, y) => x - y),
  'bigInt.times': binary((x, y) => x * y),
  'bigInt.dividedBy': binary((x, y) => {
    if (y === 0n) throw det(`attempted to divide BigInt \`${x}\` by zero`);
    return x / y; // truncates toward zero, like num-bigint
  }),
  'bigInt.mod': binary((x, y) => {
    if (y === 0n) throw det(`attempted to calculate the remainder of \`${x}\` with a divisor of zero`);
    return x % y; // sign of the dividend, like num-bigint
  }),
  'bigInt.bitOr': binary((x, y) => x | y),
  'bigInt.bitAnd': binary((x, y) => x & y),
  'bigInt.pow': (env) => (x: number, exp: number) =>
    writeBigInt(env.heap, readBigInt(env.heap, x >>> 0) ** u8(exp, 'bigInt.pow')),
  'bigInt.leftShift': (env) => (x: number, bits: number) =>
    writeBigInt(env.heap, readBigInt(env.heap, x >>> 0) << u8(bits, 'bigInt.leftShift')),
  'bigInt.rightShift': (env) => (x: number, bits: number) =>
    writeBigInt(env.heap, readBigInt(env.heap, x >>> 0) >> u8(bits, 'bigInt.rightShift')),
  'bigInt.fromString': (env) => (s: number) =>
    writeBigInt(env.heap, parseBigInt(readString(env.heap, s >>> 0))),
  'bigInt.dividedByDecimal': (env) => (x: number, y: number) => {
    const a = bd.fromBigInt(readBigInt(env.heap, x >>> 0));
    return writeBigDecimal(env.heap, bd.div(a, readBigDecimal(env.heap, y >>> 0)));
  },
};
