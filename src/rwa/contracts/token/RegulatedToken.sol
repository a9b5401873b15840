// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {Arrays} from "@openzeppelin/contracts/utils/Arrays.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ICompliance} from "../interfaces/ICompliance.sol";
import {IIdentityRegistry} from "../interfaces/IIdentityRegistry.sol";
import {IRegulatedToken} from "../interfaces/IRegulatedToken.sol";
import {RuleCodes} from "../compliance/RuleCodes.sol";
import {IERC7943Fungible} from "./IERC7943Fungible.sol";

/// An ERC-3643 permissioned token: ERC-20 whose transfers go only between verified wallets and pass
/// the modular compliance; ERC-7943 checks (canTransfer / canSend / canReceive, frozen amounts,
/// forced transfers); ERC-2612 permit; record-date snapshots. Agents act within one role each.
///
/// A transfer is checked in this order, and the first failing rule is what `checkTransfer` returns
/// and what the revert carries: paused, sender frozen, receiver frozen, free balance (balance less
/// frozen tokens), sender verified, receiver verified, then the compliance modules.
contract RegulatedToken is IRegulatedToken, IERC7943Fungible, ERC20Permit, AccessControl, Pausable {
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");
    bytes32 public constant BURNER_ROLE = keccak256("BURNER_ROLE");
    bytes32 public constant FREEZER_ROLE = keccak256("FREEZER_ROLE");
    /// Forced transfers.
    bytes32 public constant TRANSFER_AGENT_ROLE = keccak256("TRANSFER_AGENT_ROLE");
    bytes32 public constant RECOVERY_ROLE = keccak256("RECOVERY_ROLE");
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    bytes32 public constant SNAPSHOT_ROLE = keccak256("SNAPSHOT_ROLE");

    // ERC-3643 events (Paused / Unpaused come from Pausable).
    event IdentityRegistryAdded(address indexed identityRegistry);
    event ComplianceAdded(address indexed compliance);
    event RecoverySuccess(address indexed lostWallet, address indexed newWallet, uint256 indexed identityId);
    event AddressFrozen(address indexed wallet, bool indexed isFrozen, address indexed agent);
    event TokensFrozen(address indexed wallet, uint256 amount);
    event TokensUnfrozen(address indexed wallet, uint256 amount);

    /// A transfer or mint refused by rule `code` (see RuleCodes) for `reason`.
    error TransferRejected(uint8 code, string reason);
    error FreezeExceedsBalance(address wallet, uint256 balance, uint256 frozen);
    error UnfreezeExceedsFrozen(address wallet, uint256 frozen, uint256 amount);
    error RecoveryIdentityMismatch(address lostWallet, address newWallet, uint256 identityId);
    error ArrayLengthMismatch();
    error SnapshotNotFound(uint256 id);
    error ZeroAddress();

    struct Snapshots {
        uint256[] ids;
        uint256[] values;
    }

    uint8 private immutable _decimals;
    IIdentityRegistry private _identityRegistry;
    ICompliance private _compliance;
    mapping(address wallet => bool) private _frozen;
    mapping(address wallet => uint256) private _frozenTokens;

    uint256 private _currentSnapshotId;
    mapping(address account => Snapshots) private _accountSnapshots;
    Snapshots private _totalSupplySnapshots;

    /// Binds itself to `compliance_` (which must have no token bound yet).
    constructor(
        string memory name_,
        string memory symbol_,
        uint8 decimals_,
        IIdentityRegistry identityRegistry_,
        ICompliance compliance_,
        address admin
    ) ERC20(name_, symbol_) ERC20Permit(name_) {
        if (admin == address(0)) revert ZeroAddress();
        _decimals = decimals_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _setIdentityRegistry(identityRegistry_);
        _setCompliance(compliance_);
    }

    // ---- configuration (admin) ----

    function setIdentityRegistry(IIdentityRegistry identityRegistry_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setIdentityRegistry(identityRegistry_);
    }

    function setCompliance(ICompliance compliance_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setCompliance(compliance_);
    }

    function _setIdentityRegistry(IIdentityRegistry identityRegistry_) private {
        if (address(identityRegistry_) == address(0)) revert ZeroAddress();
        _identityRegistry = identityRegistry_;
        emit IdentityRegistryAdded(address(identityRegistry_));
    }

    function _setCompliance(ICompliance compliance_) private {
        if (address(compliance_) == address(0)) revert ZeroAddress();
        _compliance = compliance_;
        compliance_.bindToken(address(this));
        emit ComplianceAdded(address(compliance_));
    }

    function identityRegistry() external view returns (IIdentityRegistry) {
        return _identityRegistry;
    }

    function compliance() external view returns (ICompliance) {
        return _compliance;
    }

    function decimals() public view override(ERC20, IRegulatedToken) returns (uint8) {
        return _decimals;
    }

    function paused() public view override(IRegulatedToken, Pausable) returns (bool) {
        return super.paused();
    }

    function supportsInterface(bytes4 interfaceId) public view override(AccessControl, IERC165) returns (bool) {
        return interfaceId == type(IERC7943Fungible).interfaceId || interfaceId == type(IERC20).interfaceId
            || super.supportsInterface(interfaceId);
    }

    // ---- checks ----

    /// The first rule a transfer of `amount` from `from` to `to` would break now: (code, reason), or
    /// (0, "") when it would go through.
    function checkTransfer(address from, address to, uint256 amount)
        public
        view
        returns (uint8 code, string memory reason)
    {
        if (paused()) return (RuleCodes.PAUSED, "token paused");
        if (_frozen[from]) return (RuleCodes.SENDER_FROZEN, "sender wallet frozen");
        if (_frozen[to]) return (RuleCodes.RECEIVER_FROZEN, "receiver wallet frozen");
        if (amount > _freeBalance(from)) return (RuleCodes.INSUFFICIENT_FREE_BALANCE, "insufficient free balance");
        if (!_identityRegistry.isVerified(from)) return (RuleCodes.SENDER_NOT_VERIFIED, "sender not verified");
        if (!_identityRegistry.isVerified(to)) return (RuleCodes.RECEIVER_NOT_VERIFIED, "receiver not verified");
        return _compliance.checkTransfer(from, to, amount);
    }

    /// ERC-7943 / ERC-3643: whether the transfer would go through now.
    function canTransfer(address from, address to, uint256 amount)
        external
        view
        override(IRegulatedToken, IERC7943Fungible)
        returns (bool)
    {
        (uint8 code,) = checkTransfer(from, to, amount);
        return code == RuleCodes.OK;
    }

    function canSend(address account) external view override(IRegulatedToken, IERC7943Fungible) returns (bool) {
        return !_frozen[account] && _identityRegistry.isVerified(account);
    }

    function canReceive(address account) external view override(IRegulatedToken, IERC7943Fungible) returns (bool) {
        return !_frozen[account] && _identityRegistry.isVerified(account);
    }

    function _freeBalance(address wallet) private view returns (uint256) {
        uint256 balance = balanceOf(wallet);
        uint256 frozen = _frozenTokens[wallet];
        return balance > frozen ? balance - frozen : 0;
    }

    /// Reverts with the failing rule: the base ERC-20 error when the balance itself is short, the
    /// ERC-7943 one when frozen tokens are what is missing, TransferRejected otherwise.
    function _requireTransferAllowed(address from, address to, uint256 amount) private view {
        (uint8 code, string memory reason) = checkTransfer(from, to, amount);
        if (code == RuleCodes.OK) return;
        if (code == RuleCodes.INSUFFICIENT_FREE_BALANCE) {
            uint256 balance = balanceOf(from);
            if (amount > balance) revert ERC20InsufficientBalance(from, balance, amount);
            revert ERC7943InsufficientUnfrozenBalance(from, amount, _freeBalance(from));
        }
        revert TransferRejected(code, reason);
    }

    // ---- holders ----

    function transfer(address to, uint256 amount) public override(ERC20, IERC20) returns (bool) {
        _requireTransferAllowed(msg.sender, to, amount);
        return super.transfer(to, amount);
    }

    function transferFrom(address from, address to, uint256 amount) public override(ERC20, IERC20) returns (bool) {
        _requireTransferAllowed(from, to, amount);
        return super.transferFrom(from, to, amount);
    }

    function batchTransfer(address[] calldata to, uint256[] calldata amounts) external {
        if (to.length != amounts.length) revert ArrayLengthMismatch();
        for (uint256 i = 0; i < to.length; i++) {
            transfer(to[i], amounts[i]);
        }
    }

    // ---- agents ----

    function mint(address to, uint256 amount) public onlyRole(MINTER_ROLE) {
        if (_frozen[to]) revert TransferRejected(RuleCodes.RECEIVER_FROZEN, "receiver wallet frozen");
        if (!_identityRegistry.isVerified(to)) {
            revert TransferRejected(RuleCodes.RECEIVER_NOT_VERIFIED, "receiver not verified");
        }
        (uint8 code, string memory reason) = _compliance.checkTransfer(address(0), to, amount);
        if (code != RuleCodes.OK) revert TransferRejected(code, reason);
        _mint(to, amount);
    }

    /// Burns from any holder; frozen tokens are unfrozen first when the free balance is short.
    function burn(address from, uint256 amount) public onlyRole(BURNER_ROLE) {
        _releaseFrozenFor(from, amount);
        _burn(from, amount);
    }

    /// Moves tokens regardless of pause, frozen wallets and compliance; frozen tokens are unfrozen
    /// first when the free balance is short. The receiver must still be verified.
    function forcedTransfer(address from, address to, uint256 amount)
        public
        override(IRegulatedToken, IERC7943Fungible)
        onlyRole(TRANSFER_AGENT_ROLE)
        returns (bool)
    {
        if (!_identityRegistry.isVerified(to)) {
            revert TransferRejected(RuleCodes.RECEIVER_NOT_VERIFIED, "receiver not verified");
        }
        _releaseFrozenFor(from, amount);
        _transfer(from, to, amount);
        emit ForcedTransfer(from, to, amount);
        return true;
    }

    /// Moves a lost wallet's whole position (balance, frozen amount, frozen flag) to another wallet
    /// of the same identity; both must be registered to `identityId`.
    function recoveryAddress(address lostWallet, address newWallet, uint256 identityId)
        external
        onlyRole(RECOVERY_ROLE)
        returns (bool)
    {
        if (
            identityId == 0 || lostWallet == newWallet || _identityRegistry.identityOf(lostWallet) != identityId
                || _identityRegistry.identityOf(newWallet) != identityId
        ) revert RecoveryIdentityMismatch(lostWallet, newWallet, identityId);
        uint256 frozenAmount = _frozenTokens[lostWallet];
        if (frozenAmount != 0) _setFrozen(lostWallet, 0);
        _transfer(lostWallet, newWallet, balanceOf(lostWallet));
        if (frozenAmount != 0) _setFrozen(newWallet, _frozenTokens[newWallet] + frozenAmount);
        if (_frozen[lostWallet]) {
            _frozen[newWallet] = true;
            emit AddressFrozen(newWallet, true, msg.sender);
        }
        emit RecoverySuccess(lostWallet, newWallet, identityId);
        return true;
    }

    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    function setAddressFrozen(address wallet, bool freeze) public onlyRole(FREEZER_ROLE) {
        _frozen[wallet] = freeze;
        emit AddressFrozen(wallet, freeze, msg.sender);
    }

    /// Freezes `amount` more of the wallet's tokens; the frozen total may not exceed the balance.
    function freezePartialTokens(address wallet, uint256 amount) public onlyRole(FREEZER_ROLE) {
        uint256 balance = balanceOf(wallet);
        uint256 frozen = _frozenTokens[wallet] + amount;
        if (frozen > balance) revert FreezeExceedsBalance(wallet, balance, frozen);
        _setFrozen(wallet, frozen);
    }

    function unfreezePartialTokens(address wallet, uint256 amount) public onlyRole(FREEZER_ROLE) {
        uint256 frozen = _frozenTokens[wallet];
        if (amount > frozen) revert UnfreezeExceedsFrozen(wallet, frozen, amount);
        _setFrozen(wallet, frozen - amount);
    }

    /// ERC-7943: sets the frozen amount outright (it may exceed the balance, withholding future receipts).
    function setFrozenTokens(address account, uint256 amount) external onlyRole(FREEZER_ROLE) returns (bool) {
        _setFrozen(account, amount);
        return true;
    }

    function isFrozen(address wallet) external view returns (bool) {
        return _frozen[wallet];
    }

    function getFrozenTokens(address wallet)
        external
        view
        override(IRegulatedToken, IERC7943Fungible)
        returns (uint256)
    {
        return _frozenTokens[wallet];
    }

    function _setFrozen(address wallet, uint256 amount) private {
        uint256 old = _frozenTokens[wallet];
        _frozenTokens[wallet] = amount;
        if (amount > old) emit TokensFrozen(wallet, amount - old);
        else if (old > amount) emit TokensUnfrozen(wallet, old - amount);
        emit Frozen(wallet, amount);
    }

    /// Before an agent takes `amount` from `wallet`: unfreezes what the free balance lacks.
    function _releaseFrozenFor(address wallet, uint256 amount) private {
        uint256 balance = balanceOf(wallet);
        if (amount > balance) revert ERC20InsufficientBalance(wallet, balance, amount);
        uint256 free = _freeBalance(wallet);
        if (amount > free) _setFrozen(wallet, _frozenTokens[wallet] - (amount - free));
    }

    // ---- batches ----

    function batchMint(address[] calldata to, uint256[] calldata amounts) external {
        if (to.length != amounts.length) revert ArrayLengthMismatch();
        for (uint256 i = 0; i < to.length; i++) {
            mint(to[i], amounts[i]);
        }
    }

    function batchBurn(address[] calldata from, uint256[] calldata amounts) external {
        if (from.length != amounts.length) revert ArrayLengthMismatch();
        for (uint256 i = 0; i < from.length; i++) {
            burn(from[i], amounts[i]);
        }
    }

    function batchForcedTransfer(address[] calldata from, address[] calldata to, uint256[] calldata amounts)
        external
    {
        if (from.length != to.length || from.length != amounts.length) revert ArrayLengthMismatch();
        for (uint256 i = 0; i < from.length; i++) {
            forcedTransfer(from[i], to[i], amounts[i]);
        }
    }

    function batchSetAddressFrozen(address[] calldata wallets, bool[] calldata freeze) external {
        if (wallets.length != freeze.length) revert ArrayLengthMismatch();
        for (uint256 i = 0; i < wallets.length; i++) {
            setAddressFrozen(wallets[i], freeze[i]);
        }
    }

    function batchFreezePartialTokens(address[] calldata wallets, uint256[] calldata amounts) external {
        if (wallets.length != amounts.length) revert ArrayLengthMismatch();
        for (uint256 i = 0; i < wallets.length; i++) {
            freezePartialTokens(wallets[i], amounts[i]);
        }
    }

    function batchUnfreezePartialTokens(address[] calldata wallets, uint256[] calldata amounts) external {
        if (wallets.length != amounts.length) revert ArrayLengthMismatch();
        for (uint256 i = 0; i < wallets.length; i++) {
            unfreezePartialTokens(wallets[i], amounts[i]);
        }
    }

    // ---- record-date snapshots ----

    function snapshot() external onlyRole(SNAPSHOT_ROLE) returns (uint256 id) {
        id = ++_currentSnapshotId;
        emit Snapshot(id);
    }

    function currentSnapshotId() external view returns (uint256) {
        return _currentSnapshotId;
    }

    function balanceOfAt(address account, uint256 id) external view returns (uint256) {
        return _valueAt(_accountSnapshots[account], id, balanceOf(account));
    }

    function totalSupplyAt(uint256 id) external view returns (uint256) {
        return _valueAt(_totalSupplySnapshots, id, totalSupply());
    }

    /// Values are recorded lazily: the first change after snapshot `id` stores the value it had at
    /// `id`; a value never changed since is the current one.
    function _valueAt(Snapshots storage s, uint256 id, uint256 current) private view returns (uint256) {
        if (id == 0 || id > _currentSnapshotId) revert SnapshotNotFound(id);
        uint256 i = Arrays.lowerBound(s.ids, id);
        return i == s.ids.length ? current : s.values[i];
    }

    function _record(Snapshots storage s, uint256 current) private {
        uint256 id = _currentSnapshotId;
        uint256 n = s.ids.length;
        if (n == 0 || s.ids[n - 1] < id) {
            s.ids.push(id);
            s.values.push(current);
        }
    }

    /// Every balance change: snapshot bookkeeping before, the compliance's state hooks after.
    function _update(address from, address to, uint256 amount) internal override {
        if (_currentSnapshotId != 0) {
            if (from == address(0) || to == address(0)) _record(_totalSupplySnapshots, totalSupply());
            if (from != address(0)) _record(_accountSnapshots[from], balanceOf(from));
            if (to != address(0)) _record(_accountSnapshots[to], balanceOf(to));
        }
        super._update(from, to, amount);
        if (from == address(0)) _compliance.created(to, amount);
        else if (to == address(0)) _compliance.destroyed(from, amount);
        else _compliance.transferred(from, to, amount);
    }
}
