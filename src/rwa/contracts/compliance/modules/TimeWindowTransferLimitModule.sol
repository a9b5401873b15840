// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {RuleCodes} from "../RuleCodes.sol";
import {AbstractModule} from "./AbstractModule.sol";

/// Caps how much one investor identity may transfer out within a time window, with up to four
/// windows at once (e.g. a daily and a monthly limit). Windows are fixed: one opens at the
/// identity's first transfer after the previous one closed and lasts `windowSeconds`. Mints, burns
/// and moves between wallets of one identity do not count.
contract TimeWindowTransferLimitModule is AbstractModule {
    uint256 public constant MAX_LIMITS = 4;

    struct Limit {
        uint32 windowSeconds;
        uint256 limit;
    }

    struct Counter {
        uint256 value;
        uint64 windowEnd;
    }

    event TimeWindowLimitSet(address indexed compliance, uint32 windowSeconds, uint256 limit);
    event TimeWindowLimitRemoved(address indexed compliance, uint32 windowSeconds);

    error TooManyLimits(uint256 max);
    error LimitNotFound(uint32 windowSeconds);
    error ZeroWindow();

    mapping(address compliance => Limit[]) private _limits;
    mapping(address compliance => mapping(uint256 identityId => mapping(uint32 window => Counter))) private _counters;

    /// Adds a window or changes its limit.
    function setTimeWindowLimit(uint32 windowSeconds, uint256 limit) external onlyBoundCompliance {
        if (windowSeconds == 0) revert ZeroWindow();
        Limit[] storage limits = _limits[msg.sender];
        uint256 i = _find(limits, windowSeconds);
        if (i < limits.length) {
            limits[i].limit = limit;
        } else {
            if (limits.length >= MAX_LIMITS) revert TooManyLimits(MAX_LIMITS);
            limits.push(Limit(windowSeconds, limit));
        }
        emit TimeWindowLimitSet(msg.sender, windowSeconds, limit);
    }

    function removeTimeWindowLimit(uint32 windowSeconds) external onlyBoundCompliance {
        Limit[] storage limits = _limits[msg.sender];
        uint256 i = _find(limits, windowSeconds);
        if (i == limits.length) revert LimitNotFound(windowSeconds);
        limits[i] = limits[limits.length - 1];
        limits.pop();
        emit TimeWindowLimitRemoved(msg.sender, windowSeconds);
    }

    function getTimeWindowLimits(address compliance) external view returns (Limit[] memory) {
        return _limits[compliance];
    }

    /// What an identity has transferred in the current window of that length (0 once it closed).
    function usedInWindow(address compliance, uint256 identityId, uint32 windowSeconds)
        public
        view
        returns (uint256)
    {
        Counter storage c = _counters[compliance][identityId][windowSeconds];
        return block.timestamp < c.windowEnd ? c.value : 0;
    }

    function moduleRuleCheck(address from, address to, uint256 amount, address compliance)
        public
        view
        override
        returns (uint8, string memory)
    {
        if (from == address(0) || to == address(0)) return (0, "");
        uint256 fromId = _registry(compliance).identityOf(from);
        if (fromId == 0 || fromId == _registry(compliance).identityOf(to)) return (0, "");
        Limit[] storage limits = _limits[compliance];
        for (uint256 i = 0; i < limits.length; i++) {
            if (usedInWindow(compliance, fromId, limits[i].windowSeconds) + amount > limits[i].limit) {
                return (RuleCodes.TRANSFER_LIMIT_EXCEEDED, "transfer limit for the time window exceeded");
            }
        }
        return (0, "");
    }

    function _onTransfer(address compliance, address from, address to, uint256 amount) internal override {
        uint256 fromId = _registry(compliance).identityOf(from);
        if (fromId == 0 || fromId == _registry(compliance).identityOf(to)) return;
        Limit[] storage limits = _limits[compliance];
        for (uint256 i = 0; i < limits.length; i++) {
            Counter storage c = _counters[compliance][fromId][limits[i].windowSeconds];
            if (block.timestamp >= c.windowEnd) {
                c.value = amount;
                c.windowEnd = uint64(block.timestamp + limits[i].windowSeconds);
            } else {
                c.value += amount;
            }
        }
    }

    function _find(Limit[] storage limits, uint32 windowSeconds) private view returns (uint256 i) {
        for (i = 0; i < limits.length; i++) {
            if (limits[i].windowSeconds == windowSeconds) return i;
        }
    }

    function name() external pure returns (string memory) {
        return "TimeWindowTransferLimitModule";
    }
}
