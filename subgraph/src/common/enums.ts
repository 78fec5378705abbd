// Protocol uint8 codes to the schema's enum names (shared/spec/protocol.md).
import { log } from '@graphprotocol/graph-ts';

export const ROLE_FOUNDATION: i32 = 4;
export const KIND_SEAT_ALLOCATION: i32 = 0;
export const KIND_LEASE_RENEWAL: i32 = 1;
export const KIND_PARAMETER_CHANGE: i32 = 2;

const ROLES: string[] = ['GENERATION', 'TRANSMISSION', 'DISTRIBUTION', 'COMMUNITY', 'FOUNDATION'];
const KINDS: string[] = ['SEAT_ALLOCATION', 'LEASE_RENEWAL', 'PARAMETER_CHANGE', 'GENERAL'];
// Index = the contract's outcome code; 0 "none yet" is ACTIVE.
const STATUSES: string[] = ['ACTIVE', 'PASSED', 'REJECTED', 'QUORUM_NOT_MET', 'VETOED'];
const SUPPORTS: string[] = ['AGAINST', 'FOR', 'ABSTAIN'];

// The contracts never emit codes outside these tables; one that does means the
// ABI and this subgraph disagree, which must stop indexing rather than guess.
function lookup(table: string[], code: i32, what: string): string {
  if (code < 0 || code >= table.length) {
    log.critical('Unknown {} code {}', [what, code.toString()]);
  }
  return table[code];
}

export function roleName(role: i32): string {
  return lookup(ROLES, role, 'seat role');
}

export function motionKindName(kind: i32): string {
  return lookup(KINDS, kind, 'motion kind');
}

export function motionStatusName(outcome: i32): string {
  return lookup(STATUSES, outcome, 'motion outcome');
}

export function voteSupportName(support: i32): string {
  return lookup(SUPPORTS, support, 'vote support');
}

/** SEAT_ALLOCATION and LEASE_RENEWAL concern a seat and an applicant; the other kinds do not. */
export function isSeatKind(kind: i32): bool {
  return kind == KIND_SEAT_ALLOCATION || kind == KIND_LEASE_RENEWAL;
}

export const STATUS_ACTIVE = 'ACTIVE';
export const LEASE_ACTIVE = 'ACTIVE';
export const LEASE_EXPIRED = 'EXPIRED';
export const SUPPORT_AGAINST: i32 = 0;
export const SUPPORT_FOR: i32 = 1;
export const OUTCOME_PASSED: i32 = 1;
export const OUTCOME_REJECTED: i32 = 2;
export const OUTCOME_QUORUM_NOT_MET: i32 = 3;
export const OUTCOME_VETOED: i32 = 4;
