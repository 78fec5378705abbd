// A small schema covering what the store must lay out: every scalar type, an
// enum, lists, references (String, Bytes and Int8 ids), an immutable entity, an
// interface and derived fields; plus helpers to build entities and block pointers.
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
