// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AreaParams, AreaRules} from "./AreaParams.sol";
import {AreaDAO} from "./AreaDAO.sol";
import {AreaGovernanceToken} from "./AreaGovernanceToken.sol";

/// One per network; its owner (the deployer) is the Foundation, the only one creating areas.
contract GGNFactory {
  error NotOwner();
  error InvalidParams();
  error DuplicateAreaCode();

  event AreaCreated(uint256 indexed areaId, address indexed dao, address indexed token, string name, string code);

  address public immutable owner;
  address public immutable utilityToken;
  uint256 public areaCount;
  mapping(uint256 => address) public areaDao;
  mapping(bytes32 => bool) private codeTaken;

  constructor(address utilityToken_) {
    owner = msg.sender;
    utilityToken = utilityToken_;
  }

  function createArea(
    string calldata name,
    string calldata code,
    AreaParams calldata params,
    address foundationAccount,
    address[] calldata foundationMembers
  ) external returns (uint256 areaId, address dao, address token) {
    if (msg.sender != owner) revert NotOwner();
    if (bytes(name).length == 0 || foundationAccount == address(0)) revert InvalidParams();
    uint256 seatSupply = _checkParams(params);
    _claimCode(code);
    areaId = ++areaCount;
    token = address(new AreaGovernanceToken(name, code, seatSupply, params.foundationAllocation));
    dao = address(new AreaDAO(areaId, token, utilityToken, params, foundationAccount, foundationMembers));
    areaDao[areaId] = dao;
    AreaGovernanceToken(token).initialize(dao, foundationAccount);
    emit AreaCreated(areaId, dao, token, name, code);
  }

  /// The validation table of protocol.md; returns the sum of the four seat allocations.
  function _checkParams(AreaParams calldata params) private pure returns (uint256 seatSupply) {
    for (uint256 r = 0; r < 4; ++r) {
      if (params.allocations[r] == 0) revert InvalidParams();
      seatSupply += params.allocations[r];
    }
    if (params.foundationAllocation == 0) revert InvalidParams();
    if (!AreaRules.timingValid(params.leaseTerm, params.votingPeriod, params.quorumBps, params.acceptWindow, params.renewalWindow)) {
      revert InvalidParams();
    }
  }

  /// Area codes are unique per network (compared byte for byte, so case-sensitive).
  function _claimCode(string calldata code) private {
    if (bytes(code).length == 0) revert InvalidParams();
    bytes32 key = keccak256(bytes(code));
    if (codeTaken[key]) revert DuplicateAreaCode();
    codeTaken[key] = true;
  }
}
