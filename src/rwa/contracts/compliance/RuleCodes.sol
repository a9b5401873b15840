// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// The rule codes `checkTransfer` returns (and `TransferRejected` carries): 0 passes, 1-15 are the
/// token's own rules in the order it checks them, 16 and up are compliance modules' rules. The SDK
/// mirrors this list (src/rwa/sdk/rules.ts).
library RuleCodes {
    uint8 internal constant OK = 0;
    uint8 internal constant PAUSED = 1;
    uint8 internal constant SENDER_FROZEN = 2;
    uint8 internal constant RECEIVER_FROZEN = 3;
    uint8 internal constant INSUFFICIENT_FREE_BALANCE = 4;
    uint8 internal constant SENDER_NOT_VERIFIED = 5;
    uint8 internal constant RECEIVER_NOT_VERIFIED = 6;

    uint8 internal constant COUNTRY_NOT_ALLOWED = 16;
    uint8 internal constant COUNTRY_RESTRICTED = 17;
    uint8 internal constant MAX_BALANCE_EXCEEDED = 18;
    uint8 internal constant MAX_INVESTORS_EXCEEDED = 19;
    uint8 internal constant MAX_INVESTORS_IN_COUNTRY_EXCEEDED = 20;
    uint8 internal constant SUPPLY_LIMIT_EXCEEDED = 21;
    uint8 internal constant TOKENS_LOCKED = 22;
    uint8 internal constant TRANSFER_LIMIT_EXCEEDED = 23;
}
