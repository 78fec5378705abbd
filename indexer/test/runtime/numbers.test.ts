// BigInt and BigDecimal host imports against values computed independently in TypeScript.
import { beforeAll, describe, expect, it } from 'vitest';
import type { MappingModule } from '../../src/runtime/module.js';
import { readBigDecimal, readBytes, readString, writeString } from '../../src/runtime/asc/codec.js';
import { DeterministicError } from '../../src/runtime/errors.js';
import { call, compileConformance, session, type Session } from './helpers.js';

let mod: MappingModule;
let s: Session;
beforeAll(async () => {
  mod = await compileConformance();
  s = session(mod);
});

const str = (name: string, ...args: string[]): string => {
  const { env, ret } = call(s, name, (env) => args.map((a) => writeString(env.heap, a)));
  return readString(env.heap, ret as number);
};

/** Exact decimal value of a plain decimal string as [digits, scale]. */
function exact(x: string): [bigint, number] {
  const [i, f = ''] = x.replace('-', '').split('.');
  const v = BigInt(i! + f);
  return [x.startsWith('-') ? -v : v, f.length];
}
function exactOp(op: '+' | '-' | '*', a: string, b: string): string {
  const [x, sx] = exact(a);
  const [y, sy] = exact(b);
  let v: bigint;
  let scale: number;
  if (op === '*') [v, scale] = [x * y, sx + sy];
  else {
    scale = Math.max(sx, sy);
    const xa = x * 10n ** BigInt(scale - sx);
    const ya = y * 10n ** BigInt(scale - sy);
    v = op === '+' ? xa + ya : xa - ya;
  }
  const neg = v < 0n;
  const digits = (neg ? -v : v).toString().padStart(scale + 1, '0');
  let out = scale > 0 ? digits.slice(0, -scale) + '.' + digits.slice(-scale) : digits;
  if (out.includes('.')) out = out.replace(/0+$/, '').replace(/\.$/, '');
  return v === 0n ? '0' : (neg ? '-' : '') + out;
}

describe('BigDecimal (bigdecimal-rs 0.1.2 + graph-node normalisation)', () => {
  it('divides positive values to 34 significant digits, rounding half up', () => {
    expect(str('decDiv', '2', '3')).toBe('0.' + '6'.repeat(33) + '7');
    expect(str('decDiv', '1', '3')).toBe('0.' + '3'.repeat(34));
    expect(str('decDiv', '10', '4')).toBe('2.5');
    expect(str('decDiv', '1', '8')).toBe('0.125');
  });

  it('truncates negative quotients instead of rounding (0.1.2 with_prec quirk)', () => {
    const neg = str('decDiv', '-2', '3');
    expect(neg.startsWith('-0.666666')).toBe(true);
    expect(neg.endsWith('7')).toBe(false);
    // The digit count of a negative mantissa is only the bit-length estimate, so 35 digits survive here.
    expect(neg).toBe('-0.' + '6'.repeat(35));
    expect(str('decDiv', '2', '-3')).toBe(neg);
    expect(str('decDiv', '-2', '-3')).toBe('0.' + '6'.repeat(33) + '7');
  });

  it('adds, subtracts and multiplies exactly below 34 digits', () => {
    const cases: [string, string][] = [
      ['1.5', '2.25'],
      ['-0.001', '1000'],
      ['123456789.123456789', '-98765.4321'],
      ['0', '-7.5'],
    ];
    for (const [a, b] of cases) {
      expect(str('decPlus', a, b)).toBe(exactOp('+', a, b));
      expect(str('decMinus', a, b)).toBe(exactOp('-', a, b));
      expect(str('decTimes', a, b)).toBe(exactOp('*', a, b));
    }
  });

  it('rounds long positive results half up and truncates long negative ones', () => {
    const a = '1.' + '0'.repeat(32) + '15'; // 35 significant digits ending in 5
    expect(str('decPlus', a, '0')).toBe('1.' + '0'.repeat(32) + '2');
    expect(str('decPlus', '-' + a, '0')).toMatch(/^-1\.0+1/);
  });

  it('prints plain notation, never an exponent', () => {
    expect(str('decPlus', '1e-7', '0')).toBe('0.0000001');
    expect(str('decPlus', '1.5e40', '0')).toBe('15' + '0'.repeat(39));
    expect(str('decPlus', '100', '0')).toBe('100');
  });

  it('normalises what it returns: trailing zeros stripped into the exponent', () => {
    const { env, ret } = call(s, 'decFromString', (env) => [writeString(env.heap, '1000.00')]);
    expect(readBigDecimal(env.heap, ret as number)).toEqual({ digits: 1n, exp: 3 });
  });

  it('compares numerically', () => {
    const eq = (a: string, b: string) =>
      call(s, 'decEquals', (env) => [writeString(env.heap, a), writeString(env.heap, b)]).ret;
    expect(eq('1.50', '1.5')).toBe(1);
    expect(eq('1.5', '1.51')).toBe(0);
  });

  it('fails deterministically on division by zero and bad input', () => {
    expect(() => str('decDiv', '1', '0')).toThrow(/attempted to divide BigDecimal `1` by zero/);
    expect(() => str('decDiv', '1', '0')).toThrow(DeterministicError);
    expect(() => str('decPlus', 'abc', '1')).toThrow(/is not a BigDecimal/);
  });

  it('divides a BigInt by a BigDecimal', () => {
    expect(str('bigIntDivDecimal', '1', '4')).toBe('0.25');
  });
});

describe('BigInt', () => {
  const op = (o: string, a: string, b = '0') => str('intOp', o, a, b);
  const samples = ['0', '1', '-1', '255', '-256', '123456789012345678901234567890', '-98765432109876543210'];

  it('matches JS BigInt arithmetic, truncating division toward zero', () => {
    for (const a of samples)
      for (const b of samples) {
        const x = BigInt(a);
        const y = BigInt(b);
        expect(op('plus', a, b)).toBe((x + y).toString());
        expect(op('minus', a, b)).toBe((x - y).toString());
        expect(op('times', a, b)).toBe((x * y).toString());
        expect(op('or', a, b)).toBe((x | y).toString());
        expect(op('and', a, b)).toBe((x & y).toString());
        if (y !== 0n) {
          expect(op('div', a, b)).toBe((x / y).toString());
          expect(op('mod', a, b)).toBe((x % y).toString());
        }
      }
  });

  it('pows and shifts (arithmetic shift for negatives)', () => {
    expect(op('pow', '-3', '5')).toBe((-243n).toString());
    expect(op('pow', '2', '255')).toBe((2n ** 255n).toString());
    expect(op('shl', '-5', '70')).toBe((-5n << 70n).toString());
    expect(op('shr', '-5', '1')).toBe((-5n >> 1n).toString());
  });

  it('drops the sign in toHexString', () => {
    expect(op('hex', '-255')).toBe('0xff');
    expect(op('hex', '0')).toBe('0x0');
    expect(op('hex', '4096')).toBe('0x1000');
  });

  it("writes minimal two's complement: uint256 max is 33 bytes, zero is one byte", () => {
    const bytes = (a: string) => {
      const { env, ret } = call(s, 'intBytes', (env) => [writeString(env.heap, a)]);
      return readBytes(env.heap, ret as number);
    };
    const max = (1n << 256n) - 1n;
    const b = bytes(max.toString());
    expect(b.length).toBe(33);
    expect(b[32]).toBe(0);
    expect([...bytes('0')]).toEqual([0]);
    expect([...bytes('-1')]).toEqual([0xff]);
    expect([...bytes('128')]).toEqual([0x80, 0]);
    expect([...bytes('-129')]).toEqual([0x7f, 0xff]);
  });

  it("fails with graph-node's texts on division by zero", () => {
    expect(() => op('div', '7', '0')).toThrow('attempted to divide BigInt `7` by zero');
    expect(() => op('mod', '-7', '0')).toThrow(
      'attempted to calculate the remainder of `-7` with a divisor of zero',
    );
    expect(() => str('intOp', 'plus', '12x', '1')).toThrow('string is not a BigInt: `12x`');
  });
});
