// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {RuleCodes} from "../RuleCodes.sol";
import {AbstractModule} from "./AbstractModule.sol";

/// Block list of investor countries (ISO-3166 numeric): tokens may not go to wallets whose identity
/// is in a restricted country.
contract CountryRestrictModule is AbstractModule {
    /// Bounds a batch call's gas.
    uint256 public constant MAX_BATCH = 195;

    event CountryRestricted(address indexed compliance, uint16 country);
    event CountryUnrestricted(address indexed compliance, uint16 country);

    error CountryAlreadyRestricted(uint16 country);
    error CountryNotRestricted(uint16 country);
    error BatchTooLarge(uint256 max);

    mapping(address compliance => mapping(uint16 country => bool)) private _restricted;

    function addCountryRestriction(uint16 country) public onlyBoundCompliance {
        if (_restricted[msg.sender][country]) revert CountryAlreadyRestricted(country);
        _restricted[msg.sender][country] = true;
        emit CountryRestricted(msg.sender, country);
    }

    function removeCountryRestriction(uint16 country) public onlyBoundCompliance {
        if (!_restricted[msg.sender][country]) revert CountryNotRestricted(country);
        _restricted[msg.sender][country] = false;
        emit CountryUnrestricted(msg.sender, country);
    }

    function batchRestrictCountries(uint16[] calldata countries) external {
        if (countries.length > MAX_BATCH) revert BatchTooLarge(MAX_BATCH);
        for (uint256 i = 0; i < countries.length; i++) {
            addCountryRestriction(countries[i]);
        }
    }

    function batchUnrestrictCountries(uint16[] calldata countries) external {
        if (countries.length > MAX_BATCH) revert BatchTooLarge(MAX_BATCH);
        for (uint256 i = 0; i < countries.length; i++) {
            removeCountryRestriction(countries[i]);
        }
    }

    function isCountryRestricted(address compliance, uint16 country) external view returns (bool) {
        return _restricted[compliance][country];
    }

    function moduleRuleCheck(address, address to, uint256, address compliance)
        public
        view
        override
        returns (uint8, string memory)
    {
        if (to == address(0)) return (0, "");
        if (_restricted[compliance][_registry(compliance).investorCountry(to)]) {
            return (RuleCodes.COUNTRY_RESTRICTED, "receiver country restricted");
        }
        return (0, "");
    }

    function name() external pure returns (string memory) {
        return "CountryRestrictModule";
    }
}
