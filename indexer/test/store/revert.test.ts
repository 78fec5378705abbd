import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BLOCK_RETENTION, SqliteStore } from '../../src/store/sqlite-store.js';
import type { EntityOp } from '../../src/store/types.js';
import { area, entity, BI, I, plain, ptr, S, schema, seat } from './fixture.js';

let store: SqliteStore;
beforeEach(() => {
  store = SqliteStore.open(':memory:', schema, { deployment: 'QmRevert' });
});
afterEach(() => store.close());

/**
 * Block n: Area "a" gets seatCount n; Seat "s<n>" is created; Seat "s<n-2>" is
 * removed; an immutable Vote "v<n>"; every 3rd block a data source; block 7 an error.
 */
function opsFor(n: number): EntityOp[] {
  const ops: EntityOp[] = [
    { type: 'Area', id: 'a', entity: area('a', { seatCount: I(n) }) },
    { type: 'Seat', id: `s${n}`, entity: seat(`s${n}`, 'a') },
    {
      type: 'Vote',
      id: `v${n}`,
      entity: entity({ id: S(`v${n}`), seat: S(`s${n}`), weight: BI(BigInt(n)) }),
    },
  ];
  if (n > 2) ops.push({ type: 'Seat', id: `s${n - 2}`, entity: null });
  return ops;
}

function run(from: number, to: number) {
  for (let n = from; n <= to; n++)
    store.commitBlock(
      ptr(n),
      opsFor(n),
      n % 3 === 0
        ? [
            {
              template: 'AreaDAO',
              address: `0x${n.toString(16).padStart(40, '0')}`,
              context: null,
              creationBlock: n,
            },
          ]
        : [],
      n === 7
        ? { message: 'boom', handler: 'handleX', blockNumber: 7, blockHash: ptr(7).hash, deterministic: true }
        : undefined,
    );
}

/** Everything observable about the store, for comparing a reverted store with a fresh one. */
function snapshot(s: SqliteStore) {
  const rows: Record<string, unknown[]> = {};
  for (const t of ['Area', 'Seat', 'Vote'])
    rows[t] = s.db
      .prepare(`SELECT * FROM "${t}" ORDER BY id, block_from`)
      .all()
      .map((r) => {
        const row = { ...(r as Record<string, unknown>) };
        delete row.vid; // insertion order differs between the two histories
        return row;
      });
  return {
    rows,
    head: s.head(),
    dataSources: s.dataSources(),
    errors: s.indexingErrors(),
    meta: s.metadata(),
    digest: s.digest(),
  };
}

describe('revertTo', () => {
  for (const depth of [1, 2, 5, 9]) {
    it(`at depth ${depth} leaves exactly the state of a store that never saw the reverted blocks`, () => {
      run(1, 10);
      const target = 10 - depth;
      store.revertTo(target);

      const fresh = SqliteStore.open(':memory:', schema, { deployment: 'QmRevert' });
      const saved = store;
      store = fresh;
      run(1, target);
      const expected = snapshot(fresh);
      store = saved;
      fresh.close();

      expect(snapshot(store)).toEqual(expected);
      expect(store.head()).toEqual(ptr(target));
      expect(store.get('Area', 'a')?.get('seatCount')).toEqual(I(target));
      expect(store.get('Vote', `v${target + 1}`)).toBeNull();
      expect(store.hasIndexingErrors()).toBe(target >= 7);
      expect(store.dataSources().map((d) => d.creationBlock)).toEqual([3, 6, 9].filter((b) => b <= target));
      expect(store.blockPtr(target + 1)).toBeNull();
    });
  }

  it('then follows a fork: the new blocks replace the old ones', () => {
    run(1, 10);
    store.revertTo(8);
    store.commitBlock(
      ptr(9, 'f'),
      [{ type: 'Area', id: 'a', entity: area('a', { seatCount: I(8), name: S('fork') }) }],
      [],
    );
    expect(store.head()).toEqual(ptr(9, 'f'));
    expect(store.blockByHash(ptr(9, 'f').hash)?.number).toBe(9);
    expect(store.blockByHash(ptr(9).hash)).toBeNull();
    expect(plain(store.get('Area', 'a'))).toEqual(plain(area('a', { seatCount: I(8), name: S('fork') })));
    expect(store.getAt('Area', 'a', 8)?.get('name')).toEqual(S('Area a'));
    // Seat s7 was removed at block 9 on the old branch only.
    expect(store.get('Seat', 's7')).not.toBeNull();
  });

  it('to before the first block empties the store; past the head is a no-op', () => {
    run(5, 8);
    store.revertTo(20);
    expect(store.head()?.number).toBe(8);
    store.revertTo(4);
    expect(store.head()).toBeNull();
    expect(store.get('Area', 'a')).toBeNull();
    expect(store.metadata().earliestBlock).toBeNull();
    expect(store.dataSources()).toEqual([]);
    run(1, 2);
    expect(store.metadata().earliestBlock).toBe(1);
  });

  it('clears a fatal error recorded after the target block', () => {
    run(1, 5);
    const err = {
      message: 'handler trapped',
      handler: 'handleVote',
      blockNumber: 6,
      blockHash: ptr(6).hash,
      deterministic: true,
    };
    store.fail(err);
    expect(store.metadata()).toMatchObject({ fatalError: err, head: ptr(5), hasIndexingErrors: false });
    store.revertTo(4);
    expect(store.fatalError()).toBeNull();
    store.fail({ ...err, blockNumber: 5, deterministic: false });
    store.commitBlock(ptr(5), opsFor(5), []); // retried and got through
    expect(store.fatalError()).toBeNull();
  });
});

describe('block pointer retention', () => {
  it('keeps blocks with changes forever and unchanged blocks only near the head', () => {
    const last = BLOCK_RETENTION + 500;
    for (let n = 1; n <= last; n++)
      store.commitBlock(
        ptr(n),
        n % 100 === 0 ? [{ type: 'Area', id: 'a', entity: area('a', { seatCount: I(n) }) }] : [],
        [],
      );
    expect(store.blockPtr(100)).toEqual(ptr(100));
    expect(store.blockPtr(101)).toBeNull(); // unchanged and older than the retention window
    expect(store.blockPtr(last - BLOCK_RETENTION + 1)).toEqual(ptr(last - BLOCK_RETENTION + 1));
    expect(store.blockPtr(last - 1)).toEqual(ptr(last - 1));
    const count = store.db.prepare('SELECT count(*) AS n FROM __blocks').get() as { n: number };
    expect(count.n).toBe(BLOCK_RETENTION + Math.floor((last - BLOCK_RETENTION) / 100));
    // A deep revert to a retained block with changes works; to a dropped one it is refused.
    expect(() => store.revertTo(101)).toThrow(/no longer retained/);
    store.revertTo(300);
    expect(store.head()).toEqual(ptr(300));
    expect(store.get('Area', 'a')?.get('seatCount')).toEqual(I(300));
  });
});
