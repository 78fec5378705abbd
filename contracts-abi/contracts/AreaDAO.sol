// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AreaParams, AreaRules} from "./AreaParams.sol";

interface IERC20Like {
  function transfer(address to, uint256 amount) external returns (bool);
  function transferFrom(address from, address to, uint256 amount) external returns (bool);
}

/// The DAO of one area: member groups, consumers and their delegations, motions with weight
/// snapshots, and the time-bound leases on the GENERATION / TRANSMISSION / DISTRIBUTION seats.
contract AreaDAO {
  // ---- errors (protocol.md "Errors"; names do not clash with event names) ----
  error NotFoundation();
  error NotGroupAccount();
  error NotDistributionHolder();
  error NotRegisteredConsumer();
  error ConsumerAlreadyRegistered();
  error InvalidParameterValue();
  error InvalidRole();
  error TooFewMembers();
  error DuplicateMember();
  error NotAMember();
  error AccountHasGroup();
  error UnknownGroup();
  error NotCommunityGroup();
  error AlreadyDelegated();
  error NotDelegated();
  error UnknownMotion();
  error InvalidMotion();
  error ApplicantRoleMismatch();
  error SeatNotVacant();
  error NotLeaseHolder();
  error OutsideRenewalWindow();
  error RenewalAlreadyOpen();
  error ParameterChangeAlreadyOpen();
  error InvalidSupport();
  error NoVotingWeight();
  error AlreadyVoted();
  error VotingClosed();
  error VotingNotEnded();
  error AlreadyFinalized();
  error MotionIsVetoed();
  error NotPassed();
  error AcceptWindowClosed();
  error AlreadyAccepted();
  error NoActiveLease();
  error LeaseNotEnded();

  // ---- events ----
  event AreaInitialized(
    uint256 indexed areaId, address token, uint64 leaseTerm, uint64 votingPeriod, uint16 quorumBps, uint64 acceptWindow,
    uint64 renewalWindow, uint256 seatPrice
  );
  event SeatConfigured(uint8 indexed role, uint256 allocation);
  event GroupRegistered(uint256 indexed groupId, uint8 indexed role, address indexed account, string name, address[] members);
  event MemberAdded(uint256 indexed groupId, address indexed member);
  event MemberRemoved(uint256 indexed groupId, address indexed member);
  event ConsumerRegistered(address indexed consumer, bytes32 meterId, address indexed registrar);
  event ConsumerDelegated(address indexed consumer, uint256 indexed fromGroupId, uint256 indexed toGroupId);
  event MotionProposed(
    uint256 indexed motionId, uint256 indexed proposerGroupId, uint8 kind, uint8 role, uint256 applicantGroupId, bytes32 param,
    uint256 value, uint64 votingStart, uint64 votingEnd, string description
  );
  event VotingWeightSet(uint256 indexed motionId, uint256 indexed groupId, uint256 weight);
  event VoteCast(uint256 indexed motionId, uint256 indexed groupId, address indexed voter, uint8 support, uint256 weight, string reason);
  event MotionVetoed(uint256 indexed motionId, string reason);
  event MotionFinalized(
    uint256 indexed motionId, uint8 outcome, uint256 forVotes, uint256 againstVotes, uint256 abstainVotes, uint256 totalWeight
  );
  event ParameterChanged(bytes32 indexed param, uint256 oldValue, uint256 newValue, uint256 indexed motionId);
  event LeaseGranted(uint8 indexed role, uint256 indexed groupId, uint256 indexed motionId, uint64 start, uint64 end, uint256 tokens, uint256 price);
  event LeaseRenewed(uint8 indexed role, uint256 indexed groupId, uint256 indexed motionId, uint64 newEnd, uint256 price);
  event LeaseExpired(uint8 indexed role, uint256 indexed groupId, uint64 at);

  // ---- enums as uint8 (protocol.md) ----
  uint8 private constant GENERATION = 0;
  uint8 private constant DISTRIBUTION = 2;
  uint8 private constant COMMUNITY = 3;
  uint8 private constant FOUNDATION = 4;
  uint8 private constant SEAT_ALLOCATION = 0;
  uint8 private constant LEASE_RENEWAL = 1;
  uint8 private constant PARAMETER_CHANGE = 2;
  uint8 private constant GENERAL = 3;
  uint8 private constant PASSED = 1;
  uint8 private constant REJECTED = 2;
  uint8 private constant QUORUM_NOT_MET = 3;
  uint8 private constant VETOED = 4;
  uint256 private constant FOUNDATION_GROUP = 1;

  struct MotionView {
    uint8 kind;
    uint8 role;
    uint256 proposerGroupId;
    uint256 applicantGroupId;
    bytes32 param;
    uint256 value;
    uint64 votingStart;
    uint64 votingEnd;
    uint16 quorumBps;
    uint256 seatPrice;
    uint64 leaseTerm;
    uint64 acceptWindow;
    uint256 forVotes;
    uint256 againstVotes;
    uint256 abstainVotes;
    uint256 totalWeight;
    uint8 outcome;
    bool vetoed;
    bool accepted;
  }

  struct Group {
    uint8 role;
    address account;
    string name;
    uint256 memberCount;
  }

  /// A seat's lease (roles 0..2). `grantMotion` identifies the lease, so a renewal voted for one
  /// lease cannot extend a later lease of the same group.
  struct Lease {
    uint256 holder;
    uint64 start;
    uint64 end;
    uint256 grantMotion;
  }

  uint256 public immutable areaId;
  address public immutable token;
  address public immutable utilityToken;
  address public immutable foundationAccount;
  uint64 private immutable createdAt;

  AreaParams private _params;

  uint256 public groupCount;
  mapping(uint256 => Group) private _groups;
  mapping(address => uint256) public groupOf;
  mapping(uint256 => mapping(address => bool)) public isMember;

  Lease[3] private _leases;
  /// Block time of the latest grant per seat: a competing application proposed at or before it
  /// can no longer be accepted, even after that lease has lapsed.
  uint64[3] private _lastGrantAt;
  /// Open LEASE_RENEWAL motion per seat (0 if none ever) and the lease it renews.
  uint256[3] private _renewalMotion;
  mapping(uint256 => uint256) private _renewalLease;
  /// The open PARAMETER_CHANGE motion (0 if none).
  uint256 private _openParameterChange;

  mapping(address => bool) public isConsumer;
  mapping(address => uint256) public consumerDelegate;
  mapping(uint256 => uint256) public delegationsOf;
  uint256 public totalDelegations;
  /// COMMUNITY groups with delegations > 0: the only community groups that weigh, so `propose`
  /// costs O(weighing groups), never O(all groups).
  uint256[] private _weighingCommunity;
  mapping(uint256 => uint256) private _weighingSlot; // index + 1

  uint256 public motionCount;
  mapping(uint256 => MotionView) private _motions;
  mapping(uint256 => mapping(uint256 => uint256)) public weightOf;
  mapping(uint256 => mapping(uint256 => bool)) public hasVoted;

  constructor(
    uint256 areaId_,
    address token_,
    address utilityToken_,
    AreaParams memory params_,
    address foundationAccount_,
    address[] memory foundationMembers
  ) {
    areaId = areaId_;
    token = token_;
    utilityToken = utilityToken_;
    foundationAccount = foundationAccount_;
    createdAt = uint64(block.timestamp);
    _params = params_;
    emit AreaInitialized(
      areaId_, token_, params_.leaseTerm, params_.votingPeriod, params_.quorumBps, params_.acceptWindow, params_.renewalWindow,
      params_.seatPrice
    );
    for (uint8 r = 0; r < 4; ++r) emit SeatConfigured(r, params_.allocations[r]);
    emit SeatConfigured(FOUNDATION, params_.foundationAllocation);
    _registerGroup(FOUNDATION, "Foundation Members Group", foundationAccount_, foundationMembers);
  }

  // ---------------------------------------------------------------- member groups

  function registerGroup(uint8 role, string calldata name, address[] calldata members) external returns (uint256) {
    if (role > COMMUNITY) revert InvalidRole();
    return _registerGroup(role, name, msg.sender, members);
  }

  function _registerGroup(uint8 role, string memory name, address account, address[] memory members) private returns (uint256 id) {
    if (groupOf[account] != 0) revert AccountHasGroup();
    uint256 n = members.length;
    if (n < 2) revert TooFewMembers();
    id = ++groupCount;
    for (uint256 i = 0; i < n; ++i) {
      if (isMember[id][members[i]]) revert DuplicateMember();
      isMember[id][members[i]] = true;
    }
    _groups[id] = Group(role, account, name, n);
    groupOf[account] = id;
    emit GroupRegistered(id, role, account, name, members);
  }

  function addMember(uint256 groupId, address member) external {
    _onlyGroupAccount(groupId);
    if (isMember[groupId][member]) revert DuplicateMember();
    isMember[groupId][member] = true;
    ++_groups[groupId].memberCount;
    emit MemberAdded(groupId, member);
  }

  function removeMember(uint256 groupId, address member) external {
    _onlyGroupAccount(groupId);
    if (!isMember[groupId][member]) revert NotAMember();
    if (_groups[groupId].memberCount <= 2) revert TooFewMembers();
    isMember[groupId][member] = false;
    --_groups[groupId].memberCount;
    emit MemberRemoved(groupId, member);
  }

  function _onlyGroupAccount(uint256 groupId) private view {
    if (groupId == 0 || groupId > groupCount) revert UnknownGroup();
    if (_groups[groupId].account != msg.sender) revert NotGroupAccount();
  }

  // ---------------------------------------------------------------- consumers and delegation

  function registerConsumer(address consumer, bytes32 meterId) external {
    if (msg.sender != foundationAccount) {
      Lease storage d = _leases[DISTRIBUTION];
      if (d.holder == 0 || block.timestamp >= d.end || _groups[d.holder].account != msg.sender) revert NotDistributionHolder();
    }
    if (isConsumer[consumer]) revert ConsumerAlreadyRegistered();
    isConsumer[consumer] = true;
    emit ConsumerRegistered(consumer, meterId, msg.sender);
  }

  function delegate(uint256 groupId) external {
    if (!isConsumer[msg.sender]) revert NotRegisteredConsumer();
    uint256 from = consumerDelegate[msg.sender];
    if (groupId == 0) {
      if (from == 0) revert NotDelegated();
    } else {
      if (groupId > groupCount) revert UnknownGroup();
      if (_groups[groupId].role != COMMUNITY) revert NotCommunityGroup();
      if (from == groupId) revert AlreadyDelegated();
    }
    if (from != 0) {
      if (--delegationsOf[from] == 0) _dropWeighing(from);
      --totalDelegations;
    }
    if (groupId != 0) {
      if (delegationsOf[groupId]++ == 0) {
        _weighingCommunity.push(groupId);
        _weighingSlot[groupId] = _weighingCommunity.length;
      }
      ++totalDelegations;
    }
    consumerDelegate[msg.sender] = groupId;
    emit ConsumerDelegated(msg.sender, from, groupId);
  }

  function _dropWeighing(uint256 groupId) private {
    uint256 slot = _weighingSlot[groupId];
    uint256 last = _weighingCommunity[_weighingCommunity.length - 1];
    _weighingCommunity[slot - 1] = last;
    _weighingSlot[last] = slot;
    _weighingCommunity.pop();
    delete _weighingSlot[groupId];
  }

  // ---------------------------------------------------------------- motions

  function propose(uint8 kind, uint8 role, uint256 applicantGroupId, bytes32 param, uint256 value, string calldata description)
    external
    returns (uint256 motionId)
  {
    uint256 proposer = groupOf[msg.sender];
    if (proposer == 0) revert NotGroupAccount();
    if (kind > GENERAL) revert InvalidMotion();
    motionId = motionCount + 1;
    if (kind == SEAT_ALLOCATION || kind == LEASE_RENEWAL) {
      if (param != bytes32(0) || value != 0) revert InvalidMotion();
      if (role > DISTRIBUTION) revert InvalidRole();
      if (kind == SEAT_ALLOCATION) _checkSeatApplication(role, applicantGroupId);
      else _checkRenewal(role, applicantGroupId, motionId);
    } else {
      if (role != 0 || applicantGroupId != 0) revert InvalidMotion();
      if (kind == PARAMETER_CHANGE) {
        _checkParameterChange(param, value);
        if (_isOpen(_openParameterChange)) revert ParameterChangeAlreadyOpen();
        _openParameterChange = motionId;
      } else if (param != bytes32(0) || value != 0) {
        revert InvalidMotion();
      }
    }
    motionCount = motionId;

    MotionView storage m = _motions[motionId];
    m.kind = kind;
    m.role = role;
    m.proposerGroupId = proposer;
    m.applicantGroupId = applicantGroupId;
    m.param = param;
    m.value = value;
    m.votingStart = uint64(block.timestamp);
    m.votingEnd = uint64(block.timestamp) + _params.votingPeriod;
    // Terms fixed at proposal: later parameter changes do not alter this motion.
    m.quorumBps = _params.quorumBps;
    m.seatPrice = _params.seatPrice;
    m.leaseTerm = _params.leaseTerm;
    m.acceptWindow = _params.acceptWindow;
    emit MotionProposed(motionId, proposer, kind, role, applicantGroupId, param, value, m.votingStart, m.votingEnd, description);
    m.totalWeight = _snapshot(motionId);
  }

  function _checkSeatApplication(uint8 role, uint256 applicant) private view {
    if (applicant == 0 || applicant > groupCount) revert UnknownGroup();
    if (_groups[applicant].role != role) revert ApplicantRoleMismatch();
    if (_active(role)) revert SeatNotVacant();
  }

  function _checkRenewal(uint8 role, uint256 applicant, uint256 motionId) private {
    Lease storage l = _leases[role];
    if (!_active(role)) revert NoActiveLease();
    if (applicant != l.holder) revert NotLeaseHolder();
    if (l.end > block.timestamp + _params.renewalWindow) revert OutsideRenewalWindow();
    if (_isOpen(_renewalMotion[role])) revert RenewalAlreadyOpen();
    _renewalMotion[role] = motionId;
    _renewalLease[motionId] = l.grantMotion;
  }

  function _checkParameterChange(bytes32 param, uint256 value) private view {
    AreaParams memory p = _params;
    if (param == "seatPrice") return; // any value
    if (value > type(uint64).max) revert InvalidParameterValue();
    if (param == "leaseTerm") p.leaseTerm = uint64(value);
    else if (param == "votingPeriod") p.votingPeriod = uint64(value);
    else if (param == "quorumBps") {
      if (value > type(uint16).max) revert InvalidParameterValue();
      p.quorumBps = uint16(value);
    } else if (param == "acceptWindow") p.acceptWindow = uint64(value);
    else if (param == "renewalWindow") p.renewalWindow = uint64(value);
    else revert InvalidMotion();
    if (!AreaRules.timingValid(p.leaseTerm, p.votingPeriod, p.quorumBps, p.acceptWindow, p.renewalWindow)) {
      revert InvalidParameterValue();
    }
  }

  /// Weight snapshot: active lease holders, the foundation group, and each COMMUNITY group with
  /// delegations (its share of the community allocation, rounded down).
  function _snapshot(uint256 motionId) private returns (uint256 total) {
    for (uint8 r = GENERATION; r <= DISTRIBUTION; ++r) {
      if (_active(r)) total += _setWeight(motionId, _leases[r].holder, _params.allocations[r]);
    }
    total += _setWeight(motionId, FOUNDATION_GROUP, _params.foundationAllocation);
    uint256 n = _weighingCommunity.length;
    if (n != 0) {
      uint256 communityAllocation = _params.allocations[COMMUNITY];
      uint256 delegations = totalDelegations;
      for (uint256 i = 0; i < n; ++i) {
        uint256 g = _weighingCommunity[i];
        total += _setWeight(motionId, g, communityAllocation * delegationsOf[g] / delegations);
      }
    }
  }

  function _setWeight(uint256 motionId, uint256 groupId, uint256 weight) private returns (uint256) {
    if (weight != 0) {
      weightOf[motionId][groupId] = weight;
      emit VotingWeightSet(motionId, groupId, weight);
    }
    return weight;
  }

  function castVote(uint256 motionId, uint8 support, string calldata reason) external {
    MotionView storage m = _motion(motionId);
    if (support > 2) revert InvalidSupport();
    if (block.timestamp >= m.votingEnd) revert VotingClosed();
    if (m.vetoed) revert MotionIsVetoed();
    uint256 groupId = groupOf[msg.sender];
    if (groupId == 0) revert NotGroupAccount();
    uint256 weight = weightOf[motionId][groupId];
    if (weight == 0) revert NoVotingWeight();
    if (hasVoted[motionId][groupId]) revert AlreadyVoted();
    hasVoted[motionId][groupId] = true;
    if (support == 1) m.forVotes += weight;
    else if (support == 0) m.againstVotes += weight;
    else m.abstainVotes += weight;
    emit VoteCast(motionId, groupId, msg.sender, support, weight, reason);
  }

  function veto(uint256 motionId, string calldata reason) external {
    MotionView storage m = _motion(motionId);
    if (msg.sender != foundationAccount) revert NotFoundation();
    if (block.timestamp >= m.votingEnd) revert VotingClosed();
    if (m.vetoed) revert MotionIsVetoed();
    m.vetoed = true;
    emit MotionVetoed(motionId, reason);
  }

  function finalize(uint256 motionId) external {
    MotionView storage m = _motion(motionId);
    if (m.outcome != 0) revert AlreadyFinalized();
    if (!m.vetoed && block.timestamp < m.votingEnd) revert VotingNotEnded();
    uint8 outcome;
    if (m.vetoed) outcome = VETOED;
    else if ((m.forVotes + m.againstVotes + m.abstainVotes) * 10000 < uint256(m.quorumBps) * m.totalWeight) outcome = QUORUM_NOT_MET;
    else if (m.forVotes > m.againstVotes) outcome = PASSED;
    else outcome = REJECTED;
    m.outcome = outcome;
    if (m.kind == PARAMETER_CHANGE) {
      _openParameterChange = 0;
      if (outcome == PASSED) _applyParameter(m.param, m.value, motionId);
    }
    emit MotionFinalized(motionId, outcome, m.forVotes, m.againstVotes, m.abstainVotes, m.totalWeight);
  }

  /// Only one PARAMETER_CHANGE is open at a time, so the other values are those it was validated
  /// against at proposal.
  function _applyParameter(bytes32 param, uint256 value, uint256 motionId) private {
    uint256 old;
    if (param == "leaseTerm") (old, _params.leaseTerm) = (_params.leaseTerm, uint64(value));
    else if (param == "votingPeriod") (old, _params.votingPeriod) = (_params.votingPeriod, uint64(value));
    else if (param == "quorumBps") (old, _params.quorumBps) = (_params.quorumBps, uint16(value));
    else if (param == "acceptWindow") (old, _params.acceptWindow) = (_params.acceptWindow, uint64(value));
    else if (param == "renewalWindow") (old, _params.renewalWindow) = (_params.renewalWindow, uint64(value));
    else (old, _params.seatPrice) = (_params.seatPrice, value);
    emit ParameterChanged(param, old, value, motionId);
  }

  // ---------------------------------------------------------------- leases

  function acceptLease(uint256 motionId) external {
    MotionView storage m = _motion(motionId);
    uint8 kind = m.kind;
    if (kind != SEAT_ALLOCATION && kind != LEASE_RENEWAL) revert InvalidMotion();
    uint256 groupId = m.applicantGroupId;
    if (_groups[groupId].account != msg.sender) revert NotGroupAccount();
    if (m.outcome != PASSED) revert NotPassed();
    if (m.accepted) revert AlreadyAccepted();
    if (block.timestamp > uint256(m.votingEnd) + m.acceptWindow) revert AcceptWindowClosed();
    uint8 role = m.role;
    Lease storage l = _leases[role];
    if (kind == SEAT_ALLOCATION) {
      if (_active(role) || _lastGrantAt[role] >= m.votingStart) revert SeatNotVacant();
    } else if (l.holder != groupId || l.grantMotion != _renewalLease[motionId]) {
      revert NotLeaseHolder();
    }
    m.accepted = true;
    uint256 price = m.seatPrice;
    // The payment comes first; it stays in this contract (the area treasury).
    IERC20Like(utilityToken).transferFrom(msg.sender, address(this), price);
    if (kind == SEAT_ALLOCATION) {
      if (l.holder != 0) _expire(role); // an ended lease nobody expired yet
      uint256 tokens = _params.allocations[role];
      uint64 start = uint64(block.timestamp);
      uint64 end = start + m.leaseTerm;
      _leases[role] = Lease(groupId, start, end, motionId);
      _lastGrantAt[role] = start;
      IERC20Like(token).transfer(msg.sender, tokens);
      emit LeaseGranted(role, groupId, motionId, start, end, tokens, price);
    } else {
      uint64 newEnd = l.end + m.leaseTerm;
      l.end = newEnd;
      emit LeaseRenewed(role, groupId, motionId, newEnd, price);
    }
  }

  function expireLease(uint8 role) external {
    if (role > DISTRIBUTION) revert InvalidRole();
    if (_leases[role].holder == 0) revert NoActiveLease();
    if (block.timestamp < _leases[role].end) revert LeaseNotEnded();
    _expire(role);
  }

  /// Takes the seat's allocation back into the treasury, then announces the expiry.
  function _expire(uint8 role) private {
    uint256 holder = _leases[role].holder;
    delete _leases[role];
    IERC20Like(token).transferFrom(_groups[holder].account, address(this), _params.allocations[role]);
    emit LeaseExpired(role, holder, uint64(block.timestamp));
  }

  function _active(uint8 role) private view returns (bool) {
    Lease storage l = _leases[role];
    return l.holder != 0 && block.timestamp < l.end;
  }

  /// A motion is open from proposal until finalized; a passed SEAT_ALLOCATION or LEASE_RENEWAL
  /// stays open until accepted or its accept window ends.
  function _isOpen(uint256 motionId) private view returns (bool) {
    if (motionId == 0) return false;
    MotionView storage m = _motions[motionId];
    if (m.outcome == 0) return true;
    return m.outcome == PASSED && m.kind <= LEASE_RENEWAL && !m.accepted
      && block.timestamp <= uint256(m.votingEnd) + m.acceptWindow;
  }

  function _motion(uint256 motionId) private view returns (MotionView storage) {
    if (motionId == 0 || motionId > motionCount) revert UnknownMotion();
    return _motions[motionId];
  }

  // ---------------------------------------------------------------- views

  function params() external view returns (AreaParams memory) {
    return _params;
  }

  function seat(uint8 role) external view returns (uint256 holderGroupId, uint64 start, uint64 end, uint256 allocation) {
    if (role > FOUNDATION) revert InvalidRole();
    if (role == FOUNDATION) return (FOUNDATION_GROUP, createdAt, 0, _params.foundationAllocation);
    allocation = _params.allocations[role];
    if (role == COMMUNITY) return (0, 0, 0, allocation);
    Lease storage l = _leases[role];
    return (l.holder, l.start, l.end, allocation);
  }

  function group(uint256 id) external view returns (uint8 role, address account, string memory name, uint256 memberCount) {
    if (id == 0 || id > groupCount) revert UnknownGroup();
    Group storage g = _groups[id];
    return (g.role, g.account, g.name, g.memberCount);
  }

  function motion(uint256 id) external view returns (MotionView memory) {
    return _motion(id);
  }
}
