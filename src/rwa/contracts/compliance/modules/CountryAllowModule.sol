// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {RuleCodes} from "../RuleCodes.sol";
import {AbstractModule} from "./AbstractModule.sol";

/// Allow list of investor countries (ISO-3166 numeric): tokens may only go to wallets whose identity
/// is in an allowed country. Bound with an empty list it refuses every receiver.
contract CountryAllowModule is AbstractModule {
    event CountryAllowed(address indexed compliance, uint16 country);
    event CountryDisallowed(address indexed compliance, uint16 country);

    error CountryAlreadyAllowed(uint16 country);
    error CountryNotAllowed(uint16 country);

    mapping(address compliance => mapping(uint16 country => bool)) private _allowed;

    function addAllowedCountry(uint16 country) public onlyBoundCompliance {
        if (_allowed[msg.sender][country]) revert CountryAlreadyAllowed(country);
        _allowed[msg.sender][country] = true;
        emit CountryAllowed(msg.sender, country);
    }

    function removeAllowedCountry(uint16 country) public onlyBoundCompliance {
        if (!_allowed[msg.sender][country]) revert CountryNotAllowed(country);
        _allowed[msg.sender][country] = false;
        emit CountryDisallowed(msg.sender, country);
    }

    function batchAllowCountries(uint16[] calldata countries) external {
        for (uint256 i = 0; i < countries.length; i++) {
            addAllowedCountry(countries[i]);
        }
    }

    function batchDisallowCountries(uint16[] calldata countries) external {
        for (uint256 i = 0; i < countries.length; i++) {
            removeAllowedCountry(countries[i]);
        }
    }

    function isCountryAllowed(address compliance, uint16 country) external view returns (bool) {
        return _allowed[compliance][country];
    }

    function moduleRuleCheck(address, address to, uint256, address compliance)
        public
        view
        override
        returns (uint8, string memory)
    {
        if (to == address(0)) return (0, "");
        if (!_allowed[compliance][_registry(compliance).investorCountry(to)]) {
            return (RuleCodes.COUNTRY_NOT_ALLOWED, "receiver country not allowed");
        }
        return (0, "");
    }

    function name() external pure returns (string memory) {
        return "CountryAllowModule";
    }
}
