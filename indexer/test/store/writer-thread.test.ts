// The writer thread (OpenOptions.writerThread, src/store/writer-thread.ts) must be
// invisible: the same answers, digest and file as the in-thread store for the
// same blocks, its own writes readable at once, failures reported, and no thread
// left behind.
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Worker } from 'node:worker_threads';
import { SqliteStore, type WritableStore } from '../../src/store/sqlite-store.js';
import { ThreadedStore } from '../../src/store/writer-thread.js';
import type { DataSourceRecord, EntityOp, SubgraphErrorRecord } from '../../src/store/types.js';
import { RowPacker, RowUnpacker } from '../../src/store/row-pack.js';
import type { SqlValue } from '../../src/store/layout.js';
import { runAndKill as killWriter } from './kill-run.js';
import { area, BI, entity, I, I8, killOps, plain, ptr, S, schema, seat, tempDir, X } from './fixture.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
let fileNo = 0;
const newPath = () => join(tmp.dir, `thread-${++fileNo}.db`);

const open = (path: string, writerThread: boolean, groupCommitMs = 60_000): WritableStore =>
  SqliteStore.open(path, schema, { deployment: 'QmT', groupCommitMs, deferIndexes: true, writerThread });

const vote = (id: string, w: bigint) => entity({ id: S(id), seat: S('1-1'), weight: BI(w) });
const holder = (hex: string, balance: bigint) =>
  entity({ id: X(hex), name: S(`h${hex}`), balance: BI(balance) });

type Step =
  | { commit: number; fork?: string; ops: EntityOp[]; ds?: DataSourceRecord[]; error?: SubgraphErrorRecord }
  | { revert: number }
  | { flush: true }
  | { fail: SubgraphErrorRecord };

/** Blocks with inserts, updates, unchanged rewrites, removals, data sources, errors, reverts and refused blocks. */
function steps(): Step[] {
  const out: Step[] = [];
  for (let n = 1; n <= 40; n++) {
    const ops: EntityOp[] = [
      { type: 'Area', id: '1', entity: area('1', { seatCount: I(n % 7) }) }, // often unchanged
      { type: 'Seat', id: `1-${n}`, entity: seat(`1-${n}`, '1', 'GENERATION', ['0x01']) },
      { type: 'Holder', id: `0x0${n % 5}`, entity: holder(`0x0${n % 5}`, BigInt(n)) },
      { type: 'Vote', id: `v${n}`, entity: vote(`v${n}`, BigInt(n)) },
      { type: 'Tick', id: String(n % 3), entity: entity({ id: I8(BigInt(n % 3)), value: I(n) }) },
    ];
    if (n % 4 === 0) ops.push({ type: 'Seat', id: `1-${n - 2}`, entity: null });
    if (n % 6 === 0) ops.push({ type: 'Seat', id: `1-${n}`, entity: null }); // created and removed in one block
    const ds =
      n % 5 === 0
        ? [{ template: 'T', address: `0xAB${n}`, context: entity({ k: S(`c${n}`) }), creationBlock: n }]
        : [];
    const error =
      n % 9 === 0
        ? { message: `e${n}`, handler: 'h', blockNumber: n, blockHash: ptr(n).hash, deterministic: true }
        : undefined;
    out.push({ commit: n, ops, ds, error });
    // Refused: an immutable Vote changed (the whole block must leave nothing).
    if (n % 7 === 0)
      out.push({
        commit: n + 1,
        ops: [
          { type: 'Area', id: '9', entity: area('9') },
          { type: 'Vote', id: `v${n}`, entity: vote(`v${n}`, 999n) },
        ],
      });
    if (n % 11 === 0) out.push({ commit: n, ops: [{ type: 'Area', id: '2', entity: area('2') }] }); // the same block again
    if (n === 15) out.push({ flush: true });
    if (n === 20 || n === 33) out.push({ revert: n - 3 });
  }
  out.push({
    fail: { message: 'boom', handler: 'x', blockNumber: 41, blockHash: ptr(41).hash, deterministic: true },
  });
  return out;
}

/** Runs the steps; returns what was observed along the way (reads after every step). */
function run(store: WritableStore): unknown[] {
  const seen: unknown[] = [];
  for (const s of steps()) {
    if ('commit' in s) {
      try {
        store.commitBlock(ptr(s.commit, s.fork), s.ops, s.ds ?? [], s.error);
        seen.push('ok');
      } catch (e) {
        seen.push(`refused: ${(e as Error).message}`);
      }
    } else if ('revert' in s) store.revertTo(s.revert);
    else if ('flush' in s) store.flush();
    else store.fail(s.fail);
    seen.push(
      store.head(),
      store.earliestBlock(),
      store.fatalError(),
      plain(store.get('Area', '1')),
      plain(store.get('Area', '9')),
      plain(store.get('Named', '0x01')),
      plain(store.get('Holder', '0x03')),
      plain(store.get('Vote', 'v7')),
      plain(store.get('Tick', '1')),
      ...[1, 2, 5, 6, 12].map((n) => plain(store.get('Seat', `1-${n}`))),
    );
  }
  seen.push(
    store.dataSources(),
    store.indexingErrors(),
    store.getRelated('Seat', 'area', '1').map(plain),
    store.blockPtr(3),
    plain(store.getAt('Area', '1', 10)),
    store.metadata(),
  );
  return seen;
}

/** Every row of every table, vids included, in vid order: the file's contents. */
function contents(path: string): string {
  const db = new Database(path, { readonly: true });
  const tables = db
    .prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`)
    .pluck()
    .all() as string[];
  const out = tables.map((t) =>
    JSON.stringify(db.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).raw(true).all(), (_k, v) =>
      typeof v === 'bigint' ? `${v}n` : v,
    ),
  );
  db.close();
  return out.join('\n');
}

describe('writer thread', () => {
  it('answers, digests and writes exactly as the in-thread store', () => {
    const paths = [newPath(), newPath()];
    const stores = [open(paths[0], false), open(paths[1], true)];
    expect(stores[0]).toBeInstanceOf(SqliteStore);
    expect(stores[1]).toBeInstanceOf(ThreadedStore);
    const seen = stores.map(run);
    expect(seen[1]).toEqual(seen[0]);
    expect(stores[1].digest()).toBe(stores[0].digest());
    expect(stores[1].digest(12)).toBe(stores[0].digest(12));
    expect(stores[1].ensureIndexes()).toBe(stores[0].ensureIndexes());
    expect(stores[1].hasAllIndexes()).toBe(true);
    for (const s of stores) s.close();
    expect(contents(paths[1])).toBe(contents(paths[0]));
    // And it reopens as any store file.
    const again = open(paths[1], true);
    expect(again.head()?.number).toBe(40);
    expect(again.fatalError()?.message).toBe('boom');
    again.close();
  });

  it('reads its own writes at once; other connections see them once flushed', () => {
    const path = newPath();
    const w = open(path, true);
    const r = SqliteStore.openReadonly(path, schema);
    for (let n = 1; n <= 300; n++)
      w.commitBlock(
        ptr(n),
        [{ type: 'Area', id: String(n % 10), entity: area(String(n % 10), { seatCount: I(n) }) }],
        [],
      );
    // Whatever the writer has done so far, this thread sees block 300.
    expect(w.head()?.number).toBe(300);
    for (let i = 0; i < 10; i++)
      expect(w.get('Area', String(i))?.get('seatCount')).toEqual(I(290 + (i || 10)));
    expect(r.head()).toBeNull(); // one long group, not committed yet
    w.flush();
    expect(r.head()?.number).toBe(300);
    expect(r.get('Area', '3')?.get('seatCount')).toEqual(I(293));
    r.close();
    w.close();
  });

  it('answers from what it handed over while the writer is stuck (here: another connection holds the lock)', () => {
    const path = newPath();
    const w = open(path, true);
    w.commitBlock(ptr(1), [{ type: 'Area', id: '1', entity: area('1') }], []);
    w.flush();
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE'); // the writer's next group waits (busy_timeout) until this ends
    for (let n = 2; n <= 40; n++)
      w.commitBlock(
        ptr(n),
        [
          { type: 'Area', id: '1', entity: area('1', { seatCount: I(n) }) },
          { type: 'Seat', id: `s${n}`, entity: seat(`s${n}`, '1') },
          ...(n > 2 ? [{ type: 'Seat', id: `s${n - 1}`, entity: null }] : []),
        ],
        [],
      );
    const ctl = (w as unknown as { ctl: Int32Array }).ctl;
    expect(Atomics.load(ctl, 0)).toBe(1); // COMMITTED: nothing after block 1 yet
    expect(w.head()?.number).toBe(40);
    expect(w.get('Area', '1')?.get('seatCount')).toEqual(I(40));
    expect(w.get('Seat', 's40')).not.toBeNull();
    expect(w.get('Seat', 's39')).toBeNull();
    other.exec('COMMIT');
    other.close();
    expect(w.getRelated('Seat', 'area', '1').map((e) => e.get('id'))).toEqual([S('s40')]);
    w.close();
  });

  it('commits groups on its own timer and forgets nothing it reads back from the file', async () => {
    const path = newPath();
    const w = open(path, true, 20);
    const r = SqliteStore.openReadonly(path, schema);
    for (let n = 1; n <= 50; n++) {
      w.commitBlock(ptr(n), [{ type: 'Area', id: 'a', entity: area('a', { seatCount: I(n) }) }], []);
      await new Promise((res) => setTimeout(res, 2));
      expect(w.get('Area', 'a')?.get('seatCount')).toEqual(I(n));
    }
    // No call from here on: the writer's own timer commits the last group.
    for (let i = 0; i < 250 && r.head()?.number !== 50; i++) await new Promise((res) => setTimeout(res, 20));
    expect(r.head()?.number).toBe(50);
    r.close();
    w.close();
  });

  it("surfaces the writer's SQLite error on the next call, back at what the file holds", () => {
    const path = newPath();
    const w = open(path, true);
    w.commitBlock(ptr(1), [{ type: 'Area', id: '1', entity: area('1') }], []);
    w.flush();
    // Another connection makes inserts of one name fail inside the writer (as a full disk would).
    const other = new Database(path);
    other.exec(`CREATE TRIGGER boom BEFORE INSERT ON "Area" WHEN NEW.name = 'Area boom'
                BEGIN SELECT RAISE(ABORT, 'boom'); END`);
    other.close();
    w.commitBlock(ptr(2), [{ type: 'Area', id: '2', entity: area('2') }], []);
    w.commitBlock(ptr(3), [{ type: 'Area', id: 'boom', entity: area('boom') }], []); // accepted here, fails there
    w.commitBlock(ptr(4), [{ type: 'Area', id: '4', entity: area('4') }], []); // skipped by the writer
    expect(w.get('Area', '4')).not.toBeNull();
    expect(() => w.flush()).toThrow(/boom/);
    // Back at the last block the writer kept, which the file holds.
    expect(w.head()?.number).toBe(2);
    expect(w.get('Area', '2')).not.toBeNull();
    expect(w.get('Area', 'boom')).toBeNull();
    expect(w.get('Area', '4')).toBeNull();
    w.commitBlock(ptr(3), [{ type: 'Area', id: '3', entity: area('3') }], []);
    w.close();
    const s = open(path, false);
    expect(s.head()?.number).toBe(3);
    expect(s.get('Area', '3')).not.toBeNull();
    s.close();
  });

  it('close() ends the writer thread and is idempotent', async () => {
    const w = open(newPath(), true);
    w.commitBlock(ptr(1), [{ type: 'Area', id: '1', entity: area('1') }], []);
    const worker = (w as unknown as { worker: Worker }).worker;
    const exited = new Promise<number>((res) => worker.once('exit', res));
    w.close();
    w.close();
    await exited;
    expect(() => w.commitBlock(ptr(2), [], [])).toThrow(/closed/);
  });

  it("refuses what the in-thread store refuses, at once, from another deployment's file too", () => {
    const path = newPath();
    const w = open(path, true);
    expect(() => w.commitBlock(ptr(1), [{ type: 'Nope', id: '1', entity: area('1') }], [])).toThrow();
    expect(() =>
      w.commitBlock(ptr(1), [{ type: 'Holder', id: 'zz', entity: holder('0x01', 1n) }], []),
    ).toThrow(/not a valid Bytes id/);
    expect(w.head()).toBeNull();
    w.close();
    expect(() =>
      SqliteStore.open(path, schema, { deployment: 'QmOther', groupCommitMs: 10, writerThread: true }),
    ).toThrow(/QmOther|deployment/);
  });
});

describe('row packing (rows cross to the writer thread packed)', () => {
  it('gives back every SQL value exactly', () => {
    const values: SqlValue[] = [
      null,
      0,
      -1.5,
      2 ** 53,
      NaN,
      -0,
      1n,
      -(2n ** 63n),
      2n ** 63n - 1n,
      2n ** 70n,
      -(2n ** 80n),
      '',
      'abc',
      'x'.repeat(200) + '\uD800é',
      '\uDC00',
      Buffer.from('0102ff', 'hex'),
      Buffer.alloc(0),
      'é'.repeat(70_000),
    ];
    const p = new RowPacker();
    for (const v of values) {
      p.u32(7);
      p.value(v);
    }
    const { data, length } = p.take();
    const u = new RowUnpacker(data, length);
    for (const v of values) {
      expect(u.u32()).toBe(7);
      const got = u.value();
      expect(Object.is(got, v) || (Buffer.isBuffer(v) && Buffer.isBuffer(got) && v.equals(got))).toBe(true);
    }
  });
});

describe('kill -9 with a writer thread', () => {
  /**
   * kill-writer.ts through a writer thread until it acknowledged `minAcks` blocks and the
   * file holds more than `before` (acknowledged blocks are durable once the writer commits
   * them), SIGKILLed after a random pause.
   */
  const runAndKill = (path: string, minAcks: number, before: number) =>
    killWriter([path, '10', 'thread'], minAcks, () => {
      const r = SqliteStore.openReadonly(path, schema);
      const h = r.head()?.number ?? 0;
      r.close();
      return h > before;
    });

  it('reopens at a block boundary, the state of an uninterrupted run', async () => {
    const path = newPath();
    let before = 0;
    for (let round = 0; round < 2; round++) {
      const acked = await runAndKill(path, 100, before);
      const s = SqliteStore.open(path, schema, { deployment: 'QmKill' });
      const h = s.head()!.number;
      expect(s.head()).toEqual(ptr(h));
      expect(h).toBeLessThanOrEqual(acked + 1);
      expect(h).toBeGreaterThan(before); // seen committed before the kill: still there
      const fresh = SqliteStore.open(':memory:', schema, { deployment: 'QmKill' });
      for (let n = 1; n <= h; n++) fresh.commitBlock(ptr(n), killOps(n), []);
      expect(s.get('Area', 'a')?.get('seatCount')).toEqual(I(h));
      expect(s.dataSources().map((d) => d.creationBlock)).toEqual(
        Array.from({ length: Math.floor(h / 10) }, (_, i) => (i + 1) * 10),
      );
      expect(s.digest()).toBe(fresh.digest());
      fresh.close();
      s.close();
      before = h;
    }
  });
});
