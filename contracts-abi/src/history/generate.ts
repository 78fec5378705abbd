/**
 * The history generator: "a year of governance" (by default) in several areas, written to an
 * anvil chain with pinned block times. Everything random comes from one seeded PRNG and every
 * iteration order is fixed, so the same seed on a fresh chain gives the same logs byte for byte.
 *
 * Shape: areas are created on day 0; groups of every role register an hour later; then each day
 * at 09:00 every area runs its "daily business" (consumers, delegations, members, seat
 * applications, renewals, motions), while planned follow-ups (votes, vetoes, finalizations,
 * lease acceptances, expiries, delegations) run at their own hours from a scheduler.
 */
import { decodeEventLog, decodeFunctionResult, encodeFunctionData, type Address, type Hex } from 'viem';
import { ChainWriter, type MinedBlock } from '../chain.js';
import type { AreaDeployment, Deployment } from '../deployment.js';
import { GGNFactoryAbi } from '../generated/abis.js';
import {
  DAY,
  HOUR,
  MOTION_KIND_NAMES,
  MotionKind,
  OUTCOME_NAMES,
  Outcome,
  PARAMETER_NAMES,
  Role,
  Support,
  E18,
  type ParameterName,
} from '../protocol.js';
import { AreaModel, type Ctx, type Motion } from './model.js';
import { GENERAL_TOPICS, VOTE_REASONS, areaPreset, deriveAddress, groupName, meterId } from './names.js';
import { Prng } from './prng.js';
import { Scheduler } from './scheduler.js';
import { EventStats } from './stats.js';
import type { HistoryOptions, HistoryProgress, HistorySummary } from './types.js';

export const DEFAULT_HISTORY: Required<HistoryOptions> = {
  seed: 1,
  areas: 3,
  months: 12,
  groups: 3,
  consumers: 24,
  motionsPerMonth: 4,
  startTime: 1_735_689_600,
  tickHours: 1,
};

type Plan = 'PASS' | 'REJECT' | 'TIE' | 'NO_QUORUM' | 'VETO';

interface World {
  index: number;
  model: AreaModel;
  code: string;
  /** Consumer indexes to register, by day. */
  registrations: Map<number, number[]>;
  seatMotions: number[][];
}

/** Writes the history to the anvil at `rpcUrl`; `deployment` must be live there (see deployProtocol). */
export async function generateHistory(
  rpcUrl: string,
  deployment: Deployment,
  opts: HistoryOptions & { onProgress?: (p: HistoryProgress) => void } = {},
): Promise<HistorySummary> {
  const writer = await ChainWriter.open(rpcUrl);
  try {
    return await writeHistory(writer, deployment, opts);
  } catch (e) {
    await writer.abandon();
    throw e;
  }
}

async function writeHistory(
  writer: ChainWriter,
  deployment: Deployment,
  opts: HistoryOptions & { onProgress?: (p: HistoryProgress) => void },
): Promise<HistorySummary> {
  const o: Required<HistoryOptions> = { ...DEFAULT_HISTORY };
  for (const k of Object.keys(DEFAULT_HISTORY) as (keyof HistoryOptions)[]) {
    if (opts[k] !== undefined) o[k] = opts[k] as number;
  }
  if (o.groups < 2)
    throw new Error(
      'groups must be >= 2 (seats need competing applicants, delegations two COMMUNITY groups)',
    );
  const started = Date.now();
  const rng = new Prng(o.seed);
  const scheduler = new Scheduler();
  const stats = new EventStats();
  const foundation = deployment.foundation.toLowerCase() as Address;
  const fromBlock = Number(await writer.rpc.call<string>('eth_blockNumber')) + 1;
  const progress = (): HistoryProgress => {
    const elapsedMs = Date.now() - started;
    return {
      events: stats.total,
      blocks: writer.blocksMined,
      transactions: writer.txsMined,
      elapsedMs,
      eventsPerSecond: Math.round((stats.total * 1000) / Math.max(1, elapsedMs)),
      timestamp: writer.latestTimestamp,
    };
  };
  writer.onBlock = (b: MinedBlock) => {
    stats.add(b);
    opts.onProgress?.(progress());
  };
  const ctx: Ctx = {
    now: () => writer.now,
    send: (tx) => writer.add(tx),
    foundation,
    utilityToken: deployment.utilityToken,
  };
  const hours = (n: number) => n * HOUR;

  const start = Math.max(o.startTime, writer.latestTimestamp + 1);
  const days = Math.max(1, Math.round((o.months * 365) / 12));
  const end = start + days * DAY;
  // Planned actions land on the tick grid (rounded up); whatever is no longer valid by then is skipped.
  const tick = Math.max(1, o.tickHours) * HOUR;
  const sched = {
    at: (t: number, run: () => void) => scheduler.at(start + Math.ceil((t - start) / tick) * tick, run),
    peekTime: () => scheduler.peekTime(),
    pop: () => scheduler.pop(),
  };

  // ---- day 0, 00:00: the Foundation creates the areas. On a chain that has areas already, the
  // new ones continue the numbering (their codes must be unique).
  const areaCount = decodeFunctionResult({
    abi: GGNFactoryAbi,
    functionName: 'areaCount',
    data: await writer.rpc.call<Hex>('eth_call', [
      { to: deployment.factory, data: encodeFunctionData({ abi: GGNFactoryAbi, functionName: 'areaCount' }) },
      'latest',
    ]),
  });
  const first = Number(areaCount);
  writer.begin(start);
  const presets = Array.from({ length: o.areas }, (_, i) => areaPreset(first + i));
  const foundationMembers = presets.map((_, i) =>
    [0, 1, 2].map((k) => deriveAddress(o.seed, 'area', first + i, 'foundation-member', k)),
  );
  presets.forEach((p, i) => {
    const data = encodeFunctionData({
      abi: GGNFactoryAbi,
      functionName: 'createArea',
      args: [p.name, p.code, p.params, foundation, foundationMembers[i]],
    });
    writer.add({
      from: foundation,
      to: deployment.factory,
      data,
      gas: 8_000_000n,
      label: `createArea ${p.code}`,
    });
  });
  const areas: AreaDeployment[] = [];
  for (const b of await writer.flush()) {
    for (const log of b.logs) {
      if (log.address !== deployment.factory.toLowerCase()) continue;
      const ev = decodeEventLog({ abi: GGNFactoryAbi, data: log.data, topics: log.topics as never });
      if (ev.eventName !== 'AreaCreated') continue;
      const a = ev.args;
      areas.push({
        areaId: Number(a.areaId),
        name: a.name,
        code: a.code,
        dao: a.dao.toLowerCase() as Address,
        token: a.token.toLowerCase() as Address,
        createdAtBlock: b.number,
      });
    }
  }
  if (areas.length !== o.areas) throw new Error(`expected ${o.areas} AreaCreated logs, got ${areas.length}`);

  const worlds: World[] = areas.map((a, i) => {
    const p = presets[i].params;
    const model = new AreaModel(ctx, a.areaId, a.dao, {
      allocations: [...p.allocations],
      foundationAllocation: p.foundationAllocation,
      leaseTerm: Number(p.leaseTerm),
      votingPeriod: Number(p.votingPeriod),
      quorumBps: p.quorumBps,
      acceptWindow: Number(p.acceptWindow),
      renewalWindow: Number(p.renewalWindow),
      seatPrice: p.seatPrice,
    });
    model.addFoundationGroup(foundationMembers[i]);
    // Consumers join during the first 60% of the history, so delegations have time to move.
    const registrations = new Map<number, number[]>();
    const window = Math.max(1, Math.floor(days * 0.6));
    for (let c = 0; c < o.consumers; c++) {
      const day = rng.int(window);
      registrations.set(day, [...(registrations.get(day) ?? []), c]);
    }
    return { index: first + i, model, code: a.code, registrations, seatMotions: [[], [], []] };
  });

  // ---- day 0, 01:00: groups of every role register (each funded with GGU, DAO approved)
  writer.begin(start + HOUR);
  for (const w of worlds) {
    for (let role = Role.GENERATION; role <= Role.COMMUNITY; role++) {
      for (let k = 0; k < o.groups; k++) {
        const account = deriveAddress(o.seed, 'area', w.index, 'group', role, k);
        const members = Array.from({ length: rng.range(2, 4) }, (_, m) =>
          deriveAddress(o.seed, 'area', w.index, 'member', role, k, m),
        );
        w.model.registerGroup(role, groupName(role, k, w.code), account, members);
      }
    }
  }
  await writer.flush();

  // ---- planning helpers
  const reason = () => rng.pick(VOTE_REASONS);

  const pickPlan = (kind: number): Plan => {
    const x = rng.next();
    if (kind <= MotionKind.LEASE_RENEWAL)
      return x < 0.7 ? 'PASS' : x < 0.8 ? 'REJECT' : x < 0.9 ? 'NO_QUORUM' : 'VETO';
    return x < 0.45 ? 'PASS' : x < 0.65 ? 'REJECT' : x < 0.8 ? 'NO_QUORUM' : x < 0.9 ? 'VETO' : 'TIE';
  };

  /** Schedules the votes, veto, finalization and acceptance a plan calls for. */
  const planMotion = (w: World, m: Motion, forced?: Plan) => {
    const model = w.model;
    const plan: Plan = forced ?? pickPlan(m.kind);
    const periodHours = Math.floor((m.votingEnd - m.votingStart) / HOUR);
    const voteAt = (beforeHour: number) => m.votingStart + hours(rng.range(1, Math.max(1, beforeHour - 1)));
    const voters = rng.shuffle([...m.weights.keys()]);
    const weight = (g: number) => m.weights.get(g)!;
    const quorumMet = (sum: bigint) => sum * 10_000n >= BigInt(m.quorumBps) * m.totalWeight;
    const ballots: [number, number][] = [];

    if (plan === 'VETO') {
      const vetoHour = rng.range(Math.min(2, periodHours - 1), periodHours - 1);
      for (const g of voters.slice(0, rng.int(Math.ceil(voters.length / 2) + 1))) {
        if (vetoHour > 1) sched.at(voteAt(vetoHour), () => model.tryVote(m.id, g, rng.int(3), reason()));
      }
      const vetoAt = m.votingStart + hours(vetoHour);
      sched.at(vetoAt, () => model.tryVeto(m.id, 'Conflicts with the national grid code'));
      sched.at(vetoAt + hours(rng.range(1, 30)), () => model.tryFinalize(m.id, foundation));
      return;
    }
    if (plan === 'NO_QUORUM') {
      let sum = 0n;
      for (const g of voters) {
        if (quorumMet(sum + weight(g))) continue;
        sum += weight(g);
        ballots.push([g, rng.int(3)]);
      }
    } else {
      let tie: [number, number] | null = null;
      if (plan === 'TIE') {
        for (let i = 0; i < voters.length && !tie; i++) {
          for (let j = i + 1; j < voters.length && !tie; j++)
            if (weight(voters[i]) === weight(voters[j])) tie = [voters[i], voters[j]];
        }
      }
      if (tie) {
        for (const g of voters)
          ballots.push([g, g === tie[0] ? Support.FOR : g === tie[1] ? Support.AGAINST : Support.ABSTAIN]);
      } else {
        const pass = plan === 'PASS' || forced === 'PASS';
        let sum = 0n;
        for (const g of voters) {
          if (quorumMet(sum) && rng.chance(0.5)) continue;
          sum += weight(g);
          const x = rng.next();
          const support = pass
            ? x < 0.75
              ? Support.FOR
              : x < 0.9
                ? Support.ABSTAIN
                : Support.AGAINST
            : x < 0.7
              ? Support.AGAINST
              : x < 0.9
                ? Support.FOR
                : Support.ABSTAIN;
          ballots.push([g, forced ? Support.FOR : support]);
        }
        let forSum = 0n;
        let againstSum = 0n;
        for (const [g, s] of ballots) {
          if (s === Support.FOR) forSum += weight(g);
          if (s === Support.AGAINST) againstSum += weight(g);
        }
        // Make the tally say what the plan says.
        if (pass && forSum <= againstSum) ballots.forEach((b) => (b[1] = Support.FOR));
        if (!pass && forSum > againstSum) ballots.forEach((b) => (b[1] = Support.AGAINST));
      }
    }
    for (const [g, s] of ballots) sched.at(voteAt(periodHours), () => model.tryVote(m.id, g, s, reason()));
    const finalizeAt = m.votingEnd + hours(rng.range(0, 36));
    const finalizer = rng.chance(0.5) ? foundation : model.group(m.proposer).account;
    sched.at(finalizeAt, () => model.tryFinalize(m.id, finalizer));
    // Seat motions that pass are accepted within the window, except now and then one left to lapse.
    if (m.kind <= MotionKind.LEASE_RENEWAL && (plan === 'PASS' || forced) && !rng.chance(0.1)) {
      const last = m.votingEnd + m.acceptWindow - HOUR;
      sched.at(Math.min(last, finalizeAt + hours(rng.range(1, 72))), () => model.tryAccept(m.id));
    }
  };

  const propose = (
    w: World,
    proposer: number,
    kind: number,
    role: number,
    applicant: number,
    param: ParameterName | undefined,
    value: bigint,
    description: string,
  ) => {
    const m = w.model.tryPropose(proposer, kind, role, applicant, param, value, description);
    if (!m) return null;
    // The first motions of an area bootstrap it: everyone weighing votes FOR.
    planMotion(w, m, m.id <= 3 ? 'PASS' : undefined);
    if (kind === MotionKind.SEAT_ALLOCATION) w.seatMotions[role].push(m.id);
    return m;
  };

  const PARAM_CHOICES: Record<ParameterName, bigint[]> = {
    leaseTerm: [60, 90, 120, 150, 180, 240, 365].map((d) => BigInt(d * DAY)),
    votingPeriod: [2, 3, 4, 5, 7, 10].map((d) => BigInt(d * DAY)),
    quorumBps: [2500, 3000, 4000, 5000, 6000, 6600, 7500].map(BigInt),
    acceptWindow: [3, 5, 7, 10, 14].map((d) => BigInt(d * DAY)),
    renewalWindow: [14, 21, 30, 45, 60].map((d) => BigInt(d * DAY)),
    seatPrice: [250, 500, 750, 1000, 1500, 2000, 3000].map((n) => BigInt(n) * E18),
  };

  const proposeParameterChange = (w: World, proposer: number): boolean => {
    for (let attempt = 0; attempt < 8; attempt++) {
      const name = rng.pick(PARAMETER_NAMES);
      const value = rng.pick(PARAM_CHOICES[name]);
      const current = name === 'seatPrice' ? w.model.params.seatPrice : BigInt(w.model.params[name]);
      if (value === current || !w.model.parameterValid(name, value)) continue;
      return !!propose(
        w,
        proposer,
        MotionKind.PARAMETER_CHANGE,
        0,
        0,
        name,
        value,
        `Set ${name} to ${value}`,
      );
    }
    return false;
  };

  const randomGroupAccount = (w: World) => rng.pick(w.model.groups).account;

  // ---- the daily business of one area
  const daily = (w: World, day: number) => {
    const model = w.model;
    const now = writer.now;
    const community = model.groupsOfRole(Role.COMMUNITY);

    for (const c of w.registrations.get(day) ?? []) {
      const consumer = deriveAddress(o.seed, 'area', w.index, 'consumer', c);
      const distributor = model.distributionAccount();
      const registrar = distributor && rng.chance(0.75) ? distributor : foundation;
      if (!model.tryRegisterConsumer(registrar, consumer, meterId(o.seed, model.areaId, c))) continue;
      if (rng.chance(0.85)) {
        const to = rng.pick(community).id;
        sched.at(now + hours(rng.range(1, 72)), () => model.tryDelegate(consumer, to));
      }
    }

    // Delegations move: about 1.2 changes per consumer per year.
    for (let n = rng.count((model.consumerList.length * 1.2) / 365); n > 0; n--) {
      const consumer = rng.pick(model.consumerList);
      const current = model.consumers.get(consumer)!;
      if (current !== 0 && rng.chance(0.25)) model.tryDelegate(consumer, 0);
      else model.tryDelegate(consumer, rng.pick(community.filter((g) => g.id !== current)).id);
    }

    if (rng.chance(0.12)) {
      const g = rng.pick(model.groups);
      if (g.members.length > 2 && rng.chance(0.4)) model.tryRemoveMember(g.id, rng.pick(g.members));
      else
        model.tryAddMember(
          g.id,
          deriveAddress(o.seed, 'area', w.index, 'member', g.role, g.id, 'extra', g.memberSerial),
        );
    }

    for (let role = Role.GENERATION; role <= Role.DISTRIBUTION; role++) {
      const lease = model.leases[role];
      // Leases ending in the last 90 days are neither renewed nor expired nor re-applied for:
      // the history ends with ended-but-unexpired leases (indexers still call them ACTIVE;
      // auditors look for them with end_lt).
      const finalStretch = !!lease && lease.end >= end - 90 * DAY && lease.end < end;
      if (lease && now < lease.end) {
        if (
          !finalStretch &&
          lease.end - now <= model.params.renewalWindow &&
          lease.renewalDecidedFor !== lease.end
        ) {
          lease.renewalDecidedFor = lease.end;
          if (rng.chance(0.6)) {
            const proposer = rng.chance(0.2) ? 1 : lease.holder;
            propose(
              w,
              proposer,
              MotionKind.LEASE_RENEWAL,
              role,
              lease.holder,
              undefined,
              0n,
              `Renew the ${role} lease`,
            );
          }
        }
        continue;
      }
      if (finalStretch) continue;
      if (lease && lease.expiryPlannedFor !== lease.end) {
        // Ended: expired soon, much later, or never (a later acceptLease settles it).
        lease.expiryPlannedFor = lease.end;
        const x = rng.next();
        const plannedEnd = lease.end;
        const at = x < 0.5 ? now + hours(rng.range(0, 36)) : x < 0.75 ? now + rng.range(20, 80) * DAY : null;
        const caller = randomGroupAccount(w);
        if (at !== null) {
          sched.at(at, () => {
            if (model.leases[role] === lease && lease.end === plannedEnd) model.tryExpire(role, caller);
          });
        }
      }
      const contested = w.seatMotions[role].some((id) => {
        const m = model.motion(id)!;
        return model.isOpen(m) && model.lastGrantAt[role] < m.votingStart;
      });
      if (contested || !rng.chance(0.3)) continue;
      const candidates = rng.shuffle(model.groupsOfRole(role));
      const count = rng.range(1, Math.min(3, candidates.length));
      for (const applicant of candidates.slice(0, count)) {
        const proposer = rng.chance(0.2) ? 1 : applicant.id;
        propose(
          w,
          proposer,
          MotionKind.SEAT_ALLOCATION,
          role,
          applicant.id,
          undefined,
          0n,
          `Allocate the seat to ${applicant.name}`,
        );
      }
    }

    for (let n = rng.count((o.motionsPerMonth * 12) / 365); n > 0; n--) {
      const proposer = rng.pick(model.groups).id;
      if (
        model.isOpen(model.motion(model.openParameterChange)) ||
        !rng.chance(0.3) ||
        !proposeParameterChange(w, proposer)
      ) {
        propose(w, proposer, MotionKind.GENERAL, 0, 0, undefined, 0n, rng.pick(GENERAL_TOPICS));
      }
    }
    // The last day leaves motions open at the end of the history.
    if (day === days - 1)
      propose(w, 1, MotionKind.GENERAL, 0, 0, undefined, 0n, 'Adopt the governance calendar for next year');
  };

  // ---- main loop: the next planned action or the next day's business, whichever comes first
  // Daily business at 09:00, or on the grid itself when the grid is a day or coarser (one block a day).
  let nextDay = start + (tick >= DAY ? 0 : 9 * HOUR);
  let day = 0;
  for (;;) {
    const t = Math.min(sched.peekTime(), nextDay);
    if (t >= end) break;
    writer.begin(t);
    while (sched.peekTime() <= writer.now) sched.pop()();
    if (nextDay <= writer.now) {
      for (const w of worlds) daily(w, day);
      day++;
      nextDay += DAY;
    }
    await writer.flush();
  }
  await writer.close();

  // ---- summary
  const byKind: Record<string, number> = Object.fromEntries(MOTION_KIND_NAMES.map((k) => [k, 0]));
  const byOutcome: HistorySummary['motions']['byOutcome'] = {
    OPEN: 0,
    PASSED: 0,
    REJECTED: 0,
    QUORUM_NOT_MET: 0,
    VETOED: 0,
  };
  let passedNotAccepted = 0;
  let endedUnexpired = 0;
  for (const w of worlds) {
    for (const m of w.model.motions) {
      byKind[MOTION_KIND_NAMES[m.kind]]++;
      byOutcome[m.outcome === Outcome.NONE ? 'OPEN' : (OUTCOME_NAMES[m.outcome] as keyof typeof byOutcome)]++;
      if (m.kind <= MotionKind.LEASE_RENEWAL && m.outcome === Outcome.PASSED && !m.accepted)
        passedNotAccepted++;
    }
    endedUnexpired += w.model.leases.filter((l) => l && l.end <= end).length;
  }
  const p = progress();
  return {
    seed: o.seed,
    options: o,
    fromBlock,
    toBlock: Number(await writer.rpc.call<string>('eth_blockNumber')),
    blocks: writer.blocksMined,
    transactions: writer.txsMined,
    startTime: start,
    endTime: end,
    events: stats.sorted(),
    totalEvents: stats.total,
    motions: {
      total: worlds.reduce((n, w) => n + w.model.motions.length, 0),
      byKind,
      byOutcome,
      passedNotAccepted,
    },
    leases: {
      granted: worlds.reduce((n, w) => n + w.model.granted, 0),
      renewed: worlds.reduce((n, w) => n + w.model.renewed, 0),
      expired: worlds.reduce((n, w) => n + w.model.expired, 0),
      expiredByAcceptance: worlds.reduce((n, w) => n + w.model.expiredByAcceptance, 0),
      endedUnexpired,
    },
    groups: worlds.reduce((n, w) => n + w.model.groups.length, 0),
    consumers: worlds.reduce((n, w) => n + w.model.consumers.size, 0),
    areas,
    elapsedMs: p.elapsedMs,
    eventsPerSecond: p.eventsPerSecond,
  };
}
