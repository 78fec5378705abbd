// The fast write path (versions.ts: remembered current versions; ddl.ts:
// deferred per-field indexes; group commit) must store exactly what the plain
// one did: same digests, same version histories, whatever the options.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { parseSchema } from '../../src/schema/model.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { CURRENT_CACHE_SIZE } from '../../src/store/versions.js';
import {
  area,
  BI,
  entity,
  historyDigest,
  I,
  play,
  ptr,
  richScript,
  S,
  schema,
  seat,
  tempDir,
} from './fixture.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
let fileNo = 0;
const newPath = () => join(tmp.dir, `write-${++fileNo}.db`);
const open: SqliteStore[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});
const track = (s: SqliteStore) => (open.push(s), s);

/**
 * richScript() as the store wrote it before remembered versions and deferred
 * indexes existed (src/store as of git f0450b2): the digest at the head, a
 * hash of the digests at every block, and the full version history.
 */
const GOLDEN = {
  digest: '0x4971c5e8cd6bd5a754ca0674cbf3ca34f6c69b1520feba455a24c68faa9f6741',
  perBlock: 'e032a031a0c2cd7795e29e6bb3f013b01ae58365446f26edf298901dd0938a2e',
  history: '4733210f27a80ec23cee9554a5cf58cf42c3f83fed458c1540f8edc3cdfd2b8c',
};

function fingerprints(s: SqliteStore) {
  const head = s.head()!.number;
  const per = Array.from({ length: head }, (_, i) => s.digest(i + 1));
  return {
    digest: s.digest(),
    perBlock: createHash('sha256').update(per.join(',')).digest('hex'),
    history: historyDigest(s.db),
  };
}

const indexNames = (s: SqliteStore) =>
  s.db
    .prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name`)
    .all() as { name: string; sql: string }[];

describe('the write path', () => {
  const configs: [string, () => SqliteStore][] = [
    ['in memory, per-block commits', () => SqliteStore.open(':memory:', schema, { deployment: 'QmGolden' })],
    [
      'on a file, group commit, deferred indexes built half-way',
      () =>
        SqliteStore.open(newPath(), schema, {
          deployment: 'QmGolden',
          groupCommitMs: 60_000,
          deferIndexes: true,
        }),
    ],
    [
      'on a file, per-block commits, deferred indexes built half-way',
      () => SqliteStore.open(newPath(), schema, { deployment: 'QmGolden', deferIndexes: true }),
    ],
  ];
  for (const [what, make] of configs)
    it(`stores exactly what it stored before (${what})`, () => {
      const s = track(make());
      const steps = richScript();
      play(s, steps.slice(0, 30));
      s.ensureIndexes();
      play(s, steps.slice(30));
      expect(s.head()?.number).toBe(40);
      expect(fingerprints(s)).toEqual(GOLDEN);
    });

  it('forgets what a failed block wrote: the same changes committed again are written', () => {
    const s = track(SqliteStore.open(':memory:', schema, { deployment: 'QmW' }));
    const vote = (w: bigint) => entity({ id: S('v'), seat: S('s'), weight: BI(w) });
    s.commitBlock(
      ptr(1),
      [
        { type: 'Area', id: '1', entity: area('1') },
        { type: 'Vote', id: 'v', entity: vote(1n) },
      ],
      [],
    );
    const two = area('1', { seatCount: I(2) });
    expect(() =>
      s.commitBlock(
        ptr(2),
        [
          { type: 'Area', id: '1', entity: two },
          { type: 'Vote', id: 'v', entity: vote(2n) },
        ],
        [],
      ),
    ).toThrow(/immutable/);
    expect(s.get('Area', '1')?.get('seatCount')).toEqual(I(5));
    // Had the store kept believing its failed write, it would see no change here (or
    // "replace" a row that was rolled back) and lose the update.
    s.commitBlock(ptr(2), [{ type: 'Area', id: '1', entity: two }], []);
    expect(s.get('Area', '1')?.get('seatCount')).toEqual(I(2));
    expect(s.getAt('Area', '1', 1)?.get('seatCount')).toEqual(I(5));
  });

  it('forgets what a revert undid: the reverted changes committed again are written', () => {
    const s = track(SqliteStore.open(':memory:', schema, { deployment: 'QmW' }));
    s.commitBlock(ptr(1), [{ type: 'Area', id: '1', entity: area('1') }], []);
    s.commitBlock(ptr(2), [{ type: 'Area', id: '1', entity: area('1', { seatCount: I(2) }) }], []);
    s.commitBlock(ptr(3), [{ type: 'Seat', id: 's', entity: seat('s', '1') }], []);
    s.revertTo(1);
    s.commitBlock(ptr(2, 'f'), [{ type: 'Area', id: '1', entity: area('1', { seatCount: I(2) }) }], []);
    s.commitBlock(ptr(3, 'f'), [{ type: 'Seat', id: 's', entity: seat('s', '1') }], []);
    expect(s.get('Area', '1')?.get('seatCount')).toEqual(I(2));
    expect(s.getAt('Area', '1', 1)?.get('seatCount')).toEqual(I(5));
    expect(s.get('Seat', 's')).not.toBeNull();
    const rows = s.db.prepare(`SELECT block_from, block_to FROM "Area" ORDER BY block_from`).all();
    expect(rows).toEqual([
      { block_from: 1, block_to: 2 },
      { block_from: 2, block_to: null },
    ]);
  });

  it('entities it no longer remembers are read back, not duplicated', () => {
    const s = track(SqliteStore.open(':memory:', schema, { deployment: 'QmW' }));
    const n = CURRENT_CACHE_SIZE + 50;
    s.commitBlock(
      ptr(1),
      Array.from({ length: n }, (_, i) => ({ type: 'Seat', id: `s${i}`, entity: seat(`s${i}`, '1') })),
      [],
    );
    // s0 .. s49 were dropped from memory: updating, re-saving unchanged and removing them
    // must still close the right versions.
    s.commitBlock(
      ptr(2),
      [
        { type: 'Seat', id: 's0', entity: seat('s0', '2') },
        { type: 'Seat', id: 's1', entity: seat('s1', '1') },
        { type: 'Seat', id: 's2', entity: null },
        { type: 'Seat', id: `s${n - 1}`, entity: seat(`s${n - 1}`, '2') },
      ],
      [],
    );
    const q = (sql: string) => s.db.prepare(sql).pluck().get();
    expect(q(`SELECT count(*) FROM "Seat"`)).toBe(n + 2);
    expect(q(`SELECT count(*) FROM "Seat" WHERE block_to IS NULL`)).toBe(n - 1);
    expect(s.get('Seat', 's0')?.get('area')).toEqual(S('2'));
    expect(s.getAt('Seat', 's0', 1)?.get('area')).toEqual(S('1'));
    expect(s.get('Seat', 's2')).toBeNull();
    expect(q(`SELECT count(*) FROM "Seat" WHERE id = 's1'`)).toBe(1);
  });
});

describe('deferred indexes', () => {
  it('are left out until ensureIndexes(), which builds exactly the eager set, once', () => {
    const eager = track(SqliteStore.open(newPath(), schema, { deployment: 'QmI' }));
    const path = newPath();
    const s = track(SqliteStore.open(path, schema, { deployment: 'QmI', deferIndexes: true }));
    expect(eager.hasAllIndexes()).toBe(true);
    expect(s.hasAllIndexes()).toBe(false);
    const names = indexNames(s).map((i) => i.name);
    // What writes, reads by id, time travel and revert need is there from the start.
    expect(names).toEqual(expect.arrayContaining(['Area_id_block_from', 'Area_block_from', 'Area_block_to']));
    expect(names).not.toContain('Area_seatCount');
    expect(names).not.toContain('Seat_area_id');

    play(s, richScript().slice(0, 10));
    const before = fingerprints(s);
    const plan = (sql: string) =>
      (s.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[])
        .map((r) => r.detail)
        .join('; ');
    const filter = `SELECT id FROM "Area" WHERE "seatCount" = 2 AND block_to IS NULL`;
    expect(plan(filter)).toMatch(/SCAN "?Area"?/);
    const rowsBefore = s.db.prepare(filter).pluck().all();

    expect(s.ensureIndexes()).toBeGreaterThan(0);
    expect(s.ensureIndexes()).toBe(0);
    expect(s.hasAllIndexes()).toBe(true);
    expect(indexNames(s)).toEqual(indexNames(eager).map((i) => ({ ...i, sql: expect.any(String) })));
    expect(indexNames(s).map((i) => i.sql.replace(' IF NOT EXISTS', ''))).toEqual(
      indexNames(eager).map((i) => i.sql.replace(' IF NOT EXISTS', '')),
    );
    expect(plan(filter)).toMatch(/USING INDEX "?Area_seatCount"?/);
    expect(s.db.prepare(filter).pluck().all()).toEqual(rowsBefore);
    expect(fingerprints(s)).toEqual(before);
    s.close();

    // Reopening without deferral completes a file that deferred; reopening with it keeps what exists.
    const half = newPath();
    SqliteStore.open(half, schema, { deployment: 'QmI', deferIndexes: true }).close();
    const r = track(SqliteStore.open(half, schema, { deployment: 'QmI' }));
    expect(r.hasAllIndexes()).toBe(true);
    r.close();
    const again = track(SqliteStore.open(half, schema, { deployment: 'QmI', deferIndexes: true }));
    expect(again.hasAllIndexes()).toBe(true);
  });

  it('store.loadRelated builds the index of the reference it reads, at its first call', () => {
    const s = track(
      SqliteStore.open(':memory:', schema, { deployment: 'QmI', deferIndexes: true, groupCommitMs: 60_000 }),
    );
    s.commitBlock(
      ptr(1),
      [
        { type: 'Seat', id: 'a', entity: seat('a', '1') },
        { type: 'Seat', id: 'b', entity: seat('b', '2') },
        { type: 'Seat', id: 'c', entity: seat('c', '1') },
      ],
      [],
    );
    expect(indexNames(s).map((i) => i.name)).not.toContain('Seat_area_id');
    expect(s.getRelated('Seat', 'area', '1').map((e) => e.get('id'))).toEqual([S('a'), S('c')]);
    expect(indexNames(s).map((i) => i.name)).toContain('Seat_area_id');
    expect(s.hasAllIndexes()).toBe(false); // only that one
    expect(s.getRelated('Seat', 'holders', '0x01')).toEqual([]); // lists have no index: nothing to build
    s.flush();
    expect(indexNames(s).map((i) => i.name)).toContain('Seat_area_id');
  });

  it('an index name that would collide with another gets a suffix', () => {
    const odd = parseSchema(`
      type Thing @entity { id: ID!, id_block_from: Int!, ref: Other, ref_id: String }
      type Other @entity { id: ID! }
    `);
    const s = track(SqliteStore.open(':memory:', odd, { deployment: 'QmI' }));
    const names = indexNames(s).map((i) => i.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'Thing_id_block_from',
        'Thing_id_block_from_2',
        'Thing_ref_id',
        'Thing_ref_id_2',
      ]),
    );
    s.commitBlock(
      ptr(1),
      [{ type: 'Thing', id: 't', entity: entity({ id: S('t'), id_block_from: I(1), ref_id: S('x') }) }],
      [],
    );
    expect(s.get('Thing', 't')?.get('ref_id')).toEqual(S('x'));
  });
});

describe('group commit', () => {
  it('ensureIndexes and revertTo make the pending group durable and visible', () => {
    const path = newPath();
    const w = track(
      SqliteStore.open(path, schema, { deployment: 'QmG', groupCommitMs: 60_000, deferIndexes: true }),
    );
    const r = SqliteStore.openReadonly(path, schema);
    try {
      for (let n = 1; n <= 5; n++)
        w.commitBlock(ptr(n), [{ type: 'Area', id: '1', entity: area('1', { seatCount: I(n) }) }], []);
      expect(r.head()).toBeNull();
      w.ensureIndexes();
      expect(r.head()).toEqual(ptr(5));

      for (let n = 6; n <= 8; n++)
        w.commitBlock(ptr(n), [{ type: 'Area', id: '1', entity: area('1', { seatCount: I(n) }) }], []);
      expect(r.head()).toEqual(ptr(5)); // 6..8 pending
      w.revertTo(6);
      // The reader goes from block 5 straight to the reverted state: never sees 7 and 8.
      expect(r.head()).toEqual(ptr(6));
      expect(r.get('Area', '1')?.get('seatCount')).toEqual(I(6));
      expect(w.head()).toEqual(ptr(6));

      // The writer's own head follows every block at once, committed or pending.
      w.commitBlock(ptr(7, 'f'), [], []);
      expect(w.head()).toEqual(ptr(7, 'f'));
      expect(r.head()).toEqual(ptr(6));
      w.close();
      expect(r.head()).toEqual(ptr(7, 'f'));
    } finally {
      r.close();
    }
  });
});

describe('id filter (new entities are looked up without SQL)', () => {
  it('answers existing, new, removed, reverted and re-created ids like SQLite, also after reopening', () => {
    const path = newPath();
    const w = track(SqliteStore.open(path, schema, { deployment: 'QmIds', groupCommitMs: 50 }));
    // Looked up before anything exists (the filter is built empty), then created.
    expect(w.get('Area', 'a1')).toBeNull();
    w.commitBlock(ptr(1), [{ type: 'Area', id: 'a1', entity: area('a1') }], []);
    expect(w.get('Area', 'a1')!.get('name')).toEqual(S('Area a1'));
    expect(w.get('Area', 'a2')).toBeNull();
    w.commitBlock(ptr(2), [{ type: 'Area', id: 'a2', entity: area('a2') }], []);
    w.commitBlock(ptr(3), [{ type: 'Area', id: 'a1', entity: null }], []);
    expect(w.get('Area', 'a1')).toBeNull();
    expect(w.get('Area', 'a2')!.get('name')).toEqual(S('Area a2'));
    w.revertTo(1); // a2 never existed, a1 exists again
    expect(w.get('Area', 'a2')).toBeNull();
    expect(w.get('Area', 'a1')!.get('name')).toEqual(S('Area a1'));
    w.commitBlock(ptr(2, 'x'), [{ type: 'Area', id: 'a2', entity: area('a2', { name: S('again') }) }], []);
    expect(w.get('Area', 'a2')!.get('name')).toEqual(S('again'));
    w.close();
    open.length = 0;
    // A new writer builds its filter from the file.
    const again = track(SqliteStore.open(path, schema, { deployment: 'QmIds', groupCommitMs: 50 }));
    expect(again.get('Area', 'a1')!.get('name')).toEqual(S('Area a1'));
    expect(again.get('Area', 'a2')!.get('name')).toEqual(S('again'));
    expect(again.get('Area', 'a3')).toBeNull();
  });
});
