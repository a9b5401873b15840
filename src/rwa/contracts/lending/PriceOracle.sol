// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";

/// The price of one whole collateral token (10 ** token decimals) in base units of the debt asset,
/// published by an oracle role; consumers check `updatedAt` for staleness.
contract PriceOracle is AccessControl {
    bytes32 public constant ORACLE_ROLE = keccak256("ORACLE_ROLE");

    event PriceUpdated(uint256 price, uint64 updatedAt);

    error ZeroPrice();

    uint256 public price;
    uint64 public updatedAt;

    constructor(address admin, address oracle, uint256 initialPrice) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(ORACLE_ROLE, oracle);
        _set(initialPrice);
    }

    function setPrice(uint256 newPrice) external onlyRole(ORACLE_ROLE) {
        _set(newPrice);
    }

    function latest() external view returns (uint256, uint64) {
        return (price, updatedAt);
    }

    function _set(uint256 newPrice) private {
        if (newPrice == 0) revert ZeroPrice();
        price = newPrice;
        updatedAt = uint64(block.timestamp);
        emit PriceUpdated(newPrice, updatedAt);
    }
}
