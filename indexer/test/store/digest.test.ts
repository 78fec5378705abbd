import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import type { EntityOp } from '../../src/store/types.js';
import { area, BD, BI, entity, I, L, ptr, S, schema, seat, X } from './fixture.js';

const open: SqliteStore[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

function blocks(variant: (n: number, ops: EntityOp[]) => EntityOp[] = (_n, ops) => ops): EntityOp[][] {
  const out: EntityOp[][] = [];
  for (let n = 1; n <= 6; n++) {
    const ops: EntityOp[] = [
      {
        type: 'Area',
        id: '1',
        entity: area('1', { seatCount: I(n), price: BD(BigInt(n) * 15n, -1), tags: L(S(`t${n}`)) }),
      },
      { type: 'Seat', id: `1-${n}`, entity: seat(`1-${n}`, '1', 'GENERATION', ['0x01', '0x02']) },
      {
        type: 'Holder',
        id: `0x0${n}`,
        entity: entity({ id: X(`0x0${n}`), name: S(`h${n}`), balance: BI(-BigInt(n)) }),
      },
      {
        type: 'Vote',
        id: `v${n}`,
        entity: entity({ id: S(`v${n}`), seat: S(`1-${n}`), weight: BI(10n ** BigInt(n)) }),
      },
    ];
    if (n === 4) ops.push({ type: 'Seat', id: '1-2', entity: null });
    out.push(variant(n, ops));
  }
  return out;
}

function build(bs: EntityOp[][]): SqliteStore {
  const s = SqliteStore.open(':memory:', schema, { deployment: 'QmDigest' });
  open.push(s);
  bs.forEach((ops, i) => s.commitBlock(ptr(i + 1), ops, []));
  return s;
}

describe('digest', () => {
  it('agrees across two identical runs, at the head and at every past block', () => {
    const a = build(blocks());
    const b = build(blocks());
    expect(a.digest()).toMatch(/^0x[0-9a-f]{64}$/);
    for (let n = 1; n <= 6; n++) expect(a.digest(n)).toBe(b.digest(n));
    expect(a.digest()).toBe(a.digest(6));
    // Every block changed something, so the digests of successive blocks all differ.
    expect(new Set([1, 2, 3, 4, 5, 6].map((n) => a.digest(n))).size).toBe(6);
  });

  it('does not depend on the order of writes within a block', () => {
    const a = build(blocks());
    const b = build(blocks((_n, ops) => [...ops].reverse()));
    expect(b.digest()).toBe(a.digest());
  });

  it('changes with any difference in data, from the block of the difference on', () => {
    const a = build(blocks());
    const changes: [string, (n: number, ops: EntityOp[]) => EntityOp[]][] = [
      [
        'a BigInt',
        (n, ops) =>
          n === 3
            ? [
                ...ops,
                {
                  type: 'Holder',
                  id: '0x03',
                  entity: entity({ id: X('0x03'), name: S('h3'), balance: BI(3n) }),
                },
              ]
            : ops,
      ],
      [
        'a list element',
        (n, ops) =>
          n === 3
            ? [...ops, { type: 'Seat', id: '1-3', entity: seat('1-3', '1', 'GENERATION', ['0x01', '0x03']) }]
            : ops,
      ],
      [
        'an extra entity',
        (n, ops) => (n === 3 ? [...ops, { type: 'Seat', id: 'x', entity: seat('x', '1') }] : ops),
      ],
      ['a missing removal', (n, ops) => (n === 4 ? ops.filter((o) => o.entity !== null) : ops)],
      [
        'a decimal scale',
        (n, ops) =>
          n === 3
            ? [
                ...ops,
                {
                  type: 'Area',
                  id: '1',
                  entity: area('1', { seatCount: I(3), price: BD(45n, -2), tags: L(S('t3')) }),
                },
              ]
            : ops,
      ],
      // Same characters, moved from one field to the next: length prefixes keep them apart.
      [
        'a shifted string',
        (n, ops) =>
          n === 3
            ? [
                ...ops,
                {
                  type: 'Area',
                  id: '1',
                  entity: area('1', {
                    seatCount: I(3),
                    price: BD(45n, -1),
                    tags: L(S('t3')),
                    name: S('Area 1x'),
                    code: S(''),
                  }),
                },
              ]
            : ops,
      ],
    ];
    const base = build(
      blocks((n, ops) =>
        n === 3
          ? [
              ...ops,
              {
                type: 'Area',
                id: '1',
                entity: area('1', {
                  seatCount: I(3),
                  price: BD(45n, -1),
                  tags: L(S('t3')),
                  name: S('Area 1'),
                  code: S('x'),
                }),
              },
            ]
          : ops,
      ),
    );
    expect(base.digest(2)).toBe(a.digest(2));
    for (const [what, variant] of changes) {
      const b = build(blocks(variant));
      expect(b.digest(2), what).toBe(a.digest(2));
      const at = what === 'a missing removal' ? 4 : 3;
      expect(b.digest(at), what).not.toBe((what === 'a shifted string' ? base : a).digest(at));
    }
  });

  it('of an empty store is fixed, and a block past the head is refused', () => {
    const e1 = build([]);
    const e2 = build([]);
    expect(e1.digest()).toBe(e2.digest());
    expect(e1.digest()).toBe('0x' + 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'); // sha256('')
    expect(() => build(blocks()).digest(7)).toThrow(/only indexed up to block 6/);
  });
});
