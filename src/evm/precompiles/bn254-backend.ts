// The curve arithmetic behind the bn254 precompiles 0x06-0x08 (EIP-196/197). The precompiles own gas and
// input shape; a backend decodes, validates and computes. Three exist: noble (pure JS, the reference),
// arkworks (native, what PRECOMPILES runs where npm built its addon) and mcl (WebAssembly, the fallback
// elsewhere); the tests hold them to the same answers.

export const G1_SIZE = 64;
export const SCALAR_SIZE = 32;
export const PAIR_SIZE = 192;

export interface Bn254Backend {
  /** The encoded sum of the G1 points at bytes 0 and 64 (`input` is 128 bytes); undefined when a point is invalid. */
  add(input: Uint8Array): Uint8Array | undefined;
  /** The encoded product of the G1 point at byte 0 and the scalar at 64 (`input` is 96 bytes); undefined when invalid. */
  mul(input: Uint8Array): Uint8Array | undefined;
  /**
   * Whether the product of the pairings of the (G1, G2) pairs is 1 (`input` is a whole number of
   * 192-byte pairs, possibly none); undefined when any point is invalid, including a G2 point outside the subgroup.
   */
  pairingCheck(input: Uint8Array): boolean | undefined;
}

/** `input` right-padded with zeros to `length` bytes (EIP-196 reads missing bytes as zeros); a view when long enough. */
export function padTo(input: Uint8Array, length: number): Uint8Array {
  if (input.length >= length) return input.subarray(0, length);
  const padded = new Uint8Array(length);
  padded.set(input);
  return padded;
}
