// decodeEventParams' fast path for string, bytes and T[] data params against viem's
// general decoder (decodeWithViem), on seeded random events: canonical encodings must
// take the fast path and decode to the same values; mutated ones must decode to the
// same values or fail with the same message, whichever path they take.
import { describe, expect, it } from 'vitest';
import { encodeAbiParameters, type Abi, type AbiEvent, type AbiParameter, type Hex } from 'viem';
import { AreaDAOAbi, GGNFactoryAbi } from '@ggn/contracts-abi';
import { decodeEventParams, decodeWithViem, decodeWords } from '../../src/runtime/ethereum/decode.js';
import type { ChainLog } from '../../src/chain/types.js';
import { testLog } from './logs.js';

/** mulberry32: small, seeded, the same sequence on every run. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const bytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => int(256));
  return { next, int, pick, bytes };
}
type Rng = ReturnType<typeof prng>;

const hex = (b: Uint8Array): Hex => `0x${Buffer.from(b).toString('hex')}`;

const WORD_TYPES = [
  'address',
  'bool',
  'uint8',
  'uint16',
  'uint48',
  'uint64',
  'uint128',
  'uint256',
  'int8',
  'int32',
  'int48',
  'int64',
  'int256',
  'bytes1',
  'bytes4',
  'bytes20',
  'bytes32',
] as const;

const STRINGS = [
  '',
  'yes',
  'a'.repeat(31),
  'b'.repeat(32),
  'c'.repeat(33),
  'x'.repeat(64),
  'y'.repeat(65),
  'Ωμέγα — ünïcödé',
  '投票理由：同意',
  '🗳️👍🏽 vote',
  '\u0000nul\u0000',
  '\uFEFFstarts with a BOM',
  'mid\uFEFFBOM',
  'é'.repeat(40),
];

// Byte strings that are not valid UTF-8 (or are, but only just): TextDecoder's replacement rules apply.
const RAW_STRINGS = [
  [0x80],
  [0xff, 0xfe, 0x41],
  [0xc3],
  [0xe2, 0x82],
  [0xf0, 0x9f, 0x97],
  [0xed, 0xa0, 0x80],
  [0xc0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xef, 0xbb, 0xbf],
  [0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, 0x41],
  [0x41, 0xe2, 0x28, 0xa1, 0x42],
].map((b) => Uint8Array.from(b));

function uintOf(r: Rng, bits: number): bigint {
  const max = (1n << BigInt(bits)) - 1n;
  switch (r.int(4)) {
    case 0:
      return 0n;
    case 1:
      return max;
    default:
      return BigInt(hex(r.bytes(bits / 8))) & (max >> BigInt(r.int(bits)));
  }
}

function wordValue(r: Rng, type: string): unknown {
  if (type === 'address') return hex(r.bytes(20));
  if (type === 'bool') return r.int(2) === 1;
  const n = /^(u?)int(\d+)$/.exec(type);
  if (n) {
    const bits = Number(n[2]);
    const u = uintOf(r, bits);
    const v = n[1] ? u : u - (1n << BigInt(bits - 1));
    return bits <= 48 ? Number(v) : v;
  }
  return hex(r.bytes(Number(type.slice(5))));
}

/** A random string or bytes value, as the type it is encoded with (invalid UTF-8 goes in as bytes). */
function tailValue(r: Rng, type: 'string' | 'bytes'): { as: string; value: unknown } {
  const length = r.pick([0, 1, 31, 32, 33, 64, 100, r.int(300)]);
  if (type === 'bytes') return { as: 'bytes', value: hex(r.bytes(length)) };
  switch (r.int(4)) {
    case 0:
      return { as: 'bytes', value: hex(r.pick(RAW_STRINGS)) };
    case 1: {
      // random bytes biased to the high half, mostly invalid UTF-8
      const b = r.bytes(length).map((x) => (r.int(3) === 0 ? x & 0x7f : x | 0x80));
      return { as: 'bytes', value: hex(b) };
    }
    case 2:
      return {
        as: 'string',
        value: String.fromCodePoint(...Array.from({ length }, () => r.int(0x110000) & ~0x800)),
      };
    default:
      return { as: 'string', value: r.pick(STRINGS) };
  }
}

interface Case {
  event: AbiEvent;
  log: ChainLog;
  /** the data param types in head order, with the byte position of each tail (0 for head words) */
  layout: Array<{ type: string; tail: number }>;
}

function logOf(event: AbiEvent, topics: Hex[], data: Hex): ChainLog {
  return testLog(event.anonymous ? topics : [`0x${'5e'.repeat(32)}`, ...topics], data);
}

/** A log of `event` with random values for its params, encoded as Solidity does. */
function encodeCase(r: Rng, event: AbiEvent): Case {
  const topics: Hex[] = [];
  const dataTypes: AbiParameter[] = [];
  const values: unknown[] = [];
  for (const input of event.inputs) {
    if (input.indexed) {
      topics.push(
        /^(string|bytes|.*\])$/.test(input.type)
          ? hex(r.bytes(32))
          : encodeAbiParameters([input], [wordValue(r, input.type)]),
      );
    } else if (input.type === 'string' || input.type === 'bytes') {
      const { as, value } = tailValue(r, input.type);
      dataTypes.push({ type: as });
      values.push(value);
    } else if (input.type.endsWith('[]')) {
      const inner = input.type.slice(0, -2);
      dataTypes.push({ type: input.type });
      values.push(Array.from({ length: r.pick([0, 1, 2, 5, r.int(40)]) }, () => wordValue(r, inner)));
    } else {
      dataTypes.push({ type: input.type });
      values.push(wordValue(r, input.type));
    }
  }
  const data = encodeAbiParameters(dataTypes, values);
  const layout = dataTypes.map((p, i) => {
    const dynamic = p.type === 'string' || p.type === 'bytes' || p.type.endsWith('[]');
    return { type: p.type, tail: dynamic ? Number(BigInt(`0x${data.slice(2 + 64 * i, 66 + 64 * i)}`)) : 0 };
  });
  return { event, log: logOf(event, topics, data), layout };
}

function randomEvent(r: Rng): AbiEvent {
  const inputs: Array<AbiParameter & { indexed?: boolean }> = [];
  for (let i = r.int(4); i > 0; i--)
    inputs.push({
      name: `t${i}`,
      type: r.pick([...WORD_TYPES, 'string', 'bytes', 'uint256[]']),
      indexed: true,
    });
  for (let i = 1 + r.int(6); i > 0; i--) {
    const k = r.int(10);
    const type = k < 3 ? r.pick(['string', 'bytes']) : k < 5 ? `${r.pick(WORD_TYPES)}[]` : r.pick(WORD_TYPES);
    inputs.splice(r.int(inputs.length + 1), 0, { name: `p${i}`, type, indexed: false });
  }
  return { type: 'event', name: 'Random', anonymous: r.int(8) === 0, inputs } as AbiEvent;
}

const protocolEvents = ([...AreaDAOAbi, ...GGNFactoryAbi] as Abi).filter(
  (x): x is AbiEvent =>
    x.type === 'event' && x.inputs.some((i) => !i.indexed && /^(string|bytes|.*\[\])$/.test(i.type)),
);

/** The outcome of a decoder: its value, or the failure's message. */
const outcome = (f: () => unknown) => {
  try {
    return { ok: f() };
  } catch (e) {
    return { error: (e as Error).message };
  }
};

const setWord = (data: string, at: number, value: bigint): string =>
  data.slice(0, 2 + 2 * at) + value.toString(16).padStart(64, '0').slice(-64) + data.slice(66 + 2 * at);

const setByte = (data: string, at: number, value: number): string =>
  data.slice(0, 2 + 2 * at) + value.toString(16).padStart(2, '0') + data.slice(4 + 2 * at);

/** `log` with its data changed in one way a malformed or hostile log might be. */
function mutate(r: Rng, c: Case): string {
  const data = c.log.data;
  const size = (data.length - 2) / 2;
  const tails = c.layout.map((l, i) => ({ ...l, head: 32 * i })).filter((l) => l.tail > 0);
  const word = (at: number) => BigInt(`0x${data.slice(2 + 2 * at, 66 + 2 * at)}`);
  const tail = tails.length > 0 ? r.pick(tails) : undefined;
  switch (r.int(tail ? 12 : 5)) {
    case 0: // cut short, to a whole byte or not
      return data.slice(0, 2 + r.int(data.length - 1));
    case 1: // trailing bytes
      return data + r.pick(['00', '01', '00'.repeat(32), hex(r.bytes(32)).slice(2)]);
    case 2: // any byte changed
      return size === 0 ? '0x01' : setByte(data, r.int(size), r.int(256));
    case 3: {
      // not hex (İ and š end in the bytes of '0' and 'a'), or no 0x
      const at = 2 + r.int(data.length - 2);
      const bad = r.pick(['g', '\u0130', '\u0161']);
      return r.int(3) === 0 ? data.slice(2) : data.slice(0, at) + bad + data.slice(at + 1);
    }
    case 4: {
      // a head word made non-canonical: dirty high bits, bool 2, out-of-range int
      if (c.layout.length === 0) return '0x' + '00'.repeat(r.int(32));
      const i = r.int(c.layout.length);
      return setByte(data, 32 * i + r.pick([0, 11, 30]), r.pick([1, 0x80, 0xff]));
    }
    case 5:
    case 6: {
      // the offset moved off its tail
      const o = BigInt(tail!.tail);
      const to = r.pick([
        o + 1n,
        o - 1n,
        o + 32n,
        o - 32n,
        0n,
        BigInt(size),
        (1n << 256n) - 1n,
        (1n << 32n) + o,
      ]);
      return setWord(data, tail!.head, to < 0n ? 0n : to);
    }
    case 7:
    case 8: {
      // the length word wrong: one off, past the end, huge
      const len = word(tail!.tail);
      const to = r.pick([
        len + 1n,
        len - 1n,
        len + 32n,
        BigInt(size),
        1n << 32n,
        (1n << 256n) - 1n,
        1n << 255n,
      ]);
      return setWord(data, tail!.tail, to < 0n ? 1n : to);
    }
    case 9: {
      // a non-zero padding byte after a string or bytes, or an array item made dirty
      const len = Number(word(tail!.tail));
      const end = tail!.tail + 32 + 32 * Math.ceil(len / 32);
      if (tail!.type.endsWith('[]'))
        return len === 0
          ? setWord(data, tail!.tail, 1n)
          : setByte(data, tail!.tail + 32 + 32 * r.int(len), 0x80);
      return end > tail!.tail + 32 + len
        ? setByte(data, end - 1 - r.int(end - tail!.tail - 32 - len), 1)
        : data + '01';
    }
    case 10: {
      // two tails swapped, or one tail shared
      if (tails.length < 2) return setWord(data, tail!.head, BigInt(tail!.tail + 32));
      const other = r.pick(tails.filter((t) => t !== tail));
      return setWord(data, tail!.head, BigInt(other.tail));
    }
    default: // uppercase hex is still hex
      return data.toUpperCase().replace(/^0X/, '0x');
  }
}

describe('decodeEventParams fast path for string, bytes and T[]', () => {
  it('decodes random canonical encodings as viem does, through the fast path', () => {
    const r = prng(20240601);
    for (let n = 0; n < 3000; n++) {
      const c = encodeCase(r, n % 5 === 0 ? r.pick(protocolEvents) : randomEvent(r));
      const fast = decodeWords(c.event, c.log);
      expect(fast, `${c.event.name} ${c.log.data}`).not.toBeNull();
      expect(fast).toStrictEqual(decodeWithViem(c.event, c.log));
      expect(decodeEventParams(c.event, c.log)).toStrictEqual(fast);
    }
  });

  it('covers the protocol events with strings and arrays', () => {
    const names = protocolEvents.map((e) => e.name);
    for (const name of ['VoteCast', 'GroupRegistered', 'MotionProposed', 'MotionVetoed', 'AreaCreated'])
      expect(names).toContain(name);
  });

  it('decodes edge values exactly: empty, multi-byte, invalid UTF-8, BOM, uint256 max', () => {
    const event = {
      type: 'event',
      name: 'Edge',
      inputs: [
        { name: 'who', type: 'address', indexed: true },
        { name: 'reason', type: 'string' },
        { name: 'amounts', type: 'uint256[]' },
        { name: 'blob', type: 'bytes' },
        { name: 'members', type: 'address[]' },
      ],
    } as AbiEvent;
    const topic = encodeAbiParameters([{ type: 'address' }], [`0x${'ab'.repeat(20)}`]);
    const max = (1n << 256n) - 1n;
    const reasons: Array<[string, unknown]> = [
      ['string', ''],
      ['string', '\uFEFF\uFEFFΩ🗳️'],
      ['string', '∑'.repeat(50)],
      ...RAW_STRINGS.map((b): [string, unknown] => ['bytes', hex(b)]),
    ];
    for (const [as, reason] of reasons) {
      for (const amounts of [[], [max], [0n, max, 1n]]) {
        const data = encodeAbiParameters(
          [{ type: as }, { type: 'uint256[]' }, { type: 'bytes' }, { type: 'address[]' }],
          [reason, amounts, amounts.length ? '0x00ff' : '0x', amounts.length ? [`0x${'cd'.repeat(20)}`] : []],
        );
        const log = logOf(event, [topic], data);
        const fast = decodeWords(event, log);
        expect(fast).not.toBeNull();
        expect(fast).toStrictEqual(decodeWithViem(event, log));
      }
    }
    const log = logOf(
      event,
      [topic],
      encodeAbiParameters(
        [{ type: 'bytes' }, { type: 'uint256[]' }, { type: 'bytes' }, { type: 'address[]' }],
        ['0xc328efbbbf', [max], '0x', []],
      ),
    );
    expect(decodeWords(event, log)![1]!.value).toEqual({ kind: 'string', value: '\uFFFD(\uFEFF' });
    expect(decodeWords(event, log)![2]!.value).toEqual({
      kind: 'array',
      items: [{ kind: 'uint', value: max }],
    });
  });

  it('gives viem’s values or viem’s failure for mutated encodings, whichever path they take', () => {
    const r = prng(7);
    let fastTaken = 0;
    let failures = 0;
    for (let n = 0; n < 4000; n++) {
      const c = encodeCase(r, n % 3 === 0 ? r.pick(protocolEvents) : randomEvent(r));
      const log = { ...c.log, data: mutate(r, c) as Hex };
      const fast = decodeWords(c.event, log);
      const viem = outcome(() => decodeWithViem(c.event, log));
      if (fast) {
        fastTaken++;
        expect(viem, log.data).toStrictEqual({ ok: fast });
      } else if ('error' in viem) failures++;
      expect(
        outcome(() => decodeEventParams(c.event, log)),
        log.data,
      ).toStrictEqual(viem);
    }
    // the mutations reach both paths, and viem's failures
    expect(fastTaken).toBeGreaterThan(400);
    expect(failures).toBeGreaterThan(400);
  });

  it('leaves 1–31-byte data of an event without data params to viem', () => {
    const event = {
      type: 'event',
      name: 'Bare',
      inputs: [{ name: 'id', type: 'uint256', indexed: true }],
    } as AbiEvent;
    const topic = encodeAbiParameters([{ type: 'uint256' }], [5n]);
    for (const data of ['0x', '0x01', `0x${'00'.repeat(31)}`, `0x${'00'.repeat(32)}`]) {
      const log = logOf(event, [topic], data as Hex);
      expect(outcome(() => decodeEventParams(event, log))).toStrictEqual(
        outcome(() => decodeWithViem(event, log)),
      );
    }
    expect(decodeWords(event, logOf(event, [topic], '0x01'))).toBeNull();
  });
});
