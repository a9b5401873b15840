// The loop contracts of the interpreter probes of `weft bench evm --vs-anvil`, one Solidity file.
// Each run(...) repeats one body while more than `reserve` gas is left (enough for one more
// iteration, so the last one never runs out) and returns (uint256 count, bytes32 digest). Loop state
// is on the stack or in scratch memory: no memory grows per iteration, so the gas goes to the body.
import type { Artifact } from "../compile.js";
import { compileContract } from "./probe.js";

export const LOOP_CONTRACTS_SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// The callee of CallLoop; a state-changing function to its callers, so they CALL (not STATICCALL) it.
interface IIncrementer {
    function inc(uint256 v) external returns (uint256);
}

contract Incrementer {
    function inc(uint256 v) external pure returns (uint256) {
        return v + 1;
    }
}

contract CallLoop {
    function run(IIncrementer target, uint256 reserve) external returns (uint256 count, bytes32 digest) {
        uint256 v;
        while (gasleft() > reserve) {
            v = target.inc(v);
            unchecked { ++count; }
        }
        digest = keccak256(abi.encode(v));
    }
}

contract ArithLoop {
    // The secp256k1 field prime: full 256-bit operands.
    uint256 constant P = 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f;

    /// MULMOD, a rotation (two shifts), MUL and ADD on full-width words per iteration.
    function run(uint256 seed, uint256 reserve) external view returns (uint256 count, bytes32 digest) {
        uint256 a = seed;
        uint256 b = 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5;
        while (gasleft() > reserve) {
            unchecked {
                a = mulmod(a, b, P);
                b = ((b << 7) | (b >> 249)) * a + count;
                ++count;
            }
        }
        digest = keccak256(abi.encode(a, b));
    }
}

contract KeccakLoop {
    /// KECCAK256 over 64 bytes of scratch memory (the running hash and the counter) per iteration.
    function run(bytes32 seed, uint256 reserve) external view returns (uint256 count, bytes32 digest) {
        digest = seed;
        while (gasleft() > reserve) {
            assembly {
                mstore(0x00, digest)
                mstore(0x20, count)
                digest := keccak256(0x00, 0x40)
            }
            unchecked { ++count; }
        }
    }
}

contract StorageLoop {
    mapping(uint256 => uint256) private slots;

    /// SSTORE to a fresh mapping slot, then SLOAD of it, per iteration.
    function run(uint256 reserve) external returns (uint256 count, bytes32 digest) {
        uint256 sum;
        while (gasleft() > reserve) {
            slots[count] = count ^ 0x5555;
            unchecked {
                sum += slots[count];
                ++count;
            }
        }
        digest = keccak256(abi.encode(sum));
    }
}

contract Erc20TransferLoop {
    /// token.transfer(firstRecipient + i, 1) per iteration: a fresh recipient each.
    function run(IERC20 token, uint160 firstRecipient, uint256 reserve) external returns (uint256 count, bytes32 digest) {
        while (gasleft() > reserve) {
            require(token.transfer(address(firstRecipient + uint160(count)), 1), "transfer failed");
            unchecked { ++count; }
        }
        digest = keccak256(abi.encode(token.balanceOf(address(this)), token.balanceOf(address(firstRecipient))));
    }
}

contract RwaTransferLoop {
    /// token.transfer(firstReceiver + i mod receivers, 1) per iteration: receivers are verified investors.
    function run(IERC20 token, uint160 firstReceiver, uint256 receivers, uint256 reserve)
        external
        returns (uint256 count, bytes32 digest)
    {
        while (gasleft() > reserve) {
            require(token.transfer(address(firstReceiver + uint160(count % receivers)), 1), "transfer failed");
            unchecked { ++count; }
        }
        digest = keccak256(abi.encode(token.balanceOf(address(this)), token.balanceOf(address(firstReceiver))));
    }
}

interface IBenchSwapRouter {
    function swapExactIn(address pair, address tokenIn, uint256 amountIn, address to) external returns (uint256 amountOut);
}

contract UniswapSwapLoop {
    /// router.swapExactIn(pair, tokenIn, amountIn, this) per iteration (the router approved once, first).
    function run(IBenchSwapRouter router, address pair, IERC20 tokenIn, uint256 amountIn, uint256 reserve)
        external
        returns (uint256 count, bytes32 digest)
    {
        require(tokenIn.approve(address(router), type(uint256).max), "approve failed");
        uint256 totalOut;
        while (gasleft() > reserve) {
            totalOut += router.swapExactIn(pair, address(tokenIn), amountIn, address(this));
            unchecked { ++count; }
        }
        digest = keccak256(abi.encode(totalOut));
    }
}
`;

export type LoopContract =
  | "Incrementer"
  | "CallLoop"
  | "ArithLoop"
  | "KeccakLoop"
  | "StorageLoop"
  | "Erc20TransferLoop"
  | "RwaTransferLoop"
  | "UniswapSwapLoop";

export function loopContract(contract: LoopContract, onCompile?: () => void): Promise<Artifact> {
  return compileContract({ file: "ProbeLoops.sol", content: LOOP_CONTRACTS_SOURCE, contract }, onCompile);
}
