// numbers/ without WASM: graph-node's normalisation cases and division checked
// against exact rational arithmetic.
import { describe, expect, it } from 'vitest';
import * as bd from '../../src/runtime/numbers/bigdecimal.js';
import { bigintToSignedLE, signedLEToBigint } from '../../src/runtime/numbers/bigint.js';

describe('normalize (graph-node test_normalize cases)', () => {
  it.each([
    [10n, -2, '0.1', { digits: 1n, exp: -1 }],
    [132400n, 4, '1324000000', { digits: 1324n, exp: 6 }],
    [1_900_000n, -3, '1900', { digits: 19n, exp: 2 }],
    [0n, 3, '0', { digits: 0n, exp: 0 }],
    [0n, -5, '0', { digits: 0n, exp: 0 }],
  ])('%s e%s', (digits, exp, text, normal) => {
    const n = bd.normalize({ digits, exp });
    expect(n).toEqual(normal);
    expect(bd.toString(n)).toBe(text);
  });

  it('prints -0.17 for -17e-2', () => {
    expect(bd.toString(bd.normalize({ digits: -17n, exp: -2 }))).toBe('-0.17');
  });
});

/** The first 34 significant digits of a/b (a, b > 0), rounded half up on the 35th: exact rational arithmetic. */
function exactQuotient34(a: bigint, b: bigint): bd.BigDecimal {
  // Scale so the integer quotient has at least 35 digits.
  let shift = 0;
  while ((a * 10n ** BigInt(shift)) / b < 10n ** 34n) shift++;
  const q = (a * 10n ** BigInt(shift)) / b; // >= 35 digits
  const extra = q.toString().length - 35;
  const q35 = q / 10n ** BigInt(extra);
  const rounded = q35 / 10n + (q35 % 10n >= 5n ? 1n : 0n);
  return bd.normalize({ digits: rounded, exp: extra + 1 - shift });
}

describe('division', () => {
  it('positive quotients equal exact arithmetic rounded half up at 34 digits', () => {
    let seed = 12345n;
    const rnd = () => (seed = (seed * 6364136223846793005n + 1442695040888963407n) % 2n ** 64n);
    for (let i = 0; i < 300; i++) {
      const a = (rnd() % 10n ** BigInt(1 + Number(rnd() % 30n))) + 1n;
      const b = (rnd() % 10n ** BigInt(1 + Number(rnd() % 30n))) + 1n;
      const got = bd.div({ digits: a, exp: 0 }, { digits: b, exp: 0 });
      // Only compare when the exact quotient does not terminate within 34 digits in a way that
      // 0.1.2 would stop earlier (terminating quotients are exact either way).
      expect(bd.toString(got), `${a}/${b}`).toBe(bd.toString(exactQuotient34(a, b)));
    }
  });

  it('negative quotients are truncated, keeping the digits 0.1.2 counts', () => {
    const neg = bd.div({ digits: -2n, exp: 0 }, { digits: 3n, exp: 0 });
    expect(bd.toString(neg)).toBe('-0.' + '6'.repeat(35));
    const negSeventh = bd.div({ digits: -1n, exp: 0 }, { digits: 7n, exp: 0 });
    const pos = bd.div({ digits: 1n, exp: 0 }, { digits: 7n, exp: 0 });
    // Truncated (no rounding up), to the 34 or 35 digits 0.1.2's estimate counts for negatives.
    const digits = bd.toString(negSeventh).slice(3);
    expect(bd.toString(negSeventh).startsWith('-0.')).toBe(true);
    expect([34, 35]).toContain(digits.length);
    expect(digits).toBe('142857'.repeat(6).slice(0, digits.length));
    expect(bd.toString(pos)).toBe('0.1428571428571428571428571428571429');
  });

  it('short-circuits equal mantissas and division by one like 0.1.2', () => {
    expect(bd.div({ digits: 5n, exp: 3 }, { digits: 5n, exp: -2 })).toEqual({ digits: 1n, exp: 5 });
    expect(bd.div({ digits: 7n, exp: -1 }, { digits: 1n, exp: 0 })).toEqual({ digits: 7n, exp: -1 });
  });
});

describe('fromString', () => {
  it.each([
    ['1.5', { digits: 15n, exp: -1 }],
    ['-2e-3', { digits: -2n, exp: -3 }],
    ['+1E+2', { digits: 1n, exp: 2 }],
    ['.5', { digits: 5n, exp: -1 }],
    ['100.000', { digits: 1n, exp: 2 }],
  ])('%s', (s, v) => expect(bd.fromString(s)).toEqual(v));

  it.each(['', 'abc', '1.2.3', 'e5', '1e', '--1'])('rejects %j', (s) =>
    expect(() => bd.fromString(s)).toThrow(/is not a BigDecimal/),
  );
});

describe('BigInt bytes', () => {
  it('round-trips and is minimal', () => {
    for (const n of [0n, 1n, -1n, 127n, 128n, -128n, -129n, 255n, 256n, (1n << 256n) - 1n, -(1n << 255n)]) {
      const b = bigintToSignedLE(n);
      expect(signedLEToBigint(b)).toBe(n);
      if (b.length > 1) {
        const top = b[b.length - 1]!;
        const next = b[b.length - 2]!;
        // Not minimal if the top byte is pure sign extension of the next one.
        expect((top === 0 && next < 0x80) || (top === 0xff && next >= 0x80)).toBe(false);
      }
    }
    expect(signedLEToBigint(new Uint8Array([1, 0, 0, 0]))).toBe(1n); // AS BigInt.fromI32 is not minimal
    expect(signedLEToBigint(new Uint8Array())).toBe(0n);
  });
});
