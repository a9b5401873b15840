// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ICompliance} from "../interfaces/ICompliance.sol";
import {IModule} from "./IModule.sol";

/// ERC-3643 modular compliance: a transfer is compliant when every bound module allows it. The owner
/// adds and removes modules and configures them (`callModuleFunction`); the bound token reports every
/// transfer, mint and burn so stateful modules can keep count.
contract ModularCompliance is ICompliance, Ownable {
    /// Bounds the per-transfer cost of checking every module.
    uint256 public constant MAX_MODULES = 25;

    event TokenBound(address indexed token);
    event TokenUnbound(address indexed token);
    event ModuleAdded(address indexed module);
    event ModuleRemoved(address indexed module);
    event ModuleInteraction(address indexed module, bytes4 selector);

    error OnlyBoundToken(address caller);
    error NotAuthorizedToBind(address caller);
    error TokenNotBound(address token);
    error ZeroAddress();
    error ModuleAlreadyBound(address module);
    error ModuleNotBound(address module);
    error TooManyModules(uint256 max);

    address private _token;
    address[] private _modules;
    mapping(address module => bool) private _moduleBound;

    constructor(address owner_) Ownable(owner_) {}

    modifier onlyToken() {
        if (msg.sender != _token || _token == address(0)) revert OnlyBoundToken(msg.sender);
        _;
    }

    // ---- token binding ----

    /// The owner binds a token, or a token binds itself while none is bound.
    function bindToken(address token) external {
        if (msg.sender != owner() && !(_token == address(0) && msg.sender == token)) {
            revert NotAuthorizedToBind(msg.sender);
        }
        if (token == address(0)) revert ZeroAddress();
        _token = token;
        emit TokenBound(token);
    }

    function unbindToken(address token) external {
        if (msg.sender != owner() && msg.sender != _token) revert NotAuthorizedToBind(msg.sender);
        if (token != _token || token == address(0)) revert TokenNotBound(token);
        delete _token;
        emit TokenUnbound(token);
    }

    function getTokenBound() external view returns (address) {
        return _token;
    }

    // ---- modules ----

    function addModule(address module) external onlyOwner {
        if (module == address(0)) revert ZeroAddress();
        if (_moduleBound[module]) revert ModuleAlreadyBound(module);
        if (_modules.length >= MAX_MODULES) revert TooManyModules(MAX_MODULES);
        IModule(module).bindCompliance(address(this));
        _modules.push(module);
        _moduleBound[module] = true;
        emit ModuleAdded(module);
    }

    function removeModule(address module) external onlyOwner {
        if (!_moduleBound[module]) revert ModuleNotBound(module);
        IModule(module).unbindCompliance(address(this));
        for (uint256 i = 0; i < _modules.length; i++) {
            if (_modules[i] == module) {
                _modules[i] = _modules[_modules.length - 1];
                _modules.pop();
                break;
            }
        }
        _moduleBound[module] = false;
        emit ModuleRemoved(module);
    }

    function getModules() external view returns (address[] memory) {
        return _modules;
    }

    function isModuleBound(address module) external view returns (bool) {
        return _moduleBound[module];
    }

    /// Calls a bound module as this compliance (how modules are configured); bubbles its revert.
    function callModuleFunction(bytes calldata callData, address module) external onlyOwner {
        if (!_moduleBound[module]) revert ModuleNotBound(module);
        (bool ok, bytes memory result) = module.call(callData);
        if (!ok) {
            assembly {
                revert(add(result, 32), mload(result))
            }
        }
        emit ModuleInteraction(module, bytes4(callData[:4]));
    }

    // ---- checks ----

    function canTransfer(address from, address to, uint256 amount) external view returns (bool) {
        for (uint256 i = 0; i < _modules.length; i++) {
            if (!IModule(_modules[i]).moduleCheck(from, to, amount, address(this))) return false;
        }
        return true;
    }

    function checkTransfer(address from, address to, uint256 amount)
        external
        view
        returns (uint8 code, string memory reason)
    {
        for (uint256 i = 0; i < _modules.length; i++) {
            (code, reason) = IModule(_modules[i]).moduleRuleCheck(from, to, amount, address(this));
            if (code != 0) return (code, reason);
        }
        return (0, "");
    }

    // ---- state hooks (bound token only) ----

    function transferred(address from, address to, uint256 amount) external onlyToken {
        for (uint256 i = 0; i < _modules.length; i++) {
            IModule(_modules[i]).moduleTransferAction(from, to, amount);
        }
    }

    function created(address to, uint256 amount) external onlyToken {
        for (uint256 i = 0; i < _modules.length; i++) {
            IModule(_modules[i]).moduleMintAction(to, amount);
        }
    }

    function destroyed(address from, uint256 amount) external onlyToken {
        for (uint256 i = 0; i < _modules.length; i++) {
            IModule(_modules[i]).moduleBurnAction(from, amount);
        }
    }
}
