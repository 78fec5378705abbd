// A small schema covering what the store must lay out: every scalar type, an
// enum, lists, references (String, Bytes and Int8 ids), an immutable entity, an
// interface and derived fields; plus helpers to build entities and block pointers.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSchema } from '../../src/schema/model.js';
import type { Entity, Value } from '../../src/schema/values.js';
import type { BlockPtr } from '../../src/chain/types.js';

export const SCHEMA_SOURCE = /* GraphQL */ `
  enum SeatRole {
    GENERATION
    TRANSMISSION
    COMMUNITY
  }

  interface Named {
    id: ID!
    name: String!
  }

  type Area implements Named @entity {
    id: ID!
    name: String!
    code: String
    areaId: BigInt!
    price: BigDecimal
    dao: Bytes!
    seatCount: Int!
    big: Int8
    createdAt: Timestamp
    active: Boolean!
    role: SeatRole
    tags: [String!]
    amounts: [BigInt!]
    prices: [BigDecimal!]
    accounts: [Bytes!]
    bigs: [Int8!]
    flags: [Boolean]
    seats: [Seat!]! @derivedFrom(field: "area")
    foundation: Seat
  }

  type Seat @entity {
    id: ID!
    area: Area!
    role: SeatRole!
    holders: [Holder!]
  }

  type Holder implements Named @entity {
    id: Bytes!
    name: String!
    balance: BigInt!
    seats: [Seat!]! @derivedFrom(field: "holders")
  }

  type Vote @entity(immutable: true) {
    id: ID!
    seat: Seat!
    weight: BigInt!
  }

  type Tick @entity {
    id: Int8!
    value: Int!
  }
`;

export const schema = parseSchema(SCHEMA_SOURCE);

export const S = (value: string): Value => ({ kind: 'String', value });
export const I = (value: number): Value => ({ kind: 'Int', value });
export const BI = (value: bigint): Value => ({ kind: 'BigInt', value });
export const I8 = (value: bigint): Value => ({ kind: 'Int8', value });
export const TS = (value: bigint): Value => ({ kind: 'Timestamp', value });
export const BD = (digits: bigint, exp: number): Value => ({ kind: 'BigDecimal', value: { digits, exp } });
export const B = (value: boolean): Value => ({ kind: 'Bool', value });
export const X = (hex: string): Value => ({
  kind: 'Bytes',
  value: new Uint8Array(Buffer.from(hex.replace(/^0x/, ''), 'hex')),
});
export const L = (...value: Value[]): Value => ({ kind: 'Array', value });
export const NULL: Value = { kind: 'Null' };

export const entity = (fields: Record<string, Value>): Entity => new Map(Object.entries(fields));

export function area(id: string, over: Record<string, Value> = {}): Entity {
  return entity({
    id: S(id),
    name: S(`Area ${id}`),
    areaId: BI(BigInt(id.replace(/\D/g, '') || '0')),
    dao: X('0xda0da0'),
    seatCount: I(5),
    active: B(true),
    ...over,
  });
}

export const seat = (id: string, areaId: string, role = 'GENERATION', holders?: string[]): Entity =>
  entity({
    id: S(id),
    area: S(areaId),
    role: S(role),
    ...(holders ? { holders: L(...holders.map((h) => X(h))) } : {}),
  });

const hex32 = (tag: string, n: number) =>
  ('0x' + tag + n.toString(16).padStart(64 - tag.length, '0')) as `0x${string}`;

/** A deterministic block pointer; `fork` gives the same number a different hash. */
export const ptr = (n: number, fork = ''): BlockPtr => ({
  number: n,
  hash: hex32('b' + fork, n),
  parentHash: n === 0 ? hex32('0', 0) : hex32('b' + fork, n - 1),
  timestamp: 1_700_000_000 + n * 12,
});

/** Entity → plain object, for readable deep equality in assertions. */
export function plain(e: Entity | null): Record<string, unknown> | null {
  if (!e) return null;
  const out: Record<string, unknown> = {};
  for (const [k, v] of e) out[k] = plainValue(v);
  return out;
}

function plainValue(v: Value): unknown {
  switch (v.kind) {
    case 'Null':
      return null;
    case 'Bytes':
      return { Bytes: '0x' + Buffer.from(v.value).toString('hex') };
    case 'Array':
      return v.value.map(plainValue);
    case 'BigDecimal':
      return { BigDecimal: [v.value.digits, v.value.exp] };
    default:
      return { [v.kind]: v.value };
  }
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ggn-store-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Entities per block written by the kill -9 writer (test/store/kill-writer.ts). */
export const KILL_BLOCK_SIZE = 100;

/**
 * Block n of the kill -9 scenario: Area "a" records n; seats "n-0" .. "n-99"
 * are created; seat "(n-1)-0" is removed. So after block h: seatCount = h and
 * h * 99 + 1 current seats, none with block_from > h.
 */
export function killOps(n: number): import('../../src/store/types.js').EntityOp[] {
  const ops: import('../../src/store/types.js').EntityOp[] = [
    { type: 'Area', id: 'a', entity: area('a', { seatCount: I(n), areaId: BI(BigInt(n) * 10n ** 30n) }) },
  ];
  for (let i = 0; i < KILL_BLOCK_SIZE - 1; i++)
    ops.push({
      type: 'Seat',
      id: `${n}-${i}`,
      entity: seat(`${n}-${i}`, 'a', 'COMMUNITY', ['0x' + n.toString(16).padStart(4, '0')]),
    });
  if (n > 1) ops.push({ type: 'Seat', id: `${n - 1}-0`, entity: null });
  return ops;
}

/** One step of a scripted history: a block to commit (or to fail, all of it undone), or a revert. */
export type Step =
  | { commit: BlockPtr; ops: import('../../src/store/types.js').EntityOp[]; fails?: RegExp }
  | { revert: number };

/**
 * A history exercising every write path: creations, updates of mutable
 * entities (every value type), unchanged re-saves, same-block rewrites and
 * removals, removals and re-creations, Bytes and Int8 ids written under
 * different spellings, blocks that fail half-way (rolled back), and reverts
 * followed by a fork. Deterministic; `golden.test.ts` pins its digests.
 */
export function richScript(): Step[] {
  const steps: Step[] = [];
  const holder = (n: number, spelling: string) =>
    entity({ id: X(spelling), name: S(`h${n}`), balance: BI(BigInt(n) * -(10n ** 30n)) });
  const areaAt = (n: number, fork: string) =>
    area(String(n % 3), {
      seatCount: I(n % 4), // repeats: some re-saves are unchanged
      price: n % 5 === 0 ? NULL : BD(BigInt(n) * 125n, -n),
      big: I8(BigInt(n) << 40n),
      createdAt: TS(BigInt(n) * 1_000_000n),
      role: S(['GENERATION', 'TRANSMISSION', 'COMMUNITY'][n % 3]),
      tags: L(S(`t${n}${fork}`), S('x')),
      amounts: L(BI(BigInt(n)), BI(-(10n ** 40n))),
      prices: L(BD(BigInt(n), -2)),
      accounts: L(X(`0x${(n % 7).toString(16).padStart(2, '0')}`)),
      bigs: L(I8(BigInt(n))),
      flags: L(B(n % 2 === 0), NULL),
      foundation: S(`s${n % 4}`),
      active: B(n % 3 !== 0),
    });
  let fork = '';
  for (let n = 1; n <= 40; n++) {
    const ops: import('../../src/store/types.js').EntityOp[] = [
      { type: 'Area', id: String(n % 3), entity: areaAt(n, fork) },
      {
        type: 'Seat',
        id: `s${n % 4}`,
        entity: seat(`s${n % 4}`, String(n % 3), 'COMMUNITY', [`0x0${n % 5}`]),
      },
      {
        type: 'Holder',
        id: n % 2 ? `0x0${n % 5}` : `0${n % 5}`,
        entity: holder(n, n % 2 ? `0x0${n % 5}` : `0${n % 5}`),
      },
      {
        type: 'Vote',
        id: `v${n}${fork}`,
        entity: entity({ id: S(`v${n}${fork}`), seat: S(`s${n % 4}`), weight: BI(BigInt(n)) }),
      },
      { type: 'Tick', id: String(n % 6), entity: entity({ id: I8(BigInt(n % 6)), value: I(n) }) },
    ];
    if (n % 4 === 0) ops.push({ type: 'Seat', id: `s${(n + 1) % 4}`, entity: null }); // removed, re-created later
    if (n % 6 === 0) {
      // Rewritten within the block: the second state wins.
      ops.push({ type: 'Tick', id: String(n % 6), entity: entity({ id: I8(BigInt(n % 6)), value: I(-n) }) });
      ops.push(
        { type: 'Seat', id: `tmp${n}`, entity: seat(`tmp${n}`, '1') },
        { type: 'Seat', id: `tmp${n}`, entity: null },
      );
    }
    if (n % 7 === 0)
      // Fails on the last op (an immutable Vote changed), after the others wrote: all undone,
      // then the block is committed for real with other data.
      steps.push({
        commit: ptr(n, fork),
        ops: [
          { type: 'Area', id: '0', entity: areaAt(n + 100, fork) },
          { type: 'Holder', id: `0x0${n % 5}`, entity: holder(n + 100, `0x0${n % 5}`) },
          {
            type: 'Vote',
            id: `v${n - 1}${fork}`,
            entity: entity({ id: S(`v${n - 1}${fork}`), seat: S('s0'), weight: BI(-1n) }),
          },
        ],
        fails: /immutable/,
      });
    steps.push({ commit: ptr(n, fork), ops });
    if (n === 25 && fork === '') {
      steps.push({ revert: 21 });
      fork = 'f';
      n = 21; // blocks 22.. again, on a fork with other data
    }
  }
  return steps;
}

/** Runs a script on a store (a step marked `fails` must throw, and leave nothing). */
export function play(
  store: {
    commitBlock: (p: BlockPtr, ops: import('../../src/store/types.js').EntityOp[], ds: []) => void;
    revertTo: (n: number) => void;
  },
  steps: Step[],
): void {
  for (const s of steps) {
    if ('revert' in s) store.revertTo(s.revert);
    else if (s.fails) {
      let threw = false;
      try {
        store.commitBlock(s.commit, s.ops, []);
      } catch (e) {
        if (!s.fails.test(String(e))) throw e;
        threw = true;
      }
      if (!threw) throw new Error(`block ${s.commit.number} should have failed with ${s.fails}`);
    } else store.commitBlock(s.commit, s.ops, []);
  }
}

/** Every version of every entity table, block ranges included and vids not, hashed. */
export function historyDigest(db: import('better-sqlite3').Database): string {
  const h = createHash('sha256');
  const tables = db
    .prepare(
      `SELECT name FROM sqlite_schema WHERE type = 'table' AND substr(name, 1, 2) <> '__' ORDER BY name`,
    )
    .pluck()
    .all() as string[];
  for (const t of tables) {
    const cols = (
      db.prepare(`SELECT name FROM pragma_table_info(?) WHERE name <> 'vid'`).pluck().all(t) as string[]
    )
      .map((c) => `"${c}"`)
      .join(', ');
    h.update(t);
    for (const row of db.prepare(`SELECT ${cols} FROM "${t}" ORDER BY "id", block_from`).raw(true).iterate())
      h.update(
        JSON.stringify(row, (_k, v: unknown) =>
          typeof v === 'bigint'
            ? `${v}n`
            : v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer'
              ? 'x' + Buffer.from((v as { data: number[] }).data).toString('hex')
              : v,
        ),
      );
  }
  return h.digest('hex');
}
