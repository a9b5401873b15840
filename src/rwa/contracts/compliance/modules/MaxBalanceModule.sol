// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {RuleCodes} from "../RuleCodes.sol";
import {IdentityBalanceModule} from "./IdentityBalanceModule.sol";

/// A cap on what one investor may hold: the sum over all wallets of an identity, so splitting a
/// position across wallets does not get around it. 0 = no cap.
contract MaxBalanceModule is IdentityBalanceModule {
    event MaxBalanceSet(address indexed compliance, uint256 maxBalance);

    mapping(address compliance => uint256) public maxBalance;

    function setMaxBalance(uint256 max) external onlyBoundCompliance {
        maxBalance[msg.sender] = max;
        emit MaxBalanceSet(msg.sender, max);
    }

    function moduleRuleCheck(address from, address to, uint256 amount, address compliance)
        public
        view
        override
        returns (uint8, string memory)
    {
        uint256 max = maxBalance[compliance];
        if (to == address(0) || max == 0) return (0, "");
        uint256 toId = _registry(compliance).identityOf(to);
        if (toId == 0 || toId == _registry(compliance).identityOf(from)) return (0, "");
        if (_identityBalance[compliance][toId] + amount > max) {
            return (RuleCodes.MAX_BALANCE_EXCEEDED, "investor balance would exceed the maximum");
        }
        return (0, "");
    }

    function name() external pure returns (string memory) {
        return "MaxBalanceModule";
    }
}
