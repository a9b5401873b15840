// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// A plain ERC-20 stablecoin stand-in for tests and demos: 6 decimals like USDC, the owner mints.
/// Payments are not permissioned, which is the point: the markets pay in any ERC-20.
contract TestUSD is ERC20, Ownable {
    constructor(address owner_) ERC20("Test USD", "TUSD") Ownable(owner_) {}

    function decimals() public pure override returns (uint8) {
        return 6;
    }

    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }
}
