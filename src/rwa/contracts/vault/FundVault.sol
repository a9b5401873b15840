// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IRegulatedToken} from "../interfaces/IRegulatedToken.sol";
import {IERC7540Deposit, IERC7540Operator, IERC7540Redeem, IERC7575} from "./IERC7540.sol";
import {NavOracle} from "./NavOracle.sol";

/// A fund that subscribes and redeems asynchronously at NAV, in the style of ERC-7540:
///   requestDeposit (assets escrowed) -> pending -> settleDeposit by the fund manager at the oracle's
///   NAV -> claimable -> deposit/mint (shares minted to the receiver);
///   requestRedeem (shares escrowed) -> pending -> settleRedeem (shares burned, assets reserved) ->
///   claimable -> redeem/withdraw (assets paid to the receiver).
/// Shares are the regulated token: this vault holds its minter/burner agent roles, and minting to an
/// unverified receiver, or a compliance refusal, reverts in the token. Redemption requests move shares
/// with transferFrom, so frozen or paused shares cannot be redeemed; the vault must be a verified
/// wallet. A subscription's controller must be a wallet the token would let receive shares now
/// (verified, not frozen): assets escrowed for anyone else could never be claimed as shares.
/// Requests of one controller are fungible (request id 0), as ERC-7540 allows.
contract FundVault is AccessControl, ReentrancyGuard, IERC7540Operator, IERC7540Deposit, IERC7540Redeem, IERC7575 {
    using SafeERC20 for IERC20;

    bytes32 public constant MANAGER_ROLE = keccak256("MANAGER_ROLE");
    uint256 private constant REQUEST_ID = 0;

    /// One controller's requests in one direction: amounts waiting for settlement, and what settled
    /// requests can claim (claimed pro rata, so partial claims keep the settlement price).
    struct Requests {
        uint256 pending;
        uint256 claimableIn;
        uint256 claimableOut;
    }

    /// ERC-4626 events, emitted on claims.
    event Deposit(address indexed sender, address indexed owner, uint256 assets, uint256 shares);
    event Withdraw(
        address indexed sender, address indexed receiver, address indexed owner, uint256 assets, uint256 shares
    );
    event DepositSettled(address indexed controller, uint256 assets, uint256 shares, uint256 nav);
    event RedeemSettled(address indexed controller, uint256 shares, uint256 assets, uint256 nav);
    event NavOracleSet(address indexed oracle);
    event AssetsWithdrawn(address indexed to, uint256 assets);

    error ZeroAmount();
    error NotOwnerOrOperator(address owner, address caller);
    error NothingPending(address controller);
    error ExceedsClaimable(uint256 requested, uint256 claimable);
    error InsufficientLiquidity(uint256 needed, uint256 available);
    error ZeroSharesAtNav(uint256 assets, uint256 nav);
    error SelfOperator();
    error InvestorNotEligible(address controller);

    IERC20 public immutable asset;
    IRegulatedToken public immutable shareToken;
    /// 10 ** share decimals: the NAV prices one whole share.
    uint256 public immutable shareUnit;
    NavOracle public navOracle;

    mapping(address controller => Requests) private _deposits;
    mapping(address controller => Requests) private _redeems;
    mapping(address controller => mapping(address operator => bool)) public isOperator;
    /// Assets the vault holds for others: pending subscriptions and settled, unclaimed redemptions.
    uint256 public totalPendingDepositAssets;
    uint256 public totalClaimableRedeemAssets;
    uint256 public totalPendingRedeemShares;

    constructor(IERC20 asset_, IRegulatedToken shareToken_, NavOracle navOracle_, address admin, address manager) {
        asset = asset_;
        shareToken = shareToken_;
        shareUnit = 10 ** shareToken_.decimals();
        navOracle = navOracle_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(MANAGER_ROLE, manager);
        emit NavOracleSet(address(navOracle_));
    }

    // ---- operators (ERC-7540) ----

    function setOperator(address operator, bool approved) external returns (bool) {
        if (operator == msg.sender) revert SelfOperator();
        isOperator[msg.sender][operator] = approved;
        emit OperatorSet(msg.sender, operator, approved);
        return true;
    }

    // ---- subscriptions ----

    /// Escrows `assets` from `owner` (approved to this vault) as a subscription of `controller`, who
    /// must be able to receive shares now.
    function requestDeposit(uint256 assets, address controller, address owner)
        external
        nonReentrant
        returns (uint256 requestId)
    {
        if (assets == 0) revert ZeroAmount();
        _checkAuthorized(owner);
        if (!shareToken.canReceive(controller)) revert InvestorNotEligible(controller);
        asset.safeTransferFrom(owner, address(this), assets);
        _deposits[controller].pending += assets;
        totalPendingDepositAssets += assets;
        emit DepositRequest(controller, owner, REQUEST_ID, msg.sender, assets);
        return REQUEST_ID;
    }

    function pendingDepositRequest(uint256, address controller) external view returns (uint256) {
        return _deposits[controller].pending;
    }

    function claimableDepositRequest(uint256, address controller) external view returns (uint256) {
        return _deposits[controller].claimableIn;
    }

    /// Fund manager: prices all of `controller`'s pending subscription at the current NAV.
    function settleDeposit(address controller) external onlyRole(MANAGER_ROLE) returns (uint256 shares) {
        Requests storage r = _deposits[controller];
        uint256 assets = r.pending;
        if (assets == 0) revert NothingPending(controller);
        uint256 nav = navOracle.nav();
        shares = Math.mulDiv(assets, shareUnit, nav);
        if (shares == 0) revert ZeroSharesAtNav(assets, nav);
        r.pending = 0;
        r.claimableIn += assets;
        r.claimableOut += shares;
        totalPendingDepositAssets -= assets;
        emit DepositSettled(controller, assets, shares, nav);
    }

    /// Claims the shares bought by `assets` of settled subscription; they are minted to `receiver`.
    function deposit(uint256 assets, address receiver, address controller) public nonReentrant returns (uint256 shares) {
        _checkAuthorized(controller);
        shares = _claim(_deposits[controller], assets);
        shareToken.mint(receiver, shares);
        emit Deposit(controller, receiver, assets, shares);
    }

    function deposit(uint256 assets, address receiver) external returns (uint256) {
        return deposit(assets, receiver, msg.sender);
    }

    /// Claims exactly `shares` of settled subscription.
    function mint(uint256 shares, address receiver, address controller) public nonReentrant returns (uint256 assets) {
        _checkAuthorized(controller);
        assets = _claimOut(_deposits[controller], shares);
        shareToken.mint(receiver, shares);
        emit Deposit(controller, receiver, assets, shares);
    }

    function mint(uint256 shares, address receiver) external returns (uint256) {
        return mint(shares, receiver, msg.sender);
    }

    // ---- redemptions ----

    /// Escrows `shares` from `owner` (approved to this vault) as a redemption of `controller`.
    function requestRedeem(uint256 shares, address controller, address owner)
        external
        nonReentrant
        returns (uint256 requestId)
    {
        if (shares == 0) revert ZeroAmount();
        _checkAuthorized(owner);
        // transferFrom, not an agent burn: the token's freeze, pause and compliance rules apply.
        IERC20(address(shareToken)).safeTransferFrom(owner, address(this), shares);
        _redeems[controller].pending += shares;
        totalPendingRedeemShares += shares;
        emit RedeemRequest(controller, owner, REQUEST_ID, msg.sender, shares);
        return REQUEST_ID;
    }

    function pendingRedeemRequest(uint256, address controller) external view returns (uint256) {
        return _redeems[controller].pending;
    }

    function claimableRedeemRequest(uint256, address controller) external view returns (uint256) {
        return _redeems[controller].claimableIn;
    }

    /// Fund manager: prices all of `controller`'s pending redemption at the current NAV, burns the
    /// escrowed shares and reserves the assets (which must be in the vault).
    function settleRedeem(address controller) external onlyRole(MANAGER_ROLE) nonReentrant returns (uint256 assets) {
        Requests storage r = _redeems[controller];
        uint256 shares = r.pending;
        if (shares == 0) revert NothingPending(controller);
        uint256 nav = navOracle.nav();
        assets = Math.mulDiv(shares, nav, shareUnit);
        uint256 available = freeAssets();
        if (assets > available) revert InsufficientLiquidity(assets, available);
        r.pending = 0;
        r.claimableIn += shares;
        r.claimableOut += assets;
        totalPendingRedeemShares -= shares;
        totalClaimableRedeemAssets += assets;
        shareToken.burn(address(this), shares);
        emit RedeemSettled(controller, shares, assets, nav);
    }

    /// Claims the assets of `shares` of settled redemption, paid to `receiver`.
    function redeem(uint256 shares, address receiver, address controller) external nonReentrant returns (uint256 assets) {
        _checkAuthorized(controller);
        assets = _claim(_redeems[controller], shares);
        totalClaimableRedeemAssets -= assets;
        asset.safeTransfer(receiver, assets);
        emit Withdraw(msg.sender, receiver, controller, assets, shares);
    }

    /// Claims exactly `assets` of settled redemption.
    function withdraw(uint256 assets, address receiver, address controller) external nonReentrant returns (uint256 shares) {
        _checkAuthorized(controller);
        shares = _claimOut(_redeems[controller], assets);
        totalClaimableRedeemAssets -= assets;
        asset.safeTransfer(receiver, assets);
        emit Withdraw(msg.sender, receiver, controller, assets, shares);
    }

    // ---- fund management ----

    /// Assets not owed to anyone: settled subscriptions the manager may invest.
    function freeAssets() public view returns (uint256) {
        uint256 held = asset.balanceOf(address(this));
        uint256 owed = totalPendingDepositAssets + totalClaimableRedeemAssets;
        return held > owed ? held - owed : 0;
    }

    /// Fund manager: moves free assets out to be invested (returned by a plain transfer in).
    function withdrawAssets(address to, uint256 assets) external onlyRole(MANAGER_ROLE) nonReentrant {
        uint256 available = freeAssets();
        if (assets > available) revert InsufficientLiquidity(assets, available);
        asset.safeTransfer(to, assets);
        emit AssetsWithdrawn(to, assets);
    }

    function setNavOracle(NavOracle navOracle_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        navOracle = navOracle_;
        emit NavOracleSet(address(navOracle_));
    }

    // ---- ERC-4626 / ERC-7575 views ----

    function share() external view returns (address) {
        return address(shareToken);
    }

    /// Fund value at NAV of the shares outstanding (minted ones; settled but unclaimed not included).
    function totalAssets() external view returns (uint256) {
        return Math.mulDiv(shareToken.totalSupply(), navOracle.nav(), shareUnit);
    }

    function convertToShares(uint256 assets) external view returns (uint256) {
        return Math.mulDiv(assets, shareUnit, navOracle.nav());
    }

    function convertToAssets(uint256 shares) external view returns (uint256) {
        return Math.mulDiv(shares, navOracle.nav(), shareUnit);
    }

    function maxDeposit(address controller) external view returns (uint256) {
        return _deposits[controller].claimableIn;
    }

    function maxMint(address controller) external view returns (uint256) {
        return _deposits[controller].claimableOut;
    }

    function maxRedeem(address controller) external view returns (uint256) {
        return _redeems[controller].claimableIn;
    }

    function maxWithdraw(address controller) external view returns (uint256) {
        return _redeems[controller].claimableOut;
    }

    function supportsInterface(bytes4 interfaceId) public view override returns (bool) {
        return interfaceId == type(IERC7540Operator).interfaceId || interfaceId == type(IERC7540Deposit).interfaceId
            || interfaceId == type(IERC7540Redeem).interfaceId || super.supportsInterface(interfaceId);
    }

    // ---- internals ----

    function _checkAuthorized(address owner) private view {
        if (owner != msg.sender && !isOperator[owner][msg.sender]) revert NotOwnerOrOperator(owner, msg.sender);
    }

    /// Takes `amountIn` of the claimable input; returns its share of the claimable output (rounded down).
    function _claim(Requests storage r, uint256 amountIn) private returns (uint256 amountOut) {
        if (amountIn == 0) revert ZeroAmount();
        if (amountIn > r.claimableIn) revert ExceedsClaimable(amountIn, r.claimableIn);
        amountOut = amountIn == r.claimableIn ? r.claimableOut : Math.mulDiv(amountIn, r.claimableOut, r.claimableIn);
        r.claimableIn -= amountIn;
        r.claimableOut -= amountOut;
    }

    /// Takes exactly `amountOut` of the claimable output; returns the input it costs (rounded up).
    function _claimOut(Requests storage r, uint256 amountOut) private returns (uint256 amountIn) {
        if (amountOut == 0) revert ZeroAmount();
        if (amountOut > r.claimableOut) revert ExceedsClaimable(amountOut, r.claimableOut);
        amountIn = amountOut == r.claimableOut
            ? r.claimableIn
            : Math.mulDiv(amountOut, r.claimableIn, r.claimableOut, Math.Rounding.Ceil);
        r.claimableIn -= amountIn;
        r.claimableOut -= amountOut;
    }
}
