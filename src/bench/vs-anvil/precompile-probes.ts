// The precompile probes of `weft bench evm --vs-anvil`: one loop contract that STATICCALLs a
// precompile with one input until the gas is nearly spent, and one probe per precompile and input.
import { bn254 } from "@noble/curves/bn254.js";
import { encodeAbiParameters, parseAbiParameters } from "viem";
import { bytesToHex, concatBytes, hexToBytes } from "../../primitives/hex.js";
import { pointEvaluationInput } from "./point-evaluation-input.js";
import { compileContract, contractAccount, PROBE_ADDRESS, type Probe } from "./probe.js";

/** Loops STATICCALLs to one precompile with one input while more than `reserve` gas is left. */
export const PRECOMPILE_LOOP_SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract PrecompileLoop {
    function run(address target, bytes calldata input, uint256 reserve) external view returns (uint256 count, bytes32 digest) {
        bytes memory data = input;
        bytes memory out;
        while (gasleft() > reserve) {
            bool ok;
            (ok, out) = target.staticcall(data);
            require(ok, "precompile failed");
            unchecked { ++count; }
        }
        digest = keccak256(out);
    }
}
`;

const word = (value: bigint): string => value.toString(16).padStart(64, "0");
const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, "hex"));

function g1(point: InstanceType<typeof bn254.G1.Point>): string {
  const { x, y } = point.toAffine();
  return word(x) + word(y);
}

function g2(point: InstanceType<typeof bn254.G2.Point>): string {
  const { x, y } = point.toAffine();
  return word(x.c1) + word(x.c0) + word(y.c1) + word(y.c0); // EIP-197: (imaginary, real)
}

const SECP256K1_P = 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2fn;
const SCALAR = 0x2b3c5f1d9e0a77c4b9d1e3f5a7c9eb0d2f4a6c8e0b2d4f6a8c0e2b4d6f8a0c2en;

function precompileProbe(
  name: string,
  description: string,
  address: number,
  input: () => Uint8Array,
  reserve: bigint,
): Probe {
  return {
    name,
    description,
    async prepare(onCompile) {
      const artifact = await compileContract(
        { file: "PrecompileLoop.sol", content: PRECOMPILE_LOOP_SOURCE, contract: "PrecompileLoop" },
        onCompile,
      );
      const selector = artifact.methodIdentifiers["run(address,bytes,uint256)"];
      if (selector === undefined) throw new Error("PrecompileLoop has no run(address,bytes,uint256)");
      const args = encodeAbiParameters(parseAbiParameters("address, bytes, uint256"), [
        `0x${address.toString(16).padStart(40, "0")}`,
        bytesToHex(input()) as `0x${string}`,
        reserve,
      ]);
      return {
        alloc: new Map([[PROBE_ADDRESS, contractAccount(artifact.deployedBytecode)]]),
        calldata: concatBytes(hexToBytes(selector), hexToBytes(args)),
      };
    },
  };
}

export const PRECOMPILE_PROBES: readonly Probe[] = [
  precompileProbe(
    "modexp",
    "modexp 0x05: 3^(p-2) mod p, 256-bit operands (EIP-198 example, 1360 gas)",
    0x05,
    () => hex(word(32n) + word(32n) + word(32n) + word(3n) + word(SECP256K1_P - 2n) + word(SECP256K1_P)),
    100_000n,
  ),
  precompileProbe(
    "modexp-rsa2048",
    "modexp 0x05: 2048-bit base and modulus, exponent 65537 (an RSA verification, 5461 gas)",
    0x05,
    () => {
      const modulus = `${"c7".repeat(255)}35`;
      const base = "5a".repeat(256);
      return hex(`${word(256n)}${word(3n)}${word(256n)}${base}010001${modulus}`);
    },
    100_000n,
  ),
  precompileProbe(
    "bn254-add",
    "bn254 add 0x06: G + 2G (150 gas)",
    0x06,
    () => hex(g1(bn254.G1.Point.BASE) + g1(bn254.G1.Point.BASE.double())),
    100_000n,
  ),
  precompileProbe(
    "bn254-mul",
    "bn254 mul 0x07: a 254-bit scalar times a point (6000 gas)",
    0x07,
    () => hex(g1(bn254.G1.Point.BASE.multiply(7n)) + word(SCALAR)),
    100_000n,
  ),
  precompileProbe(
    "bn254-pairing",
    "bn254 pairing 0x08: e(aP, Q) * e(-P, aQ) == 1, two pairs (113000 gas)",
    0x08,
    () => {
      const a = 0x1234567n;
      const P = bn254.G1.Point.BASE;
      const Q = bn254.G2.Point.BASE;
      return hex(g1(P.multiply(a)) + g2(Q) + g1(P.negate()) + g2(Q.multiply(a)));
    },
    300_000n,
  ),
  precompileProbe(
    "point-evaluation",
    "KZG point evaluation 0x0a: a degree-1 opening on the mainnet setup (50000 gas)",
    0x0a,
    pointEvaluationInput,
    150_000n,
  ),
];
