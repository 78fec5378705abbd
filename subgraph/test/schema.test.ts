// schema.graphql against shared/spec/api.md (entities, fields, kinds, enums, ids)
// and the project's own schema rules (proofs of change, documentation, ids).
import { describe, expect, it } from 'vitest';
import { readApiSpec } from './api-spec.js';
import { checkConformance } from './conformance.js';
import { readSchema } from './schema-model.js';

const spec = readApiSpec();
const schema = readSchema();

describe('api.md parsing', () => {
  it('finds every entity row and enum of the spec', () => {
    expect(spec.entities.map((e) => e.name)).toEqual([
      'Area',
      'Seat',
      'MemberGroup',
      'GroupMembership',
      'Consumer',
      'Delegation',
      'Motion',
      'VotingWeight',
      'Vote',
      'Lease',
      'TokenHolder',
      'ParameterChange',
      'GovernanceEvent',
    ]);
    expect([...spec.enums.keys()]).toEqual([
      'SeatRole',
      'MotionKind',
      'MotionStatus',
      'VoteSupport',
      'LeaseStatus',
    ]);
    const motion = spec.entities.find((e) => e.name === 'Motion')!;
    expect(motion.fields.length).toBeGreaterThan(30);
    expect(motion.fields.find((f) => f.name === 'status')?.type).toBe('MotionStatus');
    expect(
      spec.entities.find((e) => e.name === 'Seat')!.fields.find((f) => f.name === 'holder'),
    ).toMatchObject({
      type: 'MemberGroup',
      nullable: true,
    });
  });
});

describe('schema.graphql conforms to api.md', () => {
  it('has every entity, field and enum with the right kind', () => {
    expect(checkConformance(spec, schema)).toEqual([]);
  });

  it('reports a missing field, a wrong kind and a changed enum', () => {
    const broken = readSchema();
    broken.entities.get('Motion')!.fields.delete('forVotes');
    broken.entities.get('Vote')!.fields.get('weight')!.type = 'Int';
    broken.entities.get('Seat')!.fields.get('holder')!.nonNull = true;
    broken.enums.get('MotionStatus')!.values.pop();
    broken.entities.delete('GovernanceEvent');
    expect(checkConformance(spec, broken)).toEqual([
      'Seat.holder: api.md allows null, schema has MemberGroup!',
      'Motion.forVotes is missing',
      'Vote.weight: expected type BigInt, schema has Int!',
      'entity GovernanceEvent is missing',
      'enum MotionStatus: expected { ACTIVE PASSED REJECTED QUORUM_NOT_MET VETOED }, schema has { ACTIVE PASSED REJECTED QUORUM_NOT_MET }',
    ]);
  });
});

describe('schema rules beyond api.md', () => {
  const entities = [...schema.entities.values()];

  it('documents every entity and enum', () => {
    const undocumented = [
      ...entities.filter((e) => !e.description?.trim()).map((e) => e.name),
      ...[...schema.enums].filter(([, e]) => !e.description?.trim()).map(([n]) => n),
    ];
    expect(undocumented).toEqual([]);
  });

  it('uses string ids everywhere', () => {
    expect(entities.filter((e) => e.fields.get('id')?.type !== 'ID').map((e) => e.name)).toEqual([]);
  });

  it('gives every immutable entity its event proof', () => {
    const proof = {
      blockNumber: 'BigInt',
      timestamp: 'BigInt',
      transactionHash: 'Bytes',
      logIndex: 'BigInt',
    };
    const missing = entities
      .filter((e) => e.immutable)
      .flatMap((e) =>
        Object.entries(proof)
          .filter(([name, type]) => e.fields.get(name)?.type !== type || !e.fields.get(name)?.nonNull)
          .map(([name]) => `${e.name}.${name}`),
      );
    expect(entities.filter((e) => e.immutable).length).toBeGreaterThanOrEqual(5);
    expect(missing).toEqual([]);
  });

  it('gives every mutable entity the proof of its creation and last change', () => {
    const hasTriple = (e: (typeof entities)[number], prefix: string) =>
      e.fields.get(`${prefix}At`)?.type === 'BigInt' &&
      e.fields.get(`${prefix}AtBlock`)?.type === 'BigInt' &&
      e.fields.get(`${prefix}Tx`)?.type === 'Bytes' &&
      [`${prefix}At`, `${prefix}AtBlock`, `${prefix}Tx`].every((n) => e.fields.get(n)!.nonNull);
    const bad = entities
      .filter((e) => !e.immutable)
      .filter(
        (e) => !hasTriple(e, 'updated') || !['created', 'registered', 'granted'].some((p) => hasTriple(e, p)),
      )
      .map((e) => e.name);
    expect(bad).toEqual([]);
  });

  it('derives every reverse list from a reference that points back', () => {
    const bad: string[] = [];
    for (const e of entities) {
      for (const f of e.fields.values()) {
        if (!f.derivedFrom) continue;
        const back = schema.entities.get(f.type)?.fields.get(f.derivedFrom);
        if (!back || back.type !== e.name) bad.push(`${e.name}.${f.name} -> ${f.type}.${f.derivedFrom}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('has the daily rollup the charts use', () => {
    const day = schema.entities.get('AreaDayData');
    expect(day?.description).toContain('"<areaId>-<dayIndex>"');
    for (const f of [
      'area',
      'date',
      'dayIndex',
      'motionsProposed',
      'motionsFinalized',
      'votesCast',
      'delegations',
      'leasesGranted',
    ])
      expect(day?.fields.has(f), `AreaDayData.${f}`).toBe(true);
    expect(schema.entities.get('Area')?.fields.get('dayData')?.derivedFrom).toBe('area');
    expect(schema.entities.get('Area')?.fields.get('totalDelegations')?.type).toBe('Int');
  });
});
