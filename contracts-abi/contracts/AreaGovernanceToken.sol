// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// One area's governance token (votes follow seats, not balances). Only the area's DAO moves
/// tokens: holders cannot transfer, and the DAO moves from any holder without an allowance (it
/// takes a lapsed seat's tokens back).
contract AreaGovernanceToken {
  error NotOwner();
  error AlreadyInitialized();
  error TransferRestricted();
  error InsufficientBalance();

  event Transfer(address indexed from, address indexed to, uint256 value);
  event Approval(address indexed owner, address indexed spender, uint256 value);

  uint8 public constant decimals = 18;
  string public name;
  string public symbol;

  /// The factory: the only caller of the one-time `initialize`.
  address public immutable factory;
  uint256 private immutable seatSupply;
  uint256 private immutable foundationSupply;

  address public dao;
  uint256 public totalSupply;
  mapping(address => uint256) public balanceOf;
  mapping(address => mapping(address => uint256)) public allowance;

  constructor(string memory areaName, string memory areaCode, uint256 seatAllocations, uint256 foundationAllocation) {
    factory = msg.sender;
    name = string.concat("GGN Governance ", areaName);
    symbol = string.concat("GOV-", areaCode);
    seatSupply = seatAllocations;
    foundationSupply = foundationAllocation;
  }

  /// Binds the DAO (which needs this token's address first) and mints the whole supply: the four
  /// seat allocations to the DAO (the treasury), the foundation allocation to its group account.
  function initialize(address dao_, address foundationAccount) external {
    if (msg.sender != factory) revert NotOwner();
    if (dao != address(0)) revert AlreadyInitialized();
    dao = dao_;
    _mint(dao_, seatSupply);
    _mint(foundationAccount, foundationSupply);
  }

  /// Approvals are recorded (ERC-20 shape) but give nobody the power to move tokens.
  function approve(address spender, uint256 amount) external returns (bool) {
    allowance[msg.sender][spender] = amount;
    emit Approval(msg.sender, spender, amount);
    return true;
  }

  function transfer(address to, uint256 amount) external returns (bool) {
    if (msg.sender != dao) revert TransferRestricted();
    _move(msg.sender, to, amount);
    return true;
  }

  function transferFrom(address from, address to, uint256 amount) external returns (bool) {
    if (msg.sender != dao) revert TransferRestricted();
    _move(from, to, amount);
    return true;
  }

  function _mint(address to, uint256 amount) private {
    totalSupply += amount;
    balanceOf[to] += amount;
    emit Transfer(address(0), to, amount);
  }

  function _move(address from, address to, uint256 amount) private {
    uint256 balance = balanceOf[from];
    if (balance < amount) revert InsufficientBalance();
    unchecked {
      balanceOf[from] = balance - amount;
    }
    balanceOf[to] += amount;
    emit Transfer(from, to, amount);
  }
}
