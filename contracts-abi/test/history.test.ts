/** The seeded history: reproducible byte for byte, covering every outcome and lease path; the committed devnet record. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEventLog, type Abi, type Address, type Hex } from 'viem';
import { AreaDAOAbi, Rpc, deploymentPath, formatDeployment, startDevnet, type Devnet } from '../src/index.js';
import { eventsAbi } from './helpers.js';

interface RawLog {
  address: Address;
  topics: Hex[];
  data: Hex;
  blockNumber: Hex;
  blockHash: Hex;
  transactionHash: Hex;
  logIndex: Hex;
}

let first: Devnet;
let second: Devnet;
let logs: RawLog[];

const allLogs = (d: Devnet) =>
  new Rpc(d.rpcUrl).call<RawLog[]>('eth_getLogs', [{ fromBlock: '0x0', toBlock: 'latest' }]);
const decode = (l: RawLog) =>
  decodeEventLog({ abi: eventsAbi, data: l.data, topics: l.topics as never }) as unknown as {
    eventName: string;
    args: Record<string, unknown>;
  };

beforeAll(async () => {
  // Two fresh chains, same (default) seed, generated side by side.
  [first, second] = await Promise.all([startDevnet(), startDevnet()]);
  logs = await allLogs(first);
}, 180_000);
afterAll(async () => {
  await Promise.all([first?.stop(), second?.stop()]);
});

describe('default history', () => {
  it('is identical on two fresh chains: every log, block hash included', async () => {
    const other = await allLogs(second);
    expect(logs.length).toBeGreaterThan(1000);
    expect(other).toEqual(logs);
    const head = (d: Devnet) =>
      new Rpc(d.rpcUrl).call<{ hash: Hex; number: Hex }>('eth_getBlockByNumber', ['latest', false]);
    expect(await head(second)).toEqual(await head(first));
    expect(second.summary).toEqual({
      ...first.summary,
      elapsedMs: second.summary!.elapsedMs,
      eventsPerSecond: second.summary!.eventsPerSecond,
    });
  });

  it('reproduces the committed deployments/devnet.json', () => {
    expect(formatDeployment(first.deployment)).toBe(readFileSync(deploymentPath('devnet'), 'utf8'));
  });

  it('spans a year in three areas with more than 100 blocks', async () => {
    const s = first.summary!;
    expect(s.startTime).toBe(1_735_689_600);
    expect(s.endTime).toBe(1_767_225_600);
    expect(s.toBlock).toBeGreaterThan(100);
    expect(s.areas.map((a) => a.code)).toEqual(['NVM', 'CIM', 'HPM']);
    const initialized = logs
      .filter((l) => decode(l).eventName === 'AreaInitialized')
      .map((l) => decode(l).args);
    // Different terms per area.
    expect(new Set(initialized.map((a) => String(a.leaseTerm))).size).toBe(3);
    expect(new Set(initialized.map((a) => String(a.quorumBps))).size).toBe(3);
    expect(s.totalEvents).toBe(logs.length);
  });

  it('covers every motion kind and outcome, from the chain logs', () => {
    const finalized = logs.map(decode).filter((e) => e.eventName === 'MotionFinalized');
    const outcomes = new Set(finalized.map((e) => Number(e.args.outcome)));
    expect([...outcomes].sort()).toEqual([1, 2, 3, 4]);
    const proposed = logs.map(decode).filter((e) => e.eventName === 'MotionProposed');
    expect(new Set(proposed.map((e) => Number(e.args.kind)))).toEqual(new Set([0, 1, 2, 3]));
    expect(proposed.length).toBeGreaterThan(finalized.length); // some still open at the end
    const s = first.summary!;
    expect(s.motions.byOutcome.OPEN).toBeGreaterThan(0);
    expect(s.motions.passedNotAccepted).toBeGreaterThan(0);
    expect(s.events.ParameterChanged).toBeGreaterThan(0);
    expect(s.events.MotionVetoed).toBeGreaterThan(0);
    expect(s.events.MemberAdded).toBeGreaterThan(0);
    expect(s.events.MemberRemoved).toBeGreaterThan(0);
  });

  it('has votes on area 1 motion 3', () => {
    const dao = first.deployment.areas[0].dao;
    const votes = logs.filter(
      (l) =>
        l.address.toLowerCase() === dao &&
        decode(l).eventName === 'VoteCast' &&
        decode(l).args.motionId === 3n,
    );
    expect(votes.length).toBeGreaterThan(0);
  });

  it('grants, renews and expires leases (some late, some inside acceptLease) and ends with lapsed leases', async () => {
    const s = first.summary!;
    expect(s.leases.granted).toBeGreaterThan(3);
    expect(s.leases.renewed).toBeGreaterThan(0);
    expect(s.leases.expired).toBeGreaterThan(s.leases.expiredByAcceptance);
    expect(s.leases.expiredByAcceptance).toBeGreaterThan(0);
    expect(s.events.LeaseExpired).toBe(s.leases.expired);
    // On chain: seats still held by a lease that ended before 2026-01-01 (never expired).
    let lapsed = 0;
    const rpc = first.rpcUrl;
    const { createPublicClient, http } = await import('viem');
    const client = createPublicClient({ transport: http(rpc) });
    for (const a of first.deployment.areas) {
      for (const role of [0, 1, 2]) {
        const [holder, , end] = (await client.readContract({
          address: a.dao,
          abi: AreaDAOAbi as Abi,
          functionName: 'seat',
          args: [role],
        })) as bigint[];
        if (holder !== 0n && end < 1_767_225_600n) lapsed++;
      }
      const motions = await client.readContract({
        address: a.dao,
        abi: AreaDAOAbi as Abi,
        functionName: 'motionCount',
      });
      expect(motions).toBeGreaterThan(0n);
    }
    expect(lapsed).toBe(s.leases.endedUnexpired);
    expect(lapsed).toBeGreaterThan(0);
  });

  it('has consumers registered by the distribution holder and the foundation, delegating to several COMMUNITY groups', () => {
    const foundation = first.deployment.foundation;
    const registered = logs.map(decode).filter((e) => e.eventName === 'ConsumerRegistered');
    const registrars = new Set(registered.map((e) => String(e.args.registrar).toLowerCase()));
    expect(registrars.has(foundation)).toBe(true);
    expect(registrars.size).toBeGreaterThan(1);
    const delegated = logs
      .filter((l) => decode(l).eventName === 'ConsumerDelegated')
      .map((l) => ({ dao: l.address, ...(decode(l).args as { fromGroupId: bigint; toGroupId: bigint }) }));
    const area1 = delegated.filter((d) => d.dao.toLowerCase() === first.deployment.areas[0].dao);
    expect(
      new Set(area1.map((d) => String(d.toGroupId)).filter((g) => g !== '0')).size,
    ).toBeGreaterThanOrEqual(2);
    expect(delegated.some((d) => d.fromGroupId !== 0n && d.toGroupId !== 0n)).toBe(true); // re-delegation
    expect(delegated.some((d) => d.toGroupId === 0n)).toBe(true); // undelegation
  });
});
