// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IIdentityRegistry} from "../interfaces/IIdentityRegistry.sol";

/// ERC-3643 identity registry with its claim topics registry and trusted issuers registry folded in.
/// An identity is a number owned by this registry (not an ONCHAINID contract); it has a country and
/// any number of wallets, and holds claims (topic, issuer, expiry, revocable) written by the issuers
/// trusted for that topic. The admin keeps the required topics and the trusted issuers; agents
/// register and remove identities and wallets.
contract IdentityRegistry is IIdentityRegistry, AccessControl {
    bytes32 public constant AGENT_ROLE = keccak256("AGENT_ROLE");

    /// Bounds that keep `isVerified` (called on every transfer) affordable.
    uint256 public constant MAX_CLAIM_TOPICS = 15;
    uint256 public constant MAX_TRUSTED_ISSUERS = 50;

    struct Claim {
        uint64 issuedAt; // 0 = no claim
        uint64 expiresAt; // 0 = never expires
        bool revocable;
        bool revoked;
        bytes32 data; // e.g. the hash of the off-chain evidence
    }

    /// Why a wallet is or is not verified (`verificationStatus`).
    enum Verification {
        Verified,
        NoIdentity,
        MissingClaim
    }

    event IdentityCreated(uint256 indexed identityId, uint16 country);
    event IdentityDeleted(uint256 indexed identityId);
    event ClaimTopicAdded(uint256 indexed topic);
    event ClaimTopicRemoved(uint256 indexed topic);
    event TrustedIssuerAdded(address indexed issuer, uint256[] topics);
    event TrustedIssuerRemoved(address indexed issuer);
    event ClaimTopicsUpdated(address indexed issuer, uint256[] topics);
    event ClaimAdded(
        uint256 indexed identityId,
        uint256 indexed topic,
        address indexed issuer,
        uint64 expiresAt,
        bool revocable,
        bytes32 data
    );
    event ClaimRevoked(uint256 indexed identityId, uint256 indexed topic, address indexed issuer);
    event ClaimRemoved(uint256 indexed identityId, uint256 indexed topic, address indexed issuer);

    error WalletAlreadyRegistered(address wallet, uint256 identityId);
    error WalletNotRegistered(address wallet);
    error IdentityNotFound(uint256 identityId);
    error ZeroAddress();
    error ClaimTopicAlreadyRequired(uint256 topic);
    error ClaimTopicNotRequired(uint256 topic);
    error TooManyClaimTopics(uint256 max);
    error IssuerAlreadyTrusted(address issuer);
    error IssuerNotTrusted(address issuer);
    error IssuerNotTrustedForTopic(address issuer, uint256 topic);
    error TooManyTrustedIssuers(uint256 max);
    error NoClaimTopics();
    error ClaimNotFound(uint256 identityId, uint256 topic, address issuer);
    error ClaimNotRevocable(uint256 identityId, uint256 topic, address issuer);
    error ClaimAlreadyRevoked(uint256 identityId, uint256 topic, address issuer);
    error ArrayLengthMismatch();

    uint256 public identityCount;
    mapping(uint256 identityId => bool) private _exists;
    mapping(uint256 identityId => uint16) private _country;
    mapping(uint256 identityId => address[]) private _wallets;
    mapping(address wallet => uint256) private _identityOf;
    mapping(address wallet => uint256) private _walletIndex; // position in _wallets[id]

    uint256[] private _claimTopics;
    address[] private _issuers;
    mapping(address issuer => uint256[]) private _issuerTopics;
    mapping(uint256 topic => address[]) private _topicIssuers;

    mapping(uint256 identityId => mapping(uint256 topic => mapping(address issuer => Claim))) private _claims;

    constructor(address admin) {
        if (admin == address(0)) revert ZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    // ---- identities and wallets (agents) ----

    /// Creates an identity holding `wallet`; returns its id (ids start at 1).
    function registerIdentity(address wallet, uint16 country) public onlyRole(AGENT_ROLE) returns (uint256 id) {
        id = ++identityCount;
        _exists[id] = true;
        _country[id] = country;
        emit IdentityCreated(id, country);
        _addWallet(id, wallet);
    }

    function batchRegisterIdentity(address[] calldata wallets, uint16[] calldata countries)
        external
        returns (uint256[] memory ids)
    {
        if (wallets.length != countries.length) revert ArrayLengthMismatch();
        ids = new uint256[](wallets.length);
        for (uint256 i = 0; i < wallets.length; i++) {
            ids[i] = registerIdentity(wallets[i], countries[i]);
        }
    }

    /// Adds another wallet to an existing identity (e.g. a second account, or a recovery wallet).
    function addWallet(uint256 identityId, address wallet) external onlyRole(AGENT_ROLE) {
        if (!_exists[identityId]) revert IdentityNotFound(identityId);
        _addWallet(identityId, wallet);
    }

    function removeWallet(address wallet) external onlyRole(AGENT_ROLE) {
        uint256 id = _identityOf[wallet];
        if (id == 0) revert WalletNotRegistered(wallet);
        _removeWallet(id, wallet);
    }

    /// Removes every wallet of an identity and the identity itself (its claims stop counting).
    function deleteIdentity(uint256 identityId) external onlyRole(AGENT_ROLE) {
        if (!_exists[identityId]) revert IdentityNotFound(identityId);
        address[] storage wallets = _wallets[identityId];
        while (wallets.length > 0) {
            _removeWallet(identityId, wallets[wallets.length - 1]);
        }
        _exists[identityId] = false;
        emit IdentityDeleted(identityId);
    }

    function updateCountry(uint256 identityId, uint16 country) external onlyRole(AGENT_ROLE) {
        if (!_exists[identityId]) revert IdentityNotFound(identityId);
        _country[identityId] = country;
        address[] storage wallets = _wallets[identityId];
        for (uint256 i = 0; i < wallets.length; i++) {
            emit CountryUpdated(wallets[i], country);
        }
    }

    function _addWallet(uint256 id, address wallet) private {
        if (wallet == address(0)) revert ZeroAddress();
        uint256 current = _identityOf[wallet];
        if (current != 0) revert WalletAlreadyRegistered(wallet, current);
        _identityOf[wallet] = id;
        _walletIndex[wallet] = _wallets[id].length;
        _wallets[id].push(wallet);
        emit IdentityRegistered(wallet, id, _country[id]);
    }

    function _removeWallet(uint256 id, address wallet) private {
        address[] storage wallets = _wallets[id];
        uint256 index = _walletIndex[wallet];
        address last = wallets[wallets.length - 1];
        wallets[index] = last;
        _walletIndex[last] = index;
        wallets.pop();
        delete _walletIndex[wallet];
        delete _identityOf[wallet];
        emit IdentityRemoved(wallet, id);
    }

    // ---- required claim topics (admin) ----

    function addClaimTopic(uint256 topic) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (_claimTopics.length >= MAX_CLAIM_TOPICS) revert TooManyClaimTopics(MAX_CLAIM_TOPICS);
        if (_indexOf(_claimTopics, topic) != type(uint256).max) revert ClaimTopicAlreadyRequired(topic);
        _claimTopics.push(topic);
        emit ClaimTopicAdded(topic);
    }

    function removeClaimTopic(uint256 topic) external onlyRole(DEFAULT_ADMIN_ROLE) {
        uint256 i = _indexOf(_claimTopics, topic);
        if (i == type(uint256).max) revert ClaimTopicNotRequired(topic);
        _claimTopics[i] = _claimTopics[_claimTopics.length - 1];
        _claimTopics.pop();
        emit ClaimTopicRemoved(topic);
    }

    function getClaimTopics() external view returns (uint256[] memory) {
        return _claimTopics;
    }

    // ---- trusted issuers (admin) ----

    function addTrustedIssuer(address issuer, uint256[] calldata topics) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (issuer == address(0)) revert ZeroAddress();
        if (_issuerTopics[issuer].length != 0) revert IssuerAlreadyTrusted(issuer);
        if (_issuers.length >= MAX_TRUSTED_ISSUERS) revert TooManyTrustedIssuers(MAX_TRUSTED_ISSUERS);
        _setIssuerTopics(issuer, topics);
        _issuers.push(issuer);
        emit TrustedIssuerAdded(issuer, topics);
    }

    function removeTrustedIssuer(address issuer) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (_issuerTopics[issuer].length == 0) revert IssuerNotTrusted(issuer);
        _clearIssuerTopics(issuer);
        uint256 i = _indexOfAddress(_issuers, issuer);
        _issuers[i] = _issuers[_issuers.length - 1];
        _issuers.pop();
        emit TrustedIssuerRemoved(issuer);
    }

    function updateIssuerClaimTopics(address issuer, uint256[] calldata topics)
        external
        onlyRole(DEFAULT_ADMIN_ROLE)
    {
        if (_issuerTopics[issuer].length == 0) revert IssuerNotTrusted(issuer);
        _clearIssuerTopics(issuer);
        _setIssuerTopics(issuer, topics);
        emit ClaimTopicsUpdated(issuer, topics);
    }

    function _setIssuerTopics(address issuer, uint256[] calldata topics) private {
        if (topics.length == 0) revert NoClaimTopics();
        if (topics.length > MAX_CLAIM_TOPICS) revert TooManyClaimTopics(MAX_CLAIM_TOPICS);
        for (uint256 i = 0; i < topics.length; i++) {
            if (_indexOfAddress(_topicIssuers[topics[i]], issuer) != type(uint256).max) continue;
            _issuerTopics[issuer].push(topics[i]);
            _topicIssuers[topics[i]].push(issuer);
        }
    }

    function _clearIssuerTopics(address issuer) private {
        uint256[] storage topics = _issuerTopics[issuer];
        for (uint256 t = 0; t < topics.length; t++) {
            address[] storage issuers = _topicIssuers[topics[t]];
            uint256 i = _indexOfAddress(issuers, issuer);
            issuers[i] = issuers[issuers.length - 1];
            issuers.pop();
        }
        delete _issuerTopics[issuer];
    }

    function isTrustedIssuer(address issuer) external view returns (bool) {
        return _issuerTopics[issuer].length != 0;
    }

    function hasClaimTopic(address issuer, uint256 topic) public view returns (bool) {
        return _indexOfAddress(_topicIssuers[topic], issuer) != type(uint256).max;
    }

    function getTrustedIssuers() external view returns (address[] memory) {
        return _issuers;
    }

    function getTrustedIssuerClaimTopics(address issuer) external view returns (uint256[] memory) {
        return _issuerTopics[issuer];
    }

    function getTrustedIssuersForClaimTopic(uint256 topic) external view returns (address[] memory) {
        return _topicIssuers[topic];
    }

    // ---- claims ----

    /// Written by an issuer trusted for `topic`; replaces that issuer's earlier claim on the topic.
    function addClaim(uint256 identityId, uint256 topic, uint64 expiresAt, bool revocable, bytes32 data) external {
        if (!hasClaimTopic(msg.sender, topic)) revert IssuerNotTrustedForTopic(msg.sender, topic);
        if (!_exists[identityId]) revert IdentityNotFound(identityId);
        _claims[identityId][topic][msg.sender] = Claim(uint64(block.timestamp), expiresAt, revocable, false, data);
        emit ClaimAdded(identityId, topic, msg.sender, expiresAt, revocable, data);
    }

    /// The issuer withdraws its own (revocable) claim; it stays on record as revoked.
    function revokeClaim(uint256 identityId, uint256 topic) external {
        Claim storage c = _claims[identityId][topic][msg.sender];
        if (c.issuedAt == 0) revert ClaimNotFound(identityId, topic, msg.sender);
        if (!c.revocable) revert ClaimNotRevocable(identityId, topic, msg.sender);
        if (c.revoked) revert ClaimAlreadyRevoked(identityId, topic, msg.sender);
        c.revoked = true;
        emit ClaimRevoked(identityId, topic, msg.sender);
    }

    /// An agent deletes a claim from an identity (whatever its issuer).
    function removeClaim(uint256 identityId, uint256 topic, address issuer) external onlyRole(AGENT_ROLE) {
        if (_claims[identityId][topic][issuer].issuedAt == 0) revert ClaimNotFound(identityId, topic, issuer);
        delete _claims[identityId][topic][issuer];
        emit ClaimRemoved(identityId, topic, issuer);
    }

    function getClaim(uint256 identityId, uint256 topic, address issuer) external view returns (Claim memory) {
        return _claims[identityId][topic][issuer];
    }

    // ---- views ----

    function isVerified(address wallet) external view returns (bool) {
        (Verification status,) = verificationStatus(wallet);
        return status == Verification.Verified;
    }

    /// Verified, or why not: no identity, or the first required topic without a valid claim.
    function verificationStatus(address wallet) public view returns (Verification status, uint256 missingTopic) {
        uint256 id = _identityOf[wallet];
        if (id == 0) return (Verification.NoIdentity, 0);
        for (uint256 t = 0; t < _claimTopics.length; t++) {
            if (!_hasValidClaim(id, _claimTopics[t])) return (Verification.MissingClaim, _claimTopics[t]);
        }
        return (Verification.Verified, 0);
    }

    /// Whether some issuer trusted for `topic` now holds an unexpired, unrevoked claim on it.
    function _hasValidClaim(uint256 id, uint256 topic) private view returns (bool) {
        address[] storage issuers = _topicIssuers[topic];
        for (uint256 i = 0; i < issuers.length; i++) {
            Claim storage c = _claims[id][topic][issuers[i]];
            if (c.issuedAt != 0 && !c.revoked && (c.expiresAt == 0 || c.expiresAt > block.timestamp)) return true;
        }
        return false;
    }

    function identityOf(address wallet) external view returns (uint256) {
        return _identityOf[wallet];
    }

    function investorCountry(address wallet) external view returns (uint16) {
        return _country[_identityOf[wallet]];
    }

    function contains(address wallet) external view returns (bool) {
        return _identityOf[wallet] != 0;
    }

    function identityExists(uint256 identityId) external view returns (bool) {
        return _exists[identityId];
    }

    function identityCountry(uint256 identityId) external view returns (uint16) {
        return _country[identityId];
    }

    function walletsOf(uint256 identityId) external view returns (address[] memory) {
        return _wallets[identityId];
    }

    function _indexOf(uint256[] storage list, uint256 value) private view returns (uint256) {
        for (uint256 i = 0; i < list.length; i++) {
            if (list[i] == value) return i;
        }
        return type(uint256).max;
    }

    function _indexOfAddress(address[] storage list, address value) private view returns (uint256) {
        for (uint256 i = 0; i < list.length; i++) {
            if (list[i] == value) return i;
        }
        return type(uint256).max;
    }
}
