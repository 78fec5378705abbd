// Commit throughput of the SQLite store on the real subgraph schema, on a file
// (WAL, synchronous=NORMAL) as the indexer runs it. Prints entities/s for:
//   insert   immutable GovernanceEvent rows (the audit trail: one per event)
//   update   mutable TokenHolder rows from a pool of 2,000 (close + insert)
//   event    what a busy block of governance events writes: per event one
//            GovernanceEvent + one TokenHolder, plus the block's Area once
//   small    devnet-like blocks: Area + TokenHolder + 2 GovernanceEvents
//   empty    blocks with no changes (blocks/s)
// each with a transaction per block and with group commit, and the cost of a
// few reads. Usage: tsx bench/store-bench.ts [blocks=400] [perBlock=100]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSchema, storedFields, type EntityModel, type SchemaModel } from '../src/schema/model.js';
import type { Entity, Value } from '../src/schema/values.js';
import type { BlockPtr } from '../src/chain/types.js';
import type { EntityOp } from '../src/store/types.js';
import { SqliteStore } from '../src/store/sqlite-store.js';

const BLOCKS = Number(process.argv[2] ?? 400);
const PER_BLOCK = Number(process.argv[3] ?? 100);
/** Per-block transactions (the default) and group commit (OpenOptions.groupCommitMs). */
const GROUP_MODES = [0, 250];

const schemaPath = fileURLToPath(new URL('../../subgraph/schema.graphql', import.meta.url));
const schema: SchemaModel = parseSchema(readFileSync(schemaPath, 'utf8'));

let seed = 1;
const rnd = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed;
};
const hex = (bytes: number) => {
  let s = '';
  for (let i = 0; i < bytes; i++) s += (rnd() & 0xff).toString(16).padStart(2, '0');
  return s;
};

/** The block whose ops are being generated: block-derived fields follow it, as on a real chain. */
let currentBlock = 0;

// Values shaped like the subgraph's: block numbers and times grow with the chain,
// enums and the area reference have few values, hashes and amounts are random,
// nullable fields are null half of the time.
function fakeValue(f: EntityModel['fields'][number]): Value {
  const one = (): Value => {
    const b = f.base;
    if (b.kind === 'enum') {
      const values = schema.enums.get(b.enum)!;
      return { kind: 'String', value: values[rnd() % values.length] };
    }
    if (b.kind === 'entity')
      return {
        kind: 'String',
        value: f.name === 'area' ? String(1 + (rnd() % 3)) : `${1 + (rnd() % 3)}-${rnd() % 1000}`,
      };
    switch (b.scalar) {
      case 'ID':
      case 'String':
        return { kind: 'String', value: `text-${rnd() % 1000}` };
      case 'Bytes':
        return {
          kind: 'Bytes',
          value: new Uint8Array(Buffer.from(hex(/Tx$|Hash$/.test(f.name) ? 32 : 20), 'hex')),
        };
      case 'BigInt':
        if (/[bB]lock(Number)?$/.test(f.name)) return { kind: 'BigInt', value: BigInt(currentBlock) };
        if (/(At|[tT]imestamp|[dD]ate|[sS]tart|[eE]nd)$/.test(f.name))
          return { kind: 'BigInt', value: BigInt(1_700_000_000 + 12 * currentBlock) };
        return { kind: 'BigInt', value: BigInt(rnd()) * 10n ** 18n };
      case 'BigDecimal':
        return { kind: 'BigDecimal', value: { digits: BigInt(rnd()), exp: -6 } };
      case 'Int':
        return { kind: 'Int', value: rnd() % 100 };
      case 'Int8':
      case 'Timestamp':
        return {
          kind: b.scalar === 'Int8' ? 'Int8' : 'Timestamp',
          value: BigInt(currentBlock) * 12_000_000n,
        };
      case 'Boolean':
        return { kind: 'Bool', value: rnd() % 2 === 0 };
    }
  };
  if (!f.nonNull && rnd() % 2 === 0) return { kind: 'Null' };
  return f.list ? { kind: 'Array', value: [one(), one()] } : one();
}

function fake(type: string, id: string): Entity {
  const e: Entity = new Map();
  for (const f of storedFields(schema.entity(type)))
    e.set(f.name, f.name === 'id' ? { kind: 'String', value: id } : fakeValue(f));
  return e;
}

const ptr = (n: number): BlockPtr => ({
  number: n,
  hash: `0x${n.toString(16).padStart(64, '0')}`,
  parentHash: `0x${Math.max(n - 1, 0)
    .toString(16)
    .padStart(64, '0')}`,
  timestamp: 1_700_000_000 + 12 * n,
});

function bench(name: string, blockOps: (n: number) => EntityOp[], blocks = BLOCKS) {
  for (const groupCommitMs of GROUP_MODES) run(name, blockOps, blocks, groupCommitMs);
}

function run(name: string, blockOps: (n: number) => EntityOp[], blocks: number, groupCommitMs: number) {
  const dir = mkdtempSync(join(tmpdir(), 'ggn-store-bench-'));
  // STORE_BENCH_MEMORY=1: ':memory:', to separate SQLite's CPU work from file I/O.
  const memory = process.env.STORE_BENCH_MEMORY === '1';
  const path = memory ? ':memory:' : join(dir, 'bench.db');
  const store = SqliteStore.open(path, schema, { deployment: 'QmBench', groupCommitMs });
  // Experiments: STORE_BENCH_PRAGMAS="wal_autocheckpoint=4000;cache_size=-200000"
  for (const p of (process.env.STORE_BENCH_PRAGMAS ?? '').split(';').filter(Boolean)) store.db.pragma(p);
  // Build the ops first: the figure is the store's, not the fake data generator's.
  const all = Array.from({ length: blocks }, (_, i) => blockOps((currentBlock = i + 1)));
  const entities = all.reduce((s, ops) => s + ops.length, 0);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < blocks; i++) store.commitBlock(ptr(i + 1), all[i], []);
  store.flush();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  const size = memory
    ? (store.db.pragma('page_count', { simple: true }) as number) *
      (store.db.pragma('page_size', { simple: true }) as number)
    : statSync(path).size;
  const reads = readBench(store, name);
  store.close();
  rmSync(dir, { recursive: true, force: true });
  const perS = Math.round((entities / ms) * 1000);
  console.log(
    `${name.padEnd(7)} ${(groupCommitMs ? `group ${groupCommitMs}ms` : 'per block').padEnd(12)} ${String(entities).padStart(7)} entities in ${blocks} blocks: ${ms.toFixed(0).padStart(6)} ms  ` +
      `${String(perS).padStart(7)} entities/s  ${((blocks / ms) * 1000).toFixed(0).padStart(6)} blocks/s  ` +
      `(CPU ${cpuMs.toFixed(0)} ms: ${Math.round((entities / cpuMs) * 1000)} entities/CPU-s)  ` +
      `file ${(size / 1e6).toFixed(1)} MB${reads}`,
  );
}

function readBench(store: SqliteStore, name: string): string {
  if (name !== 'update') return '';
  const n = 20000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) store.get('TokenHolder', `1-${i % 2000}`);
  const getUs = ((performance.now() - t0) * 1000) / n;
  const t1 = performance.now();
  for (let i = 0; i < n; i++) store.getAt('TokenHolder', `1-${i % 2000}`, 1 + (i % BLOCKS));
  const getAtUs = ((performance.now() - t1) * 1000) / n;
  return `  get ${getUs.toFixed(1)} µs, getAt ${getAtUs.toFixed(1)} µs`;
}

console.log(
  `store bench: SQLite file, WAL, synchronous=NORMAL; ${BLOCKS} blocks x ${PER_BLOCK} per block; ` +
    `wall time suffers from other load on the machine, CPU time less so`,
);
let ev = 0;
bench('insert', () =>
  Array.from({ length: PER_BLOCK }, () => {
    const id = `0x${hex(32)}-${ev++}`;
    return { type: 'GovernanceEvent', id, entity: fake('GovernanceEvent', id) };
  }),
);
bench(
  'update',
  () =>
    Array.from({ length: PER_BLOCK }, (_, i) => {
      const id = `1-${(rnd() + i) % 2000}`;
      return { type: 'TokenHolder', id, entity: fake('TokenHolder', id) };
    }).filter((op, i, ops) => ops.findIndex((o) => o.id === op.id) === i), // one final state per entity per block
);
bench('event', () => {
  const ops: EntityOp[] = [{ type: 'Area', id: '1', entity: fake('Area', '1') }];
  const holders = new Set<string>();
  for (let i = 0; i < PER_BLOCK / 2; i++) {
    const id = `0x${hex(32)}-${ev++}`;
    ops.push({ type: 'GovernanceEvent', id, entity: fake('GovernanceEvent', id) });
    const h = `1-${rnd() % 2000}`;
    if (!holders.has(h)) ops.push({ type: 'TokenHolder', id: h, entity: fake('TokenHolder', h) });
    holders.add(h);
  }
  return ops;
});
// Devnet-like blocks: one transaction, a couple of events.
bench(
  'small',
  () => {
    const ops: EntityOp[] = [{ type: 'Area', id: '1', entity: fake('Area', '1') }];
    const h = `1-${rnd() % 2000}`;
    ops.push({ type: 'TokenHolder', id: h, entity: fake('TokenHolder', h) });
    for (let i = 0; i < 2; i++) {
      const id = `0x${hex(32)}-${ev++}`;
      ops.push({ type: 'GovernanceEvent', id, entity: fake('GovernanceEvent', id) });
    }
    return ops;
  },
  BLOCKS * 10,
);
bench('empty', () => [], BLOCKS * 25);
