// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// Wallet -> investor identity registry (ERC-3643 identity registry, simplified: an identity is an
/// id owned by the registry, not an ONCHAINID contract). One identity may hold several wallets.
interface IIdentityRegistry {
    event IdentityRegistered(address indexed wallet, uint256 indexed identityId, uint16 country);
    event IdentityRemoved(address indexed wallet, uint256 indexed identityId);
    event CountryUpdated(address indexed wallet, uint16 country);

    /// True when the wallet has an identity holding a valid (unexpired, unrevoked) claim for every
    /// required claim topic, each issued by a trusted issuer for that topic.
    function isVerified(address wallet) external view returns (bool);
    /// The identity id of a wallet (0 = none).
    function identityOf(address wallet) external view returns (uint256);
    /// ISO-3166 numeric country code of a wallet's identity (0 = none).
    function investorCountry(address wallet) external view returns (uint16);
    function contains(address wallet) external view returns (bool);
}
