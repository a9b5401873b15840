// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IIdentityRegistry} from "../../interfaces/IIdentityRegistry.sol";
import {IRegulatedToken} from "../../interfaces/IRegulatedToken.sol";
import {IModule} from "../IModule.sol";

/// What a module needs from the compliance that calls it: the token it is bound to.
interface ITokenBoundCompliance {
    function getTokenBound() external view returns (address);
}

/// Binding, the bound-compliance guard and the check/hook plumbing every module shares. Concrete
/// modules implement `moduleRuleCheck` and whichever `_on*` hooks keep their state; their
/// configuration functions are `onlyBoundCompliance` and act on `msg.sender`'s state.
abstract contract AbstractModule is IModule {
    error OnlyComplianceItself(address caller);
    error ComplianceAlreadyBound(address compliance);
    error ComplianceNotBound(address caller);

    mapping(address compliance => bool) private _bound;

    modifier onlyBoundCompliance() {
        if (!_bound[msg.sender]) revert ComplianceNotBound(msg.sender);
        _;
    }

    function bindCompliance(address compliance) external {
        if (msg.sender != compliance) revert OnlyComplianceItself(msg.sender);
        if (_bound[compliance]) revert ComplianceAlreadyBound(compliance);
        _bound[compliance] = true;
        emit ComplianceBound(compliance);
    }

    function unbindCompliance(address compliance) external {
        if (msg.sender != compliance) revert OnlyComplianceItself(msg.sender);
        if (!_bound[compliance]) revert ComplianceNotBound(compliance);
        _bound[compliance] = false;
        emit ComplianceUnbound(compliance);
    }

    function isComplianceBound(address compliance) external view returns (bool) {
        return _bound[compliance];
    }

    function moduleCheck(address from, address to, uint256 amount, address compliance) external view returns (bool) {
        (uint8 code,) = moduleRuleCheck(from, to, amount, compliance);
        return code == 0;
    }

    function moduleRuleCheck(address from, address to, uint256 amount, address compliance)
        public
        view
        virtual
        returns (uint8 code, string memory reason);

    function moduleTransferAction(address from, address to, uint256 amount) external onlyBoundCompliance {
        _onTransfer(msg.sender, from, to, amount);
    }

    function moduleMintAction(address to, uint256 amount) external onlyBoundCompliance {
        _onMint(msg.sender, to, amount);
    }

    function moduleBurnAction(address from, uint256 amount) external onlyBoundCompliance {
        _onBurn(msg.sender, from, amount);
    }

    function _onTransfer(address compliance, address from, address to, uint256 amount) internal virtual {}

    function _onMint(address compliance, address to, uint256 amount) internal virtual {}

    function _onBurn(address compliance, address from, uint256 amount) internal virtual {}

    function _token(address compliance) internal view returns (IRegulatedToken) {
        return IRegulatedToken(ITokenBoundCompliance(compliance).getTokenBound());
    }

    function _registry(address compliance) internal view returns (IIdentityRegistry) {
        return _token(compliance).identityRegistry();
    }
}
