// bigDecimal.*: arithmetic lives in numbers/bigdecimal.ts (bigdecimal-rs 0.1.2 semantics).
import { readBigDecimal, readString, writeBigDecimal, writeString } from '../asc/codec.js';
import * as bd from '../numbers/bigdecimal.js';
import type { HostEnv, HostNamespace } from './env.js';

const binary =
  (f: (a: bd.BigDecimal, b: bd.BigDecimal) => bd.BigDecimal) => (env: HostEnv) => (x: number, y: number) =>
    writeBigDecimal(env.heap, f(readBigDecimal(env.heap, x >>> 0), readBigDecimal(env.heap, y >>> 0)));

export const bigDecimalImports: HostNamespace = {
  'bigDecimal.plus': binary(bd.add),
  'bigDecimal.minus': binary(bd.sub),
  'bigDecimal.times': binary(bd.mul),
  'bigDecimal.dividedBy': binary(bd.div),
  'bigDecimal.equals': (env) => (x: number, y: number) =>
    bd.equals(readBigDecimal(env.heap, x >>> 0), readBigDecimal(env.heap, y >>> 0)) ? 1 : 0,
  'bigDecimal.toString': (env) => (x: number) =>
    writeString(env.heap, bd.toString(readBigDecimal(env.heap, x >>> 0))),
  'bigDecimal.fromString': (env) => (s: number) =>
    writeBigDecimal(env.heap, bd.fromString(readString(env.heap, s >>> 0))),
};
