// Commit throughput of the SQLite store on the real subgraph schema, on a file
// (WAL, synchronous=NORMAL) as the indexer runs it. Prints entities/s for:
//   insert   immutable GovernanceEvent rows (the audit trail: one per event)
//   update   mutable TokenHolder rows from a pool of 2,000 (close + insert)
//   event    what a busy block of governance events writes: per event one
//            GovernanceEvent + one TokenHolder, plus the block's Area once
//   small    devnet-like blocks: Area + TokenHolder + 2 GovernanceEvents
//   empty    blocks with no changes (blocks/s)
// each with a transaction per block and with group commit, for these stores:
//   now      this checkout's store, per-field indexes up front (the default)
//   deferred this checkout's store opened with deferIndexes, ensureIndexes()
//            after the last block, timed apart ("+ idx") and in the total
//   thread   as deferred, written by a writer thread (OpenOptions.writerThread;
//            group commit on a file only)
//   base     with --baseline REV: the store as of git revision REV (src/store
//            extracted to a temporary folder), per-field indexes up front
// "main" is what commitBlock calls cost the calling thread (wall time, and its own
// CPU time from /proc on Linux, which other load does not inflate) (the indexer's main
// thread, busy with handlers): for `thread` the rest of the work (CPU, which
// counts every thread) runs beside it; flush() waits for it and is in the wall time.
// A loop that only commits outruns the writer, so `thread` waits for it ("waiting",
// part of main); the indexer runs handlers between commits instead.
// Every store gets the same generated blocks, runs interleave (so machine load
// hits them alike), and their entity digests and full version histories must
// agree (else exit 1). A ratio line per scenario compares total CPU time.
// Usage: tsx bench/store-bench.ts [blocks=400] [perBlock=100] [--baseline REV]
//        [--memory] [--repeat N] [--only insert,update,...]
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parseSchema, storedFields, type EntityModel, type SchemaModel } from '../src/schema/model.js';
import type { Entity, Value } from '../src/schema/values.js';
import type { BlockPtr } from '../src/chain/types.js';
import type { EntityOp } from '../src/store/types.js';
import { SqliteStore } from '../src/store/sqlite-store.js';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    baseline: { type: 'string' },
    memory: { type: 'boolean', default: process.env.STORE_BENCH_MEMORY === '1' },
    repeat: { type: 'string', default: '1' },
    only: { type: 'string' },
  },
});
const BLOCKS = Number(positionals[0] ?? 400);
const PER_BLOCK = Number(positionals[1] ?? 100);
const REPEAT = Math.max(1, Number(args.repeat));
/** Per-block transactions (the default) and group commit (OpenOptions.groupCommitMs). */
const GROUP_MODES = [0, 250];

const indexerDir = fileURLToPath(new URL('..', import.meta.url));
const schemaPath = join(indexerDir, '../subgraph/schema.graphql');
const schema: SchemaModel = parseSchema(readFileSync(schemaPath, 'utf8'));

// ---- stores under test ---------------------------------------------------------------------

/** The part of the store API this bench uses, as old and new versions of it offer it. */
interface BenchStore {
  db: SqliteStore['db'];
  commitBlock: SqliteStore['commitBlock'];
  flush(): void;
  ensureIndexes?: () => number;
  get: SqliteStore['get'];
  getAt: SqliteStore['getAt'];
  digest(): string;
  close(): void;
}
interface StoreClass {
  open(path: string, schema: SchemaModel, opts: Record<string, unknown>): BenchStore;
}
interface Variant {
  name: string;
  cls: StoreClass;
  deferIndexes: boolean;
  writerThread?: boolean;
}

/** src/store as of git revision `rev`, in a temporary folder whose siblings link to this checkout's. */
async function baselineStore(rev: string): Promise<{ cls: StoreClass; cleanup: () => void }> {
  const root = mkdtempSync(join(tmpdir(), 'ggn-store-baseline-'));
  const cleanup = () => rmSync(root, { recursive: true, force: true });
  try {
    return { cls: await loadBaseline(rev, root), cleanup };
  } catch (e) {
    cleanup();
    throw e;
  }
}

async function loadBaseline(rev: string, root: string): Promise<StoreClass> {
  const src = join(root, 'src');
  mkdirSync(join(src, 'store'), { recursive: true });
  const git = (...a: string[]) =>
    execFileSync('git', a, { cwd: indexerDir, encoding: 'utf8', maxBuffer: 1 << 26 });
  const prefix = git('rev-parse', '--show-prefix').trim(); // "indexer/"
  // ls-tree lists a tree relative to the working directory: --full-tree lists it whole.
  for (const f of git('ls-tree', '--full-tree', '--name-only', `${rev}:${prefix}src/store`)
    .split('\n')
    .filter(Boolean))
    writeFileSync(join(src, 'store', f), git('show', `${rev}:${prefix}src/store/${f}`));
  for (const d of readdirSync(join(indexerDir, 'src')))
    if (d !== 'store') symlinkSync(join(indexerDir, 'src', d), join(src, d));
  let dir = indexerDir; // the node_modules that has better-sqlite3
  while (!existsSync(join(dir, 'node_modules', 'better-sqlite3')) && dirname(dir) !== dir) dir = dirname(dir);
  symlinkSync(join(dir, 'node_modules'), join(root, 'node_modules'));
  const mod = (await import(pathToFileURL(join(src, 'store', 'sqlite-store.ts')).href)) as {
    SqliteStore: StoreClass;
  };
  return mod.SqliteStore;
}

// ---- generated data ------------------------------------------------------------------------

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

let ev = 0;
const scenarios: { name: string; blocks: number; ops: (n: number) => EntityOp[] }[] = [
  {
    name: 'insert',
    blocks: BLOCKS,
    ops: () =>
      Array.from({ length: PER_BLOCK }, () => {
        const id = `0x${hex(32)}-${ev++}`;
        return { type: 'GovernanceEvent', id, entity: fake('GovernanceEvent', id) };
      }),
  },
  {
    name: 'update',
    blocks: BLOCKS,
    ops: () =>
      Array.from({ length: PER_BLOCK }, (_, i) => {
        const id = `1-${(rnd() + i) % 2000}`;
        return { type: 'TokenHolder', id, entity: fake('TokenHolder', id) };
      }).filter((op, i, ops) => ops.findIndex((o) => o.id === op.id) === i), // one final state per entity per block
  },
  {
    name: 'event',
    blocks: BLOCKS,
    ops: () => {
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
    },
  },
  // Devnet-like blocks: one transaction, a couple of events.
  {
    name: 'small',
    blocks: BLOCKS * 10,
    ops: () => {
      const ops: EntityOp[] = [{ type: 'Area', id: '1', entity: fake('Area', '1') }];
      const h = `1-${rnd() % 2000}`;
      ops.push({ type: 'TokenHolder', id: h, entity: fake('TokenHolder', h) });
      for (let i = 0; i < 2; i++) {
        const id = `0x${hex(32)}-${ev++}`;
        ops.push({ type: 'GovernanceEvent', id, entity: fake('GovernanceEvent', id) });
      }
      return ops;
    },
  },
  { name: 'empty', blocks: BLOCKS * 25, ops: () => [] },
];

// ---- measuring -----------------------------------------------------------------------------

interface Result {
  ms: number;
  /** Time spent inside commitBlock calls (the caller's thread). */
  mainMs: number;
  /** CPU time of the main thread over the commit loop (its only work): mainThreadCpu(). */
  mainCpuMs: number;
  /** Of mainMs, waiting for a writer thread that fell too far behind (a loop of commits does nothing else). */
  waitMs: number;
  cpuMs: number;
  /** ensureIndexes() after the last block (deferred variant), included in ms and cpuMs. */
  indexMs: number;
  size: number;
  digest: string;
  history: string;
  reads: string;
}

/**
 * CPU time (ms) of this (the main) thread alone, from /proc (Linux; NaN elsewhere):
 * unlike wall time, other threads and processes competing for the cores do not count.
 */
function mainThreadCpu(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime, in USER_HZ (100) ticks
  } catch {
    return NaN;
  }
}

const cpuNow = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

/** Every version of every entity (ranges included, vids not), hashed: stricter than the digest. */
function historyDigest(store: BenchStore): string {
  const h = createHash('sha256');
  const tables = store.db
    .prepare(
      `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE '\\_\\_%' ESCAPE '\\' ORDER BY name`,
    )
    .pluck()
    .all() as string[];
  for (const t of tables) {
    const cols = (
      store.db.prepare(`SELECT name FROM pragma_table_info(?) WHERE name <> 'vid'`).pluck().all(t) as string[]
    )
      .map((c) => `"${c}"`)
      .join(', ');
    for (const row of store.db
      .prepare(`SELECT ${cols} FROM "${t}" ORDER BY "id", block_from`)
      .raw(true)
      .iterate())
      h.update(
        JSON.stringify(row, (_k, v) =>
          typeof v === 'bigint'
            ? v.toString()
            : v?.type === 'Buffer'
              ? Buffer.from(v.data).toString('hex')
              : v,
        ),
      );
  }
  return h.digest('hex');
}

function run(v: Variant, name: string, all: EntityOp[][], groupCommitMs: number): Result {
  const dir = mkdtempSync(join(tmpdir(), 'ggn-store-bench-'));
  const path = args.memory ? ':memory:' : join(dir, 'bench.db');
  const store = v.cls.open(path, schema, {
    deployment: 'QmBench',
    groupCommitMs,
    ...(v.deferIndexes ? { deferIndexes: true } : {}),
    ...(v.writerThread ? { writerThread: true } : {}),
  });
  // Experiments: STORE_BENCH_PRAGMAS="wal_autocheckpoint=4000;cache_size=-200000"
  for (const p of (process.env.STORE_BENCH_PRAGMAS ?? '').split(';').filter(Boolean)) store.db.pragma(p);
  const t0 = performance.now();
  const c0 = cpuNow();
  let mainMs = 0;
  const m0 = mainThreadCpu();
  for (let i = 0; i < all.length; i++) {
    const s = performance.now();
    store.commitBlock(ptr(i + 1), all[i], []);
    mainMs += performance.now() - s;
  }
  const mainCpuMs = mainThreadCpu() - m0;
  const waitMs = (store as { waitedMs?: number }).waitedMs ?? 0;
  store.flush();
  const t1 = performance.now();
  if (v.deferIndexes) store.ensureIndexes!();
  const indexMs = performance.now() - t1;
  const ms = performance.now() - t0;
  const cpuMs = cpuNow() - c0;
  // A writer thread's store reads on a read-only connection: its file is measured once closed.
  if (!v.writerThread) store.db.pragma('wal_checkpoint(TRUNCATE)');
  let size = args.memory
    ? (store.db.pragma('page_count', { simple: true }) as number) *
      (store.db.pragma('page_size', { simple: true }) as number)
    : statSync(path).size;
  const reads = readBench(store, name, all.length);
  const digest = store.digest();
  const history = historyDigest(store);
  store.close();
  if (v.writerThread) size = statSync(path).size;
  rmSync(dir, { recursive: true, force: true });
  return { ms, mainMs, mainCpuMs, waitMs, cpuMs, indexMs, size, digest, history, reads };
}

function readBench(store: BenchStore, name: string, blocks: number): string {
  if (name !== 'update') return '';
  const n = 20000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) store.get('TokenHolder', `1-${i % 2000}`);
  const getUs = ((performance.now() - t0) * 1000) / n;
  const t1 = performance.now();
  for (let i = 0; i < n; i++) store.getAt('TokenHolder', `1-${i % 2000}`, 1 + (i % blocks));
  const getAtUs = ((performance.now() - t1) * 1000) / n;
  return `  get ${getUs.toFixed(1)} µs, getAt ${getAtUs.toFixed(1)} µs`;
}

const best = (rs: Result[]): Result => rs.reduce((a, b) => (b.cpuMs < a.cpuMs ? b : a));

async function main() {
  const variants: Variant[] = [
    { name: 'now', cls: SqliteStore as unknown as StoreClass, deferIndexes: false },
    { name: 'deferred', cls: SqliteStore as unknown as StoreClass, deferIndexes: true },
  ];
  if (!args.memory)
    variants.push({
      name: 'thread',
      cls: SqliteStore as unknown as StoreClass,
      deferIndexes: true,
      writerThread: true,
    });
  let cleanup = () => {};
  if (args.baseline) {
    const b = await baselineStore(args.baseline);
    variants.unshift({ name: `base`, cls: b.cls, deferIndexes: false });
    cleanup = b.cleanup;
  }
  console.log(
    `store bench: SQLite ${args.memory ? ':memory:' : 'file, WAL, synchronous=NORMAL'}; ${BLOCKS} blocks x ${PER_BLOCK} per block; ` +
      `best CPU of ${REPEAT}; ${args.baseline ? `base = git ${args.baseline}; ` : ''}` +
      `wall time suffers from other load on the machine, CPU time less so`,
  );
  const only = args.only?.split(',');
  let mismatch = false;
  try {
    for (const sc of scenarios) {
      if (only && !only.includes(sc.name)) continue;
      seed = 1 + sc.name.length; // the same data whichever scenarios run
      const all = Array.from({ length: sc.blocks }, (_, i) => sc.ops((currentBlock = i + 1)));
      const entities = all.reduce((s, ops) => s + ops.length, 0);
      for (const groupCommitMs of GROUP_MODES) {
        const results = new Map<string, Result[]>(variants.map((v) => [v.name, []]));
        const modeVariants = variants.filter((v) => !v.writerThread || groupCommitMs > 0);
        for (let r = 0; r < REPEAT; r++)
          for (const v of modeVariants) results.get(v.name)!.push(run(v, sc.name, all, groupCommitMs));
        const mode = groupCommitMs ? `group ${groupCommitMs}ms` : 'per block';
        const ref = best(results.get(variants[0].name)!);
        for (const v of modeVariants) {
          const x = best(results.get(v.name)!);
          const same = x.digest === ref.digest && x.history === ref.history;
          if (!same) mismatch = true;
          console.log(
            `${sc.name.padEnd(7)} ${mode.padEnd(12)} ${v.name.padEnd(9)} ${String(entities).padStart(7)} entities in ${sc.blocks} blocks: ` +
              `${x.ms.toFixed(0).padStart(6)} ms` +
              (v.deferIndexes ? ` (+ idx ${x.indexMs.toFixed(0).padStart(4)})` : '              ') +
              `  ${String(Math.round((entities / x.ms) * 1000)).padStart(7)} entities/s ${((sc.blocks / x.ms) * 1000).toFixed(0).padStart(6)} blocks/s` +
              `  main ${x.mainMs.toFixed(0).padStart(5)} ms${v.writerThread ? ` (waiting ${x.waitMs.toFixed(0)})` : ''} (CPU ${x.mainCpuMs.toFixed(0)})  CPU ${x.cpuMs.toFixed(0).padStart(5)} ms  file ${(x.size / 1e6).toFixed(1)} MB${x.reads}` +
              (same ? '' : '  DIGEST MISMATCH'),
          );
        }
        const cpu = (n: string) => best(results.get(n)!).cpuMs;
        const wall = (n: string) => best(results.get(n)!).ms;
        const base = args.baseline ? 'base' : 'now';
        const ratios = modeVariants
          .filter((v) => v.name !== base)
          .map(
            (v) =>
              `${base}/${v.name} CPU x${(cpu(base) / cpu(v.name)).toFixed(2)} wall x${(wall(base) / wall(v.name)).toFixed(2)}`,
          );
        if (results.get('thread')?.length)
          ratios.push(
            `deferred/thread main x${(best(results.get('deferred')!).mainMs / best(results.get('thread')!).mainMs).toFixed(1)} main CPU x${(best(results.get('deferred')!).mainCpuMs / best(results.get('thread')!).mainCpuMs).toFixed(1)}`,
          );
        console.log(`${''.padEnd(20)} speed-up: ${ratios.join(', ')}`);
      }
    }
  } finally {
    cleanup();
  }
  if (mismatch) {
    console.error(
      'stores disagree on the data they hold (digest or version history): see DIGEST MISMATCH above',
    );
    process.exitCode = 1;
  }
}

await main();
