// The queries each page runs, as builders of query text (see graphql.ts).
// Field names are those of subgraph/schema.graphql; plural names follow
// graph-node's Inflector rules (AreaDayData → areaDayDatas).
import { buildQuery, en, MAX_FIRST, type Args, type AsOf } from './graphql.ts';
import { fitFirst, planQueries } from './cost.ts';
import { fetchAllById, idPageQuery } from './paging.ts';
import type { Fetcher } from './client.ts';

export const SEAT_ORDER = ['GENERATION', 'TRANSMISSION', 'DISTRIBUTION', 'COMMUNITY', 'FOUNDATION'] as const;
export type SeatRole = (typeof SEAT_ORDER)[number];
export const LEASE_ROLES: SeatRole[] = ['GENERATION', 'TRANSMISSION', 'DISTRIBUTION'];
export const MOTION_KINDS = ['SEAT_ALLOCATION', 'LEASE_RENEWAL', 'PARAMETER_CHANGE', 'GENERAL'] as const;
export const MOTION_STATUSES = ['ACTIVE', 'PASSED', 'REJECTED', 'QUORUM_NOT_MET', 'VETOED'] as const;
/** Event names the audit trail records (protocol.md). */
export const EVENT_KINDS = [
  'AreaCreated',
  'AreaInitialized',
  'SeatConfigured',
  'GroupRegistered',
  'MemberAdded',
  'MemberRemoved',
  'ConsumerRegistered',
  'ConsumerDelegated',
  'MotionProposed',
  'VotingWeightSet',
  'VoteCast',
  'MotionVetoed',
  'MotionFinalized',
  'ParameterChanged',
  'LeaseGranted',
  'LeaseRenewed',
  'LeaseExpired',
  'Transfer',
] as const;

export interface GroupRef {
  id: string;
  groupId: string;
  name: string;
  role?: SeatRole;
  account?: string;
}

export const AREA_FIELDS = `id areaId name code dao token foundationAccount leaseTerm votingPeriod quorumBps acceptWindow renewalWindow seatPrice totalSupply
  groupCount consumerCount motionCount openMotionCount voteCount leaseCount totalDelegations eventCount createdAt createdAtBlock createdTx`;
export interface Area {
  id: string;
  areaId: string;
  name: string;
  code: string;
  dao: string;
  token: string;
  foundationAccount: string | null;
  leaseTerm: string;
  votingPeriod: string;
  quorumBps: number;
  acceptWindow: string;
  renewalWindow: string;
  seatPrice: string;
  totalSupply: string;
  groupCount: number;
  consumerCount: number;
  motionCount: number;
  openMotionCount: number;
  voteCount: number;
  leaseCount: number;
  totalDelegations: number;
  eventCount: number;
  createdAt: string;
  createdAtBlock: string;
  createdTx: string;
}

export const SEAT_FIELDS = `id role allocation holder { id groupId name account } currentLease { id start end status renewals motion { motionId } }`;
export interface Seat {
  id: string;
  role: SeatRole;
  allocation: string;
  holder: GroupRef | null;
  currentLease: {
    id: string;
    start: string;
    end: string;
    status: string;
    renewals: number;
    motion: { motionId: string };
  } | null;
}

export const COMMUNITY_FIELDS = 'id groupId name delegationCount area { id }';
export interface CommunityGroup extends GroupRef {
  delegationCount: number;
  area: { id: string };
}

// ---------------------------------------------------------------- overview
export const OVERVIEW_AREA_FIELDS = `${AREA_FIELDS} seats { ${SEAT_FIELDS} }`;
const DELEGATED_COMMUNITY = { role: en('COMMUNITY'), delegationCount_gt: 0 };

/** The first page of each scan the overview runs (shown as its source). */
export function overviewQueries(block: AsOf): string[] {
  return [
    idPageQuery(
      'areas',
      {},
      OVERVIEW_AREA_FIELDS,
      block,
      undefined,
      fitFirst({ name: 'areas', selection: OVERVIEW_AREA_FIELDS }, MAX_FIRST),
    ),
    idPageQuery('memberGroups', DELEGATED_COMMUNITY, COMMUNITY_FIELDS, block, undefined),
  ];
}

/** Every area and every COMMUNITY group with delegations: complete, however many (id_gt scans). */
export async function loadOverview<
  A extends { id: string; areaId: string },
  G extends { id: string; delegationCount: number },
>(fetcher: Fetcher, block: AsOf): Promise<{ areas: A[]; community: G[] }> {
  const [areas, community] = await Promise.all([
    fetchAllById<A>(fetcher, 'areas', {}, OVERVIEW_AREA_FIELDS, block),
    fetchAllById<G>(fetcher, 'memberGroups', DELEGATED_COMMUNITY, COMMUNITY_FIELDS, block),
  ]);
  const byNumber = (a: A, b: A) =>
    BigInt(a.areaId) < BigInt(b.areaId) ? -1 : BigInt(a.areaId) > BigInt(b.areaId) ? 1 : 0;
  return {
    areas: areas.sort(byNumber),
    community: community.sort((a, b) => b.delegationCount - a.delegationCount),
  };
}

// ---------------------------------------------------------------- area
export const LEASE_FIELDS = `id seat { role } group { id groupId name } motion { motionId } start end tokens price totalPaid renewals status expiredAt expiredTx grantedTx grantedAtBlock
  renewalHistory(orderBy: blockNumber) { id previousEnd newEnd timestamp motion { motionId } }`;
export interface Lease {
  id: string;
  seat: { role: SeatRole };
  group: GroupRef;
  motion: { motionId: string };
  start: string;
  end: string;
  tokens: string;
  price: string;
  totalPaid: string;
  renewals: number;
  status: 'ACTIVE' | 'EXPIRED';
  expiredAt: string | null;
  expiredTx: string | null;
  grantedTx: string;
  grantedAtBlock: string;
  renewalHistory: {
    id: string;
    previousEnd: string;
    newEnd: string;
    timestamp: string;
    motion: { motionId: string };
  }[];
}

export const GROUP_ROW_FIELDS =
  'id groupId name role account memberCount delegationCount votesCast motionsProposed registeredAt';
export const HOLDER_FIELDS = 'id address balance isTreasury group { id groupId name role }';
export const PARAM_CHANGE_FIELDS =
  'id param oldValue newValue blockNumber timestamp transactionHash motion { motionId }';
export const DAY_FIELDS =
  'id dayIndex date motionsProposed motionsFinalized votesCast delegations leasesGranted leasesRenewed leasesExpired parameterChanges events';
export interface DayData {
  id: string;
  dayIndex: number;
  date: string;
  motionsProposed: number;
  motionsFinalized: number;
  votesCast: number;
  delegations: number;
  leasesGranted: number;
  leasesRenewed: number;
  leasesExpired: number;
  parameterChanges: number;
  events: number;
}

export function areaQuery(areaId: string, block: AsOf): string[] {
  const byArea = { area: areaId };
  return planQueries(
    [
      { name: 'area', args: { id: areaId }, selection: AREA_FIELDS },
      { name: 'seats', args: { first: 10, where: byArea }, selection: SEAT_FIELDS },
      {
        name: 'leases',
        args: { first: MAX_FIRST, where: byArea, orderBy: en('start') },
        selection: LEASE_FIELDS,
      },
      {
        alias: 'groups',
        name: 'memberGroups',
        args: { first: MAX_FIRST, where: byArea, orderBy: en('groupId') },
        selection: GROUP_ROW_FIELDS,
      },
      {
        name: 'tokenHolders',
        args: {
          first: MAX_FIRST,
          where: { ...byArea, balance_gt: '0' },
          orderBy: en('balance'),
          orderDirection: en('desc'),
        },
        selection: HOLDER_FIELDS,
      },
      {
        name: 'parameterChanges',
        args: { first: MAX_FIRST, where: byArea, orderBy: en('blockNumber'), orderDirection: en('desc') },
        selection: PARAM_CHANGE_FIELDS,
      },
    ],
    block,
  );
}

export function dayDataQuery(areaId: string, days: number, block: AsOf): string {
  return buildQuery(
    [
      {
        name: 'areaDayDatas',
        args: {
          first: Math.min(days, MAX_FIRST),
          where: { area: areaId },
          orderBy: en('dayIndex'),
          orderDirection: en('desc'),
        },
        selection: DAY_FIELDS,
      },
    ],
    block,
  );
}

// ---------------------------------------------------------------- motions (keyset paged)
export const MOTION_ROW_FIELDS = `id motionId kind status seatRole param value description vetoed votingStart votingEnd forVotes againstVotes abstainVotes totalWeight quorumBps voteCount createdAt createdAtBlock createdTx
  proposer { id groupId name } applicant { id groupId name }`;
export interface MotionRow {
  id: string;
  motionId: string;
  kind: string;
  status: string;
  seatRole: SeatRole | null;
  param: string | null;
  value: string;
  description: string;
  vetoed: boolean;
  votingStart: string;
  votingEnd: string;
  forVotes: string;
  againstVotes: string;
  abstainVotes: string;
  totalWeight: string;
  quorumBps: number;
  voteCount: number;
  createdAt: string;
  createdAtBlock: string;
  createdTx: string;
  proposer: GroupRef;
  applicant: GroupRef | null;
}

export interface MotionFilter {
  kind?: string;
  status?: string;
}

export function motionWhere(areaId: string, f: MotionFilter): Args {
  return { area: areaId, kind: f.kind ? en(f.kind) : undefined, status: f.status ? en(f.status) : undefined };
}

/**
 * One page of an area's motions, newest first. Keyset: `motionId_lt` the last
 * id of the previous page (motion ids are per-area sequence numbers, so this is
 * creation order without the ties that `createdAt` would have within a block).
 */
export function motionsPageQuery(
  areaId: string,
  f: MotionFilter,
  before: string | undefined,
  pageSize: number,
  block: AsOf,
): string {
  return buildQuery(
    [
      {
        name: 'motions',
        args: {
          first: pageSize,
          orderBy: en('motionId'),
          orderDirection: en('desc'),
          where: { ...motionWhere(areaId, f), motionId_lt: before },
        },
        selection: MOTION_ROW_FIELDS,
      },
    ],
    block,
  );
}

// ---------------------------------------------------------------- motion
export const MOTION_FIELDS = `${MOTION_ROW_FIELDS} acceptDeadline outcome seatPrice leaseTerm acceptWindow weightedGroupCount vetoReason vetoedAt vetoedTx accepted
  finalizedAt finalizedAtBlock finalizedTx area { id name code }
  lease { id start end status renewals seat { role } group { id groupId name } grantedTx }
  parameterChange { id param oldValue newValue transactionHash }`;
export const VOTE_FIELDS =
  'id group { id groupId name role } voter support weight reason blockNumber timestamp transactionHash';
export const WEIGHT_FIELDS = 'id weight group { id groupId name role }';

export function motionQuery(areaId: string, motionId: string, block: AsOf): string[] {
  const id = `${areaId}-${motionId}`;
  return planQueries(
    [
      { name: 'motion', args: { id }, selection: MOTION_FIELDS },
      {
        name: 'votingWeights',
        args: { first: MAX_FIRST, where: { motion: id }, orderBy: en('weight'), orderDirection: en('desc') },
        selection: WEIGHT_FIELDS,
      },
      {
        name: 'votes',
        args: { first: MAX_FIRST, where: { motion: id }, orderBy: en('weight'), orderDirection: en('desc') },
        selection: VOTE_FIELDS,
      },
    ],
    block,
  );
}

// ---------------------------------------------------------------- group
export const GROUP_FIELDS = `id groupId role name account memberCount delegationCount motionsProposed votesCast votesFor votesAgainst votesAbstain weightCast motionsEligible
  registeredAt registeredAtBlock registeredTx area { id name code totalDelegations } seatsHeld { id role }`;
export const MEMBERSHIP_FIELDS = 'id member active addedAt addedTx removedAt removedTx createdAt createdTx';
export const GROUP_VOTE_FIELDS =
  'id motion { id motionId kind status } support weight reason timestamp blockNumber transactionHash';
export const CONSUMER_FIELDS = 'id address meterId registeredAt registeredTx';
export const MEMBER_EVENT_KINDS = ['GroupRegistered', 'MemberAdded', 'MemberRemoved'];
export const EVENT_FIELDS =
  'id kind blockNumber timestamp transactionHash logIndex account seatRole motion { id motionId } group { id groupId name }';

export function groupQuery(areaId: string, groupId: string, block: AsOf, listSize = 100): string[] {
  const id = `${areaId}-${groupId}`;
  return planQueries(
    [
      { alias: 'group', name: 'memberGroup', args: { id }, selection: GROUP_FIELDS },
      {
        alias: 'memberships',
        name: 'groupMemberships',
        args: { first: MAX_FIRST, where: { group: id }, orderBy: en('createdAt') },
        selection: MEMBERSHIP_FIELDS,
      },
      {
        alias: 'memberEvents',
        name: 'governanceEvents',
        args: {
          first: MAX_FIRST,
          where: { group: id, kind_in: MEMBER_EVENT_KINDS },
          orderBy: en('blockNumber'),
        },
        selection: EVENT_FIELDS,
      },
      {
        name: 'votes',
        args: {
          first: listSize,
          where: { group: id },
          orderBy: en('blockNumber'),
          orderDirection: en('desc'),
        },
        selection: GROUP_VOTE_FIELDS,
      },
      {
        name: 'consumers',
        args: {
          first: listSize,
          where: { delegate: id },
          orderBy: en('registeredAt'),
          orderDirection: en('desc'),
        },
        selection: CONSUMER_FIELDS,
      },
      {
        name: 'leases',
        args: { first: MAX_FIRST, where: { group: id }, orderBy: en('start') },
        selection: LEASE_FIELDS,
      },
    ],
    block,
  );
}

// ---------------------------------------------------------------- audit trail
export interface AuditFilter {
  kind?: string;
  fromBlock?: number;
  toBlock?: number;
}

export function auditWhere(areaId: string, f: AuditFilter): Args {
  return {
    area: areaId,
    kind: f.kind || undefined,
    blockNumber_gte: f.fromBlock !== undefined ? String(f.fromBlock) : undefined,
    blockNumber_lte: f.toBlock !== undefined ? String(f.toBlock) : undefined,
  };
}

export interface AuditCursor {
  blockNumber: string;
  id: string;
}

/**
 * One page of the audit trail in chain order. Keyset on (blockNumber, id), the
 * order graph-node gives for `orderBy: blockNumber` (it appends `id`): the next
 * page is `blockNumber > B or (blockNumber = B and id > I)`. graph-node forbids
 * mixing `or` with column filters at one level, so the filter is repeated in
 * each branch. Within a block the page is re-sorted by logIndex for display.
 */
export function auditPageQuery(
  areaId: string,
  f: AuditFilter,
  after: AuditCursor | undefined,
  pageSize: number,
  block: AsOf,
): string {
  const base = auditWhere(areaId, f);
  const where: Args = after
    ? {
        or: [
          { ...base, blockNumber_gt: after.blockNumber },
          { ...base, blockNumber: after.blockNumber, id_gt: after.id },
        ],
      }
    : base;
  return buildQuery(
    [
      {
        name: 'governanceEvents',
        args: { first: pageSize, orderBy: en('blockNumber'), orderDirection: en('asc'), where },
        selection: EVENT_FIELDS,
      },
    ],
    block,
  );
}

export interface GovernanceEvent {
  id: string;
  kind: string;
  blockNumber: string;
  timestamp: string;
  transactionHash: string;
  logIndex: string;
  account: string | null;
  seatRole: SeatRole | null;
  motion: { id: string; motionId: string } | null;
  group: GroupRef | null;
}

/** Chain order within what one page returned. */
export function chainOrder<T extends { blockNumber: string; logIndex: string }>(rows: T[]): T[] {
  return [...rows].sort(
    (a, b) =>
      Number(BigInt(a.blockNumber) - BigInt(b.blockNumber)) ||
      Number(BigInt(a.logIndex) - BigInt(b.logIndex)),
  );
}
