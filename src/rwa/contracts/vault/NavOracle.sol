// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";

/// The fund's net asset value per share, published by an oracle role. Each update may move the NAV by
/// at most `maxMoveBps` of the previous value: a fat-fingered or compromised feed cannot reprice the
/// fund in one step (a real move larger than the bound needs several updates, or the admin raising
/// the bound, both visible on-chain).
/// Units: asset base units per whole share (10 ** share decimals), e.g. 100_000000 = 100.00 TUSD.
contract NavOracle is AccessControl {
    bytes32 public constant ORACLE_ROLE = keccak256("ORACLE_ROLE");
    uint256 public constant BPS = 10_000;

    event NavUpdated(uint256 previousNav, uint256 nav, uint64 updatedAt);
    event MaxMoveUpdated(uint256 maxMoveBps);

    error ZeroNav();
    error InvalidMaxMove(uint256 maxMoveBps);
    error NavMoveTooLarge(uint256 previousNav, uint256 nav, uint256 maxMoveBps);

    uint256 public nav;
    uint64 public updatedAt;
    uint256 public maxMoveBps;

    constructor(address admin, address oracle, uint256 initialNav, uint256 maxMoveBps_) {
        if (initialNav == 0) revert ZeroNav();
        _setMaxMove(maxMoveBps_);
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(ORACLE_ROLE, oracle);
        nav = initialNav;
        updatedAt = uint64(block.timestamp);
        emit NavUpdated(0, initialNav, updatedAt);
    }

    /// Publishes a new NAV per share within the bound.
    function updateNav(uint256 newNav) external onlyRole(ORACLE_ROLE) {
        if (newNav == 0) revert ZeroNav();
        uint256 previous = nav;
        uint256 move = newNav > previous ? newNav - previous : previous - newNav;
        if (move * BPS > previous * maxMoveBps) revert NavMoveTooLarge(previous, newNav, maxMoveBps);
        nav = newNav;
        updatedAt = uint64(block.timestamp);
        emit NavUpdated(previous, newNav, updatedAt);
    }

    function setMaxMoveBps(uint256 maxMoveBps_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setMaxMove(maxMoveBps_);
    }

    function _setMaxMove(uint256 maxMoveBps_) private {
        if (maxMoveBps_ == 0 || maxMoveBps_ > BPS) revert InvalidMaxMove(maxMoveBps_);
        maxMoveBps = maxMoveBps_;
        emit MaxMoveUpdated(maxMoveBps_);
    }
}
