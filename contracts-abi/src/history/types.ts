import type { AreaDeployment } from '../deployment.js';

/** Knobs of the history generator. Defaults give the committed devnet: "a year of governance". */
export interface HistoryOptions {
  /** PRNG seed: the same seed on a fresh chain gives the same logs, byte for byte. Default 1. */
  seed?: number;
  /** Areas to create (default 3; the first three have hand-picked, different parameters). */
  areas?: number;
  /** Length of the history in months of 365/12 days (default 12: 2025-01-01 .. 2026-01-01). */
  months?: number;
  /** Member groups per role (GENERATION, TRANSMISSION, DISTRIBUTION, COMMUNITY) per area (default 3). */
  groups?: number;
  /** Consumers per area (default 24). */
  consumers?: number;
  /** Discretionary motions (GENERAL, PARAMETER_CHANGE) per area per month (default 4); seat motions come on top. */
  motionsPerMonth?: number;
  /** Unix time the history starts (default 1735689600, 2025-01-01T00:00:00Z). */
  startTime?: number;
  /**
   * Planned actions (votes, finalizations, acceptances, expiries) happen on a grid of this many
   * hours (default 1). anvil's cost per block grows with the chain's state, so large histories
   * use a coarser grid (e.g. 24) to pack more transactions into fewer blocks.
   */
  tickHours?: number;
}

export interface HistoryProgress {
  events: number;
  blocks: number;
  transactions: number;
  elapsedMs: number;
  eventsPerSecond: number;
  /** Block time reached. */
  timestamp: number;
}

export interface HistorySummary {
  seed: number;
  options: Required<HistoryOptions>;
  fromBlock: number;
  toBlock: number;
  /** Blocks mined by the generator. */
  blocks: number;
  transactions: number;
  startTime: number;
  endTime: number;
  /** Every log of the protocol's contracts, by event name (Transfer and Approval of both tokens together). */
  events: Record<string, number>;
  totalEvents: number;
  motions: {
    total: number;
    byKind: Record<string, number>;
    /** OPEN = not finalized when the history ends. */
    byOutcome: Record<'OPEN' | 'PASSED' | 'REJECTED' | 'QUORUM_NOT_MET' | 'VETOED', number>;
    /** Passed SEAT_ALLOCATION / LEASE_RENEWAL motions never accepted. */
    passedNotAccepted: number;
  };
  leases: {
    granted: number;
    renewed: number;
    expired: number;
    /** Ended leases expired by a later acceptLease of the same seat. */
    expiredByAcceptance: number;
    /** Ended before the history's end but never expired (still "ACTIVE" to an indexer). */
    endedUnexpired: number;
  };
  groups: number;
  consumers: number;
  areas: AreaDeployment[];
  elapsedMs: number;
  eventsPerSecond: number;
}
