import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore, StoreWriteError } from '../../src/store/sqlite-store.js';
import { area, BI, entity, I, I8, L, plain, ptr, S, schema, seat, X } from './fixture.js';

let store: SqliteStore;
beforeEach(() => {
  store = SqliteStore.open(':memory:', schema, { deployment: 'QmTest' });
});
afterEach(() => store.close());

const versions = (type: string, id: string) =>
  store.db.prepare(`SELECT block_from, block_to FROM "${type}" WHERE id = ? ORDER BY block_from`).all(id) as {
    block_from: number;
    block_to: number | null;
  }[];

describe('versions and time travel', () => {
  it('keeps every version with its block range and answers getAt at any past block', () => {
    store.commitBlock(ptr(10), [{ type: 'Area', id: '1', entity: area('1', { seatCount: I(1) }) }], []);
    store.commitBlock(ptr(11), [], []);
    store.commitBlock(ptr(12), [{ type: 'Area', id: '1', entity: area('1', { seatCount: I(2) }) }], []);
    store.commitBlock(ptr(15), [{ type: 'Area', id: '1', entity: area('1', { seatCount: I(3) }) }], []);

    expect(versions('Area', '1')).toEqual([
      { block_from: 10, block_to: 12 },
      { block_from: 12, block_to: 15 },
      { block_from: 15, block_to: null },
    ]);
    expect(store.getAt('Area', '1', 9)).toBeNull();
    const count = (b: number) => store.getAt('Area', '1', b)?.get('seatCount');
    expect([10, 11, 12, 13, 14, 15, 100].map(count)).toEqual(
      [1, 1, 2, 2, 2, 3, 3].map((value) => ({ kind: 'Int', value })),
    );
    expect(plain(store.get('Area', '1'))).toEqual(plain(area('1', { seatCount: I(3) })));
    expect(store.head()).toEqual(ptr(15));
  });

  it('returns fields sorted by name and leaves null fields out', () => {
    store.commitBlock(ptr(1), [{ type: 'Area', id: '1', entity: area('1', { code: { kind: 'Null' } }) }], []);
    const e = store.get('Area', '1')!;
    const keys = [...e.keys()];
    expect(keys).toEqual([...keys].sort());
    expect(keys).toEqual(['active', 'areaId', 'dao', 'id', 'name', 'seatCount']);
  });

  it('writes nothing for an unchanged entity, so no new version appears', () => {
    store.commitBlock(ptr(1), [{ type: 'Area', id: '1', entity: area('1') }], []);
    store.commitBlock(ptr(2), [{ type: 'Area', id: '1', entity: area('1') }], []);
    expect(versions('Area', '1')).toEqual([{ block_from: 1, block_to: null }]);
  });

  it('replaces a version written earlier in the same block instead of leaving a zero-length range', () => {
    store.commitBlock(ptr(1), [{ type: 'Area', id: '1', entity: area('1', { seatCount: I(1) }) }], []);
    store.commitBlock(
      ptr(2),
      [
        { type: 'Area', id: '1', entity: area('1', { seatCount: I(2) }) },
        { type: 'Area', id: '1', entity: area('1', { seatCount: I(3) }) },
      ],
      [],
    );
    // The same block committed again (same hash) adds to it.
    store.commitBlock(ptr(2), [{ type: 'Area', id: '1', entity: area('1', { seatCount: I(4) }) }], []);
    expect(versions('Area', '1')).toEqual([
      { block_from: 1, block_to: 2 },
      { block_from: 2, block_to: null },
    ]);
    expect(store.getAt('Area', '1', 1)?.get('seatCount')).toEqual(I(1));
    expect(store.get('Area', '1')?.get('seatCount')).toEqual(I(4));
    expect(() => store.commitBlock(ptr(2, 'f'), [], [])).toThrow(/was committed as/);
    expect(() => store.commitBlock(ptr(1), [], [])).toThrow(/revert first/);
  });

  it('removes an entity by closing its version; it stays visible before the removal', () => {
    store.commitBlock(ptr(1), [{ type: 'Area', id: '1', entity: area('1') }], []);
    store.commitBlock(ptr(3), [{ type: 'Area', id: '1', entity: null }], []);
    expect(store.get('Area', '1')).toBeNull();
    expect(store.getAt('Area', '1', 2)).not.toBeNull();
    expect(store.getAt('Area', '1', 3)).toBeNull();
    // Re-created later: a new version, history intact.
    store.commitBlock(ptr(5), [{ type: 'Area', id: '1', entity: area('1', { name: S('Back') }) }], []);
    expect(versions('Area', '1')).toEqual([
      { block_from: 1, block_to: 3 },
      { block_from: 5, block_to: null },
    ]);
    expect(store.getAt('Area', '1', 4)).toBeNull();
    expect(store.get('Area', '1')?.get('name')).toEqual(S('Back'));
    // Removing something that does not exist is a no-op.
    store.commitBlock(ptr(6), [{ type: 'Area', id: 'nope', entity: null }], []);
    expect(store.head()?.number).toBe(6);
  });

  it('created and removed in the same block leaves no trace', () => {
    store.commitBlock(ptr(1), [{ type: 'Area', id: '1', entity: area('1') }], []);
    store.commitBlock(ptr(2), [{ type: 'Area', id: '1', entity: null }], []);
    store.commitBlock(ptr(2), [{ type: 'Area', id: '1', entity: area('1', { name: S('again') }) }], []);
    store.commitBlock(ptr(2), [{ type: 'Area', id: '1', entity: null }], []);
    expect(versions('Area', '1')).toEqual([{ block_from: 1, block_to: 2 }]);
    store.commitBlock(ptr(3), [{ type: 'Seat', id: 's', entity: seat('s', '1') }], []);
    store.commitBlock(ptr(3), [{ type: 'Seat', id: 's', entity: null }], []);
    expect(versions('Seat', 's')).toEqual([]);
  });
});

describe('immutable entities', () => {
  const vote = (w: bigint) => entity({ id: S('v1'), seat: S('s1'), weight: BI(w) });

  it('are stored once and never closed; an identical re-set is a no-op', () => {
    store.commitBlock(ptr(1), [{ type: 'Vote', id: 'v1', entity: vote(5n) }], []);
    store.commitBlock(ptr(2), [{ type: 'Vote', id: 'v1', entity: vote(5n) }], []);
    expect(versions('Vote', 'v1')).toEqual([{ block_from: 1, block_to: null }]);
    expect(store.getAt('Vote', 'v1', 1000)?.get('weight')).toEqual(BI(5n));
  });

  it('refuses a change or a removal after the block that wrote them, and leaves the store untouched', () => {
    store.commitBlock(ptr(1), [{ type: 'Vote', id: 'v1', entity: vote(5n) }], []);
    const other = { type: 'Area', id: '9', entity: area('9') };
    expect(() =>
      store.commitBlock(ptr(2), [other, { type: 'Vote', id: 'v1', entity: vote(6n) }], []),
    ).toThrow(StoreWriteError);
    expect(() => store.commitBlock(ptr(2), [{ type: 'Vote', id: 'v1', entity: null }], [])).toThrow(
      /immutable/,
    );
    // The failed block was rolled back as a whole.
    expect(store.get('Area', '9')).toBeNull();
    expect(store.head()?.number).toBe(1);
    expect(store.get('Vote', 'v1')?.get('weight')).toEqual(BI(5n));
  });

  it('may still change within the block that creates them', () => {
    store.commitBlock(ptr(1), [{ type: 'Vote', id: 'v1', entity: vote(5n) }], []);
    store.commitBlock(ptr(1), [{ type: 'Vote', id: 'v1', entity: vote(7n) }], []);
    expect(store.get('Vote', 'v1')?.get('weight')).toEqual(BI(7n));
    expect(versions('Vote', 'v1')).toHaveLength(1);
  });
});

describe('lookups', () => {
  it('getRelated finds current entities by reference, and by membership in a list', () => {
    const h1 = '0xaa01';
    const h2 = '0xaa02';
    store.commitBlock(
      ptr(1),
      [
        { type: 'Area', id: '1', entity: area('1') },
        { type: 'Area', id: '2', entity: area('2') },
        { type: 'Seat', id: '1-b', entity: seat('1-b', '1', 'TRANSMISSION', [h1, h2]) },
        { type: 'Seat', id: '1-a', entity: seat('1-a', '1', 'GENERATION', [h2]) },
        { type: 'Seat', id: '2-a', entity: seat('2-a', '2', 'GENERATION', [h1]) },
        { type: 'Holder', id: h1, entity: entity({ id: X(h1), name: S('one'), balance: BI(1n) }) },
      ],
      [],
    );
    const ids = (es: ReturnType<SqliteStore['getRelated']>) =>
      es.map((e) => (e.get('id') as { value: string }).value);
    expect(ids(store.getRelated('Seat', 'area', '1'))).toEqual(['1-a', '1-b']);
    expect(ids(store.getRelated('Seat', 'holders', h1))).toEqual(['1-b', '2-a']);
    expect(ids(store.getRelated('Seat', 'holders', '0xAA02'))).toEqual(['1-a', '1-b']);
    // Only current versions count.
    store.commitBlock(
      ptr(2),
      [{ type: 'Seat', id: '1-b', entity: seat('1-b', '2', 'TRANSMISSION', []) }],
      [],
    );
    expect(ids(store.getRelated('Seat', 'area', '1'))).toEqual(['1-a']);
    expect(ids(store.getRelated('Seat', 'holders', h1))).toEqual(['2-a']);
    // Bytes ids are given as 0x hex.
    expect(plain(store.get('Holder', '0xAA01'))).toEqual({
      balance: { BigInt: 1n },
      id: { Bytes: h1 },
      name: { String: 'one' },
    });
    // Interfaces resolve through their implementers.
    expect(store.get('Named', h1)?.get('name')).toEqual(S('one'));
    expect(store.get('Named', '2')?.get('name')).toEqual(S('Area 2'));
  });

  it('Int8 ids', () => {
    const big = 2n ** 62n + 1n;
    store.commitBlock(
      ptr(1),
      [{ type: 'Tick', id: big.toString(), entity: entity({ id: I8(big), value: I(1) }) }],
      [],
    );
    expect(store.get('Tick', big.toString())?.get('id')).toEqual(I8(big));
    expect(store.get('Tick', (big - 1n).toString())).toBeNull();
  });

  it('unknown types, unknown fields and derived fields are clear errors', () => {
    expect(() => store.get('Nope', '1')).toThrow(/Entity type `Nope` is not defined/);
    expect(() => store.commitBlock(ptr(1), [{ type: 'Nope', id: '1', entity: area('1') }], [])).toThrow(
      /Nope/,
    );
    expect(() =>
      store.commitBlock(ptr(1), [{ type: 'Area', id: '1', entity: area('1', { colour: S('green') }) }], []),
    ).toThrow(/no field `colour`/);
    expect(() =>
      store.commitBlock(ptr(1), [{ type: 'Area', id: '1', entity: area('1', { seats: L(S('x')) }) }], []),
    ).toThrow(/derived/);
    expect(() => store.getRelated('Area', 'seats', '1')).toThrow(/no stored field/);
    expect(() => store.get('Holder', 'not-hex')).toThrow(/Bytes id/);
    expect(store.head()).toBeNull();
  });
});
