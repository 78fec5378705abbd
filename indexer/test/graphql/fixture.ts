// A small indexed history in a real SqliteStore, shaped like the subgraph:
// String/BigInt/BigDecimal/Bytes/Boolean/Int/Int8/Timestamp/enum fields,
// references, derived lists (via a single and via a list field), a derived
// single, an immutable entity, several block versions and a removal.
import { parseSchema } from '../../src/schema/model.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import type { Value } from '../../src/schema/values.js';
import type { EntityOp } from '../../src/store/types.js';

export const TEST_SCHEMA = `
enum Role { GENERATION COMMUNITY FOUNDATION }

"An area of the grid"
type Area @entity {
  id: ID!
  "Human name"
  name: String!
  code: String
  token: Bytes!
  seatPrice: BigInt!
  quorum: BigDecimal
  active: Boolean!
  motionCount: Int!
  tags: [String!]!
  groups: [Group!]!
  seats: [Seat!]! @derivedFrom(field: "area")
  stats: Stats @derivedFrom(field: "area")
}

type Seat @entity {
  id: ID!
  area: Area!
  role: Role!
  holder: Group
  price: BigInt
}

type Group @entity {
  id: ID!
  area: Area!
  name: String!
  account: Bytes!
  weight: BigInt
  members: [Member!]! @derivedFrom(field: "groups")
}

type Member @entity {
  id: ID!
  groups: [Group!]!
}

type Stats @entity {
  id: ID!
  area: Area!
  count: Int!
}

interface Labeled {
  id: ID!
  label: String
}

type Tag implements Labeled @entity {
  id: ID!
  label: String
}

type Note implements Labeled @entity {
  id: ID!
  label: String
  body: String!
}

type GovernanceEvent @entity(immutable: true) {
  id: ID!
  area: Area!
  kind: String!
  blockNumber: Int8!
  at: Timestamp!
}
`;

const s = (v: string): Value => ({ kind: 'String', value: v });
const n = (v: number): Value => ({ kind: 'Int', value: v });
const bi = (v: bigint): Value => ({ kind: 'BigInt', value: v });
const b = (v: boolean): Value => ({ kind: 'Bool', value: v });
const hex = (v: string): Value => ({ kind: 'Bytes', value: new Uint8Array(Buffer.from(v.slice(2), 'hex')) });
const dec = (digits: bigint, exp: number): Value => ({ kind: 'BigDecimal', value: { digits, exp } });
const list = (...vs: Value[]): Value => ({ kind: 'Array', value: vs });
const NULL: Value = { kind: 'Null' };

function op(type: string, id: string, fields: Record<string, Value> | null): EntityOp {
  return { type, id, entity: fields ? new Map(Object.entries({ id: s(id), ...fields })) : null };
}

export const blockHash = (n: number) => `0x${n.toString(16).padStart(64, '0')}` as `0x${string}`;
export const ptr = (n: number) => ({
  number: n,
  hash: blockHash(n),
  parentHash: blockHash(n - 1),
  timestamp: 1000 + n * 12,
});

const area1 = {
  name: s('North'),
  code: s('N-1'),
  token: hex('0xaa01'),
  seatPrice: bi(100n),
  quorum: dec(5n, -1),
  active: b(true),
  motionCount: n(0),
  tags: list(s('grid'), s('Solar')),
  groups: list(s('1-1'), s('1-2')),
};

/** Blocks 1..4; block 5 is committed with no changes. */
export function buildFixture(path = ':memory:', deployment = 'QmTest'): SqliteStore {
  const store = SqliteStore.open(path, parseSchema(TEST_SCHEMA), { deployment });
  store.commitBlock(
    ptr(1),
    [
      op('Area', '1', area1),
      op('Area', '2', {
        name: s('south'),
        code: NULL,
        token: hex('0xbb02'),
        seatPrice: bi(2000n),
        quorum: NULL,
        active: b(false),
        motionCount: n(3),
        tags: list(),
        groups: list(),
      }),
      op('Group', '1-1', { area: s('1'), name: s('Alpha Coop'), account: hex('0x0101'), weight: bi(10n) }),
      op('Group', '1-2', { area: s('1'), name: s('beta_grid'), account: hex('0x0202'), weight: NULL }),
      op('Seat', '1-GENERATION', { area: s('1'), role: s('GENERATION'), holder: NULL, price: bi(100n) }),
      op('Seat', '1-COMMUNITY', { area: s('1'), role: s('COMMUNITY'), holder: s('1-2'), price: NULL }),
      op('Seat', '2-FOUNDATION', { area: s('2'), role: s('FOUNDATION'), holder: NULL, price: bi(-5n) }),
      op('GovernanceEvent', '0xaa-0', {
        area: s('1'),
        kind: s('AreaCreated'),
        blockNumber: { kind: 'Int8', value: 1n },
        at: { kind: 'Timestamp', value: 1700000000000000n },
      }),
    ],
    [],
  );
  store.commitBlock(
    ptr(2),
    [
      op('Seat', '1-GENERATION', { area: s('1'), role: s('GENERATION'), holder: s('1-1'), price: bi(150n) }),
      op('Area', '1', { ...area1, motionCount: n(1) }),
      op('GovernanceEvent', '0xbb-1', {
        area: s('1'),
        kind: s('SeatGranted'),
        blockNumber: { kind: 'Int8', value: 2n },
        at: { kind: 'Timestamp', value: 1700000000000012n },
      }),
    ],
    [],
  );
  store.commitBlock(
    ptr(3),
    [
      op('Area', '1', { ...area1, motionCount: n(1), name: s('North Grid') }),
      op('Group', '1-3', { area: s('1'), name: s('Gamma'), account: hex('0x0303'), weight: bi(5n) }),
      op('Seat', '2-FOUNDATION', null),
    ],
    [],
  );
  store.commitBlock(
    ptr(4),
    [
      op('Member', 'm1', { groups: list(s('1-1'), s('1-2')) }),
      op('Member', 'm2', { groups: list(s('1-2')) }),
      op('Stats', 's1', { area: s('2'), count: n(7) }),
      op('Tag', 't1', { label: s('zeta') }),
      op('Note', 'n1', { label: s('alpha'), body: s('hello') }),
      op('Note', 'n2', { label: NULL, body: s('untitled') }),
    ],
    [],
  );
  store.commitBlock(ptr(5), [], []);
  return store;
}
