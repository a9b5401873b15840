import { signerRecovery } from "../../primitives/signer-recovery.js";
import { PRECOMPILE_FAILURE, type Precompile } from "./types.js";

const ECRECOVER_GAS = 3000;
const EMPTY = new Uint8Array(0);

/** secp256k1 group order n, big-endian. */
const SECP256K1_N = Uint8Array.from(
  Buffer.from("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", "hex"),
);

/** True when the 32-byte big-endian word at `offset` is in [1, n-1]. */
function isValidScalar(word: Uint8Array, offset: number): boolean {
  let nonZero = false;
  let cmp = 0; // sign of word - n, decided by the first differing byte
  for (let i = 0; i < 32; i++) {
    const b = word[offset + i]!;
    if (b !== 0) nonZero = true;
    if (cmp === 0) {
      const nb = SECP256K1_N[i]!;
      if (b !== nb) cmp = b < nb ? -1 : 1;
    }
  }
  return nonZero && cmp < 0;
}

/** Address 0x01: signer address recovery. Bad signatures succeed with empty output. */
export const ecrecover: Precompile = (input, gasLimit) => {
  if (gasLimit < ECRECOVER_GAS) return PRECOMPILE_FAILURE;
  // Short input is right-padded with zeros; only copy when needed.
  let data = input;
  if (input.length < 128) {
    data = new Uint8Array(128);
    data.set(input);
  }

  // v must be exactly 27 or 28 as a full 32-byte word.
  for (let i = 32; i < 63; i++) if (data[i] !== 0) return { gasUsed: ECRECOVER_GAS, output: EMPTY };
  const v = data[63]!;
  if (v !== 27 && v !== 28) return { gasUsed: ECRECOVER_GAS, output: EMPTY };
  if (!isValidScalar(data, 64) || !isValidScalar(data, 96)) return { gasUsed: ECRECOVER_GAS, output: EMPTY };

  // The address, left-padded to a word.
  const output = new Uint8Array(32);
  if (!signerRecovery.recoverAddress(data.subarray(0, 32), data.subarray(64, 128), v - 27, output.subarray(12))) {
    return { gasUsed: ECRECOVER_GAS, output: EMPTY };
  }
  return { gasUsed: ECRECOVER_GAS, output };
};
