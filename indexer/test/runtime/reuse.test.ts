// Instance reuse (runtime/module.ts): a trigger run on a restored instance must
// see exactly what a fresh instance shows after `_start` — same memory bytes,
// same globals — and produce the same results; modules where that cannot be
// guaranteed must keep getting fresh instances.
import { beforeAll, describe, expect, it } from 'vitest';
import { MappingModule } from '../../src/runtime/module.js';
import { prepareForReuse, GLOBAL_EXPORT_PREFIX, TABLE_EXPORT_PREFIX } from '../../src/runtime/wasm-binary.js';
import { readString, writeString } from '../../src/runtime/asc/codec.js';
import { AscHeap } from '../../src/runtime/asc/heap.js';
import { bigintToSignedLE, checkBigIntSize, signedLEToBigint } from '../../src/runtime/numbers/bigint.js';
import { BlockEntityCache } from '../../src/indexing/entity-cache.js';
import { MemoryStore } from '../../src/testkit/memory-store.js';
import { parseSchema } from '../../src/schema/model.js';
import type { HostEnv } from '../../src/runtime/host/env.js';
import { readFileSync } from 'node:fs';
import { buildTestModule } from '../wasm/build.js';
import { SCHEMA } from './helpers.js';

let bytes: Uint8Array;
beforeAll(async () => {
  bytes = readFileSync(await buildTestModule('host-conformance'));
});

/** Every mutable global and the memory of an instance, read through the reuse exports. */
function stateOf(instance: WebAssembly.Instance, globals: string[]) {
  const ex = instance.exports as Record<string, unknown>;
  return {
    memory: new Uint8Array((ex.memory as WebAssembly.Memory).buffer.slice(0)),
    globals: globals.map((g) => (ex[g] as WebAssembly.Global).value as number | bigint),
  };
}

const stubImports = (m: WebAssembly.Module) => {
  const o: Record<string, Record<string, () => void>> = {};
  for (const i of WebAssembly.Module.imports(m)) (o[i.module] ??= {})[i.name] = () => undefined;
  return o;
};

/** A trigger environment over its own in-memory store, collecting logs. */
function world() {
  const store = new MemoryStore();
  const cache = new BlockEntityCache(store);
  const logs: string[] = [];
  const env: Omit<HostEnv, 'heap'> = {
    apiVersion: 9,
    schema: parseSchema(SCHEMA),
    store: cache,
    calls: { call: () => null, balance: () => 0n, code: () => '0x' },
    dataSource: {
      name: 'Test',
      address: new Uint8Array(20).fill(0xab),
      network: 'devnet',
      context: new Map([['greeting', { kind: 'String', value: 'hello' }]]),
      abis: new Map(),
      templates: [],
    },
    block: { number: 7, hash: `0x${'11'.repeat(32)}`, timestamp: 1000n },
    createDataSource: () => undefined,
    log: (level, message) => logs.push(`${level}: ${message}`),
  };
  return { store, cache, logs, env };
}

// One-argument exports of the conformance module, with failures in between.
const SEQUENCE: [string, string][] = [
  ['storeUpdate', 'a'],
  ['storeGetCount', 'a'],
  ['failAssert', ''],
  ['storeSetUndefinedField', 'b'],
  ['storeUpdate', 'c'],
  ['divideByZero', ''],
  ['storeSetWrongType', 'd'],
  ['storeRemove', 'a'],
  ['echo', 'x'.repeat(300)],
  ['storeSetMissingRequired', 'e'],
  ['storeUpdate', 'f'],
];

function runSequence(mod: MappingModule) {
  const w = world();
  const results = SEQUENCE.map(([name, arg]) => {
    const failure = mod.run(w.env, name, (env) => writeString(env.heap, arg));
    if (failure === null) w.cache.commitHandler();
    else w.cache.rollbackHandler();
    return failure;
  });
  return { results, ops: w.cache.ops(), logs: w.logs };
}

describe('wasm-binary prepareForReuse', () => {
  it('exports every mutable global and the table, keeps the functions, drops constant global exports', () => {
    const plan = prepareForReuse(bytes)!;
    expect(plan).not.toBeNull();
    expect(plan.globals.length).toBeGreaterThan(0); // at least the stub allocator's offset
    const before = WebAssembly.Module.exports(new WebAssembly.Module(bytes as BufferSource));
    const after = WebAssembly.Module.exports(new WebAssembly.Module(plan.bytes as BufferSource));
    const fns = (l: WebAssembly.ModuleExportDescriptor[]) =>
      l.filter((e) => e.kind === 'function').map((e) => e.name);
    expect(fns(after)).toEqual(fns(before));
    expect(after.filter((e) => e.kind === 'global').map((e) => e.name)).toEqual(plan.globals);
    expect(plan.globals.every((g) => g.startsWith(GLOBAL_EXPORT_PREFIX))).toBe(true);
    expect(plan.tables.every((t) => t.startsWith(TABLE_EXPORT_PREFIX))).toBe(true);
    expect(before.some((e) => e.kind === 'global')).toBe(true); // graph-ts's TypeId constants
  });

  it('refuses modules whose state it cannot capture (passive data segment)', () => {
    expect(prepareForReuse(tinyModule({ passiveData: true }))).toBeNull();
  });
});

describe('MappingModule instance reuse', () => {
  it('snapshots exactly the state of a fresh instance after _start', async () => {
    const mod = await MappingModule.compile(bytes, 'conformance.wasm', '0.0.9');
    const plan = prepareForReuse(bytes)!;
    const m = new WebAssembly.Module(plan.bytes as BufferSource);
    const fresh = new WebAssembly.Instance(m, stubImports(m));
    (fresh.exports._start as () => void)();
    const state = mod.reuseState()!;
    expect(state).not.toBeNull();
    const expected = stateOf(fresh, plan.globals);
    expect(Buffer.from(state.snapshot.memory).equals(Buffer.from(expected.memory))).toBe(true);
    expect(state.snapshot.globals).toEqual(expected.globals);
  });

  it('puts the instance back to that state after successful and failing handlers', async () => {
    const mod = await MappingModule.compile(bytes, 'conformance.wasm', '0.0.9');
    runSequence(mod);
    const { snapshot, spare } = mod.reuseState()!;
    expect(spare).not.toBeNull();
    expect(Buffer.from(spare!.memory).equals(Buffer.from(snapshot.memory))).toBe(true);
    expect(spare!.globals).toEqual(snapshot.globals);
    expect(mod.stats.freshInstances).toBe(1);
    expect(mod.stats.reusedInstances).toBe(SEQUENCE.length - 1);
  });

  it('gives the same failures, entity ops and logs as a fresh instance per trigger', async () => {
    const reused = await MappingModule.compile(bytes, 'conformance.wasm', '0.0.9');
    const fresh = await MappingModule.compile(bytes, 'conformance.wasm', '0.0.9', { reuseInstances: false });
    const a = runSequence(reused);
    const b = runSequence(fresh);
    expect(fresh.stats.reusedInstances).toBe(0);
    expect(fresh.stats.freshInstances).toBe(SEQUENCE.length);
    expect(a.results.filter((r) => r !== null).length).toBeGreaterThanOrEqual(4);
    expect(a.results).toEqual(b.results);
    expect(a.ops.length).toBeGreaterThan(0);
    expect(a.ops).toEqual(b.ops);
    expect(a.logs).toEqual(b.logs);
  });

  it('drops an instance whose memory grew and runs the next trigger on a new one', async () => {
    const mod = await MappingModule.compile(bytes, 'conformance.wasm', '0.0.9');
    const w = world();
    let echoed = '';
    const big = 'y'.repeat(100_000); // 200 kB: more than the module's initial memory
    expect(mod.run(w.env, 'storeGetCount', (env) => writeString(env.heap, 'z'))).toBeNull();
    expect(mod.run(w.env, 'echo', (env) => writeString(env.heap, big))).toBeNull();
    expect(mod.reuseState()!.spare).toBeNull();
    expect(
      mod.run(w.env, 'echo', (env) => {
        const p = writeString(env.heap, 'small');
        echoed = readString(env.heap, p);
        return p;
      }),
    ).toBeNull();
    expect(echoed).toBe('small');
    expect(mod.stats.freshInstances).toBe(2);
    expect(mod.reuseState()!.spare).not.toBeNull();
  });

  it('keeps fresh instances for a module whose _start calls the host', async () => {
    const calling = await MappingModule.compile(tinyModule({ startCallsHost: true }), 'tiny.wasm', '0.0.9');
    expect(calling.reusesInstances).toBe(false);
    const pure = await MappingModule.compile(tinyModule({}), 'tiny.wasm', '0.0.9');
    expect(pure.reusesInstances).toBe(true);
    // The pure one's handler bumps a global; the restored instance has it back at _start's value.
    const w = world();
    for (let i = 0; i < 3; i++) expect(pure.run(w.env, 'handle', () => 0)).toBeNull();
    const { snapshot, spare } = pure.reuseState()!;
    expect(snapshot.globals).toEqual([5]);
    expect(spare!.globals).toEqual([5]);
    expect(spare!.memory[100]).toBe(0);
    for (let i = 0; i < 3; i++) expect(calling.run(w.env, 'handle', () => 0)).toBeNull();
    expect(calling.stats.freshInstances).toBe(3);
  });
});

describe('heap codec fast paths', () => {
  const ref = (n: bigint): number[] => {
    // The definition: shortest two's complement little-endian bytes.
    for (let len = 1; ; len++) {
      const lo = -(1n << BigInt(8 * len - 1));
      if (n >= lo && n < -lo) {
        const u = BigInt.asUintN(8 * len, n);
        return Array.from({ length: len }, (_, i) => Number((u >> BigInt(8 * i)) & 0xffn));
      }
    }
  };
  it('bigintToSignedLE matches the definition around every byte boundary', () => {
    const values: bigint[] = [
      0n,
      1n,
      -1n,
      127n,
      128n,
      -128n,
      -129n,
      255n,
      256n,
      (1n << 256n) - 1n,
      -(1n << 255n),
    ];
    for (let bits = 1; bits <= 70; bits++) {
      const p = 1n << BigInt(bits);
      values.push(p, p - 1n, p + 1n, -p, -p + 1n, -p - 1n);
    }
    for (const v of values) {
      expect([...bigintToSignedLE(v)], String(v)).toEqual(ref(v));
      expect(signedLEToBigint(bigintToSignedLE(v))).toBe(v);
    }
  });

  it('checkBigIntSize accepts 435412 bits and refuses one more', () => {
    expect(checkBigIntSize((1n << 435_412n) - 1n)).toBe((1n << 435_412n) - 1n);
    expect(() => checkBigIntSize(1n << 435_412n)).toThrow(/too big/);
    expect(() => checkBigIntSize(-(1n << 435_412n))).toThrow(/too big/);
  });

  it('reads short strings like TextDecoder: surrogate pairs kept, lone surrogates refused, NULs dropped', async () => {
    const m = new WebAssembly.Module(bytes as BufferSource);
    const inst = new WebAssembly.Instance(m, stubImports(m));
    (inst.exports._start as () => void)();
    const heap = new AscHeap(inst.exports as never, new Map());
    for (const s of ['', 'abc', 'é€😀', 'a\u0000b', '\u{10FFFF}z'])
      expect(readString(heap, writeString(heap, s))).toBe(s.replace(/\0/g, ''));
    expect(() => readString(heap, writeString(heap, 'a\uD800'))).toThrow(/utf-16/);
    expect(() => readString(heap, writeString(heap, '\uDC00b'))).toThrow(/utf-16/);
    expect(() => readString(heap, writeString(heap, '\uD800b'))).toThrow(/utf-16/);
  });
});

// ---------------------------------------------------------------- a hand-assembled module
const leb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let x = n & 0x7f;
    n >>>= 7;
    if (n) x |= 0x80;
    out.push(x);
  } while (n);
  return out;
};
const vec = (items: number[][]) => [...leb(items.length), ...items.flat()];
const section = (id: number, body: number[]) => [id, ...leb(body.length), ...body];
const str = (s: string) => [...leb(s.length), ...Buffer.from(s)];

/**
 * The smallest module MappingModule accepts: imports dataSource.address, exports
 * memory, __new, id_of_type, _start (sets global 0 to 5, optionally calling the
 * host first) and handle (increments the global and stores it at address 100).
 */
function tinyModule(o: { startCallsHost?: boolean; passiveData?: boolean }): Uint8Array {
  const I32 = 0x7f;
  const types = vec([
    [0x60, 0, 0], // () -> ()
    [0x60, 2, I32, I32, 1, I32], // __new
    [0x60, 1, I32, 1, I32], // id_of_type
    [0x60, 1, I32, 0], // handle
    [0x60, 0, 1, I32], // dataSource.address
  ]);
  const imports = vec([[...str('env'), ...str('dataSource.address'), 0x00, 4]]);
  const funcs = vec([[1], [2], [0], [3]]); // functions 1..4 (0 is the import)
  const memory = vec([[0x00, 1]]);
  const globals = vec([[I32, 1, 0x41, 0, 0x0b]]);
  const exports = vec([
    [...str('memory'), 2, 0],
    [...str('__new'), 0, 1],
    [...str('id_of_type'), 0, 2],
    [...str('_start'), 0, 3],
    [...str('handle'), 0, 4],
  ]);
  const body = (code: number[]) => [...leb(code.length + 1), 0, ...code]; // no locals
  const start = [...(o.startCallsHost ? [0x10, 0, 0x1a] : []), 0x41, 5, 0x24, 0, 0x0b];
  const handle = [0x23, 0, 0x41, 1, 0x6a, 0x24, 0, 0x41, 0xe4, 0, 0x23, 0, 0x36, 2, 0, 0x0b];
  const code = vec([body([0x41, 16, 0x0b]), body([0x41, 0, 0x0b]), body(start), body(handle)]);
  const data = o.passiveData ? [section(11, vec([[1, ...leb(2), 1, 2]]))].flat() : [];
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    1,
    0,
    0,
    0,
    ...section(1, types),
    ...section(2, imports),
    ...section(3, funcs),
    ...section(5, memory),
    ...section(6, globals),
    ...section(7, exports),
    ...section(10, code),
    ...data,
  ]);
}
