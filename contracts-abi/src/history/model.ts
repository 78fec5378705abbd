/**
 * AreaModel mirrors one AreaDAO's state and rules (protocol.md), so the generator only ever sends
 * transactions that succeed. Each `try*` method checks the contract's rules against the model at
 * the current block time; if they hold it queues the transaction and applies its effects, else it
 * returns false and sends nothing. A divergence from the contract shows up as a failed receipt
 * (ChainWriter throws), never as a silently different history.
 */
import { encodeFunctionData, maxUint256, type Address, type Hex } from 'viem';
import { AreaDAOAbi, GGNUtilityTokenAbi } from '../generated/abis.js';
import type { Tx } from '../chain.js';
import {
  MotionKind,
  Outcome,
  Role,
  Support,
  paramToBytes32,
  timingValid,
  type ParameterName,
} from '../protocol.js';

export interface Ctx {
  now(): number;
  send(tx: Tx): void;
  foundation: Address;
  utilityToken: Address;
}

export interface Params {
  allocations: bigint[];
  foundationAllocation: bigint;
  leaseTerm: number;
  votingPeriod: number;
  quorumBps: number;
  acceptWindow: number;
  renewalWindow: number;
  seatPrice: bigint;
}

export interface Group {
  id: number;
  role: number;
  account: Address;
  name: string;
  members: Address[];
  /** Members ever added, to derive fresh member addresses. */
  memberSerial: number;
}

export interface Lease {
  holder: number;
  start: number;
  end: number;
  grantMotion: number;
  /** Generator bookkeeping: renewal and expiry already decided for this lease end. */
  renewalDecidedFor?: number;
  expiryPlannedFor?: number;
}

export interface Motion {
  id: number;
  kind: number;
  role: number;
  proposer: number;
  applicant: number;
  param: Hex;
  paramName?: ParameterName;
  value: bigint;
  votingStart: number;
  votingEnd: number;
  quorumBps: number;
  seatPrice: bigint;
  leaseTerm: number;
  acceptWindow: number;
  weights: Map<number, bigint>;
  totalWeight: bigint;
  forVotes: bigint;
  againstVotes: bigint;
  abstainVotes: bigint;
  voted: Set<number>;
  outcome: number;
  vetoed: boolean;
  accepted: boolean;
  renewsLease: number;
}

const ZERO32 = `0x${'0'.repeat(64)}` as Hex;
const GGU_TOP_UP = 1_000_000n * 10n ** 18n;

/** Generous gas limits (blocks are large; a limit too low would show up as a failed receipt). */
const gas = {
  registerGroup: (members: number) => 300_000n + 80_000n * BigInt(members),
  member: 150_000n,
  registerConsumer: 150_000n,
  delegate: 250_000n,
  propose: (weighing: number) => 450_000n + 70_000n * BigInt(weighing),
  vote: 200_000n,
  veto: 150_000n,
  finalize: 200_000n,
  accept: 400_000n,
  expire: 200_000n,
  mint: 150_000n,
  approve: 100_000n,
};

export class AreaModel {
  readonly groups: Group[] = [];
  readonly groupOf = new Map<string, number>();
  readonly leases: (Lease | null)[] = [null, null, null];
  readonly lastGrantAt = [0, 0, 0];
  readonly renewalMotion = [0, 0, 0];
  openParameterChange = 0;
  readonly consumers = new Map<string, number>();
  readonly consumerList: Address[] = [];
  readonly delegations = new Map<number, number>();
  totalDelegations = 0;
  /** COMMUNITY groups with delegations > 0 (the contract's weighing list, order aside). */
  readonly weighing = new Set<number>();
  readonly motions: Motion[] = [];
  readonly gguBalance = new Map<string, bigint>();
  // counters for the summary
  granted = 0;
  renewed = 0;
  expired = 0;
  expiredByAcceptance = 0;

  constructor(
    readonly ctx: Ctx,
    readonly areaId: number,
    readonly dao: Address,
    readonly params: Params,
  ) {}

  private call(
    from: Address,
    functionName: string,
    args: readonly unknown[],
    g: bigint,
    label: string,
  ): void {
    const data = encodeFunctionData({ abi: AreaDAOAbi, functionName, args } as never);
    this.ctx.send({ from, to: this.dao, data, gas: g, label: `area ${this.areaId}: ${label}` });
  }

  group(id: number): Group {
    return this.groups[id - 1];
  }

  groupsOfRole(role: number): Group[] {
    return this.groups.filter((g) => g.role === role);
  }

  active(role: number): boolean {
    const l = this.leases[role];
    return !!l && this.ctx.now() < l.end;
  }

  /** Open: not finalized, or passed (seat kinds) and neither accepted nor past its accept window. */
  isOpen(m: Motion | undefined): boolean {
    if (!m) return false;
    if (m.outcome === Outcome.NONE) return true;
    return (
      m.outcome === Outcome.PASSED &&
      m.kind <= MotionKind.LEASE_RENEWAL &&
      !m.accepted &&
      this.ctx.now() <= m.votingEnd + m.acceptWindow
    );
  }

  motion(id: number): Motion | undefined {
    return this.motions[id - 1];
  }

  // ------------------------------------------------------------------ groups

  /** The foundation group (id 1) created by the DAO's constructor. */
  addFoundationGroup(members: Address[]): void {
    const g: Group = {
      id: 1,
      role: Role.FOUNDATION,
      account: this.ctx.foundation,
      name: 'Foundation Members Group',
      members: [...members],
      memberSerial: members.length,
    };
    this.groups.push(g);
    this.groupOf.set(g.account, 1);
  }

  /** Funds the account with GGU and approves the DAO once, then registers the group. */
  registerGroup(role: number, name: string, account: Address, members: Address[]): Group | null {
    if (role > Role.COMMUNITY || this.groupOf.has(account) || members.length < 2) return null;
    if (new Set(members).size !== members.length) return null;
    this.mintGgu(account);
    const approve = encodeFunctionData({
      abi: GGNUtilityTokenAbi,
      functionName: 'approve',
      args: [this.dao, maxUint256],
    });
    this.ctx.send({
      from: account,
      to: this.ctx.utilityToken,
      data: approve,
      gas: gas.approve,
      label: `approve DAO ${this.areaId}`,
    });
    this.call(
      account,
      'registerGroup',
      [role, name, members],
      gas.registerGroup(members.length),
      `registerGroup ${name}`,
    );
    const g: Group = {
      id: this.groups.length + 1,
      role,
      account,
      name,
      members: [...members],
      memberSerial: members.length,
    };
    this.groups.push(g);
    this.groupOf.set(account, g.id);
    return g;
  }

  private mintGgu(account: Address): void {
    const data = encodeFunctionData({
      abi: GGNUtilityTokenAbi,
      functionName: 'mint',
      args: [account, GGU_TOP_UP],
    });
    this.ctx.send({
      from: this.ctx.foundation,
      to: this.ctx.utilityToken,
      data,
      gas: gas.mint,
      label: `mint GGU to ${account}`,
    });
    this.gguBalance.set(account, (this.gguBalance.get(account) ?? 0n) + GGU_TOP_UP);
  }

  tryAddMember(groupId: number, member: Address): boolean {
    const g = this.group(groupId);
    if (!g || g.members.includes(member)) return false;
    this.call(g.account, 'addMember', [BigInt(groupId), member], gas.member, `addMember ${groupId}`);
    g.members.push(member);
    g.memberSerial++;
    return true;
  }

  tryRemoveMember(groupId: number, member: Address): boolean {
    const g = this.group(groupId);
    if (!g || !g.members.includes(member) || g.members.length <= 2) return false;
    this.call(g.account, 'removeMember', [BigInt(groupId), member], gas.member, `removeMember ${groupId}`);
    g.members.splice(g.members.indexOf(member), 1);
    return true;
  }

  // ------------------------------------------------------------------ consumers

  /** The account that may register consumers now other than the foundation: the active DISTRIBUTION holder's. */
  distributionAccount(): Address | null {
    const l = this.leases[Role.DISTRIBUTION];
    return l && this.ctx.now() < l.end ? this.group(l.holder).account : null;
  }

  tryRegisterConsumer(registrar: Address, consumer: Address, meterId: Hex): boolean {
    if (registrar !== this.ctx.foundation && registrar !== this.distributionAccount()) return false;
    if (this.consumers.has(consumer)) return false;
    this.call(registrar, 'registerConsumer', [consumer, meterId], gas.registerConsumer, 'registerConsumer');
    this.consumers.set(consumer, 0);
    this.consumerList.push(consumer);
    return true;
  }

  tryDelegate(consumer: Address, groupId: number): boolean {
    const from = this.consumers.get(consumer);
    if (from === undefined) return false;
    if (groupId === 0 ? from === 0 : this.group(groupId)?.role !== Role.COMMUNITY || from === groupId)
      return false;
    this.call(consumer, 'delegate', [BigInt(groupId)], gas.delegate, `delegate ${from}->${groupId}`);
    if (from !== 0) {
      const n = this.delegations.get(from)! - 1;
      this.delegations.set(from, n);
      if (n === 0) this.weighing.delete(from);
      this.totalDelegations--;
    }
    if (groupId !== 0) {
      const n = (this.delegations.get(groupId) ?? 0) + 1;
      this.delegations.set(groupId, n);
      this.weighing.add(groupId);
      this.totalDelegations++;
    }
    this.consumers.set(consumer, groupId);
    return true;
  }

  // ------------------------------------------------------------------ motions

  /** Checks propose's rules; returns the new motion, or null if the contract would revert. */
  tryPropose(
    proposerId: number,
    kind: number,
    role: number,
    applicant: number,
    paramName: ParameterName | undefined,
    value: bigint,
    description: string,
  ): Motion | null {
    const proposer = this.group(proposerId);
    if (!proposer) return null;
    const now = this.ctx.now();
    const id = this.motions.length + 1;
    let renewsLease = 0;
    if (kind === MotionKind.SEAT_ALLOCATION) {
      const a = this.group(applicant);
      if (role > Role.DISTRIBUTION || !a || a.role !== role || this.active(role)) return null;
    } else if (kind === MotionKind.LEASE_RENEWAL) {
      const l = this.leases[role];
      if (role > Role.DISTRIBUTION || !l || !this.active(role) || l.holder !== applicant) return null;
      if (l.end > now + this.params.renewalWindow || this.isOpen(this.motion(this.renewalMotion[role])))
        return null;
      renewsLease = l.grantMotion;
    } else if (kind === MotionKind.PARAMETER_CHANGE) {
      if (
        !paramName ||
        !this.parameterValid(paramName, value) ||
        this.isOpen(this.motion(this.openParameterChange))
      )
        return null;
    } else if (kind !== MotionKind.GENERAL || role !== 0 || applicant !== 0 || value !== 0n) {
      return null;
    }
    const param = kind === MotionKind.PARAMETER_CHANGE ? paramToBytes32(paramName!) : ZERO32;
    const weights = this.snapshot();
    this.call(
      proposer.account,
      'propose',
      [kind, role, BigInt(applicant), param, value, description],
      gas.propose(weights.size),
      `propose kind ${kind} role ${role} applicant ${applicant}`,
    );
    let totalWeight = 0n;
    for (const w of weights.values()) totalWeight += w;
    const m: Motion = {
      id,
      kind,
      role,
      proposer: proposerId,
      applicant,
      param,
      paramName: kind === MotionKind.PARAMETER_CHANGE ? paramName : undefined,
      value,
      votingStart: now,
      votingEnd: now + this.params.votingPeriod,
      quorumBps: this.params.quorumBps,
      seatPrice: this.params.seatPrice,
      leaseTerm: this.params.leaseTerm,
      acceptWindow: this.params.acceptWindow,
      weights,
      totalWeight,
      forVotes: 0n,
      againstVotes: 0n,
      abstainVotes: 0n,
      voted: new Set(),
      outcome: Outcome.NONE,
      vetoed: false,
      accepted: false,
      renewsLease,
    };
    this.motions.push(m);
    if (kind === MotionKind.LEASE_RENEWAL) this.renewalMotion[role] = id;
    if (kind === MotionKind.PARAMETER_CHANGE) this.openParameterChange = id;
    return m;
  }

  parameterValid(name: ParameterName, value: bigint): boolean {
    if (name === 'seatPrice') return true;
    const p = { ...this.params, [name]: Number(value) };
    return value <= 0xffffffffffffffffn && timingValid(p);
  }

  /** The weight snapshot rule of protocol.md: active lease holders, the foundation, delegated COMMUNITY groups. */
  snapshot(): Map<number, bigint> {
    const w = new Map<number, bigint>();
    for (let r = 0; r <= Role.DISTRIBUTION; r++) {
      if (this.active(r)) w.set(this.leases[r]!.holder, this.params.allocations[r]);
    }
    w.set(1, this.params.foundationAllocation);
    for (const g of this.weighing) {
      const weight =
        (this.params.allocations[Role.COMMUNITY] * BigInt(this.delegations.get(g)!)) /
        BigInt(this.totalDelegations);
      if (weight > 0n) w.set(g, weight);
    }
    return w;
  }

  tryVote(motionId: number, groupId: number, support: number, reason: string): boolean {
    const m = this.motion(motionId);
    if (!m || this.ctx.now() >= m.votingEnd || m.vetoed || m.voted.has(groupId)) return false;
    const weight = m.weights.get(groupId);
    if (!weight) return false;
    this.call(
      this.group(groupId).account,
      'castVote',
      [BigInt(motionId), support, reason],
      gas.vote,
      `castVote ${motionId}`,
    );
    m.voted.add(groupId);
    if (support === Support.FOR) m.forVotes += weight;
    else if (support === Support.AGAINST) m.againstVotes += weight;
    else m.abstainVotes += weight;
    return true;
  }

  tryVeto(motionId: number, reason: string): boolean {
    const m = this.motion(motionId);
    if (!m || this.ctx.now() >= m.votingEnd || m.vetoed) return false;
    this.call(this.ctx.foundation, 'veto', [BigInt(motionId), reason], gas.veto, `veto ${motionId}`);
    m.vetoed = true;
    return true;
  }

  tryFinalize(motionId: number, caller: Address): boolean {
    const m = this.motion(motionId);
    if (!m || m.outcome !== Outcome.NONE || (!m.vetoed && this.ctx.now() < m.votingEnd)) return false;
    this.call(caller, 'finalize', [BigInt(motionId)], gas.finalize, `finalize ${motionId}`);
    const turnout = m.forVotes + m.againstVotes + m.abstainVotes;
    if (m.vetoed) m.outcome = Outcome.VETOED;
    else if (turnout * 10_000n < BigInt(m.quorumBps) * m.totalWeight) m.outcome = Outcome.QUORUM_NOT_MET;
    else if (m.forVotes > m.againstVotes) m.outcome = Outcome.PASSED;
    else m.outcome = Outcome.REJECTED;
    if (m.kind === MotionKind.PARAMETER_CHANGE) {
      this.openParameterChange = 0;
      if (m.outcome === Outcome.PASSED) {
        const name = m.paramName!;
        if (name === 'seatPrice') this.params.seatPrice = m.value;
        else this.params[name] = Number(m.value);
      }
    }
    return true;
  }

  tryAccept(motionId: number): boolean {
    const m = this.motion(motionId);
    const now = this.ctx.now();
    if (!m || m.kind > MotionKind.LEASE_RENEWAL || m.outcome !== Outcome.PASSED || m.accepted) return false;
    if (now > m.votingEnd + m.acceptWindow) return false;
    const l = this.leases[m.role];
    if (m.kind === MotionKind.SEAT_ALLOCATION) {
      if (this.active(m.role) || this.lastGrantAt[m.role] >= m.votingStart) return false;
    } else if (!l || l.holder !== m.applicant || l.grantMotion !== m.renewsLease) {
      return false;
    }
    const account = this.group(m.applicant).account;
    if ((this.gguBalance.get(account) ?? 0n) < m.seatPrice) this.mintGgu(account);
    this.call(account, 'acceptLease', [BigInt(motionId)], gas.accept, `acceptLease ${motionId}`);
    this.gguBalance.set(account, this.gguBalance.get(account)! - m.seatPrice);
    m.accepted = true;
    if (m.kind === MotionKind.SEAT_ALLOCATION) {
      if (l) {
        this.expired++;
        this.expiredByAcceptance++;
      }
      this.leases[m.role] = {
        holder: m.applicant,
        start: now,
        end: now + m.leaseTerm,
        grantMotion: motionId,
      };
      this.lastGrantAt[m.role] = now;
      this.granted++;
    } else {
      l!.end += m.leaseTerm;
      this.renewed++;
    }
    return true;
  }

  tryExpire(role: number, caller: Address): boolean {
    const l = this.leases[role];
    if (!l || this.ctx.now() < l.end) return false;
    this.call(caller, 'expireLease', [role], gas.expire, `expireLease ${role}`);
    this.leases[role] = null;
    this.expired++;
    return true;
  }
}
