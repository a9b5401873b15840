// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IIdentityRegistry} from "./IIdentityRegistry.sol";
import {ICompliance} from "./ICompliance.sol";

/// The ERC-3643 token interface (the parts Weft's other contracts use), plus ERC-7943 checks and
/// record-date snapshots. Transfers between wallets that are not verified, or that compliance
/// refuses, revert; agents act within their roles.
interface IRegulatedToken is IERC20 {
    // ERC-3643
    function identityRegistry() external view returns (IIdentityRegistry);
    function compliance() external view returns (ICompliance);
    function paused() external view returns (bool);
    function isFrozen(address wallet) external view returns (bool);
    function getFrozenTokens(address wallet) external view returns (uint256);
    function mint(address to, uint256 amount) external;
    function burn(address from, uint256 amount) external;
    function forcedTransfer(address from, address to, uint256 amount) external returns (bool);
    function decimals() external view returns (uint8);

    // ERC-7943
    function canTransfer(address from, address to, uint256 amount) external view returns (bool);
    function canSend(address account) external view returns (bool);
    function canReceive(address account) external view returns (bool);

    // Record-date snapshots (corporate actions read balances at a snapshot id).
    event Snapshot(uint256 indexed id);
    /// Takes a snapshot of every balance and the total supply now; only a snapshot-role agent.
    function snapshot() external returns (uint256 id);
    function balanceOfAt(address account, uint256 id) external view returns (uint256);
    function totalSupplyAt(uint256 id) external view returns (uint256);
}
