// decodeEventParams' word fast path against viem's general decoder (decodeWithViem),
// which is what decoding meant before the fast path: same values for canonical
// encodings, and the same values or the same failure for everything else.
import { describe, expect, it } from 'vitest';
import { encodeAbiParameters, parseAbiItem, toEventSelector, type AbiEvent, type Hex } from 'viem';
import { decodeEventParams, decodeWithViem, decodeWords } from '../../src/runtime/ethereum/decode.js';
import type { ChainLog } from '../../src/chain/types.js';
import { testLog } from './logs.js';

const event = parseAbiItem(
  'event Mixed(address indexed who, uint8 indexed small, string indexed tag, int16 delta, bool flag, bytes4 sig, uint256 amount, int256 signed, address to, uint48 when)',
) as AbiEvent;

const word = (hexBody: string): string => hexBody.padStart(64, '0');

function logOf(topics: string[], dataWords: string[]): ChainLog {
  return testLog([toEventSelector(event), ...topics.map((t) => `0x${t}` as Hex)], `0x${dataWords.join('')}`);
}

/** The outcome of a decoder: its value, or the failure's message. */
const outcome = (f: () => unknown) => {
  try {
    return { ok: f() };
  } catch (e) {
    return { error: (e as Error).message };
  }
};

describe('decodeEventParams fast path', () => {
  it('decodes canonical words exactly as viem does', () => {
    const cases: Array<[bigint, number, bigint, bigint, bigint]> = [
      [0n, 0, 0n, 0n, 0n],
      [255n, -32768, (1n << 256n) - 1n, -(1n << 255n), (1n << 48n) - 1n],
      [7n, 32767, 12345678901234567890n, (1n << 255n) - 1n, 1700000000n],
      [128n, -1, 1n, -1n, 1n],
    ];
    for (const [small, delta, amount, signed, when] of cases) {
      const topics = [word('ab'.repeat(20)), word(small.toString(16)), 'cd'.repeat(32)];
      const data = encodeAbiParameters(
        event.inputs.filter((i) => !i.indexed),
        [delta, delta < 0, '0xdeadbeef', amount, signed, '0x00000000000000000000000000000000000000ff', when],
      );
      const log = logOf(topics, data.slice(2).match(/.{64}/g)!);
      expect(decodeWords(event, log)).not.toBeNull();
      const fast = decodeEventParams(event, log);
      expect(fast).toEqual(decodeWithViem(event, log));
      expect(fast.find((p) => p.name === 'amount')!.value).toEqual({ kind: 'uint', value: amount });
      expect(fast.find((p) => p.name === 'tag')!.value.kind).toBe('fixedBytes');
    }
  });

  it('leaves non-canonical words and short or odd data to viem, with the same outcome', () => {
    const good = encodeAbiParameters(
      event.inputs.filter((i) => !i.indexed),
      [-5, true, '0x01020304', 9n, -9n, '0x00000000000000000000000000000000000000ff', 5n],
    )
      .slice(2)
      .match(/.{64}/g)!;
    const topics = [word('ab'.repeat(20)), word('07'), 'cd'.repeat(32)];
    const variants: Array<[string[], string[]]> = [
      [topics, good.map((w, i) => (i === 1 ? word('2') : w))], // bool 2
      [topics, good.map((w, i) => (i === 0 ? word('1ffff') : w))], // int16 out of range
      [topics, good.map((w, i) => (i === 6 ? word('1' + '0'.repeat(12)) : w))], // uint48 overflow
      [topics, good.map((w, i) => (i === 5 ? 'ff' + w.slice(2) : w))], // dirty address
      [[word('ab'.repeat(20)), word('100'), topics[2]!], good], // indexed uint8 of 256
      [topics, good.slice(0, 3)], // data too short
      [topics, [...good, 'a']], // odd length
    ];
    for (const [t, d] of variants) {
      const log = logOf(t, d);
      expect(decodeWords(event, log)).toBeNull();
      expect(outcome(() => decodeEventParams(event, log))).toEqual(outcome(() => decodeWithViem(event, log)));
    }
  });
});
