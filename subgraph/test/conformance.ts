// Checks schema.graphql against api.md. Returns the problems found rather than
// asserting, so the test can also prove that a broken schema is caught.
import type { SpecEntity } from './api-spec.js';
import type { EntityInfo } from './schema-model.js';

// Kinds api.md gives in prose ("Amounts are BigInt", "Times are BigInt unix
// seconds", addresses and hashes) or by meaning, for fields whose table entry
// names no type. A spec field found neither here nor in its note fails the
// test: extend this table when api.md grows.
const FIELD_KINDS: Record<string, string> = {
  areaId: 'BigInt',
  groupId: 'BigInt',
  motionId: 'BigInt',
  name: 'String',
  code: 'String',
  description: 'String',
  reason: 'String',
  vetoReason: 'String',
  param: 'String',
  dao: 'Bytes',
  token: 'Bytes',
  account: 'Bytes',
  member: 'Bytes',
  address: 'Bytes',
  meterId: 'Bytes',
  registrar: 'Bytes',
  voter: 'Bytes',
  leaseTerm: 'BigInt',
  votingPeriod: 'BigInt',
  acceptWindow: 'BigInt',
  renewalWindow: 'BigInt',
  seatPrice: 'BigInt',
  quorumBps: 'Int',
  consumerCount: 'Int',
  motionCount: 'Int',
  memberCount: 'Int',
  delegationCount: 'Int',
  voteCount: 'Int',
  renewals: 'Int',
  allocation: 'BigInt',
  value: 'BigInt',
  weight: 'BigInt',
  tokens: 'BigInt',
  price: 'BigInt',
  balance: 'BigInt',
  oldValue: 'BigInt',
  newValue: 'BigInt',
  forVotes: 'BigInt',
  againstVotes: 'BigInt',
  abstainVotes: 'BigInt',
  totalWeight: 'BigInt',
  votingStart: 'BigInt',
  votingEnd: 'BigInt',
  start: 'BigInt',
  end: 'BigInt',
  createdAt: 'BigInt',
  createdAtBlock: 'BigInt',
  registeredAt: 'BigInt',
  addedAt: 'BigInt',
  removedAt: 'BigInt',
  finalizedAt: 'BigInt',
  expiredAt: 'BigInt',
  blockNumber: 'BigInt',
  timestamp: 'BigInt',
  logIndex: 'BigInt',
  createdTx: 'Bytes',
  registeredTx: 'Bytes',
  finalizedTx: 'Bytes',
  grantedTx: 'Bytes',
  lastRenewedTx: 'Bytes',
  expiredTx: 'Bytes',
  transactionHash: 'Bytes',
  active: 'Boolean',
  vetoed: 'Boolean',
  kind: 'String', // GovernanceEvent.kind, the event name; Motion.kind's note names MotionKind
  role: 'SeatRole',
  seatRole: 'SeatRole',
  area: 'Area',
  seat: 'Seat',
  group: 'MemberGroup',
  consumer: 'Consumer',
  motion: 'Motion',
  lease: 'Lease',
  proposer: 'MemberGroup',
  applicant: 'MemberGroup',
  from: 'MemberGroup',
  to: 'MemberGroup',
};

// Fields that are lists of entities (derived from the child's reference).
const LIST_FIELDS: Record<string, string> = {
  seats: 'Seat',
  groups: 'MemberGroup',
  motions: 'Motion',
  leases: 'Lease',
  members: 'GroupMembership',
  votes: 'Vote',
  weights: 'VotingWeight',
};

function describe(f: { type: string; list: boolean; nonNull: boolean }): string {
  const inner = f.list ? `[${f.type}!]` : f.type;
  return f.nonNull ? `${inner}!` : inner;
}

export function checkConformance(
  spec: { entities: SpecEntity[]; enums: Map<string, string[]> },
  schema: { entities: Map<string, EntityInfo>; enums: Map<string, { values: string[] }> },
): string[] {
  const problems: string[] = [];
  for (const e of spec.entities) {
    const entity = schema.entities.get(e.name);
    if (!entity) {
      problems.push(`entity ${e.name} is missing`);
      continue;
    }
    if (entity.immutable !== e.immutable)
      problems.push(`${e.name}: api.md says immutable=${e.immutable}, schema has ${entity.immutable}`);
    if (!entity.description?.includes(`"${e.id}"`))
      problems.push(`${e.name}: description must document the id format "${e.id}"`);
    const id = entity.fields.get('id');
    if (!id || id.type !== 'ID' || !id.nonNull || id.list) problems.push(`${e.name}.id must be ID!`);

    for (const sf of e.fields) {
      const where = `${e.name}.${sf.name}`;
      const f = entity.fields.get(sf.name);
      if (!f) {
        problems.push(`${where} is missing`);
        continue;
      }
      const listOf = LIST_FIELDS[sf.name];
      const expected = sf.type ?? listOf ?? FIELD_KINDS[sf.name];
      if (!expected) {
        problems.push(`${where}: no expected kind known (add it to FIELD_KINDS)`);
        continue;
      }
      if (f.type !== expected)
        problems.push(`${where}: expected type ${expected}, schema has ${describe(f)}`);
      if (sf.derived || listOf) {
        if (!f.list) problems.push(`${where}: expected a list, schema has ${describe(f)}`);
        if (sf.derived && !f.derivedFrom) problems.push(`${where}: expected @derivedFrom`);
      } else if (f.list) problems.push(`${where}: expected a single value, schema has ${describe(f)}`);
      if (sf.nullable && f.nonNull) problems.push(`${where}: api.md allows null, schema has ${describe(f)}`);
    }
  }
  for (const [name, values] of spec.enums) {
    const got = schema.enums.get(name);
    if (!got) problems.push(`enum ${name} is missing`);
    else if (got.values.join(' ') !== values.join(' '))
      problems.push(`enum ${name}: expected { ${values.join(' ')} }, schema has { ${got.values.join(' ')} }`);
  }
  return problems;
}
