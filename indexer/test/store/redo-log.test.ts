// Group commit undoes a failed block by rolling the group back and redoing the
// blocks before it (src/store/redo-log.ts): the result must be exactly what a
// store that never saw the failed block holds, rowids included.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import type { EntityOp } from '../../src/store/types.js';
import { area, BI, entity, historyDigest, I, ptr, S, schema, seat, tempDir } from './fixture.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
let fileNo = 0;
const newPath = () => join(tmp.dir, `redo-${++fileNo}.db`);
const open: SqliteStore[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});
const group = () => (
  open.push(
    SqliteStore.open(newPath(), schema, { deployment: 'QmR', groupCommitMs: 60_000, deferIndexes: true }),
  ),
  open.at(-1)!
);

const vote = (w: bigint) => entity({ id: S('v'), seat: S('s'), weight: BI(w) });
/** Blocks 1..3, then block 4 writes several things and then changes an immutable Vote. */
const good: [number, EntityOp[]][] = [
  [
    1,
    [
      { type: 'Area', id: '1', entity: area('1') },
      { type: 'Vote', id: 'v', entity: vote(1n) },
    ],
  ],
  [
    2,
    [
      { type: 'Area', id: '1', entity: area('1', { seatCount: I(2) }) },
      { type: 'Seat', id: 's', entity: seat('s', '1') },
    ],
  ],
  [
    3,
    [
      { type: 'Seat', id: 's', entity: null },
      { type: 'Area', id: '2', entity: area('2') },
    ],
  ],
];
const bad: EntityOp[] = [
  { type: 'Area', id: '1', entity: area('1', { seatCount: I(4) }) },
  { type: 'Area', id: '3', entity: area('3') },
  { type: 'Vote', id: 'v', entity: vote(2n) },
];
const vids = (s: SqliteStore) =>
  s.db.prepare(`SELECT vid, id, block_from, block_to FROM "Area" ORDER BY vid`).all();

describe('a failed block inside a group', () => {
  it('leaves exactly the blocks before it, as if it had never been tried', () => {
    const tried = group();
    const never = group();
    for (const [n, ops] of good) {
      tried.commitBlock(ptr(n), ops, []);
      never.commitBlock(ptr(n), ops, []);
    }
    expect(() => tried.commitBlock(ptr(4), bad, [])).toThrow(/immutable/);
    expect(tried.head()).toEqual(ptr(3));
    expect(tried.get('Area', '3')).toBeNull();
    expect(tried.get('Area', '1')?.get('seatCount')).toEqual(I(2));
    // Both go on alike, and their files agree to the row ids.
    for (const s of [tried, never])
      s.commitBlock(ptr(4), [{ type: 'Area', id: '1', entity: area('1', { seatCount: I(7) }) }], []);
    expect(vids(tried)).toEqual(vids(never));
    expect(historyDigest(tried.db)).toEqual(historyDigest(never.db));
    expect(tried.digest()).toEqual(never.digest());
    tried.flush();
    expect(historyDigest(tried.db)).toEqual(historyDigest(never.db));
  });

  it('that is the group’s first ends the group; the next block starts a new one', () => {
    const s = group();
    s.commitBlock(ptr(1), good[0][1], []);
    s.flush();
    expect(() => s.commitBlock(ptr(2), bad, [])).toThrow(/immutable/);
    expect(s.db.inTransaction).toBe(false);
    expect(s.head()).toEqual(ptr(1));
    s.commitBlock(ptr(2), good[1][1], []);
    expect(s.db.inTransaction).toBe(true);
    s.close();
    const r = SqliteStore.open(s.db.name, schema, { deployment: 'QmR' });
    open.push(r);
    expect(r.head()).toEqual(ptr(2));
    expect(r.get('Seat', 's')).not.toBeNull();
  });

  it('forgets an index that only the rolled back group had, and makes it again on use', () => {
    const s = group();
    s.commitBlock(ptr(1), good[0][1], []);
    s.commitBlock(ptr(2), good[1][1], []);
    expect(s.getRelated('Seat', 'area', '1')).toHaveLength(1); // creates Seat_area_id inside the group
    expect(() => s.commitBlock(ptr(3), bad, [])).toThrow(/immutable/);
    const has = () =>
      s.db.prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = 'Seat_area_id'`).get() !==
      undefined;
    expect(has()).toBe(false);
    expect(s.getRelated('Seat', 'area', '1')).toHaveLength(1);
    expect(has()).toBe(true);
    expect(s.ensureIndexes()).toBeGreaterThan(0);
    expect(s.hasAllIndexes()).toBe(true);
  });
});
