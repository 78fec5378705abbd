// AreaDAO: one handler per protocol event (shared/spec/protocol.md). Each opens
// a Scope (area + day rollup), does its own work and finishes with the audit
// row. The constructor events (AreaInitialized, SeatConfigured x5,
// GroupRegistered of the foundation group) reach us after AreaCreated in the
// same block; every handler here works in either order.
import { BigInt, log } from '@graphprotocol/graph-ts';
import {
  Delegation,
  Lease,
  LeaseRenewal,
  MemberGroup,
  Motion,
  ParameterChange,
  Vote,
  VotingWeight,
  Consumer,
  Area,
} from '../../generated/schema';
import {
  AreaInitialized,
  ConsumerDelegated,
  ConsumerRegistered,
  GroupRegistered,
  LeaseExpired,
  LeaseGranted,
  LeaseRenewed,
  MemberAdded,
  MemberRemoved,
  MotionFinalized,
  MotionProposed,
  MotionVetoed,
  ParameterChanged,
  SeatConfigured,
  VoteCast,
  VotingWeightSet,
} from '../../generated/templates/AreaDAO/AreaDAO';
import {
  KIND_PARAMETER_CHANGE,
  LEASE_ACTIVE,
  LEASE_EXPIRED,
  OUTCOME_PASSED,
  OUTCOME_QUORUM_NOT_MET,
  OUTCOME_REJECTED,
  OUTCOME_VETOED,
  ROLE_FOUNDATION,
  STATUS_ACTIVE,
  SUPPORT_AGAINST,
  SUPPORT_FOR,
  isSeatKind,
  motionKindName,
  motionStatusName,
  roleName,
  voteSupportName,
} from '../common/enums';
import {
  activateMembership,
  addDelegations,
  createGroupAccount,
  deactivateMembership,
  groupOfAccount,
  loadGroup,
  optionalGroupKey,
} from '../common/groups';
import { linkHolderToGroup } from '../common/holders';
import { addressKey, eventId, groupKey, leaseKey, motionGroupKey, motionKey } from '../common/ids';
import { loadConsumer, loadCurrentLease, loadMotion } from '../common/motions';
import { stamp, stampCreated, stampEvent, stampUpdated } from '../common/proof';
import { getOrCreateSeat } from '../common/seats';
import { openAreaScope } from '../common/scope';

// ---- constructor events -------------------------------------------------------

export function handleAreaInitialized(event: AreaInitialized): void {
  let p = event.params;
  let s = openAreaScope(event);
  let area = s.area;
  area.token = p.token;
  area.leaseTerm = p.leaseTerm;
  area.votingPeriod = p.votingPeriod;
  area.quorumBps = p.quorumBps;
  area.acceptWindow = p.acceptWindow;
  area.renewalWindow = p.renewalWindow;
  area.seatPrice = p.seatPrice;
  s.finish('AreaInitialized');
}

export function handleSeatConfigured(event: SeatConfigured): void {
  let p = event.params;
  let s = openAreaScope(event);
  let seat = getOrCreateSeat(s.area.id, p.role, event);
  seat.allocation = p.allocation;
  // The foundation seat is held by the foundation group from creation on.
  let foundation = s.area.foundationGroup;
  if (p.role == ROLE_FOUNDATION && foundation != null) seat.holder = foundation;
  stampUpdated(seat, event);
  seat.save();
  s.about(null, null, seat.role, null).finish('SeatConfigured');
}

// ---- member groups ---------------------------------------------------------------

export function handleGroupRegistered(event: GroupRegistered): void {
  let p = event.params;
  let s = openAreaScope(event);
  let area = s.area;
  let id = groupKey(area.id, p.groupId);

  let group = new MemberGroup(id);
  group.area = area.id;
  group.groupId = p.groupId;
  group.role = roleName(p.role);
  group.name = p.name;
  group.account = p.account;
  group.memberCount = p.members.length;
  group.delegationCount = 0;
  group.motionsProposed = 0;
  group.votesCast = 0;
  group.votesFor = 0;
  group.votesAgainst = 0;
  group.votesAbstain = 0;
  group.weightCast = BigInt.zero();
  group.motionsEligible = 0;
  stampCreated(group, 'registered', event);
  group.save();

  createGroupAccount(area.id, p.account, id, event);
  for (let i = 0; i < p.members.length; i++) activateMembership(area.id, id, p.members[i], event);
  linkHolderToGroup(area.id, p.account, id, event);

  if (p.role == ROLE_FOUNDATION) {
    area.foundationGroup = id;
    area.foundationAccount = p.account;
    let seat = getOrCreateSeat(area.id, ROLE_FOUNDATION, event);
    seat.holder = id;
    stampUpdated(seat, event);
    seat.save();
  }
  area.groupCount = area.groupCount + 1;
  s.day.groupsRegistered = s.day.groupsRegistered + 1;
  s.about(null, id, group.role, p.account).finish('GroupRegistered');
}

export function handleMemberAdded(event: MemberAdded): void {
  let p = event.params;
  let s = openAreaScope(event);
  let group = loadGroup(groupKey(s.area.id, p.groupId));
  activateMembership(s.area.id, group.id, p.member, event);
  group.memberCount = group.memberCount + 1;
  stampUpdated(group, event);
  group.save();
  s.day.membersAdded = s.day.membersAdded + 1;
  s.about(null, group.id, null, p.member).finish('MemberAdded');
}

export function handleMemberRemoved(event: MemberRemoved): void {
  let p = event.params;
  let s = openAreaScope(event);
  let group = loadGroup(groupKey(s.area.id, p.groupId));
  deactivateMembership(group.id, p.member, event);
  group.memberCount = group.memberCount - 1;
  stampUpdated(group, event);
  group.save();
  s.day.membersRemoved = s.day.membersRemoved + 1;
  s.about(null, group.id, null, p.member).finish('MemberRemoved');
}

// ---- consumers and delegation ------------------------------------------------

export function handleConsumerRegistered(event: ConsumerRegistered): void {
  let p = event.params;
  let s = openAreaScope(event);
  let area = s.area;
  let consumer = new Consumer(addressKey(area.id, p.consumer));
  consumer.area = area.id;
  consumer.address = p.consumer;
  consumer.meterId = p.meterId;
  consumer.registrar = p.registrar;
  consumer.registrarGroup = groupOfAccount(area.id, p.registrar);
  consumer.delegationChanges = 0;
  stampCreated(consumer, 'registered', event);
  consumer.save();
  area.consumerCount = area.consumerCount + 1;
  s.day.consumersRegistered = s.day.consumersRegistered + 1;
  s.about(null, consumer.registrarGroup, null, p.consumer).finish('ConsumerRegistered');
}

/**
 * fromGroupId 0 = first delegation, toGroupId 0 = undelegation, both set =
 * re-delegation. Group delegationCount and the area's totalDelegations then
 * equal the contract's delegationsOf(group) / totalDelegations().
 */
export function handleConsumerDelegated(event: ConsumerDelegated): void {
  let p = event.params;
  let s = openAreaScope(event);
  let area = s.area;
  let from = optionalGroupKey(area.id, p.fromGroupId);
  let to = optionalGroupKey(area.id, p.toGroupId);
  if (from != null) addDelegations(from!, -1, event);
  if (to != null) addDelegations(to!, 1, event);
  if (from == null && to != null) area.totalDelegations = area.totalDelegations + 1;
  if (from != null && to == null) area.totalDelegations = area.totalDelegations - 1;

  let consumer = loadConsumer(addressKey(area.id, p.consumer));
  consumer.delegate = to;
  consumer.delegationChanges = consumer.delegationChanges + 1;
  stampUpdated(consumer, event);
  consumer.save();

  let row = new Delegation(eventId(event));
  row.area = area.id;
  row.consumer = consumer.id;
  row.from = from;
  row.to = to;
  stampEvent(row, event);
  row.save();

  area.delegationEventCount = area.delegationEventCount + 1;
  s.day.delegations = s.day.delegations + 1;
  s.about(null, to != null ? to : from, null, p.consumer).finish('ConsumerDelegated');
}

// ---- motions and votes -------------------------------------------------------------

export function handleMotionProposed(event: MotionProposed): void {
  let p = event.params;
  let s = openAreaScope(event);
  let area = s.area;
  let id = motionKey(area.id, p.motionId);
  let seatKind = isSeatKind(p.kind);

  let motion = new Motion(id);
  motion.area = area.id;
  motion.motionId = p.motionId;
  motion.kind = motionKindName(p.kind);
  motion.proposer = groupKey(area.id, p.proposerGroupId);
  // Role 0 of a non-seat motion means "no seat", not GENERATION.
  motion.seatRole = seatKind ? roleName(p.role) : null;
  motion.applicant = seatKind ? optionalGroupKey(area.id, p.applicantGroupId) : null;
  motion.param = p.kind == KIND_PARAMETER_CHANGE ? p.param.toString() : null;
  motion.value = p.value;
  motion.description = p.description;
  motion.votingStart = p.votingStart;
  motion.votingEnd = p.votingEnd;
  // Terms fixed at proposal: the area's values in force now.
  motion.quorumBps = area.quorumBps;
  motion.seatPrice = area.seatPrice;
  motion.leaseTerm = area.leaseTerm;
  motion.acceptWindow = area.acceptWindow;
  motion.acceptDeadline = p.votingEnd.plus(area.acceptWindow);
  motion.status = STATUS_ACTIVE;
  motion.outcome = 0;
  motion.forVotes = BigInt.zero();
  motion.againstVotes = BigInt.zero();
  motion.abstainVotes = BigInt.zero();
  motion.totalWeight = BigInt.zero();
  motion.voteCount = 0;
  motion.weightedGroupCount = 0;
  motion.vetoed = false;
  motion.accepted = false;
  stampCreated(motion, 'created', event);
  motion.save();

  let proposer = loadGroup(motion.proposer);
  proposer.motionsProposed = proposer.motionsProposed + 1;
  stampUpdated(proposer, event);
  proposer.save();

  area.motionCount = area.motionCount + 1;
  area.openMotionCount = area.openMotionCount + 1;
  s.day.motionsProposed = s.day.motionsProposed + 1;
  s.about(id, proposer.id, motion.seatRole, null).finish('MotionProposed');
}

export function handleVotingWeightSet(event: VotingWeightSet): void {
  let p = event.params;
  let s = openAreaScope(event);
  let area = s.area;
  let motion = loadMotion(motionKey(area.id, p.motionId));
  let group = loadGroup(groupKey(area.id, p.groupId));

  let weight = new VotingWeight(motionGroupKey(motion.id, p.groupId));
  weight.area = area.id;
  weight.motion = motion.id;
  weight.group = group.id;
  weight.weight = p.weight;
  stampEvent(weight, event);
  weight.save();

  motion.totalWeight = motion.totalWeight.plus(p.weight);
  motion.weightedGroupCount = motion.weightedGroupCount + 1;
  stampUpdated(motion, event);
  motion.save();

  group.motionsEligible = group.motionsEligible + 1;
  stampUpdated(group, event);
  group.save();

  s.about(motion.id, group.id, null, null).finish('VotingWeightSet');
}

export function handleVoteCast(event: VoteCast): void {
  let p = event.params;
  let s = openAreaScope(event);
  let area = s.area;
  let motion = loadMotion(motionKey(area.id, p.motionId));
  let group = loadGroup(groupKey(area.id, p.groupId));

  let vote = new Vote(motionGroupKey(motion.id, p.groupId));
  vote.area = area.id;
  vote.motion = motion.id;
  vote.group = group.id;
  vote.voter = p.voter;
  vote.support = voteSupportName(p.support);
  vote.weight = p.weight;
  vote.reason = p.reason;
  stampEvent(vote, event);
  vote.save();

  // Running tallies; MotionFinalized replaces them with the contract's figures.
  if (p.support == SUPPORT_FOR) {
    motion.forVotes = motion.forVotes.plus(p.weight);
    group.votesFor = group.votesFor + 1;
  } else if (p.support == SUPPORT_AGAINST) {
    motion.againstVotes = motion.againstVotes.plus(p.weight);
    group.votesAgainst = group.votesAgainst + 1;
  } else {
    motion.abstainVotes = motion.abstainVotes.plus(p.weight);
    group.votesAbstain = group.votesAbstain + 1;
  }
  motion.voteCount = motion.voteCount + 1;
  stampUpdated(motion, event);
  motion.save();

  group.votesCast = group.votesCast + 1;
  group.weightCast = group.weightCast.plus(p.weight);
  stampUpdated(group, event);
  group.save();

  area.voteCount = area.voteCount + 1;
  s.day.votesCast = s.day.votesCast + 1;
  s.day.weightCast = s.day.weightCast.plus(p.weight);
  s.about(motion.id, group.id, null, p.voter).finish('VoteCast');
}

export function handleMotionVetoed(event: MotionVetoed): void {
  let p = event.params;
  let s = openAreaScope(event);
  let motion = loadMotion(motionKey(s.area.id, p.motionId));
  // Still ACTIVE: the status changes only at MotionFinalized (outcome VETOED).
  motion.vetoed = true;
  motion.vetoReason = p.reason;
  stamp(motion, 'vetoed', event);
  stampUpdated(motion, event);
  motion.save();
  s.about(motion.id, s.area.foundationGroup, null, null).finish('MotionVetoed');
}

export function handleMotionFinalized(event: MotionFinalized): void {
  let p = event.params;
  let s = openAreaScope(event);
  let motion = loadMotion(motionKey(s.area.id, p.motionId));
  motion.outcome = p.outcome;
  motion.status = motionStatusName(p.outcome);
  motion.forVotes = p.forVotes;
  motion.againstVotes = p.againstVotes;
  motion.abstainVotes = p.abstainVotes;
  motion.totalWeight = p.totalWeight;
  stamp(motion, 'finalized', event);
  stampUpdated(motion, event);
  motion.save();

  s.area.openMotionCount = s.area.openMotionCount - 1;
  let day = s.day;
  day.motionsFinalized = day.motionsFinalized + 1;
  if (p.outcome == OUTCOME_PASSED) day.motionsPassed = day.motionsPassed + 1;
  else if (p.outcome == OUTCOME_REJECTED) day.motionsRejected = day.motionsRejected + 1;
  else if (p.outcome == OUTCOME_QUORUM_NOT_MET) day.motionsQuorumNotMet = day.motionsQuorumNotMet + 1;
  else if (p.outcome == OUTCOME_VETOED) day.motionsVetoed = day.motionsVetoed + 1;
  s.about(motion.id, null, motion.seatRole, null).finish('MotionFinalized');
}

export function handleParameterChanged(event: ParameterChanged): void {
  let p = event.params;
  let s = openAreaScope(event);
  let area = s.area;
  let name = p.param.toString();
  applyParameter(area, name, p.newValue);

  let motion = loadMotion(motionKey(area.id, p.motionId));
  let change = new ParameterChange(eventId(event));
  change.area = area.id;
  change.motion = motion.id;
  change.param = name;
  change.oldValue = p.oldValue;
  change.newValue = p.newValue;
  stampEvent(change, event);
  change.save();

  motion.parameterChange = change.id;
  stampUpdated(motion, event);
  motion.save();

  s.day.parameterChanges = s.day.parameterChanges + 1;
  s.about(motion.id, null, null, null).finish('ParameterChanged');
}

function applyParameter(area: Area, name: string, value: BigInt): void {
  if (name == 'leaseTerm') area.leaseTerm = value;
  else if (name == 'votingPeriod') area.votingPeriod = value;
  else if (name == 'quorumBps') area.quorumBps = value.toI32();
  else if (name == 'acceptWindow') area.acceptWindow = value;
  else if (name == 'renewalWindow') area.renewalWindow = value;
  else if (name == 'seatPrice') area.seatPrice = value;
  else log.critical('ParameterChanged for unknown parameter "{}"', [name]);
}

// ---- leases ------------------------------------------------------------------------

export function handleLeaseGranted(event: LeaseGranted): void {
  let p = event.params;
  let s = openAreaScope(event);
  let area = s.area;
  let seat = getOrCreateSeat(area.id, p.role, event);
  let group = groupKey(area.id, p.groupId);
  let motion = loadMotion(motionKey(area.id, p.motionId));

  let lease = new Lease(leaseKey(area.id, p.role, p.motionId));
  lease.area = area.id;
  lease.seat = seat.id;
  lease.group = group;
  lease.motion = motion.id;
  lease.start = p.start;
  lease.end = p.end;
  lease.tokens = p.tokens;
  lease.price = p.price;
  lease.totalPaid = p.price;
  lease.renewals = 0;
  lease.status = LEASE_ACTIVE;
  stampCreated(lease, 'granted', event);
  lease.save();

  seat.holder = group;
  seat.currentLease = lease.id;
  seat.leaseCount = seat.leaseCount + 1;
  stampUpdated(seat, event);
  seat.save();

  motion.accepted = true;
  motion.lease = lease.id;
  stampUpdated(motion, event);
  motion.save();

  area.leaseCount = area.leaseCount + 1;
  s.day.leasesGranted = s.day.leasesGranted + 1;
  s.day.seatRevenue = s.day.seatRevenue.plus(p.price);
  s.about(motion.id, group, seat.role, null).finish('LeaseGranted');
}

export function handleLeaseRenewed(event: LeaseRenewed): void {
  let p = event.params;
  let s = openAreaScope(event);
  let area = s.area;
  let seat = getOrCreateSeat(area.id, p.role, event);
  let lease = loadCurrentLease(seat);
  let motion = loadMotion(motionKey(area.id, p.motionId));

  let renewal = new LeaseRenewal(eventId(event));
  renewal.area = area.id;
  renewal.lease = lease.id;
  renewal.motion = motion.id;
  renewal.previousEnd = lease.end;
  renewal.newEnd = p.newEnd;
  renewal.price = p.price;
  stampEvent(renewal, event);
  renewal.save();

  lease.end = p.newEnd;
  lease.renewals = lease.renewals + 1;
  lease.totalPaid = lease.totalPaid.plus(p.price);
  stamp(lease, 'lastRenewed', event);
  stampUpdated(lease, event);
  lease.save();

  motion.accepted = true;
  motion.lease = lease.id;
  stampUpdated(motion, event);
  motion.save();

  s.day.leasesRenewed = s.day.leasesRenewed + 1;
  s.day.seatRevenue = s.day.seatRevenue.plus(p.price);
  s.about(motion.id, lease.group, seat.role, null).finish('LeaseRenewed');
}

export function handleLeaseExpired(event: LeaseExpired): void {
  let p = event.params;
  let s = openAreaScope(event);
  let seat = getOrCreateSeat(s.area.id, p.role, event);
  let lease = loadCurrentLease(seat);
  lease.status = LEASE_EXPIRED;
  stamp(lease, 'expired', event);
  lease.expiredAt = p.at;
  stampUpdated(lease, event);
  lease.save();

  seat.holder = null;
  seat.currentLease = null;
  stampUpdated(seat, event);
  seat.save();

  s.day.leasesExpired = s.day.leasesExpired + 1;
  s.about(lease.motion, lease.group, seat.role, null).finish('LeaseExpired');
}
