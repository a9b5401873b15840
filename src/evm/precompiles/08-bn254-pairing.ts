import { bn254 } from "@noble/curves/bn254.js";
import { type G1Point, type G2Point, readG1, readG2 } from "./bn254-codec.js";
import { PRECOMPILE_FAILURE, type Precompile } from "./types.js";

const PAIRING_BASE_GAS = 45000;
const PAIRING_PER_PAIR_GAS = 34000;
const PAIR_SIZE = 192;
const Fp12 = bn254.fields.Fp12;

/** Address 0x08: bn254 pairing check (EIP-197, gas per EIP-1108). Outputs 1 when the product of pairings is 1. */
export const bn254Pairing: Precompile = (input, gasLimit) => {
  const pairCount = Math.floor(input.length / PAIR_SIZE);
  const gasUsed = PAIRING_BASE_GAS + PAIRING_PER_PAIR_GAS * pairCount;
  if (gasUsed > gasLimit) return PRECOMPILE_FAILURE;
  if (input.length % PAIR_SIZE !== 0) return PRECOMPILE_FAILURE;

  const pairs: { g1: G1Point; g2: G2Point }[] = [];
  for (let offset = 0; offset < input.length; offset += PAIR_SIZE) {
    const g1 = readG1(input, offset);
    if (g1 === undefined) return PRECOMPILE_FAILURE;
    const g2 = readG2(input, offset + 64);
    if (g2 === undefined) return PRECOMPILE_FAILURE;
    // A pair with infinity contributes the identity; noble rejects it, so leave it out.
    if (!g1.is0() && !g2.is0()) pairs.push({ g1, g2 });
  }
  const output = new Uint8Array(32);
  if (pairs.length === 0 || Fp12.eql(bn254.pairingBatch(pairs), Fp12.ONE)) output[31] = 1;
  return { gasUsed, output };
};
