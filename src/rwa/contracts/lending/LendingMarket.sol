// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IRegulatedToken} from "../interfaces/IRegulatedToken.sol";
import {PriceOracle} from "./PriceOracle.sol";

/// Borrowing a payment token against a regulated token as collateral. A position may borrow up to
/// `ltvBps` of its collateral's value at the oracle price; once its debt exceeds
/// `liquidationThresholdBps` of that value anyone may liquidate it: the liquidator repays debt and
/// receives collateral worth the repayment plus `liquidationBonusBps`, sent with token.transfer, so the
/// token's transfer rules apply (an unverified liquidator cannot take collateral, and its liquidation
/// reverts). The market holds the collateral and so must be a verified wallet. Debt accrues a fixed
/// simple annual rate, folded into the debt whenever the position is touched. The issuer (owner)
/// supplies the lendable liquidity and sets the risk parameters.
contract LendingMarket is Ownable, ReentrancyGuard {
    using SafeERC20 for IERC20;

    uint256 public constant BPS = 10_000;
    uint256 public constant YEAR = 365 days;

    struct Position {
        uint256 collateral;
        uint256 debt;
        uint64 lastAccrual;
    }

    event CollateralDeposited(address indexed borrower, uint256 amount);
    event CollateralWithdrawn(address indexed borrower, uint256 amount);
    event Borrowed(address indexed borrower, uint256 amount);
    event Repaid(address indexed payer, address indexed borrower, uint256 amount);
    event Liquidated(address indexed liquidator, address indexed borrower, uint256 repaid, uint256 collateralSeized);
    event RiskParamsSet(uint256 ltvBps, uint256 liquidationThresholdBps, uint256 liquidationBonusBps, uint256 rateBps);
    event OracleSet(address indexed oracle, uint256 maxPriceAge);
    event LiquidityWithdrawn(address indexed to, uint256 amount);

    error ZeroAmount();
    error InvalidRiskParams();
    error StalePrice(uint64 updatedAt, uint256 maxPriceAge);
    error InsufficientCollateral(uint256 amount, uint256 collateral);
    error ExceedsBorrowLimit(uint256 debt, uint256 limit);
    error InsufficientLiquidity(uint256 amount, uint256 available);
    error NoDebt(address borrower);
    error PositionHealthy(address borrower);
    error SelfLiquidation();

    IRegulatedToken public immutable collateralToken;
    IERC20 public immutable debtAsset;
    /// 10 ** collateral decimals: the oracle prices one whole token.
    uint256 public immutable collateralUnit;
    PriceOracle public oracle;
    /// 0 = no staleness check.
    uint256 public maxPriceAge;
    uint256 public ltvBps;
    uint256 public liquidationThresholdBps;
    uint256 public liquidationBonusBps;
    uint256 public rateBps;
    mapping(address borrower => Position) private _positions;

    constructor(
        IRegulatedToken collateralToken_,
        IERC20 debtAsset_,
        PriceOracle oracle_,
        address issuer,
        uint256 ltvBps_,
        uint256 liquidationThresholdBps_,
        uint256 liquidationBonusBps_,
        uint256 rateBps_
    ) Ownable(issuer) {
        collateralToken = collateralToken_;
        debtAsset = debtAsset_;
        collateralUnit = 10 ** collateralToken_.decimals();
        oracle = oracle_;
        emit OracleSet(address(oracle_), 0);
        _setRiskParams(ltvBps_, liquidationThresholdBps_, liquidationBonusBps_, rateBps_);
    }

    // ---- borrower ----

    /// Moves `amount` of the caller's tokens (approved to this market) in as collateral.
    function depositCollateral(uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        Position storage p = _accrued(msg.sender);
        p.collateral += amount;
        IERC20(address(collateralToken)).safeTransferFrom(msg.sender, address(this), amount);
        emit CollateralDeposited(msg.sender, amount);
    }

    /// Takes collateral back, as long as the remaining debt stays within the loan-to-value.
    function withdrawCollateral(uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        Position storage p = _accrued(msg.sender);
        if (amount > p.collateral) revert InsufficientCollateral(amount, p.collateral);
        p.collateral -= amount;
        if (p.debt > 0) _checkWithinLtv(p);
        IERC20(address(collateralToken)).safeTransfer(msg.sender, amount);
        emit CollateralWithdrawn(msg.sender, amount);
    }

    /// Borrows `amount` of the debt asset, up to the loan-to-value of the caller's collateral.
    function borrow(uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        Position storage p = _accrued(msg.sender);
        p.debt += amount;
        _checkWithinLtv(p);
        uint256 available = debtAsset.balanceOf(address(this));
        if (amount > available) revert InsufficientLiquidity(amount, available);
        debtAsset.safeTransfer(msg.sender, amount);
        emit Borrowed(msg.sender, amount);
    }

    /// Pays down `borrower`'s debt (capped at the debt) from the caller; returns what was repaid.
    function repay(address borrower, uint256 amount) external nonReentrant returns (uint256 repaid) {
        if (amount == 0) revert ZeroAmount();
        Position storage p = _accrued(borrower);
        if (p.debt == 0) revert NoDebt(borrower);
        repaid = Math.min(amount, p.debt);
        p.debt -= repaid;
        debtAsset.safeTransferFrom(msg.sender, address(this), repaid);
        emit Repaid(msg.sender, borrower, repaid);
    }

    // ---- liquidation ----

    /// Repays up to `maxRepay` of an unhealthy position's debt and takes collateral worth the
    /// repayment plus the bonus (all the collateral, for a smaller repayment, when there is not enough).
    function liquidate(address borrower, uint256 maxRepay)
        external
        nonReentrant
        returns (uint256 repaid, uint256 seized)
    {
        if (maxRepay == 0) revert ZeroAmount();
        if (borrower == msg.sender) revert SelfLiquidation();
        Position storage p = _accrued(borrower);
        uint256 price = _price();
        if (!_isLiquidatable(p, price)) revert PositionHealthy(borrower);

        repaid = Math.min(maxRepay, p.debt);
        seized = Math.mulDiv(repaid * (BPS + liquidationBonusBps), collateralUnit, BPS * price);
        if (seized > p.collateral) {
            seized = p.collateral;
            repaid = Math.min(
                repaid,
                Math.mulDiv(seized * price, BPS, collateralUnit * (BPS + liquidationBonusBps), Math.Rounding.Ceil)
            );
        }
        p.debt -= repaid;
        p.collateral -= seized;
        debtAsset.safeTransferFrom(msg.sender, address(this), repaid);
        // The token's transfer rules decide whether the liquidator may receive the collateral.
        IERC20(address(collateralToken)).safeTransfer(msg.sender, seized);
        emit Liquidated(msg.sender, borrower, repaid, seized);
    }

    // ---- views ----

    function position(address borrower)
        external
        view
        returns (uint256 collateral, uint256 debt, uint256 borrowLimit, bool liquidatable)
    {
        Position memory p = _positions[borrower];
        p.debt += _interest(p);
        uint256 price = _price();
        return (p.collateral, p.debt, _value(p.collateral, price, ltvBps), _isLiquidatable(p, price));
    }

    /// Debt including interest accrued up to now.
    function debtOf(address borrower) external view returns (uint256) {
        Position memory p = _positions[borrower];
        return p.debt + _interest(p);
    }

    // ---- issuer ----

    function setRiskParams(uint256 ltvBps_, uint256 liquidationThresholdBps_, uint256 liquidationBonusBps_, uint256 rateBps_)
        external
        onlyOwner
    {
        _setRiskParams(ltvBps_, liquidationThresholdBps_, liquidationBonusBps_, rateBps_);
    }

    function setOracle(PriceOracle oracle_, uint256 maxPriceAge_) external onlyOwner {
        oracle = oracle_;
        maxPriceAge = maxPriceAge_;
        emit OracleSet(address(oracle_), maxPriceAge_);
    }

    /// Takes lendable liquidity back (liquidity is supplied by a plain transfer in).
    function withdrawLiquidity(address to, uint256 amount) external onlyOwner nonReentrant {
        uint256 available = debtAsset.balanceOf(address(this));
        if (amount > available) revert InsufficientLiquidity(amount, available);
        debtAsset.safeTransfer(to, amount);
        emit LiquidityWithdrawn(to, amount);
    }

    // ---- internals ----

    function _setRiskParams(uint256 ltv, uint256 threshold, uint256 bonus, uint256 rate) private {
        // Borrowing must stop before liquidation starts, and a bonus must not make liquidation free.
        if (ltv == 0 || ltv >= threshold || threshold > BPS || bonus > BPS / 2) revert InvalidRiskParams();
        ltvBps = ltv;
        liquidationThresholdBps = threshold;
        liquidationBonusBps = bonus;
        rateBps = rate;
        emit RiskParamsSet(ltv, threshold, bonus, rate);
    }

    function _accrued(address borrower) private returns (Position storage p) {
        p = _positions[borrower];
        p.debt += _interest(p);
        p.lastAccrual = uint64(block.timestamp);
    }

    function _interest(Position memory p) private view returns (uint256) {
        if (p.debt == 0 || rateBps == 0) return 0;
        return Math.mulDiv(p.debt, rateBps * (block.timestamp - p.lastAccrual), BPS * YEAR);
    }

    function _price() private view returns (uint256 price) {
        uint64 updatedAt;
        (price, updatedAt) = oracle.latest();
        if (maxPriceAge != 0 && block.timestamp - updatedAt > maxPriceAge) revert StalePrice(updatedAt, maxPriceAge);
    }

    /// `bps` of the value of `collateral` at `price`, in debt-asset units.
    function _value(uint256 collateral, uint256 price, uint256 bps) private view returns (uint256) {
        return Math.mulDiv(collateral * price, bps, collateralUnit * BPS);
    }

    function _checkWithinLtv(Position storage p) private view {
        uint256 limit = _value(p.collateral, _price(), ltvBps);
        if (p.debt > limit) revert ExceedsBorrowLimit(p.debt, limit);
    }

    function _isLiquidatable(Position memory p, uint256 price) private view returns (bool) {
        return p.debt > _value(p.collateral, price, liquidationThresholdBps);
    }
}
