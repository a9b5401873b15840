// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {RuleCodes} from "../RuleCodes.sol";
import {IdentityBalanceModule} from "./IdentityBalanceModule.sol";

/// Holding period: tokens an investor identity receives (minted or transferred in) stay locked for
/// `lockUpPeriod` seconds; a transfer may move only the identity's unlocked amount (its balance less
/// what is still locked). Moves between wallets of one identity are free. When an agent takes more
/// than the unlocked amount (forced transfer, burn), the oldest locks are released to cover it.
contract LockUpModule is IdentityBalanceModule {
    /// Bounds the locks one identity holds at a time (each receipt adds one until it is released);
    /// past it, a receipt joins the newest lock, which then releases with the receipt.
    uint256 public constant MAX_LOCKS = 32;

    struct Lock {
        uint256 amount;
        uint64 releaseAt;
    }

    event LockUpPeriodSet(address indexed compliance, uint256 period);
    event TokensLocked(address indexed compliance, uint256 indexed identityId, uint256 amount, uint64 releaseAt);

    mapping(address compliance => uint256) public lockUpPeriod;
    mapping(address compliance => mapping(uint256 identityId => Lock[])) private _locks;

    function setLockUpPeriod(uint256 period) external onlyBoundCompliance {
        lockUpPeriod[msg.sender] = period;
        emit LockUpPeriodSet(msg.sender, period);
    }

    /// The amount of an identity's tokens still locked now.
    function lockedAmount(address compliance, uint256 identityId) public view returns (uint256 locked) {
        Lock[] storage locks = _locks[compliance][identityId];
        for (uint256 i = 0; i < locks.length; i++) {
            if (locks[i].releaseAt > block.timestamp) locked += locks[i].amount;
        }
    }

    /// What an identity may transfer now.
    function unlockedBalance(address compliance, uint256 identityId) public view returns (uint256) {
        uint256 balance = _identityBalance[compliance][identityId];
        uint256 locked = lockedAmount(compliance, identityId);
        return balance > locked ? balance - locked : 0;
    }

    function getLocks(address compliance, uint256 identityId) external view returns (Lock[] memory) {
        return _locks[compliance][identityId];
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
        if (amount > unlockedBalance(compliance, fromId)) return (RuleCodes.TOKENS_LOCKED, "tokens are locked");
        return (0, "");
    }

    function _credit(address compliance, address wallet, uint256 id, uint256 amount) internal override {
        super._credit(compliance, wallet, id, amount);
        uint256 period = lockUpPeriod[compliance];
        if (period == 0 || amount == 0) return;
        _dropExpired(compliance, id);
        Lock[] storage locks = _locks[compliance][id];
        uint64 releaseAt = uint64(block.timestamp + period);
        if (locks.length < MAX_LOCKS) {
            locks.push(Lock(amount, releaseAt));
        } else {
            Lock storage newest = locks[locks.length - 1];
            newest.amount += amount;
            newest.releaseAt = releaseAt;
        }
        emit TokensLocked(compliance, id, amount, releaseAt);
    }

    function _debit(address compliance, uint256 id, uint256 amount) internal override {
        super._debit(compliance, id, amount);
        _dropExpired(compliance, id);
        // A forced move may have taken locked tokens: release the oldest locks until they fit.
        uint256 balance = _identityBalance[compliance][id];
        uint256 locked = lockedAmount(compliance, id);
        if (locked <= balance) return;
        uint256 excess = locked - balance;
        Lock[] storage locks = _locks[compliance][id];
        uint256 cleared = 0;
        while (excess > 0) {
            uint256 take = locks[cleared].amount;
            if (take > excess) {
                locks[cleared].amount = take - excess;
                break;
            }
            excess -= take;
            cleared++;
        }
        _removeFirst(locks, cleared);
    }

    /// Removes locks that have been released (keeps the rest in order).
    function _dropExpired(address compliance, uint256 id) private {
        Lock[] storage locks = _locks[compliance][id];
        uint256 kept = 0;
        for (uint256 i = 0; i < locks.length; i++) {
            if (locks[i].releaseAt > block.timestamp) {
                if (kept != i) locks[kept] = locks[i];
                kept++;
            }
        }
        while (locks.length > kept) locks.pop();
    }

    function _removeFirst(Lock[] storage locks, uint256 n) private {
        if (n == 0) return;
        uint256 len = locks.length;
        for (uint256 i = n; i < len; i++) {
            locks[i - n] = locks[i];
        }
        for (uint256 i = 0; i < n; i++) {
            locks.pop();
        }
    }

    function name() external pure returns (string memory) {
        return "LockUpModule";
    }
}
