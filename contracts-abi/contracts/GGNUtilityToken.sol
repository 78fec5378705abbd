// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// The network-wide utility token (GGU): a plain ERC-20 its owner (the deployer, the Foundation) mints.
contract GGNUtilityToken {
  error NotOwner();
  error InsufficientBalance();
  error InsufficientAllowance();

  event Transfer(address indexed from, address indexed to, uint256 value);
  event Approval(address indexed owner, address indexed spender, uint256 value);

  string public constant name = "GGN Utility Token";
  string public constant symbol = "GGU";
  uint8 public constant decimals = 18;

  address public immutable owner;
  uint256 public totalSupply;
  mapping(address => uint256) public balanceOf;
  mapping(address => mapping(address => uint256)) public allowance;

  constructor() {
    owner = msg.sender;
  }

  function mint(address to, uint256 amount) external {
    if (msg.sender != owner) revert NotOwner();
    totalSupply += amount;
    balanceOf[to] += amount;
    emit Transfer(address(0), to, amount);
  }

  function approve(address spender, uint256 amount) external returns (bool) {
    allowance[msg.sender][spender] = amount;
    emit Approval(msg.sender, spender, amount);
    return true;
  }

  function transfer(address to, uint256 amount) external returns (bool) {
    _move(msg.sender, to, amount);
    return true;
  }

  function transferFrom(address from, address to, uint256 amount) external returns (bool) {
    uint256 allowed = allowance[from][msg.sender];
    // An unlimited approval is never decremented (common ERC-20 practice; no Approval event).
    if (allowed != type(uint256).max) {
      if (allowed < amount) revert InsufficientAllowance();
      allowance[from][msg.sender] = allowed - amount;
    }
    _move(from, to, amount);
    return true;
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
