// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IRegulatedToken} from "../interfaces/IRegulatedToken.sol";

/// A constant-product pool (x * y = k, 0.3% fee to liquidity providers) between a regulated token and
/// a payment token, open only to wallets the token's identity registry verifies. The pool is itself a
/// verified wallet (an identity of the issuer), so the token's own transfer rules still run on every
/// move in and out. Liquidity positions are balances inside the pool, not a transferable LP token:
/// exposure to the regulated asset cannot leave the verified set through them. The issuer can halt
/// the pool (every swap and liquidity change) and resume it.
contract PermissionedPool is Ownable, ReentrancyGuard {
    using SafeERC20 for IERC20;

    /// Burned on the first deposit so the pool can never be emptied to a zero supply (a price that
    /// a tiny first deposit could set arbitrarily).
    uint256 public constant MINIMUM_LIQUIDITY = 1000;
    uint256 public constant FEE_NUMERATOR = 997;
    uint256 public constant FEE_DENOMINATOR = 1000;

    event LiquidityAdded(address indexed provider, uint256 tokenAmount, uint256 stableAmount, uint256 liquidity);
    event LiquidityRemoved(address indexed provider, uint256 tokenAmount, uint256 stableAmount, uint256 liquidity);
    event Swap(address indexed trader, address indexed tokenIn, uint256 amountIn, uint256 amountOut);
    event Halted(address indexed by);
    event Resumed(address indexed by);

    error PoolHalted();
    error NotVerified(address account);
    error Expired(uint256 deadline);
    error ZeroAmount();
    error UnknownToken(address tokenIn);
    error InsufficientOutput(uint256 amountOut, uint256 minOut);
    error InsufficientLiquidity();
    error InsufficientLiquidityMinted();
    error InsufficientLiquidityBalance(uint256 requested, uint256 balance);
    error AlreadyInState(bool halted);

    IRegulatedToken public immutable token;
    IERC20 public immutable stable;
    uint256 public reserveToken;
    uint256 public reserveStable;
    uint256 public totalLiquidity;
    mapping(address provider => uint256) public liquidityOf;
    bool public halted;

    constructor(IRegulatedToken token_, IERC20 stable_, address issuer) Ownable(issuer) {
        token = token_;
        stable = stable_;
    }

    modifier open(uint256 deadline) {
        if (halted) revert PoolHalted();
        if (block.timestamp > deadline) revert Expired(deadline);
        // The registry is read from the token each time, so a registry the issuer swaps in applies here too.
        if (!token.identityRegistry().isVerified(msg.sender)) revert NotVerified(msg.sender);
        _;
    }

    // ---- kill switch ----

    function halt() external onlyOwner {
        if (halted) revert AlreadyInState(true);
        halted = true;
        emit Halted(msg.sender);
    }

    function resume() external onlyOwner {
        if (!halted) revert AlreadyInState(false);
        halted = false;
        emit Resumed(msg.sender);
    }

    // ---- liquidity ----

    /// Deposits at the pool's ratio, at most the desired amounts and at least the minimums (the
    /// first deposit sets the price and takes both desired amounts).
    function addLiquidity(
        uint256 tokenDesired,
        uint256 stableDesired,
        uint256 tokenMin,
        uint256 stableMin,
        uint256 deadline
    ) external nonReentrant open(deadline) returns (uint256 tokenAmount, uint256 stableAmount, uint256 liquidity) {
        if (tokenDesired == 0 || stableDesired == 0) revert ZeroAmount();
        (tokenAmount, stableAmount) = _depositAmounts(tokenDesired, stableDesired);
        if (tokenAmount < tokenMin) revert InsufficientOutput(tokenAmount, tokenMin);
        if (stableAmount < stableMin) revert InsufficientOutput(stableAmount, stableMin);

        if (totalLiquidity == 0) {
            liquidity = Math.sqrt(tokenAmount * stableAmount);
            if (liquidity <= MINIMUM_LIQUIDITY) revert InsufficientLiquidityMinted();
            liquidity -= MINIMUM_LIQUIDITY;
            liquidityOf[address(0)] = MINIMUM_LIQUIDITY;
            totalLiquidity = MINIMUM_LIQUIDITY;
        } else {
            liquidity = Math.min(
                (tokenAmount * totalLiquidity) / reserveToken, (stableAmount * totalLiquidity) / reserveStable
            );
            if (liquidity == 0) revert InsufficientLiquidityMinted();
        }
        liquidityOf[msg.sender] += liquidity;
        totalLiquidity += liquidity;
        reserveToken += tokenAmount;
        reserveStable += stableAmount;

        IERC20(address(token)).safeTransferFrom(msg.sender, address(this), tokenAmount);
        stable.safeTransferFrom(msg.sender, address(this), stableAmount);
        emit LiquidityAdded(msg.sender, tokenAmount, stableAmount, liquidity);
    }

    /// Burns `liquidity` of the caller's position for its share of both reserves.
    function removeLiquidity(uint256 liquidity, uint256 tokenMin, uint256 stableMin, uint256 deadline)
        external
        nonReentrant
        open(deadline)
        returns (uint256 tokenAmount, uint256 stableAmount)
    {
        if (liquidity == 0) revert ZeroAmount();
        uint256 balance = liquidityOf[msg.sender];
        if (liquidity > balance) revert InsufficientLiquidityBalance(liquidity, balance);
        tokenAmount = (liquidity * reserveToken) / totalLiquidity;
        stableAmount = (liquidity * reserveStable) / totalLiquidity;
        if (tokenAmount < tokenMin) revert InsufficientOutput(tokenAmount, tokenMin);
        if (stableAmount < stableMin) revert InsufficientOutput(stableAmount, stableMin);

        liquidityOf[msg.sender] = balance - liquidity;
        totalLiquidity -= liquidity;
        reserveToken -= tokenAmount;
        reserveStable -= stableAmount;

        IERC20(address(token)).safeTransfer(msg.sender, tokenAmount);
        stable.safeTransfer(msg.sender, stableAmount);
        emit LiquidityRemoved(msg.sender, tokenAmount, stableAmount, liquidity);
    }

    // ---- swaps ----

    /// Sells exactly `amountIn` of `tokenIn` (the regulated token or the payment token) for at least
    /// `minOut` of the other, paid to the caller.
    function swapExactIn(address tokenIn, uint256 amountIn, uint256 minOut, uint256 deadline)
        external
        nonReentrant
        open(deadline)
        returns (uint256 amountOut)
    {
        if (amountIn == 0) revert ZeroAmount();
        bool sellToken = _isTokenSide(tokenIn);
        amountOut = getAmountOut(tokenIn, amountIn);
        if (amountOut < minOut) revert InsufficientOutput(amountOut, minOut);

        if (sellToken) {
            reserveToken += amountIn;
            reserveStable -= amountOut;
            IERC20(address(token)).safeTransferFrom(msg.sender, address(this), amountIn);
            stable.safeTransfer(msg.sender, amountOut);
        } else {
            reserveStable += amountIn;
            reserveToken -= amountOut;
            stable.safeTransferFrom(msg.sender, address(this), amountIn);
            IERC20(address(token)).safeTransfer(msg.sender, amountOut);
        }
        emit Swap(msg.sender, tokenIn, amountIn, amountOut);
    }

    /// What selling `amountIn` of `tokenIn` returns now, after the fee.
    function getAmountOut(address tokenIn, uint256 amountIn) public view returns (uint256) {
        (uint256 reserveIn, uint256 reserveOut) =
            _isTokenSide(tokenIn) ? (reserveToken, reserveStable) : (reserveStable, reserveToken);
        if (reserveIn == 0 || reserveOut == 0) revert InsufficientLiquidity();
        uint256 amountInWithFee = amountIn * FEE_NUMERATOR;
        return (amountInWithFee * reserveOut) / (reserveIn * FEE_DENOMINATOR + amountInWithFee);
    }

    function getReserves() external view returns (uint256, uint256) {
        return (reserveToken, reserveStable);
    }

    function _isTokenSide(address tokenIn) private view returns (bool) {
        if (tokenIn == address(token)) return true;
        if (tokenIn == address(stable)) return false;
        revert UnknownToken(tokenIn);
    }

    /// The amounts that keep the pool's ratio, within the desired ones.
    function _depositAmounts(uint256 tokenDesired, uint256 stableDesired) private view returns (uint256, uint256) {
        if (reserveToken == 0 && reserveStable == 0) return (tokenDesired, stableDesired);
        uint256 stableOptimal = (tokenDesired * reserveStable) / reserveToken;
        if (stableOptimal <= stableDesired) return (tokenDesired, stableOptimal);
        return ((stableDesired * reserveToken) / reserveStable, stableDesired);
    }
}
