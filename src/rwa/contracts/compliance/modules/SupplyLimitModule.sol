// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {RuleCodes} from "../RuleCodes.sol";
import {AbstractModule} from "./AbstractModule.sol";

/// A cap on the total supply: mints that would take it over the limit are refused. 0 = no cap.
contract SupplyLimitModule is AbstractModule {
    event SupplyLimitSet(address indexed compliance, uint256 limit);

    mapping(address compliance => uint256) public supplyLimit;

    function setSupplyLimit(uint256 limit) external onlyBoundCompliance {
        supplyLimit[msg.sender] = limit;
        emit SupplyLimitSet(msg.sender, limit);
    }

    function moduleRuleCheck(address from, address, uint256 amount, address compliance)
        public
        view
        override
        returns (uint8, string memory)
    {
        uint256 limit = supplyLimit[compliance];
        if (from != address(0) || limit == 0) return (0, "");
        if (_token(compliance).totalSupply() + amount > limit) {
            return (RuleCodes.SUPPLY_LIMIT_EXCEEDED, "supply limit exceeded");
        }
        return (0, "");
    }

    function name() external pure returns (string memory) {
        return "SupplyLimitModule";
    }
}
