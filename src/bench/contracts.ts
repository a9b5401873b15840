// Solidity sources of the benchmark contracts. The token is OpenZeppelin's ERC20 (the contract real
// chains run most); the two loops isolate the interpreter's hashing and 256-bit arithmetic.

/** File name -> Solidity source, as the compiler's standard JSON input wants it. */
export const BENCH_SOURCES: Record<string, string> = {
  "BenchToken.sol": `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

contract BenchToken is ERC20 {
    constructor(uint256 supply) ERC20("Bench Token", "BENCH") {
        _mint(msg.sender, supply);
    }
}
`,
  "KeccakLoop.sol": `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract KeccakLoop {
    /// Hashes a running value n times: KECCAK256 over 64 bytes of memory per round.
    function run(uint256 n) external returns (bytes32 h) {
        h = bytes32(n);
        unchecked {
            for (uint256 i = 0; i < n; ++i) {
                h = keccak256(abi.encodePacked(h, i));
            }
        }
    }
}
`,
  "BigNumLoop.sol": `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract BigNumLoop {
    // The secp256k1 field prime: full 256-bit operands.
    uint256 constant P = 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f;

    /// n rounds of MULMOD, ADDMOD, EXP and DIV on full-width words (unchecked: the opcodes themselves).
    function run(uint256 n) external returns (uint256 a) {
        a = 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296 ^ n;
        uint256 b = 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5;
        unchecked {
            for (uint256 i = 0; i < n; ++i) {
                a = mulmod(a, b, P);
                b = addmod(a, b, P);
                uint256 c = a ** ((i & 15) | 17);
                a ^= c / (b | 1);
            }
        }
    }
}
`,
};

/** Contract name by source file, for picking artifacts out of the compiler's output. */
export const BENCH_CONTRACTS = {
  token: { file: "BenchToken.sol", name: "BenchToken" },
  keccakLoop: { file: "KeccakLoop.sol", name: "KeccakLoop" },
  bigNumLoop: { file: "BigNumLoop.sol", name: "BigNumLoop" },
} as const;

export type BenchContractId = keyof typeof BENCH_CONTRACTS;
