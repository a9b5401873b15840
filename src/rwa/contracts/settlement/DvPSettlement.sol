// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

/// Atomic multi-leg delivery-versus-payment. A settlement is a list of legs (token, from, to, amount)
/// and an expiry; every party that delivers (each distinct `from`) affirms it, after which anyone may
/// execute it: every leg moves with transferFrom in one transaction, so each token's own rules
/// (ERC-3643 identity and compliance checks included) run on each leg, and one failing leg reverts
/// them all. Parties approve this contract for what they deliver. The contract never holds tokens.
contract DvPSettlement is ReentrancyGuard {
    using SafeERC20 for IERC20;

    uint256 public constant MAX_LEGS = 32;

    struct Leg {
        address token;
        address from;
        address to;
        uint256 amount;
    }

    enum Status {
        None,
        Pending,
        Executed,
        Cancelled,
        Expired
    }

    struct Info {
        address creator;
        uint64 expiry;
        Status status;
        uint32 parties;
        uint32 affirmations;
    }

    event SettlementCreated(uint256 indexed id, address indexed creator, uint256 legCount, uint64 expiry);
    event Affirmed(uint256 indexed id, address indexed party);
    event AffirmationRevoked(uint256 indexed id, address indexed party);
    event SettlementExecuted(uint256 indexed id, address indexed executor);
    event SettlementCancelled(uint256 indexed id, address indexed by);

    error NoLegs();
    error TooManyLegs(uint256 count);
    error InvalidLeg(uint256 index);
    error ExpiryNotInFuture(uint64 expiry);
    error UnknownSettlement(uint256 id);
    error NotPending(uint256 id, Status status);
    error SettlementExpired(uint256 id, uint64 expiry);
    error NotAParty(uint256 id, address account);
    error AlreadyAffirmed(uint256 id, address party);
    error NotAffirmed(uint256 id, address party);
    error NotFullyAffirmed(uint256 id, uint256 affirmations, uint256 parties);
    error NotCreatorOrParty(uint256 id, address account);

    uint256 public settlementCount;
    mapping(uint256 id => Info) private _info;
    mapping(uint256 id => Leg[]) private _legs;
    mapping(uint256 id => mapping(address => bool)) public isParty;
    mapping(uint256 id => mapping(address => bool)) public hasAffirmed;

    /// Proposes a settlement; returns its id (1, 2, ...). Anyone may create one: nothing moves
    /// without every delivering party's affirmation.
    function createSettlement(Leg[] calldata legs, uint64 expiry) external returns (uint256 id) {
        if (legs.length == 0) revert NoLegs();
        if (legs.length > MAX_LEGS) revert TooManyLegs(legs.length);
        if (expiry <= block.timestamp) revert ExpiryNotInFuture(expiry);
        id = ++settlementCount;
        uint32 parties;
        for (uint256 i = 0; i < legs.length; i++) {
            Leg calldata leg = legs[i];
            if (leg.token == address(0) || leg.from == address(0) || leg.to == address(0) || leg.amount == 0) {
                revert InvalidLeg(i);
            }
            if (leg.from == leg.to) revert InvalidLeg(i);
            _legs[id].push(leg);
            if (!isParty[id][leg.from]) {
                isParty[id][leg.from] = true;
                parties++;
            }
        }
        _info[id] = Info(msg.sender, expiry, Status.Pending, parties, 0);
        emit SettlementCreated(id, msg.sender, legs.length, expiry);
    }

    /// A delivering party agrees to the settlement as it stands.
    function affirm(uint256 id) external {
        Info storage s = _pendingUnexpired(id);
        if (!isParty[id][msg.sender]) revert NotAParty(id, msg.sender);
        if (hasAffirmed[id][msg.sender]) revert AlreadyAffirmed(id, msg.sender);
        hasAffirmed[id][msg.sender] = true;
        s.affirmations++;
        emit Affirmed(id, msg.sender);
    }

    /// A party withdraws its affirmation before execution.
    function revokeAffirmation(uint256 id) external {
        Info storage s = _pending(id);
        if (!hasAffirmed[id][msg.sender]) revert NotAffirmed(id, msg.sender);
        hasAffirmed[id][msg.sender] = false;
        s.affirmations--;
        emit AffirmationRevoked(id, msg.sender);
    }

    /// The creator or any party calls the settlement off.
    function cancel(uint256 id) external {
        Info storage s = _pending(id);
        if (msg.sender != s.creator && !isParty[id][msg.sender]) revert NotCreatorOrParty(id, msg.sender);
        s.status = Status.Cancelled;
        emit SettlementCancelled(id, msg.sender);
    }

    /// Moves every leg, or none. Anyone may call it once all parties have affirmed.
    function execute(uint256 id) external nonReentrant {
        Info storage s = _pendingUnexpired(id);
        if (s.affirmations != s.parties) revert NotFullyAffirmed(id, s.affirmations, s.parties);
        // Marked first: a token calling back cannot execute the same settlement twice.
        s.status = Status.Executed;
        Leg[] storage legs = _legs[id];
        for (uint256 i = 0; i < legs.length; i++) {
            Leg storage leg = legs[i];
            IERC20(leg.token).safeTransferFrom(leg.from, leg.to, leg.amount);
        }
        emit SettlementExecuted(id, msg.sender);
    }

    /// The settlement's status, Expired for a pending one past its expiry.
    function status(uint256 id) public view returns (Status) {
        Info storage s = _info[id];
        if (s.status == Status.Pending && block.timestamp > s.expiry) return Status.Expired;
        return s.status;
    }

    function getSettlement(uint256 id) external view returns (Info memory info, Leg[] memory legs) {
        info = _info[id];
        if (info.status == Status.None) revert UnknownSettlement(id);
        info.status = status(id);
        legs = _legs[id];
    }

    function _pending(uint256 id) private view returns (Info storage s) {
        s = _info[id];
        if (s.status == Status.None) revert UnknownSettlement(id);
        if (s.status != Status.Pending) revert NotPending(id, s.status);
    }

    function _pendingUnexpired(uint256 id) private view returns (Info storage s) {
        s = _pending(id);
        if (block.timestamp > s.expiry) revert SettlementExpired(id, s.expiry);
    }
}
