import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { SqliteStore, type StoreReader } from '../../src/store/sqlite-store.js';
import type { Entity, Value } from '../../src/schema/values.js';
import { area, B, BD, BI, entity, I, I8, L, NULL, plain, ptr, S, schema, tempDir, TS, X } from './fixture.js';

// Round-trips go through a file and a second, read-only connection, so nothing
// can come back from an in-process cache: what is read was decoded from SQLite.
const tmp = tempDir();
let writer: SqliteStore;
let reader: StoreReader;
beforeAll(() => {
  const path = join(tmp.dir, 'values.db');
  writer = SqliteStore.open(path, schema, { deployment: 'QmValues' });
  writer.commitBlock(ptr(0), [], []);
  reader = SqliteStore.openReadonly(path, schema);
});
afterAll(() => {
  reader.close();
  writer.close();
  tmp.cleanup();
});

let block = 0;
function roundTrip(e: Entity, type = 'Area'): Entity | null {
  const id = (e.get('id') as { value: unknown }).value;
  const idStr = id instanceof Uint8Array ? '0x' + Buffer.from(id).toString('hex') : String(id);
  writer.commitBlock(ptr(++block), [{ type, id: idStr, entity: e }], []);
  return reader.get(type, idStr);
}

const withoutNulls = (e: Entity): Entity => new Map([...e].filter(([, v]) => v.kind !== 'Null'));

describe('value round-trips', () => {
  const cases: [string, Record<string, Value>][] = [
    [
      'BigInt zero, negatives and huge',
      { areaId: BI(0n), amounts: L(BI(-1n), BI(-(10n ** 80n) - 7n), BI(2n ** 256n), BI(0n)) },
    ],
    ['negative BigInt field', { areaId: BI(-(2n ** 255n)) }],
    ['huge BigInt field', { areaId: BI(3n ** 400n) }],
    [
      'BigDecimal',
      { price: BD(-123456789n, -4), prices: L(BD(1n, 30), BD(-15n, -1), BD(0n, 0), BD(5n, -40)) },
    ],
    ['Bytes, empty Bytes and Bytes lists', { dao: X(''), accounts: L(X('0x00ff'), X('0xdeadbeef'), X('')) }],
    ['Int bounds', { seatCount: I(-2147483648) }],
    ['Int max', { seatCount: I(2147483647) }],
    ['Int8 beyond 2^53', { big: I8(-(2n ** 63n)), bigs: L(I8(1n), I8(-5n)) }],
    ['Int8 max', { big: I8(2n ** 63n - 1n) }],
    ['Timestamp', { createdAt: TS(1_767_225_600_000_000n) }],
    ['Boolean false and lists with nulls', { active: B(false), flags: L(B(true), NULL, B(false)) }],
    ['enum', { role: S('COMMUNITY') }],
    [
      'strings: unicode, empty, quotes',
      { name: S('Zürich ⚡ "grid" \\ \u0000x'), code: S(''), tags: L(S('a'), S(''), S('é')) },
    ],
    ['empty lists', { tags: L(), amounts: L() }],
    ['reference', { foundation: S('1-FOUNDATION') }],
    ['explicit nulls are left out', { code: NULL, price: NULL, tags: NULL }],
  ];
  for (const [name, fields] of cases)
    it(name, () => {
      const e = area(`a${block}`, fields);
      expect(plain(roundTrip(e))).toEqual(plain(withoutNulls(e)));
    });

  it('BigDecimal comes back normalized (trailing zeros folded into the exponent)', () => {
    const got = roundTrip(area('norm', { price: BD(1500n, -2) }));
    expect(got?.get('price')).toEqual(BD(15n, 0));
  });

  it('Bytes and Int8 ids', () => {
    const h = entity({ id: X('0x00a1b2'), name: S('h'), balance: BI(-5n) });
    expect(plain(roundTrip(h, 'Holder'))).toEqual(plain(h));
    const t = entity({ id: I8(-42n), value: I(7) });
    expect(plain(roundTrip(t, 'Tick'))).toEqual(plain(t));
  });

  it('the same value reads back at every later block', () => {
    const e = area('stable', { areaId: BI(-(10n ** 50n)), price: BD(-1n, -18) });
    roundTrip(e);
    const at = block;
    writer.commitBlock(
      ptr(++block),
      [{ type: 'Area', id: 'stable', entity: area('stable', { areaId: BI(1n) }) }],
      [],
    );
    expect(plain(reader.getAt('Area', 'stable', at))).toEqual(plain(e));
    expect(reader.get('Area', 'stable')?.get('areaId')).toEqual(BI(1n));
  });
});
