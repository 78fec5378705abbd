// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// Parameters of one area (protocol.md, GGNFactory). Shared by the factory and the DAO.
struct AreaParams {
  uint256[4] allocations;       // per seat role 0..3
  uint256 foundationAllocation;
  uint64 leaseTerm;             // seconds
  uint64 votingPeriod;          // seconds
  uint16 quorumBps;             // share of total snapshot weight that must vote
  uint64 acceptWindow;          // seconds after votingEnd to accept a passed lease motion
  uint64 renewalWindow;         // seconds before lease end in which a renewal may be proposed
  uint256 seatPrice;            // utility tokens paid to buy a seat's allocation
}

/// The validation table of protocol.md, used at area creation (InvalidParams) and for
/// PARAMETER_CHANGE motions (InvalidParameterValue), so both apply exactly the same rules.
library AreaRules {
  function timingValid(uint256 leaseTerm, uint256 votingPeriod, uint256 quorumBps, uint256 acceptWindow, uint256 renewalWindow)
    internal
    pure
    returns (bool)
  {
    return leaseTerm >= 1 days && leaseTerm <= 3650 days && leaseTerm > renewalWindow
      && votingPeriod >= 1 hours && votingPeriod <= 90 days
      && quorumBps >= 1 && quorumBps <= 10000
      && acceptWindow >= 1 hours && acceptWindow <= 90 days
      && renewalWindow >= votingPeriod + acceptWindow;
  }
}
