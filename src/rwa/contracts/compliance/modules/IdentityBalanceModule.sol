// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AbstractModule} from "./AbstractModule.sol";

/// A module that keeps each investor identity's balance (the sum over its wallets) from the
/// compliance hooks, for rules that apply per investor rather than per wallet. Moves between wallets
/// of one identity change nothing; wallets without an identity (identity 0) are not tracked.
/// A module bound to a token that already has holders starts from zero: the compliance owner seeds
/// the existing balances with `presetIdentityBalance`.
abstract contract IdentityBalanceModule is AbstractModule {
    event IdentityBalancePreset(address indexed compliance, uint256 indexed identityId, uint256 balance);

    mapping(address compliance => mapping(uint256 identityId => uint256)) internal _identityBalance;

    function identityBalance(address compliance, uint256 identityId) external view returns (uint256) {
        return _identityBalance[compliance][identityId];
    }

    /// Sets the tracked balance of `wallet`'s identity (for holders that predate the module).
    function presetIdentityBalance(address wallet, uint256 balance) external onlyBoundCompliance {
        uint256 id = _registry(msg.sender).identityOf(wallet);
        if (id == 0) return;
        uint256 old = _identityBalance[msg.sender][id];
        if (balance > old) _credit(msg.sender, wallet, id, balance - old);
        else if (old > balance) _debit(msg.sender, id, old - balance);
        emit IdentityBalancePreset(msg.sender, id, balance);
    }

    function _onTransfer(address compliance, address from, address to, uint256 amount) internal override {
        uint256 fromId = _registry(compliance).identityOf(from);
        uint256 toId = _registry(compliance).identityOf(to);
        if (fromId == toId) return;
        if (fromId != 0) _debit(compliance, fromId, amount);
        if (toId != 0) _credit(compliance, to, toId, amount);
    }

    function _onMint(address compliance, address to, uint256 amount) internal override {
        uint256 toId = _registry(compliance).identityOf(to);
        if (toId != 0) _credit(compliance, to, toId, amount);
    }

    function _onBurn(address compliance, address from, uint256 amount) internal override {
        uint256 fromId = _registry(compliance).identityOf(from);
        if (fromId != 0) _debit(compliance, fromId, amount);
    }

    /// Adds to an identity's balance; `wallet` is the wallet that received.
    function _credit(address compliance, address, /* wallet */ uint256 id, uint256 amount) internal virtual {
        _identityBalance[compliance][id] += amount;
    }

    /// Takes from an identity's balance, never below zero: a hook must not revert a forced transfer
    /// out of a balance the module saw only partly.
    function _debit(address compliance, uint256 id, uint256 amount) internal virtual {
        uint256 balance = _identityBalance[compliance][id];
        _identityBalance[compliance][id] = balance > amount ? balance - amount : 0;
    }
}
