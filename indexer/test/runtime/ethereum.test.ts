// ethereum.call / getBalance / hasCode, yaml and non-String ids through graph-ts.
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeFunctionData, encodeFunctionResult, parseAbi, type Hex } from 'viem';
import type { MappingModule } from '../../src/runtime/module.js';
import { readBigInt, readString, writeBytes, writeBytesStruct } from '../../src/runtime/asc/codec.js';
import { TypeId } from '../../src/runtime/asc/type-ids.js';
import { signedLEToBigint } from '../../src/runtime/numbers/bigint.js';
import { CallCacheMiss, DeterministicError } from '../../src/runtime/errors.js';
import type { HostCalls } from '../../src/runtime/host/env.js';
import { call, compileConformance, session } from './helpers.js';

const demoAbi = parseAbi([
  'function pair(address who, uint256[] amounts) view returns (uint256, string, (bool, int8))',
  'function count() view returns (uint256)',
]);
const TARGET = '0x00000000000000000000000000000000000000d1' as Hex;
const WHO = '0x00000000000000000000000000000000000000a7' as Hex;
const bytesOf = (h: string): Uint8Array => new Uint8Array(Buffer.from(h.replace(/^0x/, ''), 'hex'));

let mod: MappingModule;
let mod8: MappingModule;
beforeAll(async () => {
  mod = await compileConformance('0.0.9');
  mod8 = await compileConformance('0.0.8');
});

function callsTable(answer: (to: Hex, data: Hex) => Hex | null, seen: { to: Hex; data: Hex }[]): HostCalls {
  return {
    call: (to, data) => {
      seen.push({ to, data });
      return answer(to, data);
    },
    balance: (a) => (a === WHO ? 10n ** 30n : 0n),
    code: (a) => (a === TARGET ? '0x6001' : '0x'),
  };
}

const abis = new Map([['Demo', demoAbi]]);

describe('ethereum.call', () => {
  it('encodes arguments by the declared signature and decodes tuple outputs', () => {
    const seen: { to: Hex; data: Hex }[] = [];
    const calls = callsTable(
      () =>
        encodeFunctionResult({ abi: demoAbi, functionName: 'pair', result: [2n ** 200n, 'ok', [true, -3]] }),
      seen,
    );
    const s = session(mod, {
      calls,
      dataSource: {
        name: 'T',
        address: new Uint8Array(20),
        network: 'n',
        context: null,
        abis,
        templates: [],
      },
    });
    const { env, ret } = call(s, 'callPair', (env) => [
      writeBytes(env.heap, bytesOf(TARGET)),
      writeBytes(env.heap, bytesOf(WHO)),
    ]);
    expect(readString(env.heap, ret as number)).toBe(`${2n ** 200n}|ok|true|-3`);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.to).toBe(TARGET);
    const decoded = decodeFunctionData({ abi: demoAbi, data: seen[0]!.data });
    expect(decoded.functionName).toBe('pair');
    expect([(decoded.args![0] as string).toLowerCase(), decoded.args![1]]).toEqual([WHO, [1n, 2n]]);
  });

  it("returns null on revert: try_ sees it, a plain call aborts with graph-ts's message", () => {
    const calls = callsTable(() => null, []);
    const s = session(mod, {
      calls,
      dataSource: {
        name: 'T',
        address: new Uint8Array(20),
        network: 'n',
        context: null,
        abis,
        templates: [],
      },
    });
    const { env, ret } = call(s, 'callPair', (env) => [
      writeBytes(env.heap, bytesOf(TARGET)),
      writeBytes(env.heap, bytesOf(WHO)),
    ]);
    expect(readString(env.heap, ret as number)).toBe('reverted');
    expect(() => call(s, 'callMustSucceed', (env) => [writeBytes(env.heap, bytesOf(TARGET))])).toThrow(
      /^Mapping aborted at ~lib\/@graphprotocol\/graph-ts\/chain\/ethereum\.ts, line \d+, column \d+, with message: Call reverted, probably because an `assert` or `require` in the contract failed, consider using `try_count` to handle this in the mapping\.$/,
    );
  });

  it('an uncached call surfaces as CallCacheMiss for the runner to replay', () => {
    const calls: HostCalls = {
      call: (to, data) => {
        throw new CallCacheMiss({ kind: 'call', to, data });
      },
      balance: () => 0n,
      code: () => '0x',
    };
    const s = session(mod, {
      calls,
      dataSource: {
        name: 'T',
        address: new Uint8Array(20),
        network: 'n',
        context: null,
        abis,
        templates: [],
      },
    });
    expect(() => call(s, 'callMustSucceed', (env) => [writeBytes(env.heap, bytesOf(TARGET))])).toThrow(
      CallCacheMiss,
    );
  });

  it('an unknown ABI name fails deterministically', () => {
    const s = session(mod, { calls: callsTable(() => null, []) });
    expect(() => call(s, 'callMustSucceed', (env) => [writeBytes(env.heap, bytesOf(TARGET))])).toThrow(
      /Could not find ABI for contract "Demo"/,
    );
  });

  it('getBalance and hasCode exist from apiVersion 0.0.9 only', () => {
    const calls = callsTable(() => null, []);
    const s = session(mod, { calls });
    const b = call(s, 'balance', (env) => [writeBytes(env.heap, bytesOf(WHO))]);
    expect(readBigInt(b.env.heap, b.ret as number)).toBe(10n ** 30n);
    expect(call(s, 'hasCode', (env) => [writeBytes(env.heap, bytesOf(TARGET))]).ret).toBe(1);
    expect(call(s, 'hasCode', (env) => [writeBytes(env.heap, bytesOf(WHO))]).ret).toBe(0);
    const old = session(mod8, { calls });
    expect(() => call(old, 'balance', (env) => [writeBytes(env.heap, bytesOf(WHO))])).toThrow(
      DeterministicError,
    );
  });
});

describe('yaml', () => {
  it('parses mappings, sequences, scalars and tags', () => {
    const s = session(mod);
    const text = 'b: [1, 2.5, true, ~]\na: text\nt: !custom 7\n';
    const { env, ret } = call(s, 'yamlDescribe', (env) => [
      writeBytes(env.heap, new TextEncoder().encode(text)),
    ]);
    expect(readString(env.heap, ret as number)).toBe(
      '{s:b=[n:1,n:2.5,true,null],s:a=s:text,s:t=!custom n:7}',
    );
  });
});

describe('Bytes and Int8 values through the store', () => {
  it('keys Bytes ids by lowercase hex and keeps i64 values', () => {
    const s = session(mod);
    const id = bytesOf('0xABcd01');
    call(s, 'blobSet', (env) => [writeBytes(env.heap, id), -(2n ** 62n)]);
    expect(call(s, 'blobGet', (env) => [writeBytes(env.heap, id)]).ret).toBe(-(2n ** 62n));
    s.cache.commitHandler();
    const [op] = s.cache.ops();
    expect(op!.id).toBe('0xabcd01');
    expect(op!.entity!.get('id')).toEqual({ kind: 'Bytes', value: id });
    expect(op!.entity!.get('n')).toEqual({ kind: 'Int8', value: -(2n ** 62n) });
  });
});

describe('block and transaction objects', () => {
  it('are laid out exactly as writeBytes and alloc would make them, BigInt fields noted with their bigint', () => {
    const s = session(mod);
    const fields: (Uint8Array | null)[] = [];
    const extras: (bigint | null)[] = [];
    for (let i = 0; i < 15; i++) {
      if (i % 5 === 4) {
        fields.push(null);
        extras.push(null);
      } else if (i % 2) {
        const n = (i % 3 ? -1n : 1n) * 13n ** BigInt(i * 3);
        const hex = BigInt.asUintN(8 * 40, n)
          .toString(16)
          .padStart(80, '0');
        // two's complement, minimal length, little-endian (as bigintToSignedLE)
        let le = Buffer.from(hex, 'hex').reverse();
        while (
          le.length > 1 &&
          ((le.at(-1) === 0 && !(le.at(-2)! & 0x80)) || (le.at(-1) === 0xff && le.at(-2)! & 0x80))
        )
          le = le.subarray(0, -1);
        fields.push(new Uint8Array(le));
        extras.push(n);
      } else {
        fields.push(new Uint8Array(i * 4 + 1).map((_, k) => k + i));
        extras.push(null);
      }
    }
    // The test's own encodings are right (else reading back the noted bigint would prove nothing).
    expect(fields.map((f, i) => (extras[i] === null ? null : signedLEToBigint(f!)))).toEqual(extras);
    const runs = [true, false].map((generic) => {
      const { env } = s.instance();
      const h = env.heap;
      const ptr = writeBytesStruct(h, TypeId.EthereumBlock, fields, extras, fields.length, generic);
      const ptrs = Array.from({ length: fields.length }, (_, i) => h.u32(ptr + 4 * i));
      return {
        ptr,
        bytes: h.bytes(0, ptr + 4 * fields.length),
        notes: ptrs.map((p) => [h.written.item(p), h.written.item(p) && h.written.extra(p)]),
        bigints: ptrs.map((p, i) => (extras[i] === null ? null : readBigInt(h, p))),
      };
    });
    const [generic, laidOut] = runs as [(typeof runs)[0], (typeof runs)[0]];
    expect(laidOut.ptr).toBe(generic.ptr);
    expect(Buffer.compare(laidOut.bytes, generic.bytes)).toBe(0);
    laidOut.notes.flat().forEach((n, i) => expect(n).toBe(generic.notes.flat()[i]));
    expect(laidOut.bigints).toEqual(extras);
  });
});
