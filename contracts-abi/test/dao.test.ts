/** AreaDAO: every rule of protocol.md, happy paths with their exact events, reverts by custom error name. */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Abi, Address, Hex } from 'viem';
import { AreaGovernanceTokenAbi, GGNUtilityTokenAbi, paramToBytes32, type AreaParams } from '../src/index.js';
import { DAY, E18, HOUR, TEST_PARAMS, TestArea, TestChain, ZERO32, addr, events } from './helpers.js';

const [SEAT, RENEW, PARAM, GENERAL] = [0, 1, 2, 3];
const [AGAINST, FOR, ABSTAIN] = [0, 1, 2];
const FOUNDATION_ID = 1n;

let chain: TestChain;
let area: TestArea;
let f: Address;
type G = { id: bigint; account: Address };
let gen1: G, gen2: G, trans: G, dist: G, comm1: G, comm2: G, comm3: G;
let snap: Hex;
let ggu: Address;

beforeAll(async () => {
  chain = await TestChain.start();
  ggu = chain.deployment.utilityToken;
  area = await TestArea.create(chain, { code: 'DAO' });
  f = area.foundation;
  gen1 = await area.group(0, 'gen1');
  gen2 = await area.group(0, 'gen2');
  trans = await area.group(1, 'trans');
  dist = await area.group(2, 'dist');
  comm1 = await area.group(3, 'comm1');
  comm2 = await area.group(3, 'comm2');
  comm3 = await area.group(3, 'comm3');
});
afterAll(async () => {
  await chain?.stop();
});
beforeEach(async () => {
  snap = await chain.snapshot();
});
afterEach(async () => {
  await chain.revert(snap);
});

const now = () => chain.latestTimestamp();
const consumer = (n: number) => addr(`consumer-${n}`);
const meter = (n: number) => paramToBytes32(`meter-${n}`);
const gguBalance = (a: Address) => chain.read<bigint>(ggu, GGNUtilityTokenAbi as Abi, 'balanceOf', [a]);
const govBalance = (a: Address) =>
  chain.read<bigint>(area.token, AreaGovernanceTokenAbi as Abi, 'balanceOf', [a]);

/** Registers consumers (by the foundation) and delegates them: [consumerIndex, groupId]. */
async function delegations(pairs: [number, bigint][]) {
  for (const [n, g] of pairs) {
    if (!(await area.read<boolean>('isConsumer', [consumer(n)])))
      await area.ok(f, 'registerConsumer', [consumer(n), meter(n)]);
    await area.ok(consumer(n), 'delegate', [g]);
  }
}

/** VotingWeightSet logs of a proposal as {groupId: weight}. */
function weights(sent: {
  logs: { eventName: string; args: Record<string, unknown> }[];
}): Record<string, bigint> {
  const out: Record<string, bigint> = {};
  for (const l of sent.logs.filter((l) => l.eventName === 'VotingWeightSet'))
    out[String(l.args.groupId)] = l.args.weight as bigint;
  return out;
}

describe('member groups', () => {
  it('registers a group with its exact event and views', async () => {
    const account = addr('new-group');
    const members = [addr('x1'), addr('x2'), addr('x3')];
    const r = await area.ok(account, 'registerGroup', [3, 'Energy Trust', members]);
    expect(events(r)).toEqual([
      [area.dao, 'GroupRegistered', { groupId: 9n, role: 3, account, name: 'Energy Trust', members }],
    ]);
    const [role, acct, name, count] = await area.read<[number, string, string, bigint]>('group', [9n]);
    expect([role, acct.toLowerCase(), name, count]).toEqual([3, account, 'Energy Trust', 3n]);
    expect(await area.read('groupOf', [account])).toBe(9n);
    expect(await area.read('groupCount')).toBe(9n);
    expect(await area.read('isMember', [9n, members[1]])).toBe(true);
    expect(await area.read('isMember', [9n, addr('nobody')])).toBe(false);
  });

  it('rejects bad registrations', async () => {
    const members = [addr('x1'), addr('x2')];
    expect(await area.fail(addr('r1'), 'registerGroup', [4, 'Regulator', members])).toBe('InvalidRole');
    expect(await area.fail(gen1.account, 'registerGroup', [0, 'Again', members])).toBe('AccountHasGroup');
    expect(await area.fail(f, 'registerGroup', [3, 'Foundation too', members])).toBe('AccountHasGroup');
    expect(await area.fail(addr('r2'), 'registerGroup', [0, 'Solo', [addr('x1')]])).toBe('TooFewMembers');
    expect(await area.fail(addr('r3'), 'registerGroup', [0, 'Twins', [addr('x1'), addr('x1')]])).toBe(
      'DuplicateMember',
    );
  });

  it('adds and removes members, keeping at least two', async () => {
    const m = addr('new-member');
    expect(events(await area.ok(gen1.account, 'addMember', [gen1.id, m]))).toEqual([
      [area.dao, 'MemberAdded', { groupId: gen1.id, member: m }],
    ]);
    expect(await area.read('isMember', [gen1.id, m])).toBe(true);
    expect((await area.read<unknown[]>('group', [gen1.id]))[3]).toBe(3n);
    expect(await area.fail(gen1.account, 'addMember', [gen1.id, m])).toBe('DuplicateMember');
    expect(await area.fail(gen2.account, 'addMember', [gen1.id, addr('y')])).toBe('NotGroupAccount');
    expect(await area.fail(gen1.account, 'addMember', [99n, addr('y')])).toBe('UnknownGroup');
    expect(events(await area.ok(gen1.account, 'removeMember', [gen1.id, m]))).toEqual([
      [area.dao, 'MemberRemoved', { groupId: gen1.id, member: m }],
    ]);
    expect(await area.read('isMember', [gen1.id, m])).toBe(false);
    expect(await area.fail(gen1.account, 'removeMember', [gen1.id, m])).toBe('NotAMember');
    expect(await area.fail(gen2.account, 'removeMember', [gen1.id, addr('gen1-member-0')])).toBe(
      'NotGroupAccount',
    );
    expect(await area.fail(gen1.account, 'removeMember', [gen1.id, addr('gen1-member-0')])).toBe(
      'TooFewMembers',
    );
    // The foundation group is managed by the foundation account.
    await area.ok(f, 'addMember', [FOUNDATION_ID, m]);
    expect((await area.read<unknown[]>('group', [FOUNDATION_ID]))[3]).toBe(4n);
  });
});

describe('consumers and delegation', () => {
  it('lets the foundation register consumers, once each', async () => {
    expect(await area.fail(addr('stranger'), 'registerConsumer', [consumer(1), meter(1)])).toBe(
      'NotDistributionHolder',
    );
    expect(await area.fail(dist.account, 'registerConsumer', [consumer(1), meter(1)])).toBe(
      'NotDistributionHolder',
    );
    expect(events(await area.ok(f, 'registerConsumer', [consumer(1), meter(1)]))).toEqual([
      [area.dao, 'ConsumerRegistered', { consumer: consumer(1), meterId: meter(1), registrar: f }],
    ]);
    expect(await area.read('isConsumer', [consumer(1)])).toBe(true);
    expect(await area.fail(f, 'registerConsumer', [consumer(1), meter(2)])).toBe('ConsumerAlreadyRegistered');
  });

  it('lets the active DISTRIBUTION holder register consumers, not once its lease has ended', async () => {
    await area.grant(2, dist);
    expect(await area.fail(gen1.account, 'registerConsumer', [consumer(1), meter(1)])).toBe(
      'NotDistributionHolder',
    );
    expect(events(await area.ok(dist.account, 'registerConsumer', [consumer(1), meter(1)]))).toEqual([
      [area.dao, 'ConsumerRegistered', { consumer: consumer(1), meterId: meter(1), registrar: dist.account }],
    ]);
    const [, , end] = await area.read<[bigint, bigint, bigint, bigint]>('seat', [2]);
    // Ended but not expired: the seat still shows the holder, who can no longer register.
    expect(
      await area.fail(dist.account, 'registerConsumer', [consumer(2), meter(2)], { at: Number(end) }),
    ).toBe('NotDistributionHolder');
    expect((await area.read<[bigint]>('seat', [2]))[0]).toBe(dist.id);
  });

  it('delegates, re-delegates and undelegates with exact events and counts', async () => {
    expect(await area.fail(consumer(1), 'delegate', [comm1.id])).toBe('NotRegisteredConsumer');
    await area.ok(f, 'registerConsumer', [consumer(1), meter(1)]);
    await area.ok(f, 'registerConsumer', [consumer(2), meter(2)]);
    expect(await area.fail(consumer(1), 'delegate', [0n])).toBe('NotDelegated');
    expect(await area.fail(consumer(1), 'delegate', [99n])).toBe('UnknownGroup');
    expect(await area.fail(consumer(1), 'delegate', [gen1.id])).toBe('NotCommunityGroup');
    expect(events(await area.ok(consumer(1), 'delegate', [comm1.id]))).toEqual([
      [area.dao, 'ConsumerDelegated', { consumer: consumer(1), fromGroupId: 0n, toGroupId: comm1.id }],
    ]);
    expect(await area.fail(consumer(1), 'delegate', [comm1.id])).toBe('AlreadyDelegated');
    await area.ok(consumer(2), 'delegate', [comm1.id]);
    expect(await area.read('delegationsOf', [comm1.id])).toBe(2n);
    expect(await area.read('totalDelegations')).toBe(2n);
    expect(events(await area.ok(consumer(1), 'delegate', [comm2.id]))).toEqual([
      [area.dao, 'ConsumerDelegated', { consumer: consumer(1), fromGroupId: comm1.id, toGroupId: comm2.id }],
    ]);
    expect(await area.read('delegationsOf', [comm1.id])).toBe(1n);
    expect(await area.read('delegationsOf', [comm2.id])).toBe(1n);
    expect(await area.read('totalDelegations')).toBe(2n);
    expect(events(await area.ok(consumer(1), 'delegate', [0n]))).toEqual([
      [area.dao, 'ConsumerDelegated', { consumer: consumer(1), fromGroupId: comm2.id, toGroupId: 0n }],
    ]);
    expect(await area.read('delegationsOf', [comm2.id])).toBe(0n);
    expect(await area.read('totalDelegations')).toBe(1n);
    expect(await area.read('consumerDelegate', [consumer(1)])).toBe(0n);
    expect(await area.read('consumerDelegate', [consumer(2)])).toBe(comm1.id);
  });
});

describe('proposals and weight snapshots', () => {
  it('rejects malformed motions', async () => {
    const p = paramToBytes32('quorumBps');
    const cases: [Address, number, number, bigint, Hex, bigint, string][] = [
      [addr('stranger'), GENERAL, 0, 0n, ZERO32, 0n, 'NotGroupAccount'],
      [gen1.account, 4, 0, 0n, ZERO32, 0n, 'InvalidMotion'],
      [gen1.account, SEAT, 0, gen1.id, p, 0n, 'InvalidMotion'],
      [gen1.account, SEAT, 0, gen1.id, ZERO32, 1n, 'InvalidMotion'],
      [gen1.account, RENEW, 0, gen1.id, ZERO32, 1n, 'InvalidMotion'],
      [gen1.account, PARAM, 1, 0n, p, 6000n, 'InvalidMotion'],
      [gen1.account, PARAM, 0, gen1.id, p, 6000n, 'InvalidMotion'],
      [gen1.account, PARAM, 0, 0n, paramToBytes32('treasury'), 1n, 'InvalidMotion'],
      [gen1.account, PARAM, 0, 0n, ZERO32, 1n, 'InvalidMotion'],
      [gen1.account, GENERAL, 0, 0n, p, 0n, 'InvalidMotion'],
      [gen1.account, GENERAL, 0, 0n, ZERO32, 1n, 'InvalidMotion'],
      [gen1.account, GENERAL, 1, 0n, ZERO32, 0n, 'InvalidMotion'],
      [gen1.account, GENERAL, 0, gen1.id, ZERO32, 0n, 'InvalidMotion'],
      [gen1.account, SEAT, 3, comm1.id, ZERO32, 0n, 'InvalidRole'],
      [gen1.account, RENEW, 4, 0n, ZERO32, 0n, 'InvalidRole'],
      [gen1.account, SEAT, 0, 99n, ZERO32, 0n, 'UnknownGroup'],
      [gen1.account, SEAT, 0, 0n, ZERO32, 0n, 'UnknownGroup'],
      [gen1.account, SEAT, 0, comm1.id, ZERO32, 0n, 'ApplicantRoleMismatch'],
      [gen1.account, RENEW, 0, gen1.id, ZERO32, 0n, 'NoActiveLease'],
    ];
    for (const [from, kind, role, applicant, param, value, error] of cases) {
      expect(
        await area.fail(from, 'propose', [kind, role, applicant, param, value, 'x']),
        `${kind}/${role}/${error}`,
      ).toBe(error);
    }
    expect(await area.read('motionCount')).toBe(0n);
    expect(await area.fail(f, 'motion', [1n])).toBe('UnknownMotion');
  });

  it('proposes with the exact MotionProposed event, a weight per weighing group, and terms fixed in the view', async () => {
    const { id, sent } = await area.propose(gen1.account, GENERAL, 0, 0n, ZERO32, 0n, 'Publish the report');
    const t = BigInt(sent.timestamp);
    const p = TEST_PARAMS;
    expect(events(sent)).toEqual([
      [
        area.dao,
        'MotionProposed',
        {
          motionId: 1n,
          proposerGroupId: gen1.id,
          kind: GENERAL,
          role: 0,
          applicantGroupId: 0n,
          param: ZERO32,
          value: 0n,
          votingStart: t,
          votingEnd: t + p.votingPeriod,
          description: 'Publish the report',
        },
      ],
      [area.dao, 'VotingWeightSet', { motionId: 1n, groupId: FOUNDATION_ID, weight: 50n * E18 }],
    ]);
    expect(id).toBe(1n);
    expect(await area.motion(1n)).toEqual({
      kind: GENERAL,
      role: 0,
      proposerGroupId: gen1.id,
      applicantGroupId: 0n,
      param: ZERO32,
      value: 0n,
      votingStart: t,
      votingEnd: t + p.votingPeriod,
      quorumBps: p.quorumBps,
      seatPrice: p.seatPrice,
      leaseTerm: p.leaseTerm,
      acceptWindow: p.acceptWindow,
      forVotes: 0n,
      againstVotes: 0n,
      abstainVotes: 0n,
      totalWeight: 50n * E18,
      outcome: 0,
      vetoed: false,
      accepted: false,
    });
    expect(await area.read('motionCount')).toBe(1n);
  });

  it('snapshots lease holders, the foundation and the COMMUNITY split (rounded down)', async () => {
    await area.grant(0, gen1);
    await delegations([
      [1, comm1.id],
      [2, comm1.id],
      [3, comm2.id],
    ]);
    const { id, sent } = await area.propose(comm3.account, GENERAL, 0, 0n, ZERO32, 0n);
    const third = (50n * E18) / 3n;
    expect(weights(sent)).toEqual({
      [String(gen1.id)]: 50n * E18,
      [String(FOUNDATION_ID)]: 50n * E18,
      [String(comm1.id)]: (50n * E18 * 2n) / 3n,
      [String(comm2.id)]: third,
    });
    // 33333333333333333333 + 16666666666666666666: one base unit short of the community allocation.
    const total = 100n * E18 + (50n * E18 * 2n) / 3n + third;
    expect(total).toBe(150n * E18 - 1n);
    expect((await area.motion(id)).totalWeight).toBe(total);
    expect(await area.read('weightOf', [id, comm1.id])).toBe(33_333_333_333_333_333_333n);
    for (const g of [gen2, trans, dist, comm3]) expect(await area.read('weightOf', [id, g.id])).toBe(0n);
  });

  it('keeps the cost of propose independent of groups that weigh nothing', async () => {
    await area.propose(gen1.account, GENERAL, 0, 0n, ZERO32, 0n);
    const before = (await area.propose(gen1.account, GENERAL, 0, 0n, ZERO32, 0n)).sent.gasUsed;
    for (let i = 0; i < 12; i++) await area.group(i % 4, `idle-${i}`);
    const after = (await area.propose(gen1.account, GENERAL, 0, 0n, ZERO32, 0n)).sent.gasUsed;
    expect(await area.read('groupCount')).toBe(20n);
    expect(after).toBe(before);
  });

  it('leaves a lapsed (ended, unexpired) lease out of new snapshots', async () => {
    await area.grant(0, gen1);
    const [holder, , end] = await area.read<[bigint, bigint, bigint, bigint]>('seat', [0]);
    expect(holder).toBe(gen1.id);
    const before = await area.propose(gen2.account, GENERAL, 0, 0n, ZERO32, 0n);
    expect(weights(before.sent)[String(gen1.id)]).toBe(50n * E18);
    const after = await area.ok(gen2.account, 'propose', [GENERAL, 0, 0n, ZERO32, 0n, 'x'], {
      at: Number(end),
    });
    expect(weights(after)).toEqual({ [String(FOUNDATION_ID)]: 50n * E18 });
    expect((await area.read<[bigint]>('seat', [0]))[0]).toBe(gen1.id);
  });
});

describe('voting, veto and finalization', () => {
  it('enforces the vote rules and rejects a tie', async () => {
    await delegations([[1, comm1.id]]);
    const { id } = await area.propose(gen1.account, GENERAL, 0, 0n, ZERO32, 0n);
    const m = await area.motion(id);
    expect(await area.fail(addr('stranger'), 'castVote', [id, FOR, ''])).toBe('NotGroupAccount');
    expect(await area.fail(gen1.account, 'castVote', [id, FOR, ''])).toBe('NoVotingWeight');
    expect(await area.fail(f, 'castVote', [id, 3, ''])).toBe('InvalidSupport');
    expect(await area.fail(f, 'castVote', [99n, FOR, ''])).toBe('UnknownMotion');
    expect(events(await area.ok(f, 'castVote', [id, FOR, 'yes']))).toEqual([
      [
        area.dao,
        'VoteCast',
        { motionId: id, groupId: FOUNDATION_ID, voter: f, support: FOR, weight: 50n * E18, reason: 'yes' },
      ],
    ]);
    expect(await area.fail(f, 'castVote', [id, AGAINST, ''])).toBe('AlreadyVoted');
    expect(await area.read('hasVoted', [id, FOUNDATION_ID])).toBe(true);
    const end = Number(m.votingEnd);
    expect(await area.fail(f, 'finalize', [id], { at: end - 2 })).toBe('VotingNotEnded');
    await area.ok(comm1.account, 'castVote', [id, AGAINST, 'no'], { at: end - 1 });
    expect(await area.fail(comm1.account, 'castVote', [id, FOR, ''], { at: end })).toBe('VotingClosed');
    const fin = await area.ok(addr('anyone'), 'finalize', [id]);
    expect(events(fin)).toEqual([
      [
        area.dao,
        'MotionFinalized',
        {
          motionId: id,
          outcome: 2,
          forVotes: 50n * E18,
          againstVotes: 50n * E18,
          abstainVotes: 0n,
          totalWeight: 100n * E18,
        },
      ],
    ]);
    expect(await area.fail(f, 'finalize', [id])).toBe('AlreadyFinalized');
    expect(await area.fail(f, 'finalize', [99n])).toBe('UnknownMotion');
    expect((await area.motion(id)).outcome).toBe(2);
  });

  it('passes exactly at quorum and misses it one base unit below', async () => {
    const quorumArea = async (code: string, community: bigint) => {
      const params: AreaParams = {
        ...TEST_PARAMS,
        allocations: [50n * E18, 50n * E18, 50n * E18, community],
      };
      const a = await TestArea.create(chain, { code, params });
      const c = await a.group(3, `c-${code}`);
      await a.ok(a.foundation, 'registerConsumer', [consumer(9), meter(9)]);
      await a.ok(consumer(9), 'delegate', [c.id]);
      return { a, c };
    };
    // total 100e18, quorum 50%: the foundation's 50e18 alone is exactly at quorum.
    const exact = await quorumArea('QX', 50n * E18);
    const m1 = (await exact.a.propose(exact.a.foundation, GENERAL, 0, 0n, ZERO32, 0n)).id;
    await exact.a.ok(exact.a.foundation, 'castVote', [m1, FOR, '']);
    const end1 = Number((await exact.a.motion(m1)).votingEnd);
    const fin1 = await exact.a.ok(exact.a.foundation, 'finalize', [m1], { at: end1 });
    expect(events(fin1)[0][2]).toMatchObject({ outcome: 1, forVotes: 50n * E18, totalWeight: 100n * E18 });
    // total 100e18 + 2: quorum needs 50e18 + 1; the foundation is one unit short.
    const short = await quorumArea('QS', 50n * E18 + 2n);
    const m2 = (await short.a.propose(short.a.foundation, GENERAL, 0, 0n, ZERO32, 0n)).id;
    await short.a.ok(short.a.foundation, 'castVote', [m2, FOR, '']);
    const fin2 = await short.a.finalizeAfterVoting(m2);
    expect(events(fin2)[0][2]).toMatchObject({
      outcome: 3,
      forVotes: 50n * E18,
      totalWeight: 100n * E18 + 2n,
    });
    // Abstentions count towards quorum, and for must exceed against to pass.
    const m3 = (await short.a.propose(short.a.foundation, GENERAL, 0, 0n, ZERO32, 0n)).id;
    await short.a.ok(short.c.account, 'castVote', [m3, ABSTAIN, '']);
    const fin3 = await short.a.finalizeAfterVoting(m3);
    expect(events(fin3)[0][2]).toMatchObject({
      outcome: 2,
      forVotes: 0n,
      againstVotes: 0n,
      abstainVotes: 50n * E18 + 2n,
    });
  });

  it('lets only the foundation veto, before votingEnd; a vetoed motion finalizes at once', async () => {
    await delegations([[1, comm1.id]]);
    const { id } = await area.propose(gen1.account, GENERAL, 0, 0n, ZERO32, 0n);
    await area.ok(comm1.account, 'castVote', [id, FOR, '']);
    expect(await area.fail(comm1.account, 'veto', [id, 'no'])).toBe('NotFoundation');
    expect(await area.fail(f, 'veto', [99n, 'no'])).toBe('UnknownMotion');
    expect(events(await area.ok(f, 'veto', [id, 'Breaks the grid code']))).toEqual([
      [area.dao, 'MotionVetoed', { motionId: id, reason: 'Breaks the grid code' }],
    ]);
    expect(await area.fail(f, 'castVote', [id, FOR, ''])).toBe('MotionIsVetoed');
    expect(await area.fail(f, 'veto', [id, 'again'])).toBe('MotionIsVetoed');
    expect(events(await area.ok(gen2.account, 'finalize', [id]))).toEqual([
      [
        area.dao,
        'MotionFinalized',
        {
          motionId: id,
          outcome: 4,
          forVotes: 50n * E18,
          againstVotes: 0n,
          abstainVotes: 0n,
          totalWeight: 100n * E18,
        },
      ],
    ]);
    expect((await area.motion(id)).vetoed).toBe(true);
    const other = await area.propose(gen1.account, GENERAL, 0, 0n, ZERO32, 0n);
    const end = Number((await area.motion(other.id)).votingEnd);
    expect(await area.fail(f, 'veto', [other.id, 'late'], { at: end })).toBe('VotingClosed');
  });
});

describe('parameter changes', () => {
  const change = async (name: string, value: bigint) => {
    const { id } = await area.propose(gen1.account, PARAM, 0, 0n, paramToBytes32(name), value);
    await area.ok(f, 'castVote', [id, FOR, '']);
    return { id, fin: await area.finalizeAfterVoting(id) };
  };

  it('applies a passed change inside finalize: ParameterChanged, then MotionFinalized', async () => {
    const { id, fin } = await change('quorumBps', 6000n);
    expect(events(fin)).toEqual([
      [
        area.dao,
        'ParameterChanged',
        { param: paramToBytes32('quorumBps'), oldValue: 5000n, newValue: 6000n, motionId: id },
      ],
      [
        area.dao,
        'MotionFinalized',
        {
          motionId: id,
          outcome: 1,
          forVotes: 50n * E18,
          againstVotes: 0n,
          abstainVotes: 0n,
          totalWeight: 50n * E18,
        },
      ],
    ]);
    expect((await area.read<{ quorumBps: number }>('params')).quorumBps).toBe(6000);
    await change('seatPrice', 0n);
    expect((await area.read<{ seatPrice: bigint }>('params')).seatPrice).toBe(0n);
  });

  it('allows one open PARAMETER_CHANGE per area', async () => {
    const p = paramToBytes32('seatPrice');
    const { id } = await area.propose(gen1.account, PARAM, 0, 0n, p, 5n);
    expect(await area.fail(gen2.account, 'propose', [PARAM, 0, 0n, p, 6n, ''])).toBe(
      'ParameterChangeAlreadyOpen',
    );
    // Still open after votingEnd until finalized; a rejected change changes nothing.
    await area.ok(f, 'castVote', [id, AGAINST, '']);
    const end = Number((await area.motion(id)).votingEnd);
    expect(await area.fail(gen2.account, 'propose', [PARAM, 0, 0n, p, 6n, ''], { at: end })).toBe(
      'ParameterChangeAlreadyOpen',
    );
    const fin = await area.ok(f, 'finalize', [id]);
    expect(fin.logs.map((l) => l.eventName)).toEqual(['MotionFinalized']);
    expect((await area.read<{ seatPrice: bigint }>('params')).seatPrice).toBe(TEST_PARAMS.seatPrice);
    await area.ok(gen2.account, 'propose', [PARAM, 0, 0n, p, 6n, '']);
  });

  it.each<[string, bigint]>([
    ['leaseTerm', BigInt(10 * DAY)], // not above renewalWindow
    ['leaseTerm', BigInt(3650 * DAY + 1)],
    ['leaseTerm', 2n ** 64n + BigInt(30 * DAY)],
    ['votingPeriod', BigInt(HOUR - 1)],
    ['votingPeriod', BigInt(8 * DAY)], // renewalWindow 10d < 8d + 3d
    ['quorumBps', 0n],
    ['quorumBps', 10_001n],
    ['quorumBps', 65_536n + 5000n],
    ['acceptWindow', BigInt(HOUR - 1)],
    ['acceptWindow', BigInt(9 * DAY)],
    ['renewalWindow', BigInt(5 * DAY - 1)],
    ['renewalWindow', BigInt(30 * DAY)], // not below leaseTerm
  ])('rejects %s = %s with InvalidParameterValue', async (name, value) => {
    expect(await area.fail(gen1.account, 'propose', [PARAM, 0, 0n, paramToBytes32(name), value, ''])).toBe(
      'InvalidParameterValue',
    );
  });

  it('keeps the terms in force at proposal for motions already proposed', async () => {
    const seat = await area.propose(gen1.account, SEAT, 0, gen1.id, ZERO32, 0n);
    await area.ok(f, 'castVote', [seat.id, FOR, '']);
    await change('seatPrice', 300n * E18);
    await area.finalizeAfterVoting(seat.id);
    await change('leaseTerm', BigInt(20 * DAY));
    const m = await area.motion(seat.id);
    expect([m.seatPrice, m.leaseTerm]).toEqual([100n * E18, BigInt(30 * DAY)]);
    const accepted = await area.ok(gen1.account, 'acceptLease', [seat.id]);
    const t = BigInt(accepted.timestamp);
    expect(events(accepted)).toEqual([
      [ggu, 'Transfer', { from: gen1.account, to: area.dao, value: 100n * E18 }],
      [area.token, 'Transfer', { from: area.dao, to: gen1.account, value: 50n * E18 }],
      [
        area.dao,
        'LeaseGranted',
        {
          role: 0,
          groupId: gen1.id,
          motionId: seat.id,
          start: t,
          end: t + BigInt(30 * DAY),
          tokens: 50n * E18,
          price: 100n * E18,
        },
      ],
    ]);
    const later = await area.propose(gen2.account, GENERAL, 0, 0n, ZERO32, 0n);
    const lm = await area.motion(later.id);
    expect([lm.seatPrice, lm.leaseTerm]).toEqual([300n * E18, BigInt(20 * DAY)]);
  });
});

describe('leases', () => {
  it('grants a seat: payment first, then the allocation, then LeaseGranted', async () => {
    const { id, accepted } = await area.grant(0, gen1);
    const t = BigInt(accepted.timestamp);
    const end = t + TEST_PARAMS.leaseTerm;
    expect(events(accepted)).toEqual([
      [ggu, 'Transfer', { from: gen1.account, to: area.dao, value: 100n * E18 }],
      [area.token, 'Transfer', { from: area.dao, to: gen1.account, value: 50n * E18 }],
      [
        area.dao,
        'LeaseGranted',
        { role: 0, groupId: gen1.id, motionId: id, start: t, end, tokens: 50n * E18, price: 100n * E18 },
      ],
    ]);
    expect(await area.read('seat', [0])).toEqual([gen1.id, t, end, 50n * E18]);
    expect(await gguBalance(area.dao)).toBe(100n * E18);
    expect(await govBalance(gen1.account)).toBe(50n * E18);
    expect(await govBalance(area.dao)).toBe(150n * E18);
    expect((await area.motion(id)).accepted).toBe(true);
    // The holder cannot move its governance tokens.
    expect(
      await chain.fail(gen1.account, area.token, AreaGovernanceTokenAbi as Abi, 'transfer', [
        gen2.account,
        1n,
      ]),
    ).toBe('TransferRestricted');
  });

  it('enforces the acceptance rules and the accept window', async () => {
    const a = await area.propose(gen1.account, SEAT, 0, gen1.id, ZERO32, 0n);
    const b = await area.propose(trans.account, SEAT, 1, trans.id, ZERO32, 0n);
    const g = await area.propose(gen1.account, GENERAL, 0, 0n, ZERO32, 0n);
    const r = await area.propose(dist.account, SEAT, 2, dist.id, ZERO32, 0n);
    await area.ok(f, 'castVote', [a.id, FOR, '']);
    await area.ok(f, 'castVote', [b.id, FOR, '']);
    await area.ok(f, 'castVote', [g.id, FOR, '']);
    await area.ok(f, 'castVote', [r.id, AGAINST, '']);
    expect(await area.fail(gen1.account, 'acceptLease', [a.id])).toBe('NotPassed');
    const end = Number((await area.motion(a.id)).votingEnd);
    for (const m of [a, b, g, r])
      await area.ok(f, 'finalize', [m.id], { at: Math.max(end, (await now()) + 1) });
    expect(await area.fail(gen1.account, 'acceptLease', [99n])).toBe('UnknownMotion');
    expect(await area.fail(gen1.account, 'acceptLease', [g.id])).toBe('InvalidMotion');
    expect(await area.fail(dist.account, 'acceptLease', [r.id])).toBe('NotPassed');
    expect(await area.fail(gen2.account, 'acceptLease', [a.id])).toBe('NotGroupAccount');
    const last = end + Number(TEST_PARAMS.acceptWindow);
    await area.ok(trans.account, 'acceptLease', [b.id], { at: last });
    expect(await area.fail(trans.account, 'acceptLease', [b.id])).toBe('AlreadyAccepted');
    expect(await area.fail(gen1.account, 'acceptLease', [a.id], { at: last + 1 })).toBe('AcceptWindowClosed');
  });

  it('lets the first accepted of competing applications take the seat', async () => {
    const a = await area.propose(gen1.account, SEAT, 0, gen1.id, ZERO32, 0n);
    const b = await area.propose(f, SEAT, 0, gen2.id, ZERO32, 0n);
    await area.ok(f, 'castVote', [a.id, FOR, '']);
    await area.ok(f, 'castVote', [b.id, FOR, '']);
    await area.finalizeAfterVoting(a.id);
    await area.ok(f, 'finalize', [b.id]);
    const won = await area.ok(gen2.account, 'acceptLease', [b.id]);
    expect(won.logs.at(-1)!.eventName).toBe('LeaseGranted');
    expect(await area.fail(gen1.account, 'acceptLease', [a.id])).toBe('SeatNotVacant');
    expect(await area.fail(gen1.account, 'propose', [SEAT, 0, gen1.id, ZERO32, 0n, ''])).toBe(
      'SeatNotVacant',
    );
    expect((await area.read<[bigint]>('seat', [0]))[0]).toBe(gen2.id);
  });

  it('expires a lease once ended: tokens back to the DAO, then LeaseExpired', async () => {
    await area.grant(0, gen1);
    const [, , end] = await area.read<[bigint, bigint, bigint, bigint]>('seat', [0]);
    expect(await area.fail(gen2.account, 'expireLease', [0], { at: Number(end) - 1 })).toBe('LeaseNotEnded');
    const expired = await area.ok(addr('anyone'), 'expireLease', [0], { at: Number(end) });
    expect(events(expired)).toEqual([
      [area.token, 'Transfer', { from: gen1.account, to: area.dao, value: 50n * E18 }],
      [area.dao, 'LeaseExpired', { role: 0, groupId: gen1.id, at: end }],
    ]);
    expect(await area.read('seat', [0])).toEqual([0n, 0n, 0n, 50n * E18]);
    expect(await govBalance(gen1.account)).toBe(0n);
    expect(await gguBalance(area.dao)).toBe(100n * E18);
    expect(await area.fail(gen2.account, 'expireLease', [0])).toBe('NoActiveLease');
    expect(await area.fail(gen2.account, 'expireLease', [3])).toBe('InvalidRole');
  });

  it('expires an ended, unexpired lease inside the next acceptLease', async () => {
    await area.grant(0, gen1);
    const [, , end] = await area.read<[bigint, bigint, bigint, bigint]>('seat', [0]);
    const next = await area.ok(gen2.account, 'propose', [SEAT, 0, gen2.id, ZERO32, 0n, ''], {
      at: Number(end) + 10,
    });
    const id = await area.motionId(next);
    await area.ok(f, 'castVote', [id, FOR, '']);
    await area.finalizeAfterVoting(id);
    const accepted = await area.ok(gen2.account, 'acceptLease', [id]);
    const t = BigInt(accepted.timestamp);
    expect(events(accepted)).toEqual([
      [ggu, 'Transfer', { from: gen2.account, to: area.dao, value: 100n * E18 }],
      [area.token, 'Transfer', { from: gen1.account, to: area.dao, value: 50n * E18 }],
      [area.dao, 'LeaseExpired', { role: 0, groupId: gen1.id, at: t }],
      [area.token, 'Transfer', { from: area.dao, to: gen2.account, value: 50n * E18 }],
      [
        area.dao,
        'LeaseGranted',
        {
          role: 0,
          groupId: gen2.id,
          motionId: id,
          start: t,
          end: t + BigInt(30 * DAY),
          tokens: 50n * E18,
          price: 100n * E18,
        },
      ],
    ]);
  });

  it('renews only inside the renewal window, one renewal at a time, extending from the previous end', async () => {
    await area.grant(0, gen1);
    const [, , end] = await area.read<[bigint, bigint, bigint, bigint]>('seat', [0]);
    const windowOpens = Number(end) - Number(TEST_PARAMS.renewalWindow);
    expect(await area.fail(gen1.account, 'propose', [RENEW, 0, gen2.id, ZERO32, 0n, ''])).toBe(
      'NotLeaseHolder',
    );
    expect(
      await area.fail(gen1.account, 'propose', [RENEW, 0, gen1.id, ZERO32, 0n, ''], { at: windowOpens - 1 }),
    ).toBe('OutsideRenewalWindow');
    const first = await area.motionId(
      await area.ok(gen1.account, 'propose', [RENEW, 0, gen1.id, ZERO32, 0n, ''], { at: windowOpens }),
    );
    expect(await area.fail(f, 'propose', [RENEW, 0, gen1.id, ZERO32, 0n, ''])).toBe('RenewalAlreadyOpen');
    await area.ok(f, 'castVote', [first, AGAINST, '']);
    await area.ok(gen1.account, 'castVote', [first, FOR, '']);
    await area.finalizeAfterVoting(first); // tie: rejected, so no longer open
    const second = (await area.propose(f, RENEW, 0, gen1.id, ZERO32, 0n)).id;
    await area.ok(f, 'castVote', [second, FOR, '']);
    await area.finalizeAfterVoting(second);
    expect(await area.fail(f, 'propose', [RENEW, 0, gen1.id, ZERO32, 0n, ''])).toBe('RenewalAlreadyOpen'); // passed, not accepted
    const renewed = await area.ok(gen1.account, 'acceptLease', [second]);
    const newEnd = end + TEST_PARAMS.leaseTerm;
    expect(events(renewed)).toEqual([
      [ggu, 'Transfer', { from: gen1.account, to: area.dao, value: 100n * E18 }],
      [area.dao, 'LeaseRenewed', { role: 0, groupId: gen1.id, motionId: second, newEnd, price: 100n * E18 }],
    ]);
    expect((await area.read<[bigint, bigint, bigint]>('seat', [0]))[2]).toBe(newEnd);
    expect(await govBalance(gen1.account)).toBe(50n * E18);
  });

  it('cannot renew a lease that was expired in the meantime', async () => {
    await area.grant(0, gen1);
    const [, , end] = await area.read<[bigint, bigint, bigint, bigint]>('seat', [0]);
    const id = await area.motionId(
      await area.ok(gen1.account, 'propose', [RENEW, 0, gen1.id, ZERO32, 0n, ''], {
        at: Number(end) - 3 * DAY,
      }),
    );
    await area.ok(f, 'castVote', [id, FOR, '']);
    await area.ok(gen1.account, 'castVote', [id, FOR, '']);
    await area.finalizeAfterVoting(id);
    await area.ok(gen2.account, 'expireLease', [0], { at: Number(end) });
    expect(await area.fail(gen1.account, 'acceptLease', [id])).toBe('NotLeaseHolder');
  });
});
