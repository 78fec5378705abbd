// Acceptance: the devnet's default history indexes without a handler error, and
// the indexed state equals the contracts' own view functions (protocol.md
// "Views") at the head and at sampled past blocks (store.getAt vs eth_call at
// that block): area parameters and counters, seats, groups, delegations, motion
// tallies, weights and outcomes, consumers, token balances and supply.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublicClient, http, type Address } from 'viem';
import {
  AreaDAOAbi,
  AreaGovernanceTokenAbi,
  GGNFactoryAbi,
  MOTION_KIND_NAMES,
  ROLE_NAMES,
} from '@ggn/contracts-abi';
import type { Entity, Value } from '../../src/schema/values.js';
import type { Indexer, IndexingSummary } from '../../src/indexer.js';
import { indexChain, startDevChain, type DevChain } from './fixture.js';

let chain: DevChain;
let indexer: Indexer;
let summary: IndexingSummary;

beforeAll(async () => {
  chain = await startDevChain();
  ({ indexer, summary } = await indexChain(chain.anvil.rpcUrl, chain.subgraphDir));
});

afterAll(async () => {
  await indexer?.close();
  await chain?.anvil.stop();
});

/** An entity field as a plain JS value (Bytes as lowercase hex). */
function field(e: Entity, name: string): unknown {
  const v: Value | undefined = e.get(name);
  if (!v || v.kind === 'Null') return null;
  if (v.kind === 'Bytes') return `0x${Buffer.from(v.value).toString('hex')}`;
  if (v.kind === 'Array') throw new Error(`${name} is a list`);
  if (v.kind === 'BigDecimal') throw new Error(`${name} is a BigDecimal`);
  return v.value;
}

type Reader = (type: string, id: string) => Entity | null;

/** Compares every view of every area at `block` with the store's entities at that block. */
async function compareWithViews(block: number, read: Reader): Promise<number> {
  const client = createPublicClient({ transport: http(chain.anvil.rpcUrl, { batch: { batchSize: 200 } }) });
  const blockNumber = BigInt(block);
  const call = <T>(address: Address, abi: readonly unknown[], functionName: string, args: unknown[] = []) =>
    client.readContract({
      address,
      abi: abi as never,
      functionName: functionName as never,
      args: args as never,
      blockNumber,
    }) as Promise<T>;
  let checks = 0;
  const eq = (actual: unknown, expected: unknown, what: string) => {
    expect(actual, `${what} at block ${block}`).toEqual(expected);
    checks++;
  };
  const ref = (id: unknown, areaId: number) => (id === 0n ? null : `${areaId}-${id}`);

  const factory = chain.deployment.factory;
  const areaCount = Number(await call<bigint>(factory, GGNFactoryAbi, 'areaCount'));
  for (let areaId = 1; areaId <= areaCount; areaId++) {
    const dao = (
      await call<Address>(factory, GGNFactoryAbi, 'areaDao', [BigInt(areaId)])
    ).toLowerCase() as Address;
    const area = read('Area', String(areaId));
    expect(area, `Area ${areaId} at block ${block}`).not.toBeNull();
    const token = field(area!, 'token') as Address;
    eq(field(area!, 'dao'), dao, `area ${areaId} dao`);
    eq(token, (await call<Address>(dao, AreaDAOAbi, 'token')).toLowerCase(), `area ${areaId} token`);

    const p = await call<{
      leaseTerm: bigint;
      votingPeriod: bigint;
      quorumBps: number;
      acceptWindow: bigint;
      renewalWindow: bigint;
      seatPrice: bigint;
      allocations: readonly bigint[];
      foundationAllocation: bigint;
    }>(dao, AreaDAOAbi, 'params');
    eq(
      ['leaseTerm', 'votingPeriod', 'quorumBps', 'acceptWindow', 'renewalWindow', 'seatPrice'].map((f) =>
        field(area!, f),
      ),
      [p.leaseTerm, p.votingPeriod, p.quorumBps, p.acceptWindow, p.renewalWindow, p.seatPrice],
      `area ${areaId} params`,
    );
    const groupCount = Number(await call<bigint>(dao, AreaDAOAbi, 'groupCount'));
    const motionCount = Number(await call<bigint>(dao, AreaDAOAbi, 'motionCount'));
    eq(field(area!, 'groupCount'), groupCount, `area ${areaId} groupCount`);
    eq(field(area!, 'motionCount'), motionCount, `area ${areaId} motionCount`);
    eq(
      BigInt(field(area!, 'totalDelegations') as number),
      await call<bigint>(dao, AreaDAOAbi, 'totalDelegations'),
      `area ${areaId} totalDelegations`,
    );
    eq(
      field(area!, 'totalSupply'),
      await call<bigint>(token, AreaGovernanceTokenAbi, 'totalSupply'),
      `area ${areaId} totalSupply`,
    );

    // Seats.
    for (let role = 0; role <= 4; role++) {
      const [holder, start, end, allocation] = await call<readonly [bigint, bigint, bigint, bigint]>(
        dao,
        AreaDAOAbi,
        'seat',
        [role],
      );
      const seat = read('Seat', `${areaId}-${ROLE_NAMES[role]}`);
      expect(seat, `seat ${areaId}-${ROLE_NAMES[role]}`).not.toBeNull();
      eq(field(seat!, 'allocation'), allocation, `seat ${areaId}-${role} allocation`);
      eq(field(seat!, 'holder'), ref(holder, areaId), `seat ${areaId}-${ROLE_NAMES[role]} holder`);
      if (role <= 2 && holder !== 0n) {
        const lease = read('Lease', field(seat!, 'currentLease') as string)!;
        eq(
          [field(lease, 'start'), field(lease, 'end'), field(lease, 'group')],
          [start, end, `${areaId}-${holder}`],
          `lease of seat ${areaId}-${role}`,
        );
      }
    }

    // Groups, memberships counts and delegations.
    for (let g = 1; g <= groupCount; g++) {
      const [role, account, name, memberCount] = await call<readonly [number, Address, string, bigint]>(
        dao,
        AreaDAOAbi,
        'group',
        [BigInt(g)],
      );
      const group = read('MemberGroup', `${areaId}-${g}`);
      expect(group, `group ${areaId}-${g}`).not.toBeNull();
      eq(
        [
          field(group!, 'role'),
          field(group!, 'account'),
          field(group!, 'name'),
          BigInt(field(group!, 'memberCount') as number),
        ],
        [ROLE_NAMES[role], account.toLowerCase(), name, memberCount],
        `group ${areaId}-${g}`,
      );
      eq(
        BigInt(field(group!, 'delegationCount') as number),
        await call<bigint>(dao, AreaDAOAbi, 'delegationsOf', [BigInt(g)]),
        `delegations of ${areaId}-${g}`,
      );
    }
    expect(read('MemberGroup', `${areaId}-${groupCount + 1}`)).toBeNull();

    // Motions: terms, tallies, outcome, veto, acceptance, weights and votes.
    for (let m = 1; m <= motionCount; m++) {
      const v = await call<{
        kind: number;
        role: number;
        proposerGroupId: bigint;
        applicantGroupId: bigint;
        value: bigint;
        votingStart: bigint;
        votingEnd: bigint;
        quorumBps: number;
        seatPrice: bigint;
        leaseTerm: bigint;
        acceptWindow: bigint;
        forVotes: bigint;
        againstVotes: bigint;
        abstainVotes: bigint;
        totalWeight: bigint;
        outcome: number;
        vetoed: boolean;
        accepted: boolean;
      }>(dao, AreaDAOAbi, 'motion', [BigInt(m)]);
      const motion = read('Motion', `${areaId}-${m}`);
      expect(motion, `motion ${areaId}-${m}`).not.toBeNull();
      const seatKind = v.kind <= 1;
      eq(
        {
          kind: field(motion!, 'kind'),
          seatRole: field(motion!, 'seatRole'),
          proposer: field(motion!, 'proposer'),
          applicant: field(motion!, 'applicant'),
          value: field(motion!, 'value'),
          votingStart: field(motion!, 'votingStart'),
          votingEnd: field(motion!, 'votingEnd'),
          quorumBps: field(motion!, 'quorumBps'),
          seatPrice: field(motion!, 'seatPrice'),
          leaseTerm: field(motion!, 'leaseTerm'),
          acceptWindow: field(motion!, 'acceptWindow'),
          forVotes: field(motion!, 'forVotes'),
          againstVotes: field(motion!, 'againstVotes'),
          abstainVotes: field(motion!, 'abstainVotes'),
          totalWeight: field(motion!, 'totalWeight'),
          outcome: field(motion!, 'outcome'),
          vetoed: field(motion!, 'vetoed'),
          accepted: field(motion!, 'accepted'),
        },
        {
          kind: MOTION_KIND_NAMES[v.kind],
          seatRole: seatKind ? ROLE_NAMES[v.role] : null,
          proposer: ref(v.proposerGroupId, areaId),
          applicant: ref(v.applicantGroupId, areaId),
          value: v.value,
          votingStart: v.votingStart,
          votingEnd: v.votingEnd,
          quorumBps: v.quorumBps,
          seatPrice: v.seatPrice,
          leaseTerm: v.leaseTerm,
          acceptWindow: v.acceptWindow,
          forVotes: v.forVotes,
          againstVotes: v.againstVotes,
          abstainVotes: v.abstainVotes,
          totalWeight: v.totalWeight,
          outcome: v.outcome,
          vetoed: v.vetoed,
          accepted: v.accepted,
        },
        `motion ${areaId}-${m}`,
      );
      const status = ['ACTIVE', 'PASSED', 'REJECTED', 'QUORUM_NOT_MET', 'VETOED'][v.outcome];
      eq(field(motion!, 'status'), status, `motion ${areaId}-${m} status`);
      for (let g = 1; g <= groupCount; g++) {
        const weight = await call<bigint>(dao, AreaDAOAbi, 'weightOf', [BigInt(m), BigInt(g)]);
        const w = read('VotingWeight', `${areaId}-${m}-${g}`);
        eq(w ? field(w, 'weight') : 0n, weight, `weight of group ${g} in motion ${areaId}-${m}`);
        const voted = await call<boolean>(dao, AreaDAOAbi, 'hasVoted', [BigInt(m), BigInt(g)]);
        eq(
          read('Vote', `${areaId}-${m}-${g}`) !== null,
          voted,
          `vote of group ${g} in motion ${areaId}-${m}`,
        );
      }
    }
    expect(read('Motion', `${areaId}-${motionCount + 1}`)).toBeNull();

    // Consumers and their delegates: every consumer the history registered.
    const consumers = indexer.store.getRelated('Consumer', 'area', String(areaId));
    for (const current of consumers) {
      const address = field(current, 'address') as Address;
      const registered = await call<boolean>(dao, AreaDAOAbi, 'isConsumer', [address]);
      const c = read('Consumer', `${areaId}-${address}`);
      eq(c !== null, registered, `consumer ${address} registered`);
      if (c)
        eq(
          field(c, 'delegate'),
          ref(await call<bigint>(dao, AreaDAOAbi, 'consumerDelegate', [address]), areaId),
          `delegate of ${address}`,
        );
    }

    // Governance token balances of every holder the index knows.
    const holders = indexer.store.getRelated('TokenHolder', 'area', String(areaId));
    expect(holders.length).toBeGreaterThan(1);
    for (const current of holders) {
      const address = field(current, 'address') as Address;
      const balance = await call<bigint>(token, AreaGovernanceTokenAbi, 'balanceOf', [address]);
      const h = read('TokenHolder', `${areaId}-${address}`);
      eq(h ? field(h, 'balance') : 0n, balance, `balance of ${address} in area ${areaId}`);
    }
  }
  return checks;
}

describe('indexing the default devnet history', () => {
  it('indexes every block without a handler error', () => {
    expect(summary.error).toBeNull();
    expect(summary.head!.number).toBe(chain.history.toBlock);
    // Every protocol log is an event the subgraph handles (GGU Approval excepted: not subscribed).
    expect(summary.events).toBeGreaterThan(chain.history.totalEvents / 2);
    expect(summary.handlerCalls).toBeGreaterThan(0);
    expect(summary.entitiesWritten).toBeGreaterThan(0);
    expect(chain.history.motions.total).toBeGreaterThan(10);
  });

  it('equals the contracts\u2019 views at the head', async () => {
    const head = summary.head!.number;
    const checks = await compareWithViews(head, (t, id) => indexer.store.get(t, id));
    expect(checks).toBeGreaterThan(500);
  }, 600_000);

  it('equals the contracts\u2019 views at sampled past blocks (time travel)', async () => {
    const { fromBlock, toBlock } = chain.history;
    const firstArea = Math.min(...chain.history.areas.map((a) => a.createdAtBlock));
    // Deterministic spread over the history, from just after the areas exist.
    const samples = [0.02, 0.25, 0.5, 0.8].map((f) =>
      Math.max(firstArea, Math.round(fromBlock + f * (toBlock - fromBlock))),
    );
    for (const block of samples) {
      const checks = await compareWithViews(block, (t, id) => indexer.store.getAt(t, id, block));
      expect(checks).toBeGreaterThan(50);
    }
  }, 600_000);
});
