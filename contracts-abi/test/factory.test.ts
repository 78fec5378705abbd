/** GGNFactory, GGNUtilityToken and AreaGovernanceToken: area creation, validation, token rules. */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Abi, Address, Hex } from 'viem';
import {
  AreaGovernanceTokenAbi,
  GGNFactoryAbi,
  GGNFactoryDeployedBytecode,
  GGNUtilityTokenAbi,
  ggnErrorsAbi,
  type AreaParams,
} from '../src/index.js';
import { DAY, E18, HOUR, TEST_PARAMS, TestArea, TestChain, addr, events } from './helpers.js';

let chain: TestChain;
let snap: Hex;
beforeAll(async () => {
  chain = await TestChain.start();
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

const factoryAbi = GGNFactoryAbi as Abi;
const createArea = (
  from: Address,
  code: string,
  params: AreaParams,
  members = [addr('m1'), addr('m2')],
  foundation = addr('f'),
) =>
  chain.fail(from, chain.deployment.factory, factoryAbi, 'createArea', [
    'Area',
    code,
    params,
    foundation,
    members,
  ]);

describe('deployment', () => {
  it('deploys the utility token and the factory at deterministic addresses from account 0', async () => {
    const d = chain.deployment;
    expect(d.foundation).toBe('0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266');
    expect(d.utilityToken).toBe('0x5fbdb2315678afecb367f032d93f642f64180aa3');
    expect(d.factory).toBe('0xe7f1725e7734ce288f8367e1bb143e90bb3f0512');
    expect(d.chainId).toBe(31337);
    expect(await chain.read(d.factory, factoryAbi, 'owner')).toBe(
      '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
    );
    expect((await chain.read<string>(d.factory, factoryAbi, 'utilityToken')).toLowerCase()).toBe(
      d.utilityToken,
    );
    expect(await chain.read(d.factory, factoryAbi, 'areaCount')).toBe(0n);
    const code = await chain.rpc.call<string>('eth_getCode', [d.factory, 'latest']);
    // Same code as compiled, except the immutables (owner, utility token) filled in.
    expect(code.length).toBe(GGNFactoryDeployedBytecode.length);
    expect((code.length - 2) / 2).toBeLessThan(24_576);
  });

  it('exposes every custom error of the spec in the merged error ABI', () => {
    const names = new Set<string>(ggnErrorsAbi.map((e) => e.name));
    for (const n of [
      'NotOwner',
      'NotFoundation',
      'NotGroupAccount',
      'NotDistributionHolder',
      'NotRegisteredConsumer',
      'ConsumerAlreadyRegistered',
      'InvalidParams',
      'InvalidParameterValue',
      'DuplicateAreaCode',
      'InvalidRole',
      'TooFewMembers',
      'DuplicateMember',
      'NotAMember',
      'AccountHasGroup',
      'UnknownGroup',
      'NotCommunityGroup',
      'AlreadyDelegated',
      'NotDelegated',
      'UnknownMotion',
      'InvalidMotion',
      'ApplicantRoleMismatch',
      'SeatNotVacant',
      'NotLeaseHolder',
      'OutsideRenewalWindow',
      'RenewalAlreadyOpen',
      'ParameterChangeAlreadyOpen',
      'InvalidSupport',
      'NoVotingWeight',
      'AlreadyVoted',
      'VotingClosed',
      'VotingNotEnded',
      'AlreadyFinalized',
      'MotionIsVetoed',
      'NotPassed',
      'AcceptWindowClosed',
      'AlreadyAccepted',
      'NoActiveLease',
      'LeaseNotEnded',
      'TransferRestricted',
      'AlreadyInitialized',
    ]) {
      expect(names.has(n), n).toBe(true);
    }
  });
});

describe('createArea', () => {
  it('emits the DAO constructor events, the mints, then AreaCreated, in that log order', async () => {
    const foundation = addr('fnd');
    const members = [addr('a'), addr('b'), addr('c')];
    const area = await TestArea.create(chain, { name: 'North', code: 'NO', foundation, members });
    const { dao, token } = area;
    const p = TEST_PARAMS;
    expect(events(area.creation)).toEqual([
      [
        dao,
        'AreaInitialized',
        {
          areaId: 1n,
          token,
          leaseTerm: p.leaseTerm,
          votingPeriod: p.votingPeriod,
          quorumBps: p.quorumBps,
          acceptWindow: p.acceptWindow,
          renewalWindow: p.renewalWindow,
          seatPrice: p.seatPrice,
        },
      ],
      [dao, 'SeatConfigured', { role: 0, allocation: 50n * E18 }],
      [dao, 'SeatConfigured', { role: 1, allocation: 50n * E18 }],
      [dao, 'SeatConfigured', { role: 2, allocation: 50n * E18 }],
      [dao, 'SeatConfigured', { role: 3, allocation: 50n * E18 }],
      [dao, 'SeatConfigured', { role: 4, allocation: 50n * E18 }],
      [
        dao,
        'GroupRegistered',
        { groupId: 1n, role: 4, account: foundation, name: 'Foundation Members Group', members },
      ],
      [token, 'Transfer', { from: '0x0000000000000000000000000000000000000000', to: dao, value: 200n * E18 }],
      [
        token,
        'Transfer',
        { from: '0x0000000000000000000000000000000000000000', to: foundation, value: 50n * E18 },
      ],
      [chain.deployment.factory, 'AreaCreated', { areaId: 1n, dao, token, name: 'North', code: 'NO' }],
    ]);
    const f = chain.deployment.factory;
    expect(await chain.read(f, factoryAbi, 'areaCount')).toBe(1n);
    expect((await chain.read<string>(f, factoryAbi, 'areaDao', [1n])).toLowerCase()).toBe(dao);
    const tokenAbi = AreaGovernanceTokenAbi as Abi;
    expect(await chain.read(token, tokenAbi, 'name')).toBe('GGN Governance North');
    expect(await chain.read(token, tokenAbi, 'symbol')).toBe('GOV-NO');
    expect(await chain.read(token, tokenAbi, 'decimals')).toBe(18);
    expect(await chain.read(token, tokenAbi, 'totalSupply')).toBe(250n * E18);
    // DAO views
    expect(await area.read('areaId')).toBe(1n);
    expect((await area.read<string>('token')).toLowerCase()).toBe(token);
    expect((await area.read<string>('utilityToken')).toLowerCase()).toBe(chain.deployment.utilityToken);
    expect((await area.read<string>('foundationAccount')).toLowerCase()).toBe(foundation);
    expect(await area.read('params')).toEqual({ ...p, allocations: [...p.allocations] });
    expect(await area.read('seat', [0])).toEqual([0n, 0n, 0n, 50n * E18]);
    expect(await area.read('seat', [3])).toEqual([0n, 0n, 0n, 50n * E18]);
    expect(await area.read('seat', [4])).toEqual([1n, BigInt(area.creation.timestamp), 0n, 50n * E18]);
    expect(await area.fail(foundation, 'seat', [5])).toBe('InvalidRole');
    expect(await area.read('group', [1n])).toEqual([
      4,
      expect.stringMatching(/0x/i),
      'Foundation Members Group',
      3n,
    ]);
    expect(await area.read('groupOf', [foundation])).toBe(1n);
    expect(await area.read('groupCount')).toBe(1n);
    expect(await area.read('isMember', [1n, members[2]])).toBe(true);
    expect(await area.read('motionCount')).toBe(0n);
  });

  it('accepts the extremes of the validation table (and a zero seat price)', async () => {
    const extremesLow: AreaParams = {
      ...TEST_PARAMS,
      allocations: [1n, 1n, 1n, 1n],
      foundationAllocation: 1n,
      leaseTerm: BigInt(DAY),
      votingPeriod: BigInt(HOUR),
      quorumBps: 1,
      acceptWindow: BigInt(HOUR),
      renewalWindow: BigInt(2 * HOUR),
      seatPrice: 0n,
    };
    expect(await createArea(chain.owner, 'LOW', extremesLow)).toBe('(no revert)');
    const extremesHigh: AreaParams = {
      ...TEST_PARAMS,
      leaseTerm: BigInt(3650 * DAY),
      votingPeriod: BigInt(90 * DAY),
      quorumBps: 10_000,
      acceptWindow: BigInt(90 * DAY),
      renewalWindow: BigInt(3649 * DAY),
    };
    expect(await createArea(chain.owner, 'HIGH', extremesHigh)).toBe('(no revert)');
  });

  it.each<[string, Partial<AreaParams>]>([
    ['a zero seat allocation', { allocations: [50n * E18, 0n, 50n * E18, 50n * E18] }],
    ['a zero foundation allocation', { foundationAllocation: 0n }],
    [
      'leaseTerm under 1 day',
      {
        leaseTerm: BigInt(DAY - 1),
        renewalWindow: BigInt(2 * HOUR),
        votingPeriod: BigInt(HOUR),
        acceptWindow: BigInt(HOUR),
      },
    ],
    ['leaseTerm over 10 years', { leaseTerm: BigInt(3650 * DAY + 1) }],
    ['leaseTerm not above renewalWindow', { leaseTerm: BigInt(10 * DAY), renewalWindow: BigInt(10 * DAY) }],
    ['votingPeriod under 1 hour', { votingPeriod: BigInt(HOUR - 1) }],
    [
      'votingPeriod over 90 days',
      { votingPeriod: BigInt(90 * DAY + 1), renewalWindow: BigInt(100 * DAY), leaseTerm: BigInt(200 * DAY) },
    ],
    ['quorumBps 0', { quorumBps: 0 }],
    ['quorumBps over 10000', { quorumBps: 10_001 }],
    ['acceptWindow under 1 hour', { acceptWindow: BigInt(HOUR - 1) }],
    [
      'acceptWindow over 90 days',
      { acceptWindow: BigInt(90 * DAY + 1), renewalWindow: BigInt(100 * DAY), leaseTerm: BigInt(200 * DAY) },
    ],
    ['renewalWindow under votingPeriod + acceptWindow', { renewalWindow: BigInt(5 * DAY - 1) }],
  ])('rejects %s with InvalidParams', async (_, change) => {
    expect(await createArea(chain.owner, 'BAD', { ...TEST_PARAMS, ...change })).toBe('InvalidParams');
  });

  it('is owner only, needs unique codes and two distinct foundation members', async () => {
    expect(await createArea(addr('stranger'), 'X', TEST_PARAMS)).toBe('NotOwner');
    expect(await createArea(chain.owner, 'X', TEST_PARAMS)).toBe('(no revert)');
    expect(await createArea(chain.owner, 'X', TEST_PARAMS)).toBe('DuplicateAreaCode');
    expect(await createArea(chain.owner, '', TEST_PARAMS)).toBe('InvalidParams');
    expect(
      await createArea(
        chain.owner,
        'Z',
        TEST_PARAMS,
        undefined,
        '0x0000000000000000000000000000000000000000',
      ),
    ).toBe('InvalidParams');
    expect(await createArea(chain.owner, 'Y', TEST_PARAMS, [addr('m1')])).toBe('TooFewMembers');
    expect(await createArea(chain.owner, 'Y', TEST_PARAMS, [addr('m1'), addr('m1')])).toBe('DuplicateMember');
    expect(await createArea(chain.owner, 'Y', TEST_PARAMS)).toBe('(no revert)');
    expect(await chain.read(chain.deployment.factory, factoryAbi, 'areaCount')).toBe(2n);
  });
});

describe('tokens', () => {
  const gguAbi = GGNUtilityTokenAbi as Abi;
  it('GGU: 18 decimals, owner-only mint, standard transfers and allowances', async () => {
    const ggu = chain.deployment.utilityToken;
    const [a, b] = [addr('holder-a'), addr('holder-b')];
    expect(await chain.read(ggu, gguAbi, 'symbol')).toBe('GGU');
    expect(await chain.read(ggu, gguAbi, 'decimals')).toBe(18);
    expect(await chain.fail(a, ggu, gguAbi, 'mint', [a, 1n])).toBe('NotOwner');
    const minted = await chain.ok(chain.owner, ggu, gguAbi, 'mint', [a, 10n * E18]);
    expect(events(minted)).toEqual([
      [ggu, 'Transfer', { from: '0x0000000000000000000000000000000000000000', to: a, value: 10n * E18 }],
    ]);
    expect(events(await chain.ok(a, ggu, gguAbi, 'transfer', [b, E18]))).toEqual([
      [ggu, 'Transfer', { from: a, to: b, value: E18 }],
    ]);
    expect(await chain.fail(b, ggu, gguAbi, 'transferFrom', [a, b, 1n])).toBe('InsufficientAllowance');
    expect(events(await chain.ok(a, ggu, gguAbi, 'approve', [b, 2n * E18]))).toEqual([
      [ggu, 'Approval', { owner: a, spender: b, value: 2n * E18 }],
    ]);
    await chain.ok(b, ggu, gguAbi, 'transferFrom', [a, b, E18]);
    expect(await chain.read(ggu, gguAbi, 'allowance', [a, b])).toBe(E18);
    expect(await chain.read(ggu, gguAbi, 'balanceOf', [b])).toBe(2n * E18);
    expect(await chain.fail(b, ggu, gguAbi, 'transfer', [a, 3n * E18])).toBe('InsufficientBalance');
  });

  it('governance tokens cannot be moved by holders; initialize is one-time and factory-only', async () => {
    const area = await TestArea.create(chain, { code: 'TOK' });
    const tokenAbi = AreaGovernanceTokenAbi as Abi;
    expect(await chain.read(area.token, tokenAbi, 'balanceOf', [area.foundation])).toBe(50n * E18);
    expect(await chain.fail(area.foundation, area.token, tokenAbi, 'transfer', [addr('x'), 1n])).toBe(
      'TransferRestricted',
    );
    await chain.ok(area.foundation, area.token, tokenAbi, 'approve', [addr('x'), 10n * E18]);
    expect(
      await chain.fail(addr('x'), area.token, tokenAbi, 'transferFrom', [area.foundation, addr('x'), 1n]),
    ).toBe('TransferRestricted');
    expect(await chain.read(area.token, tokenAbi, 'balanceOf', [area.foundation])).toBe(50n * E18);
    expect(await chain.fail(addr('x'), area.token, tokenAbi, 'initialize', [addr('x'), addr('x')])).toBe(
      'NotOwner',
    );
    // The factory itself (impersonated) cannot initialize twice.
    expect(
      await chain.fail(chain.deployment.factory, area.token, tokenAbi, 'initialize', [addr('x'), addr('x')]),
    ).toBe('AlreadyInitialized');
  });
});
