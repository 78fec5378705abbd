/** The protocol's enums and constants (protocol.md), as TypeScript values matching the uint8s. */
import { hexToString, stringToHex, type Hex } from 'viem';
import { AreaDAOAbi, AreaGovernanceTokenAbi, GGNFactoryAbi, GGNUtilityTokenAbi } from './generated/abis.js';

export const Role = { GENERATION: 0, TRANSMISSION: 1, DISTRIBUTION: 2, COMMUNITY: 3, FOUNDATION: 4 } as const;
export type Role = (typeof Role)[keyof typeof Role];
export const ROLE_NAMES = ['GENERATION', 'TRANSMISSION', 'DISTRIBUTION', 'COMMUNITY', 'FOUNDATION'] as const;

export const MotionKind = { SEAT_ALLOCATION: 0, LEASE_RENEWAL: 1, PARAMETER_CHANGE: 2, GENERAL: 3 } as const;
export type MotionKind = (typeof MotionKind)[keyof typeof MotionKind];
export const MOTION_KIND_NAMES = ['SEAT_ALLOCATION', 'LEASE_RENEWAL', 'PARAMETER_CHANGE', 'GENERAL'] as const;

export const Support = { AGAINST: 0, FOR: 1, ABSTAIN: 2 } as const;
export type Support = (typeof Support)[keyof typeof Support];

/** 0 = not finalized yet. */
export const Outcome = { NONE: 0, PASSED: 1, REJECTED: 2, QUORUM_NOT_MET: 3, VETOED: 4 } as const;
export type Outcome = (typeof Outcome)[keyof typeof Outcome];
export const OUTCOME_NAMES = ['NONE', 'PASSED', 'REJECTED', 'QUORUM_NOT_MET', 'VETOED'] as const;

/** Names a PARAMETER_CHANGE motion may carry in `param`. */
export const PARAMETER_NAMES = [
  'leaseTerm',
  'votingPeriod',
  'quorumBps',
  'acceptWindow',
  'renewalWindow',
  'seatPrice',
] as const;
export type ParameterName = (typeof PARAMETER_NAMES)[number];

/** bytes32 of the ASCII name, right-padded with zeros. */
export const paramToBytes32 = (name: string): Hex => stringToHex(name, { size: 32 });
export const paramFromBytes32 = (param: Hex): string => hexToString(param, { size: 32 }).replace(/\0+$/, '');

export const DAY = 86_400;
export const HOUR = 3_600;
export const E18 = 10n ** 18n;

/** AreaParams as the factory takes it. */
export interface AreaParams {
  allocations: readonly [bigint, bigint, bigint, bigint];
  foundationAllocation: bigint;
  leaseTerm: bigint;
  votingPeriod: bigint;
  quorumBps: number;
  acceptWindow: bigint;
  renewalWindow: bigint;
  seatPrice: bigint;
}

/** The devnet defaults of protocol.md. */
export const DEFAULT_AREA_PARAMS: AreaParams = {
  allocations: [50n * E18, 50n * E18, 50n * E18, 50n * E18],
  foundationAllocation: 50n * E18,
  leaseTerm: BigInt(365 * DAY),
  votingPeriod: BigInt(7 * DAY),
  quorumBps: 5000,
  acceptWindow: BigInt(14 * DAY),
  renewalWindow: BigInt(60 * DAY),
  seatPrice: 1000n * E18,
};

/** The validation table of protocol.md (same rules as AreaRules.timingValid on chain). */
export function timingValid(p: {
  leaseTerm: bigint | number;
  votingPeriod: bigint | number;
  quorumBps: bigint | number;
  acceptWindow: bigint | number;
  renewalWindow: bigint | number;
}): boolean {
  const [lt, vp, q, aw, rw] = [p.leaseTerm, p.votingPeriod, p.quorumBps, p.acceptWindow, p.renewalWindow].map(
    Number,
  );
  return (
    lt >= DAY &&
    lt <= 3650 * DAY &&
    lt > rw &&
    vp >= HOUR &&
    vp <= 90 * DAY &&
    q >= 1 &&
    q <= 10_000 &&
    aw >= HOUR &&
    aw <= 90 * DAY &&
    rw >= vp + aw
  );
}

/** Every event of the four contracts, by name (AreaGovernanceToken and GGNUtilityToken share Transfer/Approval). */
export const protocolEventsAbi = [
  ...GGNFactoryAbi.filter((i) => i.type === 'event'),
  ...AreaDAOAbi.filter((i) => i.type === 'event'),
  ...GGNUtilityTokenAbi.filter((i) => i.type === 'event'),
] as const;
export const allEventsAbi = [
  ...protocolEventsAbi,
  ...AreaGovernanceTokenAbi.filter((i) => i.type === 'event'),
];
