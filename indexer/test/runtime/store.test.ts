// store.*, abort, log and dataSource.* through graph-ts, plus module loading.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { MappingModule } from '../../src/runtime/module.js';
import { MappingModule as Module } from '../../src/runtime/module.js';
import {
  readBytes,
  readEntity,
  readString,
  readTypedMapEntries,
  writeEntity,
  writeStoreValue,
  writeString,
} from '../../src/runtime/asc/codec.js';
import { DeterministicError, isDeterministic } from '../../src/runtime/errors.js';
import { HOST_IMPORTS, type HostEnv } from '../../src/runtime/host/index.js';
import { plainEntity } from '../../src/testkit/expect.js';
import type { Value } from '../../src/schema/values.js';
import { buildTestModule } from '../wasm/build.js';
import { call, compileConformance, session } from './helpers.js';

let mod: MappingModule;
let mod7: MappingModule;
beforeAll(async () => {
  mod = await compileConformance('0.0.9');
  mod7 = await compileConformance('0.0.7');
});

const str = (value: string) => (env: HostEnv) => [writeString(env.heap, value)];

describe('store.set', () => {
  it('merges an update into the stored entity and removes null fields', () => {
    const s = session(mod);
    s.store.put(
      'Thing',
      't1',
      new Map([
        ['id', { kind: 'String', value: 't1' }],
        ['count', { kind: 'Int', value: 1 }],
        ['note', { kind: 'String', value: 'old note' }],
        ['label', { kind: 'String', value: 'kept' }],
      ]),
    );
    call(s, 'storeUpdate', (env) => [writeString(env.heap, 't1'), 5]);
    s.cache.commitHandler();
    const [op] = s.cache.ops();
    expect(op!.type).toBe('Thing');
    expect(plainEntity(op!.entity!)).toEqual({ id: 't1', count: 5, label: 'kept' });
  });

  it('load → modify → save grows host-written arrays inside WASM', () => {
    const s = session(mod);
    call(s, 'storeUpdate', (env) => [writeString(env.heap, 't2'), 3]);
    call(s, 'storeLoadModifySave', (env) => [writeString(env.heap, 't2'), writeString(env.heap, 'hello')]);
    s.cache.commitHandler();
    expect(plainEntity(s.cache.get('Thing', 't2')!)).toEqual({
      id: 't2',
      count: 3,
      label: 'hello',
      tags: ['x', 'hello'],
      amount: -42n,
      ratio: '2.5',
    });
  });

  it('reads values a handler changed in place after loading them, and reuses the untouched ones', () => {
    const s = session(mod);
    const data = new Uint8Array([1, 2, 3]);
    const tags: Value = { kind: 'Array', value: [{ kind: 'String', value: 'a' }] };
    s.cache.put(
      'Thing',
      'm',
      new Map<string, Value>([
        ['id', { kind: 'String', value: 'm' }],
        ['count', { kind: 'Int', value: 5 }],
        ['amount', { kind: 'BigInt', value: 0x1234n }],
        ['data', { kind: 'Bytes', value: data }],
        ['tags', tags],
      ]),
    );
    s.cache.commitHandler();
    const before = s.cache.get('Thing', 'm')!;
    call(s, 'storeLoadMutateSave', str('m'));
    s.cache.commitHandler();
    const after = s.cache.get('Thing', 'm')!;
    expect(plainEntity(after)).toEqual({ id: 'm', count: 5, amount: 0x1235n, data: '0xee0203', tags: ['a'] });
    expect(data).toEqual(new Uint8Array([1, 2, 3])); // the stored value itself is untouched
    expect(after.get('count')).toBe(before.get('count')); // same Value object: not decoded again
  });

  it("rejects undefined fields from apiVersion 0.0.8 with graph-node's text, filters them before", () => {
    const s = session(mod);
    expect(() => call(s, 'storeSetUndefinedField', str('u1'))).toThrow(
      'Attempted to set undefined fields [alpha, zeta] for the entity type `Thing`. Make sure those fields are defined in the schema.',
    );
    const old = session(mod7);
    call(old, 'storeSetUndefinedField', str('u1'));
    expect(plainEntity(old.cache.get('Thing', 'u1')!)).toEqual({ id: 'u1', count: 1 });
  });

  it('validates the merged entity: required fields and value types', () => {
    const s = session(mod);
    expect(() => call(s, 'storeSetMissingRequired', str('m1'))).toThrow(
      'Entity Thing[m1]: missing value for non-nullable field `count`',
    );
    expect(() => call(s, 'storeSetWrongType', str('m2'))).toThrow(
      'Entity Thing[m2]: the value `seven` for field `count` must have type Int! but has type String',
    );
    // An update lacking a required field is fine when the stored entity has it.
    s.store.put(
      'Thing',
      'm1',
      new Map([
        ['id', { kind: 'String', value: 'm1' }],
        ['count', { kind: 'Int', value: 9 }],
      ]),
    );
    call(s, 'storeSetMissingRequired', str('m1'));
    expect(plainEntity(s.cache.get('Thing', 'm1')!)).toEqual({ id: 'm1', count: 9, note: 'no count' });
  });

  it("remove, get, get_in_block and loadRelated see the block's changes", () => {
    const s = session(mod);
    const thing = (tid: string, owner: string) =>
      new Map([
        ['id', { kind: 'String', value: tid }],
        ['count', { kind: 'Int', value: 1 }],
        ['owner', { kind: 'String', value: owner }],
      ]) as Map<string, never>;
    s.store.put('Thing', 'a', thing('a', 'o'));
    s.store.put('Thing', 'b', thing('b', 'o'));
    s.store.put('Thing', 'c', thing('c', 'other'));
    expect(call(s, 'storeGetCount', str('a')).ret).toBe(1);
    expect(call(s, 'storeGetInBlockExists', str('a')).ret).toBe(0);
    expect(call(s, 'storeLoadRelatedCount', str('o')).ret).toBe(2);
    call(s, 'storeUpdate', (env) => [writeString(env.heap, 'a'), 4]);
    expect(call(s, 'storeGetInBlockExists', str('a')).ret).toBe(1);
    expect(call(s, 'storeGetCount', str('a')).ret).toBe(4);
    call(s, 'storeRemove', str('b'));
    expect(call(s, 'storeGetCount', str('b')).ret).toBe(-1);
    expect(call(s, 'storeLoadRelatedCount', str('o')).ret).toBe(1);
    s.cache.commitHandler();
    const ops = s.cache.ops();
    expect(ops.map((o) => [o.id, o.entity === null])).toEqual([
      ['a', false],
      ['b', true],
    ]);
  });

  it('a failed handler leaves no changes behind', () => {
    const s = session(mod);
    call(s, 'storeUpdate', (env) => [writeString(env.heap, 'kept'), 1]);
    s.cache.commitHandler();
    call(s, 'storeUpdate', (env) => [writeString(env.heap, 'dropped'), 1]);
    s.cache.rollbackHandler();
    expect(s.cache.ops().map((o) => o.id)).toEqual(['kept']);
  });
});

describe('abort, log and traps', () => {
  it('formats abort like graph-node and is deterministic', () => {
    const s = session(mod);
    let err: unknown;
    try {
      call(s, 'failAssert');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DeterministicError);
    expect((err as Error).message).toMatch(
      /^Mapping aborted at (.*\/)?test\/wasm\/host-conformance\.ts, line \d+, column \d+, with message: boom$/,
    );
  });

  it('log.critical fails the handler; other levels are passed on', () => {
    const s = session(mod);
    expect(() => call(s, 'failCritical')).toThrow(
      'Critical error logged in mapping with log message: bad thing',
    );
    expect(s.logs).toEqual([{ level: 'critical', message: 'bad thing' }]);
  });

  it('host errors from graph-ts calls are deterministic', () => {
    const s = session(mod);
    let err: unknown;
    try {
      call(s, 'divideByZero');
    } catch (e) {
      err = e;
    }
    expect(isDeterministic(err)).toBe(true);
  });
});

describe('dataSource', () => {
  it('exposes address, network and context', () => {
    const s = session(mod);
    const a = call(s, 'dsAddress');
    expect(Buffer.from(readBytes(a.env.heap, a.ret as number)).toString('hex')).toBe('ab'.repeat(20));
    const n = call(s, 'dsNetwork');
    expect(readString(n.env.heap, n.ret as number)).toBe('devnet');
    const c = call(s, 'dsContextString', str('greeting'));
    expect(readString(c.env.heap, c.ret as number)).toBe('hello');
  });
});

describe('module loading', () => {
  it('the conformance module imports only names in HOST_IMPORTS', async () => {
    const bytes = readFileSync(await buildTestModule('host-conformance'));
    const names = WebAssembly.Module.imports(new WebAssembly.Module(bytes)).map((i) => i.name);
    expect(names.length).toBeGreaterThan(20);
    for (const n of names) expect(HOST_IMPORTS).toContain(n);
  });

  it('refuses an unknown import, naming it and the file', async () => {
    // (module (import "index" "store.teleport" (func)) (memory (export "memory") 1))
    const wasm = new Uint8Array([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x02, 0x18, 0x01,
      0x05, 0x69, 0x6e, 0x64, 0x65, 0x78, 0x0e, 0x73, 0x74, 0x6f, 0x72, 0x65, 0x2e, 0x74, 0x65, 0x6c, 0x65,
      0x70, 0x6f, 0x72, 0x74, 0x00, 0x00, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x0a, 0x01, 0x06, 0x6d, 0x65,
      0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00,
    ]);
    await expect(Module.compile(wasm, 'Bad/Bad.wasm', '0.0.9')).rejects.toThrow(
      /Bad\/Bad\.wasm: unknown host import index\.store\.teleport/,
    );
  });

  it('refuses unsupported apiVersions', async () => {
    const bytes = readFileSync(await buildTestModule('host-conformance'));
    await expect(Module.compile(bytes, 'x.wasm', '0.0.4')).rejects.toThrow(
      /apiVersion 0\.0\.4 is not supported/,
    );
  });

  it('each instance starts from a fresh heap', () => {
    const s = session(mod);
    const a = s.instance();
    const b = s.instance();
    expect(a.env.heap.exports.memory).not.toBe(b.env.heap.exports.memory);
  });
});

describe('entities in WASM memory', () => {
  it('writes entities with their fields sorted by name, whatever the Map order, and reads them back', () => {
    const s = session(mod);
    const { env } = s.instance();
    const h = env.heap;
    const names = ['zeta', 'id', 'count', 'b', 'a', 'note', 'amount', 'aa', 'label'];
    // Two orders of the same fields, written one after the other (writeEntity reuses its scratch state).
    for (const order of [names, [...names].reverse()]) {
      const e = new Map<string, Value>(
        order.map((k, i): [string, Value] =>
          k === 'amount'
            ? [k, { kind: 'BigInt', value: -(10n ** 30n) }]
            : [k, { kind: 'String', value: `${k}${i}` }],
        ),
      );
      const ptr = writeEntity(h, e);
      const keys = readTypedMapEntries(h, ptr).map(([k]) => readString(h, k));
      expect(keys).toEqual([...names].sort());
      expect(readEntity(h, ptr)).toEqual(e);
    }
    // A smaller entity after a larger one: no field of the previous one leaks in.
    const small = new Map<string, Value>([
      ['id', { kind: 'String', value: 'x' }],
      ['count', { kind: 'Int', value: 2 }],
    ]);
    const ptr = writeEntity(h, small);
    expect(readTypedMapEntries(h, ptr).map(([k]) => readString(h, k))).toEqual(['count', 'id']);
    expect(readEntity(h, ptr)).toEqual(small);
  });

  it('reads back a written entity after in-place changes to entries, values and payloads', () => {
    const s = session(mod);
    const base = new Map<string, Value>([
      ['id', { kind: 'String', value: 'e1' }],
      ['amount', { kind: 'BigInt', value: 123456789n }],
      ['label', { kind: 'String', value: 'before' }],
      ['owner', { kind: 'Bytes', value: new Uint8Array(20).fill(7) }],
      ['count', { kind: 'Int', value: 3 }],
    ]);
    const fresh = () => {
      const { env } = s.instance();
      const h = env.heap;
      const ptr = writeEntity(h, base);
      const entries = readTypedMapEntries(h, ptr); // [key, value] addresses in name order
      const at = (name: string) => entries.find(([k]) => readString(h, k) === name)!;
      const entryPtr = (name: string) => {
        const arr = h.u32(ptr);
        const data = h.u32(arr + 4);
        for (let i = 0; i < h.i32(arr + 12); i++) {
          const e = h.u32(data + 4 * i);
          if (h.u32(e) === at(name)[0]) return e;
        }
        throw new Error(name);
      };
      return { h, ptr, at, entryPtr };
    };
    const plain = (e: Map<string, Value>) => plainEntity(e);

    // Unchanged: equal to what was written, and a Map of its own.
    let t = fresh();
    const same = readEntity(t.h, t.ptr);
    expect(same).toEqual(base);
    expect(same).not.toBe(base);
    same.set('count', { kind: 'Int', value: 99 });
    expect(base.get('count')).toEqual({ kind: 'Int', value: 3 });

    // An entry pointed at a new value (what TypedMap.set does), another at null.
    t = fresh();
    t.h.setU32(t.entryPtr('label') + 4, writeStoreValue(t.h, { kind: 'String', value: 'after' }));
    t.h.setU32(t.entryPtr('count') + 4, writeStoreValue(t.h, { kind: 'Null' }));
    expect(plain(readEntity(t.h, t.ptr))).toEqual({ ...plain(base), label: 'after', count: null });

    // A payload changed in place (a BigInt's first byte, a string's first unit): decoded anew.
    t = fresh();
    const big = t.h.u32(t.at('amount')[1] + 8);
    t.h.setU8(t.h.u32(big + 4), 0x16); // 123456789 = 0x075bcd15: lowest byte 0x15 -> 0x16
    const str = t.h.u32(t.at('label')[1] + 8);
    t.h.u16View[str >>> 1] = 'B'.charCodeAt(0);
    expect(plain(readEntity(t.h, t.ptr))).toEqual({ ...plain(base), amount: 123456790n, label: 'Before' });

    // Two entries swapped: the same entity, read the long way.
    t = fresh();
    const arr = t.h.u32(t.ptr);
    const data = t.h.u32(arr + 4);
    const [e0, e1] = [t.h.u32(data), t.h.u32(data + 4)];
    t.h.setU32(data, e1);
    t.h.setU32(data + 4, e0);
    expect(readEntity(t.h, t.ptr)).toEqual(base);
  });

  it('sorts entities with thousands of fields, and more distinct names than it ranks', () => {
    const s = session(mod);
    // 3000 fields in one entity, then 5 x 1000 new names (more than the 4096 names ranked at once).
    const shuffled = (prefix: string, n: number) =>
      Array.from({ length: n }, (_, i) => `${prefix}${(i * 7919) % n}`);
    for (const names of [
      shuffled('wide', 3000),
      ...[1, 2, 3, 4, 5].map((r) => shuffled(`round${r}-`, 1000)),
    ]) {
      const { env } = s.instance();
      const e = new Map<string, Value>(
        names.map((k): [string, Value] => [k, { kind: 'Int', value: k.length }]),
      );
      const ptr = writeEntity(env.heap, e);
      const keys = readTypedMapEntries(env.heap, ptr).map(([k]) => readString(env.heap, k));
      expect(keys).toEqual([...names].sort());
    }
  });

  it('lays entities out exactly as the generic writers do: same bytes, same noted values', () => {
    const s = session(mod);
    const kinds: ((i: number) => Value)[] = [
      (i) => ({ kind: 'Int', value: i % 2 ? -i * 1000 : i }),
      (i) => ({ kind: 'Bool', value: i % 2 === 0 }),
      () => ({ kind: 'Null' }),
      (i) => ({ kind: 'String', value: i % 3 ? `s${i}-\u00e9\u{1d50a}` : '' }),
      (i) => ({ kind: 'BigInt', value: (i % 2 ? -1n : 1n) * 7n ** BigInt(i * 5) }),
      (i) => ({ kind: 'Bytes', value: new Uint8Array(i * 9).map((_, k) => k * 31 + i) }),
      (i) => ({ kind: 'BigDecimal', value: { digits: BigInt(i) * 12345n, exp: -i } }),
      (i) => ({ kind: 'Int8', value: -(2n ** 40n) - BigInt(i) }),
      (i) => ({ kind: 'Timestamp', value: 1_700_000_000_000_000n + BigInt(i) }),
      (i) => ({ kind: 'Array', value: [{ kind: 'String', value: `a${i}` }, { kind: 'Null' }] }),
    ];
    let seed = 7; // mulberry32
    const rnd = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) % 1000;
    };
    for (let round = 0; round < 40; round++) {
      const e = new Map<string, Value>();
      const fields = 1 + ((round * 7) % 33);
      for (let f = 0; f < fields; f++)
        e.set(`f${(f * 13 + round) % 97}`, kinds[rnd() % kinds.length]!(rnd() % 40));
      const written = [true, false].map((generic) => {
        const { env } = s.instance(); // same starting state each time
        const h = env.heap;
        const ptr = writeEntity(h, e, generic);
        const end = h.u32(ptr - 20) + ptr - 20 + 4; // the map's block is the last one
        const notes = readTypedMapEntries(h, ptr).flatMap(([, v]) => [
          h.written.item(v),
          h.written.item(h.u32(v + 8)),
        ]);
        return { ptr, bytes: h.bytes(0, end), notes, read: readEntity(h, ptr) };
      });
      const [generic, laidOut] = written as [(typeof written)[0], (typeof written)[0]];
      expect(laidOut.ptr).toBe(generic.ptr);
      expect(Buffer.compare(laidOut.bytes, generic.bytes)).toBe(0);
      // The very objects noted (what store.set hands back for unchanged values), not copies.
      laidOut.notes.forEach((note, i) => expect(note).toBe(generic.notes[i]));
      expect(laidOut.read).toEqual(e);
    }
  });
});
