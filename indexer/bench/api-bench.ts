// API benchmark: latency (p50/p99) and throughput of the explorer's area-page
// queries against the embedded server, at 1, 16 and 64 concurrent clients.
//
//   npm run bench:api -w indexer -- [--db <store.sqlite>] [--events N] [--seconds S] [--areas A] [--keep]
//
// With --db it queries an existing store (the target: a 1,000,000-event store
// built by the indexer). Without it, it first synthesises a store of the real
// subgraph schema (subgraph/schema.graphql) through the store API: N governance
// events (default 200,000) plus proportional motions, votes, groups, leases...
// Everything runs on loopback; each concurrency level runs for S seconds (default 8).
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { EntityModel, FieldModel, SchemaModel } from '../src/schema/model.js';
import type { Value } from '../src/schema/values.js';
import type { EntityOp } from '../src/store/types.js';

// graphql-js skips its development-mode instanceof checks in production. It reads
// NODE_ENV once, when it loads, so everything that imports it is loaded below,
// after this line, as a production start would.
process.env.NODE_ENV ??= 'production';
const { parseSchema, storedFields } = await import('../src/schema/model.js');
const { SqliteStore } = await import('../src/store/sqlite-store.js');
const { startApiServer } = await import('../src/server/api-server.js');

const { values: args } = parseArgs({
  options: {
    db: { type: 'string' },
    events: { type: 'string', default: '200000' },
    seconds: { type: 'string', default: '8' },
    areas: { type: 'string', default: '20' },
    schema: { type: 'string' },
    keep: { type: 'boolean', default: false }, // keep the synthesised store for later --db runs
    serve: { type: 'boolean', default: false }, // internal: run only the server (child process)
  },
});

const repo = fileURLToPath(new URL('../../', import.meta.url));
const schemaSource = readFileSync(args.schema ?? join(repo, 'subgraph', 'schema.graphql'), 'utf8');
const model = parseSchema(schemaSource);

// ---------------------------------------------------------------------------
// Synthetic store: every entity type of the schema, ids as the subgraph builds
// them ("<areaId>-<n>", seats "<areaId>-<ROLE>"), references within the area.

/** Entities per area, by type (types not listed get `perArea.default`). */
function perAreaCounts(events: number, areas: number): Record<string, number> {
  const e = Math.max(1, Math.floor(events / areas));
  const motions = Math.max(1, Math.floor(e / 20));
  return {
    Seat: 5,
    MemberGroup: 40,
    GroupAccount: 40,
    GroupMembership: 160,
    Consumer: 200,
    Delegation: 200,
    Motion: motions,
    VotingWeight: motions * 6,
    Vote: motions * 6,
    Lease: Math.max(1, Math.floor(motions / 4)),
    LeaseRenewal: Math.max(1, Math.floor(motions / 8)),
    TokenHolder: 60,
    TokenTransfer: Math.max(1, Math.floor(e / 10)),
    ParameterChange: Math.max(1, Math.floor(motions / 10)),
    GovernanceEvent: e,
    AreaDayData: 365,
    default: 10,
  };
}

const ROLES = ['GENERATION', 'TRANSMISSION', 'DISTRIBUTION', 'COMMUNITY', 'FOUNDATION'];

function idOf(type: string, area: number, k: number): string {
  if (type === 'Area') return String(area);
  if (type === 'Factory') return '0x' + '0f'.repeat(20);
  if (type === 'Seat') return `${area}-${ROLES[k % 5]}`;
  return `${area}-${k + 1}`;
}

const bytes = (n: number, len = 20): Value => {
  const b = new Uint8Array(len);
  let x = n + 1;
  for (let i = len - 1; i >= 0 && x > 0; i--, x = Math.floor(x / 256)) b[i] = x % 256;
  return { kind: 'Bytes', value: b };
};

function valueFor(
  f: FieldModel,
  model: SchemaModel,
  area: number,
  k: number,
  block: number,
  counts: Record<string, number>,
): Value {
  if (f.list) return { kind: 'Array', value: [] };
  const nullable = !f.nonNull;
  if (nullable && k % 3 === 0) return { kind: 'Null' };
  const b = f.base;
  if (b.kind === 'enum') {
    const vs = model.enums.get(b.enum)!;
    return { kind: 'String', value: vs[(k * 7 + f.name.length) % vs.length]! };
  }
  if (b.kind === 'entity') {
    const n = counts[b.entity] ?? counts['default']!;
    return { kind: 'String', value: idOf(b.entity, area, (k * 31 + f.name.length) % n) };
  }
  switch (b.scalar) {
    case 'BigInt':
      if (/block/i.test(f.name)) return { kind: 'BigInt', value: BigInt(block) };
      if (/At$|timestamp|start|end|date/i.test(f.name))
        return { kind: 'BigInt', value: 1_700_000_000n + BigInt(block * 12 + k) };
      return { kind: 'BigInt', value: BigInt(k) * 10n ** 15n + BigInt((k * 7919) % 1000) };
    case 'BigDecimal':
      return { kind: 'BigDecimal', value: { digits: BigInt(k + 1), exp: -2 } };
    case 'Int':
      return { kind: 'Int', value: k % 100_000 };
    case 'Int8':
    case 'Timestamp':
      return { kind: b.scalar, value: BigInt(k) };
    case 'Boolean':
      return { kind: 'Bool', value: k % 2 === 0 };
    case 'Bytes':
      return bytes(k * 1000 + f.name.length, /Tx|transactionHash|Hash/.test(f.name) ? 32 : 20);
    default:
      return { kind: 'String', value: `${f.name} ${area}-${k}` };
  }
}

function synthesise(path: string, events: number, areas: number): void {
  const store = SqliteStore.open(path, model, { deployment: 'QmBenchSyntheticStore' });
  const counts = perAreaCounts(events, areas);
  const types = [...model.entities.values()].filter((e) => e.kind === 'entity');
  let block = 1;
  let ops: EntityOp[] = [];
  const flush = () => {
    if (ops.length === 0) return;
    const hash = `0x${block.toString(16).padStart(64, '0')}` as const;
    const parent = `0x${(block - 1).toString(16).padStart(64, '0')}` as const;
    store.commitBlock(
      { number: block, hash, parentHash: parent, timestamp: 1_700_000_000 + block * 12 },
      ops,
      [],
    );
    block += 1;
    ops = [];
  };
  const emit = (e: EntityModel, area: number, k: number) => {
    const id = idOf(e.name, area, k);
    const entity = new Map<string, Value>([['id', { kind: 'String', value: id }]]);
    for (const f of storedFields(e))
      if (f.name !== 'id') entity.set(f.name, valueFor(f, model, area, k, block, counts));
    if (e.fieldsByName.has('area') && e.name !== 'Area')
      entity.set('area', { kind: 'String', value: String(area) });
    if (e.name === 'Seat') entity.set('role', { kind: 'String', value: ROLES[k % 5]! });
    ops.push({ type: e.name, id, entity });
    if (ops.length >= 5000) flush();
  };
  const started = Date.now();
  for (const e of types) {
    if (e.name === 'Factory') emit(e, 1, 0);
    else if (e.name === 'Area') for (let a = 1; a <= areas; a++) emit(e, a, 0);
    else {
      const n = counts[e.name] ?? counts['default']!;
      // interleave areas so each block touches many areas, as real history does
      for (let k = 0; k < n; k++) for (let a = 1; a <= areas; a++) emit(e, a, k);
    }
    flush();
  }
  store.close();
  console.log(
    `synthesised ${events} events (+ related entities) in ${((Date.now() - started) / 1000).toFixed(1)} s, ${block - 1} blocks`,
  );
}

// ---------------------------------------------------------------------------
// The queries: the explorer's area page (explorer/src/api/queries.ts) when it can
// be loaded, else an equivalent built-in set.

async function areaPageQueries(areaId: string): Promise<string[]> {
  try {
    const q = (await import('../../explorer/src/api/queries.ts' as string)) as {
      areaQuery: (areaId: string, block: unknown) => string[];
    };
    const list = q.areaQuery(areaId, undefined); // latest block
    if (Array.isArray(list) && list.length > 0) return list;
  } catch {
    /* fall back */
  }
  return [
    `{ area(id: "${areaId}") { id name code seatPrice motionCount seats { role holder { name } currentLease { end } } } }`,
    `{ motions(where: { area: "${areaId}" }, orderBy: createdAt, orderDirection: desc, first: 20) { id kind status forVotes againstVotes } }`,
    `{ memberGroups(where: { area: "${areaId}" }, orderBy: groupId, first: 100) { id name role memberCount } }`,
    `{ governanceEvents(where: { area: "${areaId}" }, orderBy: blockNumber, orderDirection: desc, first: 50) { kind transactionHash blockNumber } }`,
  ];
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** Child mode: serve `--db` and print the URL; stop on SIGTERM. */
async function serve(): Promise<void> {
  const api = await startApiServer({ store: args.db!, schema: model, host: '127.0.0.1', port: 0 });
  process.stdout.write(JSON.stringify({ url: api.url }) + '\n');
  process.on('SIGTERM', () => void api.close().then(() => process.exit(0)));
}

async function startServerProcess(db: string): Promise<{ url: string; close(): Promise<void> }> {
  const extra = args.schema ? ['--schema', args.schema] : [];
  const child = spawn(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), '--serve', '--db', db, ...extra],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const line = await new Promise<string>((ok, ko) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', ok);
    child.once('exit', (code) => ko(new Error(`bench server exited with ${code}`)));
  });
  const { url } = JSON.parse(line) as { url: string };
  return {
    url,
    close: () =>
      new Promise<void>((ok) => {
        if (child.exitCode !== null) return ok();
        child.once('exit', () => ok());
        child.kill('SIGTERM');
      }),
  };
}

async function main() {
  const seconds = Number(args.seconds);
  const areas = Number(args.areas);
  let dir: string | undefined;
  let db = args.db;
  if (!db) {
    dir = mkdtempSync(join(tmpdir(), 'ggn-api-bench-'));
    db = join(dir, 'store.sqlite');
    synthesise(db, Number(args.events), areas);
  }
  // The server runs in its own process, so the load generator does not steal its CPU.
  const api = await startServerProcess(db);
  try {
    const areaIds = (
      (await (
        await fetch(`${api.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ areas(first: 1000) { id } }' }),
        })
      ).json()) as { data: { areas: { id: string }[] } }
    ).data.areas.map((a) => a.id);
    if (areaIds.length === 0) throw new Error('the store has no areas');
    const pages = await Promise.all(areaIds.slice(0, 20).map((id) => areaPageQueries(id)));
    const requests = pages.flat();
    // Sanity: every query answers without errors.
    for (const q of pages[0]!) {
      const r = (await (
        await fetch(`${api.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: q }),
        })
      ).json()) as { errors?: unknown };
      if (r.errors) throw new Error(`query failed: ${JSON.stringify(r.errors)}\n${q}`);
    }
    console.log(
      `${areaIds.length} areas; ${pages[0]!.length} requests per area page; ${seconds} s per level\n`,
    );
    console.log('clients  requests/s  p50 ms  p99 ms  (one request = one root-field group of the area page)');
    const send = async (query: string) => {
      const res = await fetch(`${api.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      });
      await res.arrayBuffer();
    };
    for (const clients of [1, 16, 64]) {
      // Warm-up, untimed: opens the clients' keep-alive connections (undici opens new
      // ones slowly under load, which would otherwise show up as server latency).
      for (let round = 0; round < 3; round++)
        await Promise.all(Array.from({ length: clients }, (_, i) => send(requests[i % requests.length]!)));
      const latencies: number[] = [];
      const until = performance.now() + seconds * 1000;
      let next = 0;
      await Promise.all(
        Array.from({ length: clients }, async () => {
          while (performance.now() < until) {
            const query = requests[next++ % requests.length]!;
            const t0 = performance.now();
            await send(query);
            latencies.push(performance.now() - t0);
          }
        }),
      );
      latencies.sort((a, b) => a - b);
      console.log(
        `${String(clients).padStart(7)}  ${(latencies.length / seconds).toFixed(0).padStart(10)}  ${pct(latencies, 50).toFixed(1).padStart(6)}  ${pct(latencies, 99).toFixed(1).padStart(6)}`,
      );
    }
  } finally {
    await api.close();
    if (dir && !args.keep) rmSync(dir, { recursive: true, force: true });
    else if (dir) console.log(`\nkept the synthetic store: --db ${db}`);
  }
}

(args.serve ? serve() : main()).catch((e) => {
  console.error(e);
  process.exit(1);
});
