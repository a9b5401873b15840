// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {IRegulatedToken} from "../interfaces/IRegulatedToken.sol";

/// Cash distributions (dividends, coupons) to the holders of a regulated token. Declaring one takes a
/// record-date snapshot of every balance and escrows the payment; each holder then claims its pro rata
/// share of the snapshot supply (pull-based, so a distribution costs the issuer one transaction
/// whatever the number of holders). After the claim deadline the issuer takes back what is unclaimed,
/// including rounding dust and the shares of holders that cannot claim (pools, vaults).
/// Entitlement is fixed at the record date; being paid needs more: the claimant must be a wallet the
/// token would let receive it now (verified, not frozen), so no payment reaches a wallet that lost its
/// verification or that an agent froze. Its entitlement stays: it claims once eligible again, before
/// the deadline. The contract needs the token's snapshot agent role.
contract Distribution is Ownable, ReentrancyGuard {
    using SafeERC20 for IERC20;

    struct Payout {
        IERC20 paymentToken;
        uint256 snapshotId;
        /// Balance total at the record date, the denominator of every entitlement.
        uint256 recordSupply;
        uint256 amount;
        uint256 claimed;
        uint64 claimDeadline;
        bool reclaimed;
    }

    event DistributionCreated(
        uint256 indexed id, address indexed paymentToken, uint256 snapshotId, uint256 amount, uint64 claimDeadline
    );
    event Claimed(uint256 indexed id, address indexed holder, uint256 amount);
    event Reclaimed(uint256 indexed id, address indexed to, uint256 amount);

    error ZeroAmount();
    error DeadlineNotInFuture(uint64 claimDeadline);
    error NoSupplyAtRecordDate();
    error UnknownDistribution(uint256 id);
    error ClaimPeriodOver(uint256 id);
    error ClaimPeriodNotOver(uint256 id);
    error AlreadyClaimed(uint256 id, address holder);
    error NothingToClaim(uint256 id, address holder);
    error ClaimantNotEligible(uint256 id, address holder);
    error AlreadyReclaimed(uint256 id);

    IRegulatedToken public immutable token;
    uint256 public distributionCount;
    mapping(uint256 id => Payout) private _payouts;
    mapping(uint256 id => mapping(address holder => bool)) public hasClaimed;

    constructor(IRegulatedToken token_, address issuer) Ownable(issuer) {
        token = token_;
    }

    /// Records balances now and escrows `amount` of `paymentToken` from the issuer (who must have
    /// approved this contract). Returns the distribution id (1, 2, ...).
    function createDistribution(IERC20 paymentToken, uint256 amount, uint64 claimDeadline)
        external
        onlyOwner
        nonReentrant
        returns (uint256 id)
    {
        if (amount == 0) revert ZeroAmount();
        if (claimDeadline <= block.timestamp) revert DeadlineNotInFuture(claimDeadline);
        uint256 snapshotId = token.snapshot();
        uint256 recordSupply = token.totalSupplyAt(snapshotId);
        if (recordSupply == 0) revert NoSupplyAtRecordDate();
        // Count what arrived, not what was asked, so a token that takes a fee cannot overpromise.
        uint256 before = paymentToken.balanceOf(address(this));
        paymentToken.safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = paymentToken.balanceOf(address(this)) - before;
        id = ++distributionCount;
        _payouts[id] = Payout(paymentToken, snapshotId, recordSupply, received, 0, claimDeadline, false);
        emit DistributionCreated(id, address(paymentToken), snapshotId, received, claimDeadline);
    }

    /// What `holder` is owed: its record-date balance's share of the amount (0 once claimed).
    function claimable(uint256 id, address holder) public view returns (uint256) {
        Payout storage p = _payout(id);
        if (hasClaimed[id][holder]) return 0;
        return (p.amount * token.balanceOfAt(holder, p.snapshotId)) / p.recordSupply;
    }

    /// Pays the caller its entitlement; once per holder, before the deadline, while the caller is a
    /// verified, unfrozen wallet (ERC-7943 canReceive).
    function claim(uint256 id) external nonReentrant returns (uint256 amount) {
        Payout storage p = _payout(id);
        if (block.timestamp > p.claimDeadline) revert ClaimPeriodOver(id);
        if (hasClaimed[id][msg.sender]) revert AlreadyClaimed(id, msg.sender);
        amount = claimable(id, msg.sender);
        if (amount == 0) revert NothingToClaim(id, msg.sender);
        if (!token.canReceive(msg.sender)) revert ClaimantNotEligible(id, msg.sender);
        hasClaimed[id][msg.sender] = true;
        p.claimed += amount;
        p.paymentToken.safeTransfer(msg.sender, amount);
        emit Claimed(id, msg.sender, amount);
    }

    /// After the deadline, returns everything unclaimed to the issuer.
    function reclaim(uint256 id) external onlyOwner nonReentrant returns (uint256 amount) {
        Payout storage p = _payout(id);
        if (block.timestamp <= p.claimDeadline) revert ClaimPeriodNotOver(id);
        if (p.reclaimed) revert AlreadyReclaimed(id);
        p.reclaimed = true;
        amount = p.amount - p.claimed;
        if (amount > 0) p.paymentToken.safeTransfer(msg.sender, amount);
        emit Reclaimed(id, msg.sender, amount);
    }

    function getDistribution(uint256 id) external view returns (Payout memory) {
        return _payout(id);
    }

    function _payout(uint256 id) private view returns (Payout storage p) {
        p = _payouts[id];
        if (address(p.paymentToken) == address(0)) revert UnknownDistribution(id);
    }
}
