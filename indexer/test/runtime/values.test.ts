// Strings, bytes, conversions, crypto, JSON and ethereum.encode/decode through
// graph-ts, against independent TypeScript computations (viem, Buffer, JSON).
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeAbiParameters, encodeAbiParameters, keccak256, parseAbiParameters, type Hex } from 'viem';
import type { MappingModule } from '../../src/runtime/module.js';
import { readBytes, readString, writeArray, writeBytes, writeString } from '../../src/runtime/asc/codec.js';
import { TypeId } from '../../src/runtime/asc/type-ids.js';
import { readEthValue } from '../../src/runtime/ethereum/values.js';
import { DeterministicError } from '../../src/runtime/errors.js';
import { call, compileConformance, session, type Session } from './helpers.js';

let mod: MappingModule;
let s: Session;
beforeAll(async () => {
  mod = await compileConformance();
  s = session(mod);
});

const hexOf = (b: Uint8Array): Hex => `0x${Buffer.from(b).toString('hex')}`;
const bytesOf = (h: string): Uint8Array => new Uint8Array(Buffer.from(h.replace(/^0x/, ''), 'hex'));

function strFromBytes(name: string, data: Uint8Array): string {
  const { env, ret } = call(s, name, (env) => [writeBytes(env.heap, data)]);
  return readString(env.heap, ret as number);
}

describe('strings', () => {
  it('strips every NUL when reading an AssemblyScript string', () => {
    const { env, ret } = call(s, 'stringWithNul');
    expect(readString(env.heap, ret as number)).toBe('ab');
  });

  it('round-trips non-ASCII and astral characters', () => {
    const text = 'Grüße ⚡ 𝔊𝔊𝔑';
    const { env, ret } = call(s, 'echo', (env) => [writeString(env.heap, text)]);
    expect(readString(env.heap, ret as number)).toBe(text);
  });

  it('rejects a lone surrogate deterministically, also inside a host import', () => {
    const { env, ret } = call(s, 'loneSurrogate');
    expect(() => readString(env.heap, ret as number)).toThrow(DeterministicError);
    expect(() => call(s, 'logLoneSurrogate')).toThrow(DeterministicError);
  });

  it('rereads a string whose code units changed at the same address (decoded-string cache)', () => {
    const { env } = call(s, 'echo', (env) => [writeString(env.heap, 'status')]);
    const h = env.heap;
    const ptr = writeString(h, 'ACTIVE');
    expect(readString(h, ptr)).toBe('ACTIVE');
    expect(readString(h, ptr)).toBe('ACTIVE'); // from the cache
    h.u8[ptr + 2] = 'X'.charCodeAt(0); // same length, other content
    expect(readString(h, ptr)).toBe('AXTIVE');
    h.u8[ptr + 2] = 0xdc; // code unit 0xDCDC: a lone low surrogate
    h.u8[ptr + 3] = 0xdc;
    expect(() => readString(h, ptr)).toThrow(DeterministicError);
    h.u8[ptr + 2] = 0;
    h.u8[ptr + 3] = 0; // a NUL: dropped on read, and such strings are never cached
    expect(readString(h, ptr)).toBe('ATIVE');
    h.u8[ptr + 2] = 'C'.charCodeAt(0);
    expect(readString(h, ptr)).toBe('ACTIVE');
    // A surrogate pair in a short string, and a string longer than the cached size.
    expect(readString(h, writeString(h, 'a𝔊b'))).toBe('a𝔊b');
    const long = 'x'.repeat(200) + '𝔑';
    expect(readString(h, writeString(h, long))).toBe(long);
  });

  it('bytesToString is lossy UTF-8 and trims only trailing NULs', () => {
    // The internal NUL survives in WASM (3 code units), the trailing ones are gone; the host drops NULs on read.
    const { env, ret } = call(s, 'bytesToString', (env) => [
      writeBytes(env.heap, new Uint8Array([0x61, 0, 0x62, 0, 0])),
    ]);
    expect(env.heap.rtSize(ret as number)).toBe(6);
    expect(readString(env.heap, ret as number)).toBe('ab');
    expect(strFromBytes('bytesToString', new Uint8Array([0x61, 0xff, 0x62]))).toBe('a\ufffdb');
  });
});

describe('conversions and crypto', () => {
  const data = new Uint8Array([0, 0, 1, 2, 254, 255]);

  it('bytesToHex and base58', () => {
    expect(strFromBytes('bytesToHex', data)).toBe('0x000001' + '02feff');
    expect(strFromBytes('bytesToHex', new Uint8Array())).toBe('0x');
    // Independent base58: repeated division of the big-endian integer.
    let n = BigInt(hexOf(data));
    let b58 = '';
    const A = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
    while (n > 0n) {
      b58 = A[Number(n % 58n)] + b58;
      n /= 58n;
    }
    expect(strFromBytes('bytesToBase58', data)).toBe('11' + b58);
  });

  it('stringToH160 accepts 40 hex digits with or without 0x and nothing else', () => {
    const addr = 'aBcDeF0123456789abcdef0123456789ABCDEF01';
    for (const input of [addr, '0x' + addr]) {
      const { env, ret } = call(s, 'h160', (env) => [writeString(env.heap, input)]);
      expect(hexOf(readBytes(env.heap, ret as number))).toBe('0x' + addr.toLowerCase());
    }
    expect(() => call(s, 'h160', (env) => [writeString(env.heap, '0x1234')])).toThrow(
      "Failed to convert string to Address: '0x1234'",
    );
  });

  it('keccak256 matches viem', () => {
    const input = new TextEncoder().encode('Transfer(address,address,uint256)');
    const { env, ret } = call(s, 'keccak', (env) => [writeBytes(env.heap, input)]);
    expect(hexOf(readBytes(env.heap, ret as number))).toBe(keccak256(input));
  });
});

describe('json', () => {
  const describeJson = (text: string) => strFromBytes('jsonDescribe', new TextEncoder().encode(text));

  it('keeps number source text and sorts object keys', () => {
    const text =
      '{"zeta": 1.50, "alpha": [1e2, 123456789012345678901234567890, -0.0], "mid": {"b": null, "a": true}, "s": "x"}';
    expect(describeJson(text)).toBe(
      '{alpha=[n:1e2,n:123456789012345678901234567890,n:-0.0],mid={a=true,b=null},s=s:x,zeta=n:1.50}',
    );
  });

  it('sorts keys byte-wise (upper case before lower case, like Rust)', () => {
    const keys = ['b', 'B', 'a', '_', 'A1'];
    const expected = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    const obj = '{' + keys.map((k) => `"${k}":0`).join(',') + '}';
    expect(describeJson(obj)).toBe('{' + expected.map((k) => `${k}=n:0`).join(',') + '}');
  });

  it('keeps the last of duplicate keys, like serde_json', () => {
    expect(describeJson('{"a": 1, "a": [2]}')).toBe('{a=[n:2]}');
  });

  it('fromBytes fails deterministically, try_fromBytes does not', () => {
    expect(() => strFromBytes('jsonDescribe', new Uint8Array([0x22, 0xff, 0x22]))).toThrow(
      DeterministicError,
    );
    expect(() => describeJson('{"a":')).toThrow(DeterministicError);
    expect(strFromBytes('jsonTry', new TextEncoder().encode('{"a":'))).toBe('error');
    expect(strFromBytes('jsonTry', new TextEncoder().encode('[1]'))).toBe('ok:[n:1]');
  });

  it('converts number text like Rust from_str', () => {
    const big = '123456789012345678901234567890';
    const { env, ret } = call(s, 'jsonBigInt', (env) => [writeString(env.heap, big)]);
    expect(readString(env.heap, ret as number)).toBe(big);
    expect(call(s, 'jsonI64', (env) => [writeString(env.heap, '-9223372036854775808')]).ret).toBe(
      -(2n ** 63n),
    );
    expect(() => call(s, 'jsonI64', (env) => [writeString(env.heap, '9223372036854775808')])).toThrow(
      'cannot be parsed as i64',
    );
    expect(
      BigInt.asUintN(
        64,
        call(s, 'jsonU64', (env) => [writeString(env.heap, '18446744073709551615')]).ret as bigint,
      ),
    ).toBe(2n ** 64n - 1n);
    expect(call(s, 'jsonF64', (env) => [writeString(env.heap, '2.5e-3')]).ret).toBe(0.0025);
    expect(() => call(s, 'jsonF64', (env) => [writeString(env.heap, '0x10')])).toThrow(
      'cannot be parsed as f64',
    );
  });
});

describe('ethereum.encode / decode', () => {
  const addr = '0x00000000000000000000000000000000000000aa' as Hex;

  it('encodes a nested tuple with a dynamic array exactly as viem does', () => {
    const amounts = ['1', ((1n << 256n) - 1n).toString(), '0'];
    const { env, ret } = call(s, 'encodeSample', (env) => [
      writeBytes(env.heap, bytesOf(addr)),
      writeArray(
        env.heap,
        amounts.map((a) => writeString(env.heap, a)),
        TypeId.ArrayString,
      ),
      1,
      writeString(env.heap, 'label'),
    ]);
    const expected = encodeAbiParameters(parseAbiParameters('(address, uint256[], (bool, string), int256)'), [
      [addr, amounts.map(BigInt), [true, 'label'], -5n],
    ]);
    expect(hexOf(readBytes(env.heap, ret as number))).toBe(expected);
  });

  it('decodes alloy type syntax into ethereum.Value trees', () => {
    const data = encodeAbiParameters(parseAbiParameters('(address, int8[2], bytes3, (bool, string)[])'), [
      [
        addr,
        [-1, 7],
        '0x010203',
        [
          [false, 'a'],
          [true, 'bc'],
        ],
      ],
    ]);
    const { env, ret } = call(s, 'decodeValue', (env) => [
      writeString(env.heap, '(address,int8[2],bytes3,(bool,string)[])'),
      writeBytes(env.heap, bytesOf(data)),
    ]);
    const v = readEthValue(env.heap, ret as number);
    expect(v).toEqual({
      kind: 'tuple',
      items: [
        { kind: 'address', value: bytesOf(addr) },
        {
          kind: 'fixedArray',
          items: [
            { kind: 'int', value: -1n },
            { kind: 'int', value: 7n },
          ],
        },
        { kind: 'fixedBytes', value: new Uint8Array([1, 2, 3]) },
        {
          kind: 'array',
          items: [
            {
              kind: 'tuple',
              items: [
                { kind: 'bool', value: false },
                { kind: 'string', value: 'a' },
              ],
            },
            {
              kind: 'tuple',
              items: [
                { kind: 'bool', value: true },
                { kind: 'string', value: 'bc' },
              ],
            },
          ],
        },
      ],
    });
  });

  it('round-trips decode → encode and returns null for bad data or types', () => {
    const data = encodeAbiParameters(parseAbiParameters('(uint256, string, bytes)'), [[42n, 'hi', '0xbeef']]);
    const rt = call(s, 'decodeEncode', (env) => [
      writeString(env.heap, '(uint256,string,bytes)'),
      writeBytes(env.heap, bytesOf(data)),
    ]);
    expect(hexOf(readBytes(rt.env.heap, rt.ret as number))).toBe(data);
    const [back] = decodeAbiParameters(
      parseAbiParameters('(uint256, string, bytes)'),
      hexOf(readBytes(rt.env.heap, rt.ret as number)),
    );
    expect(back).toEqual([42n, 'hi', '0xbeef']);
    expect(
      call(s, 'decodeValue', (env) => [
        writeString(env.heap, 'uint256'),
        writeBytes(env.heap, new Uint8Array(3)),
      ]).ret,
    ).toBe(0);
    expect(
      call(s, 'decodeValue', (env) => [
        writeString(env.heap, '(uint256'),
        writeBytes(env.heap, new Uint8Array(32)),
      ]).ret,
    ).toBe(0);
  });
});
