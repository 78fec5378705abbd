import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { area, BI, entity, I, ptr, S, schema, tempDir } from './fixture.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
let fileNo = 0;
const newPath = () => join(tmp.dir, `group-${++fileNo}.db`);

describe('group commit', () => {
  it('other connections see a group only once it is flushed, by flush() or by its timer', async () => {
    const path = newPath();
    const w = SqliteStore.open(path, schema, { deployment: 'QmG', groupCommitMs: 300 });
    const r = SqliteStore.openReadonly(path, schema);
    w.commitBlock(ptr(1), [{ type: 'Area', id: '1', entity: area('1') }], []);
    w.commitBlock(ptr(2), [{ type: 'Area', id: '1', entity: area('1', { seatCount: I(2) }) }], []);
    // The writer sees its own blocks at once.
    expect(w.head()?.number).toBe(2);
    expect(w.get('Area', '1')?.get('seatCount')).toEqual(I(2));
    expect(r.head()).toBeNull();
    expect(r.get('Area', '1')).toBeNull();
    w.flush();
    expect(r.head()).toEqual(ptr(2));
    expect(r.getAt('Area', '1', 1)?.get('seatCount')).toEqual(I(5));

    w.commitBlock(ptr(3), [{ type: 'Area', id: '1', entity: area('1', { seatCount: I(3) }) }], []);
    expect(r.head()?.number).toBe(2);
    await sleep(600); // the group's timer commits it
    expect(r.head()?.number).toBe(3);
    expect(r.metadata()).toEqual(w.metadata());
    r.close();
    w.close();
  });

  it('a failed block rolls back alone; the blocks before it in the group stay', () => {
    const path = newPath();
    const w = SqliteStore.open(path, schema, { deployment: 'QmG', groupCommitMs: 60_000 });
    const vote = (weight: bigint) => entity({ id: S('v'), seat: S('s'), weight: BI(weight) });
    w.commitBlock(ptr(1), [{ type: 'Vote', id: 'v', entity: vote(1n) }], []);
    w.commitBlock(ptr(2), [{ type: 'Area', id: '1', entity: area('1') }], []);
    expect(() =>
      w.commitBlock(
        ptr(3),
        [
          { type: 'Area', id: '2', entity: area('2') },
          { type: 'Vote', id: 'v', entity: vote(2n) },
        ],
        [],
      ),
    ).toThrow(/immutable/);
    expect(w.head()?.number).toBe(2);
    expect(w.get('Area', '2')).toBeNull();
    w.commitBlock(ptr(3), [{ type: 'Area', id: '3', entity: area('3') }], []);
    w.revertTo(2);
    w.commitBlock(ptr(3, 'f'), [], []);
    w.close(); // flushes

    const r = SqliteStore.open(path, schema, { deployment: 'QmG' });
    expect(r.head()).toEqual(ptr(3, 'f'));
    expect(r.get('Area', '1')).not.toBeNull();
    expect(r.get('Area', '2')).toBeNull();
    expect(r.get('Area', '3')).toBeNull();
    expect(r.get('Vote', 'v')?.get('weight')).toEqual(BI(1n));
    r.close();
  });

  it('a synchronous loop that never yields still commits about every groupCommitMs', () => {
    const path = newPath();
    const w = SqliteStore.open(path, schema, { deployment: 'QmG', groupCommitMs: 20 });
    const r = SqliteStore.openReadonly(path, schema);
    const start = performance.now();
    let n = 0;
    while (performance.now() - start < 150)
      w.commitBlock(ptr(++n), [{ type: 'Area', id: '1', entity: area('1', { seatCount: I(n) }) }], []);
    // No timer could run, yet the group was committed along the way.
    const seen = r.head()?.number ?? 0;
    expect(seen).toBeGreaterThan(0);
    expect(seen).toBeLessThanOrEqual(n);
    expect(r.get('Area', '1')?.get('seatCount')).toEqual(I(seen));
    r.close();
    w.close();
  });
});
