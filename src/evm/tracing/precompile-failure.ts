// Why a precompile failed, for a trace: Evm knows only that it did. Every precompile checks its gas
// before it does any work, and only some can reject their input, so the gas each would have charged
// tells the two apart without running anything again.
import { ERR_OUT_OF_GAS, ERR_PRECOMPILE } from "./messages.js";

/** geth's message for a failed call to precompile `address` with `input` and `gas`. */
export function precompileFailure(address: number, input: Uint8Array, gas: number): string {
  switch (address) {
    case 0x06: // bn254 add: 150 gas, then the points must be on the curve
      return gas < 150 ? ERR_OUT_OF_GAS : ERR_PRECOMPILE;
    case 0x07: // bn254 mul
      return gas < 6000 ? ERR_OUT_OF_GAS : ERR_PRECOMPILE;
    case 0x08: // bn254 pairing: 45000 + 34000 per 192-byte pair, then whole pairs of valid points
      return gas < 45_000 + 34_000 * Math.floor(input.length / 192) ? ERR_OUT_OF_GAS : ERR_PRECOMPILE;
    case 0x09: {
      // blake2f: 213 bytes, one gas per round (the first four bytes), then a final flag of 0 or 1
      if (input.length !== 213) return ERR_PRECOMPILE;
      const rounds = ((input[0]! << 24) | (input[1]! << 16) | (input[2]! << 8) | input[3]!) >>> 0;
      return gas < rounds ? ERR_OUT_OF_GAS : ERR_PRECOMPILE;
    }
    case 0x0a: // point evaluation: 192 bytes, 50000 gas, then a valid proof
      if (input.length !== 192) return ERR_PRECOMPILE;
      return gas < 50_000 ? ERR_OUT_OF_GAS : ERR_PRECOMPILE;
    default:
      // ecrecover, sha256, ripemd160, identity and modexp take any input: only gas can fail them.
      return ERR_OUT_OF_GAS;
  }
}
