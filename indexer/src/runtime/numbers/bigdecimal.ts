// BigDecimal exactly as graph-node computes it. graph-node wraps bigdecimal-rs
// **0.1.2** and normalises every value (graph/src/data/store/scalar/bigdecimal.rs):
// `with_prec(34)` then strip trailing zeros. No JS decimal library reproduces
// 0.1.2's quirks, so this is our own implementation of those semantics (read
// from the Rust sources as a specification, not ported line by line):
//  - with_prec rounds half-up on the first dropped digit for positive values but
//    truncates negative ones (its rounding test compares against a negative remainder);
//  - its digit count for a negative mantissa is only the bit-length estimate
//    floor(bits / 3.3219280949) (the correcting loop compares a negative number
//    with a positive power of ten and never runs), so negatives keep 34 or 35 digits;
//  - division computes the magnitude to 100 significant digits, rounds half-up on
//    the next digit, then applies the sign;
//  - Display is always plain notation.
import type { BigDecimalValue } from '../../schema/values.js';
import { det } from '../errors.js';
import { bitLength } from './bigint.js';

export type BigDecimal = BigDecimalValue;

export const MIN_EXP = -6143;
export const MAX_EXP = 6144;
const PREC = 34;

const pow10 = (n: number): bigint => 10n ** BigInt(n);
const abs = (n: bigint): bigint => (n < 0n ? -n : n);

/** bigdecimal 0.1.2 `count_decimal_digits` including its negative-number shortcut. */
function countDigits(n: bigint): number {
  if (n === 0n) return 1;
  let digits = Math.floor(bitLength(n) / 3.3219280949);
  if (n < 0n) return digits;
  let p = pow10(digits);
  while (n >= p) {
    p *= 10n;
    digits += 1;
  }
  return digits;
}

/** 1 when the leading digit of a positive `n` is >= 5 (0.1.2 `get_rounding_term`). */
function roundingTerm(n: bigint): bigint {
  if (n === 0n) return 0n;
  const s = n.toString();
  return s.charCodeAt(0) >= 0x35 ? 1n : 0n;
}

/** Rust `int_val / scale` pair; our exp is -scale. */
function withPrec(digits: bigint, exp: number): BigDecimal {
  const d = countDigits(digits);
  if (d > PREC) {
    const diff = d - PREC;
    const p = pow10(diff);
    let q = digits / p; // truncates toward zero like num-bigint div_rem
    const r = digits % p;
    if (p < 10n * r) q += roundingTerm(r);
    return { digits: q, exp: exp + diff };
  }
  if (d < PREC) {
    const diff = PREC - d;
    return { digits: digits * pow10(diff), exp: exp - diff };
  }
  return { digits, exp };
}

/** graph-node's `BigDecimal::normalized()`. */
export function normalize(v: BigDecimal): BigDecimal {
  if (v.digits === 0n) return { digits: 0n, exp: 0 };
  const r = withPrec(v.digits, v.exp);
  let digits = r.digits;
  let exp = r.exp;
  while (digits % 10n === 0n) {
    digits /= 10n;
    exp += 1;
  }
  return { digits, exp };
}

/** Input check graph-node applies to every BigDecimal read from WASM. */
export function checkExp(v: BigDecimal): BigDecimal {
  if (v.exp < MIN_EXP || v.exp > MAX_EXP)
    throw det(`Big decimal exponent \`${v.exp}\` is outside the \`${MIN_EXP}\` to \`${MAX_EXP}\` range`);
  return v;
}

function align(a: BigDecimal, b: BigDecimal): [bigint, bigint, number] {
  const exp = Math.min(a.exp, b.exp);
  return [a.digits * pow10(a.exp - exp), b.digits * pow10(b.exp - exp), exp];
}

export function add(a: BigDecimal, b: BigDecimal): BigDecimal {
  const [x, y, exp] = align(a, b);
  return normalize({ digits: x + y, exp });
}

export function sub(a: BigDecimal, b: BigDecimal): BigDecimal {
  const [x, y, exp] = align(a, b);
  return normalize({ digits: x - y, exp });
}

export function mul(a: BigDecimal, b: BigDecimal): BigDecimal {
  return normalize({ digits: a.digits * b.digits, exp: a.exp + b.exp });
}

export function isZero(a: BigDecimal): boolean {
  return a.digits === 0n;
}

export function equals(a: BigDecimal, b: BigDecimal): boolean {
  const [x, y] = align(a, b);
  return x === y;
}

export function compare(a: BigDecimal, b: BigDecimal): number {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** bigdecimal 0.1.2 `impl_division` (magnitudes to 100 digits, sign afterwards) plus normalisation. */
export function div(a: BigDecimal, b: BigDecimal): BigDecimal {
  if (b.digits === 0n) throw det(`attempted to divide BigDecimal \`${toString(a)}\` by zero`);
  if (a.digits === 0n) return normalize(a);
  // `other.is_one()` and equal mantissas short-circuit in 0.1.2.
  if (b.digits === 1n && b.exp === 0) return normalize(a);
  let scale = -a.exp - -b.exp;
  if (a.digits === b.digits) return normalize({ digits: 1n, exp: -scale });
  const negative = a.digits < 0n !== b.digits < 0n;
  let num = abs(a.digits);
  const den = abs(b.digits);
  while (num < den) {
    scale += 1;
    num *= 10n;
  }
  let quotient = num / den;
  let remainder = num % den;
  if (remainder !== 0n) {
    let precision = countDigits(quotient);
    remainder *= 10n;
    while (remainder !== 0n && precision < 100) {
      quotient = quotient * 10n + remainder / den;
      remainder = (remainder % den) * 10n;
      precision += 1;
      scale += 1;
    }
    if (remainder !== 0n) quotient += roundingTerm(remainder / den);
  }
  return normalize({ digits: negative ? -quotient : quotient, exp: -scale });
}

/** bigdecimal 0.1.2 Display: plain notation, never an exponent. */
export function toString(v: BigDecimal): string {
  const neg = v.digits < 0n;
  const s = abs(v.digits).toString();
  const scale = -v.exp;
  let out: string;
  if (scale >= s.length) out = '0.' + '0'.repeat(scale - s.length) + s;
  else if (scale <= 0) out = s + '0'.repeat(-scale);
  else out = s.slice(0, s.length - scale) + '.' + s.slice(s.length - scale);
  return (neg ? '-' : '') + out;
}

/** bigdecimal 0.1.2 `from_str` (`1.5`, `-2e-3`, `+1E+2`), then normalised. */
export function fromString(s: string): BigDecimal {
  const fail = () => det(`string  is not a BigDecimal: '${s}'`);
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(s);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw fail();
  const digitStr = (m[2] ?? '') + (m[3] ?? '');
  const e = m[4] ? Number(m[4]) : 0;
  if (!Number.isSafeInteger(e)) throw fail();
  const digits = BigInt(digitStr) * (m[1] === '-' ? -1n : 1n);
  return normalize({ digits, exp: e - (m[3] ?? '').length });
}

export function fromBigInt(n: bigint): BigDecimal {
  return normalize({ digits: n, exp: 0 });
}
