// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// A compliance module: one rule of an ERC-3643 modular compliance. A module may serve several
/// compliance contracts; it keeps its state per compliance, and only bound compliances may call its
/// hooks or configure it (configuration goes through `ModularCompliance.callModuleFunction`, so the
/// compliance's owner is the one authority).
interface IModule {
    event ComplianceBound(address indexed compliance);
    event ComplianceUnbound(address indexed compliance);

    /// Called by the compliance itself when the module is added / removed.
    function bindCompliance(address compliance) external;
    function unbindCompliance(address compliance) external;
    function isComplianceBound(address compliance) external view returns (bool);

    /// Whether the module allows the move (`from == 0`: a mint; `to == 0`: a burn).
    function moduleCheck(address from, address to, uint256 amount, address compliance) external view returns (bool);
    /// The module's rule code and reason when it refuses; (0, "") when it allows.
    function moduleRuleCheck(address from, address to, uint256 amount, address compliance)
        external
        view
        returns (uint8 code, string memory reason);

    /// State hooks, called by a bound compliance after the token moved.
    function moduleTransferAction(address from, address to, uint256 amount) external;
    function moduleMintAction(address to, uint256 amount) external;
    function moduleBurnAction(address from, uint256 amount) external;

    function name() external pure returns (string memory);
}
