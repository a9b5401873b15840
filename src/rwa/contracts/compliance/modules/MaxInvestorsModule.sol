// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {RuleCodes} from "../RuleCodes.sol";
import {IdentityBalanceModule} from "./IdentityBalanceModule.sol";

/// A cap on the number of investors (identities with a non-zero balance), overall and per country.
/// A transfer that empties the sender's identity while it adds the receiver's keeps the count. An
/// identity counts in the country it had when its balance became non-zero. 0 = no cap.
contract MaxInvestorsModule is IdentityBalanceModule {
    event MaxInvestorsSet(address indexed compliance, uint256 maxInvestors);
    event MaxInvestorsPerCountrySet(address indexed compliance, uint16 indexed country, uint256 maxInvestors);

    mapping(address compliance => uint256) public maxInvestors;
    mapping(address compliance => mapping(uint16 country => uint256)) public maxInvestorsPerCountry;
    mapping(address compliance => uint256) public investorCount;
    mapping(address compliance => mapping(uint16 country => uint256)) public investorCountByCountry;
    mapping(address compliance => mapping(uint256 identityId => uint16)) private _countedIn;

    function setMaxInvestors(uint256 max) external onlyBoundCompliance {
        maxInvestors[msg.sender] = max;
        emit MaxInvestorsSet(msg.sender, max);
    }

    function setMaxInvestorsPerCountry(uint16 country, uint256 max) external onlyBoundCompliance {
        maxInvestorsPerCountry[msg.sender][country] = max;
        emit MaxInvestorsPerCountrySet(msg.sender, country, max);
    }

    function moduleRuleCheck(address from, address to, uint256 amount, address compliance)
        public
        view
        override
        returns (uint8, string memory)
    {
        if (to == address(0) || amount == 0) return (0, "");
        uint256 toId = _registry(compliance).identityOf(to);
        uint256 fromId = _registry(compliance).identityOf(from);
        // Only a new investor (an identity at zero) can raise the count.
        if (toId == 0 || toId == fromId || _identityBalance[compliance][toId] != 0) return (0, "");
        bool senderLeaves = fromId != 0 && _identityBalance[compliance][fromId] == amount;

        uint256 max = maxInvestors[compliance];
        if (max != 0 && investorCount[compliance] + 1 - (senderLeaves ? 1 : 0) > max) {
            return (RuleCodes.MAX_INVESTORS_EXCEEDED, "maximum number of investors reached");
        }
        uint16 country = _registry(compliance).investorCountry(to);
        uint256 maxInCountry = maxInvestorsPerCountry[compliance][country];
        if (maxInCountry != 0) {
            bool leavesSameCountry = senderLeaves && _countedIn[compliance][fromId] == country;
            if (investorCountByCountry[compliance][country] + 1 - (leavesSameCountry ? 1 : 0) > maxInCountry) {
                return (RuleCodes.MAX_INVESTORS_IN_COUNTRY_EXCEEDED, "maximum number of investors in country reached");
            }
        }
        return (0, "");
    }

    function _credit(address compliance, address wallet, uint256 id, uint256 amount) internal override {
        bool wasZero = _identityBalance[compliance][id] == 0;
        super._credit(compliance, wallet, id, amount);
        if (wasZero && amount != 0) {
            uint16 country = _registry(compliance).investorCountry(wallet);
            _countedIn[compliance][id] = country;
            investorCount[compliance]++;
            investorCountByCountry[compliance][country]++;
        }
    }

    function _debit(address compliance, uint256 id, uint256 amount) internal override {
        bool wasZero = _identityBalance[compliance][id] == 0;
        super._debit(compliance, id, amount);
        if (!wasZero && _identityBalance[compliance][id] == 0) {
            investorCount[compliance]--;
            investorCountByCountry[compliance][_countedIn[compliance][id]]--;
        }
    }

    function name() external pure returns (string memory) {
        return "MaxInvestorsModule";
    }
}
