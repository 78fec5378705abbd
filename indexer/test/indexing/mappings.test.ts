// The GGN subgraph's handlers, run on the built subgraph (subgraph/build, from
// `npm run build -w subgraph`) with events encoded from the contracts' ABIs.
// Expectations come from shared/spec/api.md and protocol.md, not from the
// mapping code: ids, fields and what each protocol event means.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseEther, stringToHex, type Abi, type Hex } from 'viem';
import {
  SubgraphHarness,
  expectEntity,
  expectNoEntity,
  plain,
  type EventSpec,
} from '../../src/testkit/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const buildDir = join(root, 'subgraph/build');
const abiDir = join(root, 'contracts-abi/abi');
const built = existsSync(join(buildDir, 'subgraph.yaml'));

const loadAbi = (name: string): Abi => {
  const json = JSON.parse(readFileSync(join(abiDir, `${name}.json`), 'utf8'));
  return (Array.isArray(json) ? json : json.abi) as Abi;
};

const addr = (n: number): Hex => `0x${n.toString(16).padStart(40, '0')}`;
const DAO = addr(0xda0);
const TOKEN = addr(0x70c);
const FOUNDATION = addr(0xf0);
const [F1, F2] = [addr(0xf1), addr(0xf2)];
const GEN = addr(0x6e2); // GENERATION group account (group 2)
const DIST = addr(0xd15); // DISTRIBUTION group account (group 3)
const COMA = addr(0xca); // COMMUNITY group accounts (groups 4, 5)
const COMB = addr(0xcb);
const [M1, M2, M3] = [addr(0x101), addr(0x102), addr(0x103)];
const [C1, C2] = [addr(0xc1), addr(0xc2)];

const E = (n: number) => parseEther(String(n));
const T0 = 1_767_225_600n; // block 1 time; blocks are 12 s apart
const timeOf = (block: number) => T0 + BigInt(block - 1) * 12n;
const DAY = 86_400n;

describe.skipIf(!built)('GGN subgraph mappings (subgraph/build)', () => {
  let sg: SubgraphHarness;
  let factoryAbi: Abi;
  let daoAbi: Abi;
  let tokenAbi: Abi;
  let FACTORY: Hex;

  const dao = (event: string, args: Record<string, unknown>, tx?: string): EventSpec => ({
    abi: daoAbi,
    event,
    args,
    address: DAO,
    tx,
  });
  const token = (from: Hex, to: Hex, value: bigint, tx?: string): EventSpec => ({
    abi: tokenAbi,
    event: 'Transfer',
    args: { from, to, value },
    address: TOKEN,
    tx,
  });
  const at = (n: number) => ({ number: n, timestamp: timeOf(n) });
  const areaEvents = (id: string) =>
    sg.store.all('GovernanceEvent').filter((e) => plain(e.get('area')) === id);

  beforeAll(async () => {
    factoryAbi = loadAbi('GGNFactory');
    daoAbi = loadAbi('AreaDAO');
    tokenAbi = loadAbi('AreaGovernanceToken');
    sg = await SubgraphHarness.load(buildDir);
    FACTORY = sg.runner.manifest.dataSources[0]!.address!;
  });

  it('block 1: AreaCreated after the DAO constructor events and mints in the same transaction', async () => {
    const tx = 'create';
    const r = await sg.block(
      [
        dao(
          'AreaInitialized',
          {
            areaId: 1n,
            token: TOKEN,
            leaseTerm: 365n * DAY,
            votingPeriod: 7n * DAY,
            quorumBps: 5000,
            acceptWindow: 14n * DAY,
            renewalWindow: 60n * DAY,
            seatPrice: E(1000),
          },
          tx,
        ),
        ...[0, 1, 2, 3, 4].map((role) => dao('SeatConfigured', { role, allocation: E(50) }, tx)),
        dao(
          'GroupRegistered',
          { groupId: 1n, role: 4, account: FOUNDATION, name: 'Foundation Members Group', members: [F1, F2] },
          tx,
        ),
        token('0x0000000000000000000000000000000000000000', DAO, E(200), tx),
        token('0x0000000000000000000000000000000000000000', FOUNDATION, E(50), tx),
        {
          abi: factoryAbi,
          event: 'AreaCreated',
          args: { areaId: 1n, dao: DAO, token: TOKEN, name: 'North Grid', code: 'NG' },
          address: FACTORY,
          tx,
        },
      ],
      at(1),
    );
    expect(r.dataSources.map((d) => [d.template, d.address])).toEqual([
      ['AreaDAO', DAO],
      ['AreaGovernanceToken', TOKEN],
    ]);
    expectEntity(sg.store, 'Area', '1', {
      areaId: 1n,
      name: 'North Grid',
      code: 'NG',
      dao: DAO,
      token: TOKEN,
      leaseTerm: 365n * DAY,
      votingPeriod: 7n * DAY,
      quorumBps: 5000,
      acceptWindow: 14n * DAY,
      renewalWindow: 60n * DAY,
      seatPrice: E(1000),
      createdAt: timeOf(1),
      createdAtBlock: 1n,
    });
    for (const role of ['GENERATION', 'TRANSMISSION', 'DISTRIBUTION', 'COMMUNITY', 'FOUNDATION'])
      expectEntity(sg.store, 'Seat', `1-${role}`, { area: '1', role, allocation: E(50) });
    expectEntity(sg.store, 'Seat', '1-GENERATION', { holder: null, currentLease: null });
    expectEntity(sg.store, 'Seat', '1-FOUNDATION', { holder: '1-1' });
    expectEntity(sg.store, 'MemberGroup', '1-1', {
      area: '1',
      groupId: 1n,
      role: 'FOUNDATION',
      name: 'Foundation Members Group',
      account: FOUNDATION,
      memberCount: 2,
    });
    expectEntity(sg.store, 'GroupMembership', `1-1-${F1}`, {
      group: '1-1',
      member: F1,
      active: true,
      addedAt: timeOf(1),
    });
    expectEntity(sg.store, 'TokenHolder', `1-${DAO}`, { area: '1', address: DAO, balance: E(200) });
    expectEntity(sg.store, 'TokenHolder', `1-${FOUNDATION}`, { balance: E(50), group: '1-1' });
    // One audit row per protocol event of the area, AreaCreated included.
    const kinds = areaEvents('1').map((e) => plain(e.get('kind')));
    for (const k of ['AreaCreated', 'AreaInitialized', 'SeatConfigured', 'GroupRegistered'])
      expect(kinds).toContain(k);
    expect(kinds.filter((k) => k === 'SeatConfigured')).toHaveLength(5);
  });
  it('block 2: groups register; members are added and removed', async () => {
    await sg.block(
      [
        dao(
          'GroupRegistered',
          { groupId: 2n, role: 0, account: GEN, name: 'GenCo', members: [M1, M2] },
          'g2',
        ),
        dao(
          'GroupRegistered',
          { groupId: 3n, role: 2, account: DIST, name: 'DistCo', members: [M1, M3] },
          'g3',
        ),
        dao(
          'GroupRegistered',
          { groupId: 4n, role: 3, account: COMA, name: 'Community A', members: [M2, M3] },
          'g4',
        ),
        dao(
          'GroupRegistered',
          { groupId: 5n, role: 3, account: COMB, name: 'Community B', members: [M1, M2] },
          'g5',
        ),
        dao('MemberAdded', { groupId: 2n, member: M3 }, 'add'),
        dao('MemberRemoved', { groupId: 2n, member: M1 }, 'remove'),
      ],
      at(2),
    );
    expectEntity(sg.store, 'MemberGroup', '1-2', {
      role: 'GENERATION',
      name: 'GenCo',
      account: GEN,
      memberCount: 2,
      delegationCount: 0,
      registeredAt: timeOf(2),
    });
    expectEntity(sg.store, 'MemberGroup', '1-3', { role: 'DISTRIBUTION', memberCount: 2 });
    expectEntity(sg.store, 'MemberGroup', '1-5', { role: 'COMMUNITY', name: 'Community B' });
    expectEntity(sg.store, 'GroupMembership', `1-2-${M3}`, {
      active: true,
      addedAt: timeOf(2),
      removedAt: null,
    });
    expectEntity(sg.store, 'GroupMembership', `1-2-${M1}`, { active: false, removedAt: timeOf(2) });
    expectEntity(sg.store, 'GroupMembership', `1-2-${M2}`, { active: true });
  });

  it('blocks 3-5: a seat allocation motion is proposed, voted and passes', async () => {
    const start = timeOf(3);
    await sg.block(
      [
        dao(
          'MotionProposed',
          {
            motionId: 1n,
            proposerGroupId: 3n,
            kind: 0,
            role: 2,
            applicantGroupId: 3n,
            param: stringToHex('', { size: 32 }),
            value: 0n,
            votingStart: start,
            votingEnd: start + 7n * DAY,
            description: 'DistCo for distribution',
          },
          'p1',
        ),
        dao('VotingWeightSet', { motionId: 1n, groupId: 1n, weight: E(50) }, 'p1'),
      ],
      at(3),
    );
    expectEntity(sg.store, 'Motion', '1-1', {
      area: '1',
      motionId: 1n,
      kind: 'SEAT_ALLOCATION',
      proposer: '1-3',
      seatRole: 'DISTRIBUTION',
      applicant: '1-3',
      param: null,
      value: 0n,
      description: 'DistCo for distribution',
      votingStart: start,
      votingEnd: start + 7n * DAY,
      status: 'ACTIVE',
      totalWeight: E(50),
      quorumBps: 5000,
      seatPrice: E(1000),
      leaseTerm: 365n * DAY,
      acceptWindow: 14n * DAY,
      voteCount: 0,
      vetoed: false,
      createdAt: start,
      createdAtBlock: 3n,
    });
    expectEntity(sg.store, 'VotingWeight', '1-1-1', { motion: '1-1', group: '1-1', weight: E(50) });

    await sg.block(
      [
        dao(
          'VoteCast',
          {
            motionId: 1n,
            groupId: 1n,
            voter: FOUNDATION,
            support: 1,
            weight: E(50),
            reason: 'grid needs it',
          },
          'v1',
        ),
      ],
      at(4),
    );
    const vote = expectEntity(sg.store, 'Vote', '1-1-1', {
      motion: '1-1',
      group: '1-1',
      voter: FOUNDATION,
      support: 'FOR',
      weight: E(50),
      reason: 'grid needs it',
      blockNumber: 4n,
      timestamp: timeOf(4),
    });
    expect(vote.transactionHash).toMatch(/^0x[0-9a-f]{64}$/);
    expectEntity(sg.store, 'Motion', '1-1', { forVotes: E(50), voteCount: 1, status: 'ACTIVE' });

    await sg.block(
      [
        dao(
          'MotionFinalized',
          {
            motionId: 1n,
            outcome: 1,
            forVotes: E(50),
            againstVotes: 0n,
            abstainVotes: 0n,
            totalWeight: E(50),
          },
          'f1',
        ),
      ],
      at(5),
    );
    const m = expectEntity(sg.store, 'Motion', '1-1', {
      status: 'PASSED',
      forVotes: E(50),
      againstVotes: 0n,
      abstainVotes: 0n,
      finalizedAt: timeOf(5),
    });
    expect(m.finalizedTx).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it('block 6: the lease is granted and the seat allocation moves to the group', async () => {
    const start = timeOf(6);
    await sg.block(
      [
        token(DAO, DIST, E(50), 'accept'),
        dao(
          'LeaseGranted',
          {
            role: 2,
            groupId: 3n,
            motionId: 1n,
            start,
            end: start + 365n * DAY,
            tokens: E(50),
            price: E(1000),
          },
          'accept',
        ),
      ],
      at(6),
    );
    expectEntity(sg.store, 'Lease', '1-DISTRIBUTION-1', {
      area: '1',
      seat: '1-DISTRIBUTION',
      group: '1-3',
      motion: '1-1',
      start,
      end: start + 365n * DAY,
      tokens: E(50),
      price: E(1000),
      renewals: 0,
      status: 'ACTIVE',
      expiredAt: null,
    });
    expectEntity(sg.store, 'Seat', '1-DISTRIBUTION', { holder: '1-3', currentLease: '1-DISTRIBUTION-1' });
    expectEntity(sg.store, 'TokenHolder', `1-${DAO}`, { balance: E(150) });
    expectEntity(sg.store, 'TokenHolder', `1-${DIST}`, { balance: E(50), group: '1-3' });
  });

  it('block 7: consumers register and delegate; a re-delegation moves the count', async () => {
    const meter = stringToHex('METER-1', { size: 32 });
    await sg.block(
      [
        dao('ConsumerRegistered', { consumer: C1, meterId: meter, registrar: DIST }, 'r1'),
        dao(
          'ConsumerRegistered',
          { consumer: C2, meterId: stringToHex('METER-2', { size: 32 }), registrar: DIST },
          'r2',
        ),
        dao('ConsumerDelegated', { consumer: C1, fromGroupId: 0n, toGroupId: 4n }, 'd1'),
        dao('ConsumerDelegated', { consumer: C2, fromGroupId: 0n, toGroupId: 4n }, 'd2'),
        dao('ConsumerDelegated', { consumer: C1, fromGroupId: 4n, toGroupId: 5n }, 'd3'),
      ],
      at(7),
    );
    expectEntity(sg.store, 'Consumer', `1-${C1}`, {
      area: '1',
      address: C1,
      meterId: meter,
      registrar: DIST,
      delegate: '1-5',
      registeredAt: timeOf(7),
    });
    expectEntity(sg.store, 'Consumer', `1-${C2}`, { delegate: '1-4' });
    expectEntity(sg.store, 'MemberGroup', '1-4', { delegationCount: 1 });
    expectEntity(sg.store, 'MemberGroup', '1-5', { delegationCount: 1 });
    const delegations = sg.store
      .all('Delegation')
      .map((d) => [plain(d.get('consumer')), plain(d.get('from')), plain(d.get('to'))]);
    expect(delegations).toHaveLength(3);
    expect(delegations).toContainEqual([`1-${C1}`, '1-4', '1-5']);
    expect(delegations).toContainEqual([`1-${C2}`, null, '1-4']);
    expectEntity(sg.store, 'Area', '1', { consumerCount: 2 });

    // Undelegating (to group 0) clears the delegate and the count.
    await sg.block([dao('ConsumerDelegated', { consumer: C2, fromGroupId: 4n, toGroupId: 0n }, 'u1')], at(8));
    expectEntity(sg.store, 'Consumer', `1-${C2}`, { delegate: null });
    expectEntity(sg.store, 'MemberGroup', '1-4', { delegationCount: 0 });
    await sg.block([dao('ConsumerDelegated', { consumer: C2, fromGroupId: 0n, toGroupId: 4n }, 'u2')], at(9));
    expectEntity(sg.store, 'MemberGroup', '1-4', { delegationCount: 1 });
  });

  it('blocks 10-12: a parameter change passes and applies on finalize', async () => {
    const start = timeOf(10);
    const quorumParam = stringToHex('quorumBps', { size: 32 });
    await sg.block(
      [
        dao(
          'MotionProposed',
          {
            motionId: 2n,
            proposerGroupId: 1n,
            kind: 2,
            role: 0,
            applicantGroupId: 0n,
            param: quorumParam,
            value: 6000n,
            votingStart: start,
            votingEnd: start + 7n * DAY,
            description: 'raise quorum',
          },
          'p2',
        ),
        dao('VotingWeightSet', { motionId: 2n, groupId: 3n, weight: E(50) }, 'p2'),
        dao('VotingWeightSet', { motionId: 2n, groupId: 1n, weight: E(50) }, 'p2'),
        dao('VotingWeightSet', { motionId: 2n, groupId: 4n, weight: E(25) }, 'p2'),
        dao('VotingWeightSet', { motionId: 2n, groupId: 5n, weight: E(25) }, 'p2'),
      ],
      at(10),
    );
    expectEntity(sg.store, 'Motion', '1-2', {
      kind: 'PARAMETER_CHANGE',
      seatRole: null,
      applicant: null,
      param: 'quorumBps',
      value: 6000n,
      totalWeight: E(150),
      status: 'ACTIVE',
    });
    expect(sg.store.all('VotingWeight').filter((w) => plain(w.get('motion')) === '1-2')).toHaveLength(4);

    await sg.block(
      [
        dao(
          'VoteCast',
          { motionId: 2n, groupId: 3n, voter: DIST, support: 1, weight: E(50), reason: '' },
          'v2a',
        ),
        dao(
          'VoteCast',
          { motionId: 2n, groupId: 4n, voter: COMA, support: 0, weight: E(25), reason: 'too high' },
          'v2b',
        ),
        dao(
          'VoteCast',
          { motionId: 2n, groupId: 1n, voter: FOUNDATION, support: 2, weight: E(50), reason: '' },
          'v2c',
        ),
      ],
      at(11),
    );
    expectEntity(sg.store, 'Motion', '1-2', {
      forVotes: E(50),
      againstVotes: E(25),
      abstainVotes: E(50),
      voteCount: 3,
    });
    expectEntity(sg.store, 'Vote', '1-2-4', { support: 'AGAINST', reason: 'too high' });
    expectEntity(sg.store, 'Vote', '1-2-1', { support: 'ABSTAIN' });

    await sg.block(
      [
        dao('ParameterChanged', { param: quorumParam, oldValue: 5000n, newValue: 6000n, motionId: 2n }, 'f2'),
        dao(
          'MotionFinalized',
          {
            motionId: 2n,
            outcome: 1,
            forVotes: E(50),
            againstVotes: E(25),
            abstainVotes: E(50),
            totalWeight: E(150),
          },
          'f2',
        ),
      ],
      at(12),
    );
    expectEntity(sg.store, 'Area', '1', { quorumBps: 6000 });
    expectEntity(sg.store, 'Motion', '1-2', { status: 'PASSED' });
    // Motion 1 keeps the terms fixed at its proposal.
    expectEntity(sg.store, 'Motion', '1-1', { quorumBps: 5000 });
    const changes = sg.store.all('ParameterChange');
    expect(
      changes.map((c) => [
        plain(c.get('motion')),
        plain(c.get('param')),
        plain(c.get('oldValue')),
        plain(c.get('newValue')),
        plain(c.get('blockNumber')),
      ]),
    ).toEqual([['1-2', 'quorumBps', 5000n, 6000n, 12n]]);
  });

  it('blocks 13-14: a vetoed motion is ACTIVE with vetoed until finalized as VETOED; other outcomes map to their status', async () => {
    const start = timeOf(13);
    await sg.block(
      [
        dao(
          'MotionProposed',
          {
            motionId: 3n,
            proposerGroupId: 2n,
            kind: 3,
            role: 0,
            applicantGroupId: 0n,
            param: stringToHex('', { size: 32 }),
            value: 0n,
            votingStart: start,
            votingEnd: start + 7n * DAY,
            description: 'general text',
          },
          'p3',
        ),
        dao('VotingWeightSet', { motionId: 3n, groupId: 1n, weight: E(50) }, 'p3'),
        dao(
          'MotionProposed',
          {
            motionId: 4n,
            proposerGroupId: 2n,
            kind: 3,
            role: 0,
            applicantGroupId: 0n,
            param: stringToHex('', { size: 32 }),
            value: 0n,
            votingStart: start,
            votingEnd: start + 7n * DAY,
            description: 'another',
          },
          'p4',
        ),
        dao('VotingWeightSet', { motionId: 4n, groupId: 1n, weight: E(50) }, 'p4'),
        dao('MotionVetoed', { motionId: 3n, reason: 'harms the grid' }, 'veto'),
      ],
      at(13),
    );
    expectEntity(sg.store, 'Motion', '1-3', {
      kind: 'GENERAL',
      status: 'ACTIVE',
      vetoed: true,
      vetoReason: 'harms the grid',
    });
    await sg.block(
      [
        dao(
          'MotionFinalized',
          { motionId: 3n, outcome: 4, forVotes: 0n, againstVotes: 0n, abstainVotes: 0n, totalWeight: E(50) },
          'f3',
        ),
        dao(
          'MotionFinalized',
          { motionId: 4n, outcome: 3, forVotes: 0n, againstVotes: 0n, abstainVotes: 0n, totalWeight: E(50) },
          'f4',
        ),
      ],
      at(14),
    );
    expectEntity(sg.store, 'Motion', '1-3', { status: 'VETOED', vetoed: true });
    expectEntity(sg.store, 'Motion', '1-4', { status: 'QUORUM_NOT_MET', vetoed: false });
    expectEntity(sg.store, 'Area', '1', { motionCount: 4 });
  });

  it('blocks 15-17: the lease is renewed, then expires and the tokens return to the treasury', async () => {
    const lease = expectEntity(sg.store, 'Lease', '1-DISTRIBUTION-1');
    const oldEnd = lease.end as bigint;
    const start = timeOf(15);
    await sg.block(
      [
        dao(
          'MotionProposed',
          {
            motionId: 5n,
            proposerGroupId: 3n,
            kind: 1,
            role: 2,
            applicantGroupId: 3n,
            param: stringToHex('', { size: 32 }),
            value: 0n,
            votingStart: start,
            votingEnd: start + 7n * DAY,
            description: 'renew',
          },
          'p5',
        ),
        dao('VotingWeightSet', { motionId: 5n, groupId: 1n, weight: E(50) }, 'p5'),
        dao('VotingWeightSet', { motionId: 5n, groupId: 3n, weight: E(50) }, 'p5'),
        dao(
          'MotionFinalized',
          {
            motionId: 5n,
            outcome: 1,
            forVotes: E(100),
            againstVotes: 0n,
            abstainVotes: 0n,
            totalWeight: E(100),
          },
          'f5',
        ),
      ],
      at(15),
    );
    expectEntity(sg.store, 'Motion', '1-5', {
      kind: 'LEASE_RENEWAL',
      seatRole: 'DISTRIBUTION',
      applicant: '1-3',
      status: 'PASSED',
    });
    await sg.block(
      [
        dao(
          'LeaseRenewed',
          { role: 2, groupId: 3n, motionId: 5n, newEnd: oldEnd + 365n * DAY, price: E(1000) },
          'renew',
        ),
      ],
      at(16),
    );
    const renewed = expectEntity(sg.store, 'Lease', '1-DISTRIBUTION-1', {
      end: oldEnd + 365n * DAY,
      renewals: 1,
      status: 'ACTIVE',
    });
    expect(renewed.lastRenewedTx).toMatch(/^0x[0-9a-f]{64}$/);
    expectNoEntity(sg.store, 'Lease', '1-DISTRIBUTION-5');

    await sg.block(
      [
        token(DIST, DAO, E(50), 'expire'),
        dao('LeaseExpired', { role: 2, groupId: 3n, at: timeOf(17) }, 'expire'),
      ],
      at(17),
    );
    const expired = expectEntity(sg.store, 'Lease', '1-DISTRIBUTION-1', {
      status: 'EXPIRED',
      expiredAt: timeOf(17),
    });
    expect(expired.expiredTx).toMatch(/^0x[0-9a-f]{64}$/);
    expectEntity(sg.store, 'Seat', '1-DISTRIBUTION', { holder: null, currentLease: null });
    expectEntity(sg.store, 'TokenHolder', `1-${DAO}`, { balance: E(200) });
    expectEntity(sg.store, 'TokenHolder', `1-${DIST}`, { balance: 0n });
  });

  it('keeps a GovernanceEvent per protocol event, in chain order, with its proof', () => {
    const events = areaEvents('1');
    // 6 constructor/creation events + 2 mints, 6 group/member, 3 motion 1, 2 lease grant+transfer, 7 consumer,
    // 5+3+2 motion 2, 5+2 motions 3/4, 4+1+2 renewal and expiry.
    const byKind = (k: string) => events.filter((e) => plain(e.get('kind')) === k).length;
    expect(byKind('VoteCast')).toBe(4);
    expect(byKind('MotionFinalized')).toBe(5);
    expect(byKind('LeaseExpired')).toBe(1);
    expect(byKind('ConsumerDelegated')).toBe(5);
    for (const e of events) {
      const p = Object.fromEntries([...e].map(([k, v]) => [k, plain(v)]));
      expect(p.transactionHash).toMatch(/^0x[0-9a-f]{64}$/);
      expect(p.id).toBe(`${p.transactionHash}-${p.logIndex}`);
      expect(p.timestamp).toBe(timeOf(Number(p.blockNumber)));
    }
  });
});
