// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// ERC-3643 modular compliance, as seen by the token it is bound to.
interface ICompliance {
    /// Whether a transfer of `amount` from `from` to `to` passes every module. `from == address(0)`
    /// is a mint and `to == address(0)` a burn.
    function canTransfer(address from, address to, uint256 amount) external view returns (bool);
    /// The first failing module's rule code and reason; (0, "") when every module passes.
    function checkTransfer(address from, address to, uint256 amount)
        external
        view
        returns (uint8 code, string memory reason);
    /// State updates after a transfer / mint / burn (only the bound token may call them).
    function transferred(address from, address to, uint256 amount) external;
    function created(address to, uint256 amount) external;
    function destroyed(address from, uint256 amount) external;
    function bindToken(address token) external;
}
