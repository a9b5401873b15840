import { PRECOMPILE_FAILURE, type Precompile } from "./types.js";

const MODEXP_MIN_GAS = 200n;
const MODEXP_QUAD_DIVISOR = 3n;
const EMPTY = new Uint8Array(0);

/** Big-endian integer of `length` bytes at `offset`, reading zeros past the end of `input`. */
function readUint(input: Uint8Array, offset: bigint, length: number): bigint {
  let value = 0n;
  if (length === 0) return value;
  const start = Number(offset < BigInt(input.length) ? offset : BigInt(input.length));
  const end = Math.min(input.length, start + length);
  // Hex is the fastest way to turn many bytes into a bigint.
  if (end > start)
    value = BigInt(`0x${Buffer.from(input.buffer, input.byteOffset + start, end - start).toString("hex")}`);
  // Bytes missing past the end are zeros on the right: shift the value up.
  const missing = length - (end - start);
  return missing > 0 && value !== 0n ? value << BigInt(8 * missing) : value;
}

function bitLength(value: bigint): bigint {
  return value === 0n ? 0n : BigInt(value.toString(2).length);
}

/**
 * EIP-2565 gas. Lengths come straight from the input (up to 2^256 - 1), so everything stays bigint
 * and nothing is allocated in proportion to them.
 */
export function modexpGas(
  baseLength: bigint,
  exponentLength: bigint,
  modulusLength: bigint,
  exponentHead: bigint,
): bigint {
  const maxLength = baseLength > modulusLength ? baseLength : modulusLength;
  const words = (maxLength + 7n) / 8n;
  const complexity = words * words;

  const headBits = bitLength(exponentHead);
  const headIterations = headBits > 0n ? headBits - 1n : 0n;
  let iterations = exponentLength <= 32n ? headIterations : 8n * (exponentLength - 32n) + headIterations;
  if (iterations < 1n) iterations = 1n;

  const gas = (complexity * iterations) / MODEXP_QUAD_DIVISOR;
  return gas > MODEXP_MIN_GAS ? gas : MODEXP_MIN_GAS;
}

/** Below 2^26 products stay under 2^53, so plain numbers are exact (and far faster than bigints). */
const SMALL_MODULUS_LIMIT = 1n << 26n;

/**
 * base^exponent mod modulus, each operand big-endian and already right-padded to its declared length;
 * the modulus is non-zero. The result is big-endian, left-padded to the modulus length.
 */
export type ModPow = (base: Uint8Array, exponent: Uint8Array, modulus: Uint8Array) => Uint8Array;

/** modPow for a modulus below 2^26, where the cost is all in the per-bit loop (long exponents). */
function modPowSmall(base: number, exponent: Uint8Array, modulus: number): number {
  let result = 1;
  for (const byte of exponent) {
    for (let bit = 7; bit >= 0; bit--) {
      result = (result * result) % modulus;
      if ((byte >> bit) & 1) result = (result * base) % modulus;
    }
  }
  return result % modulus;
}

/** Square-and-multiply over the exponent's big-endian bytes (modulus > 0). */
function modPowBigint(base: bigint, exponent: Uint8Array, modulus: bigint): bigint {
  if (modulus === 1n) return 0n;
  if (modulus < SMALL_MODULUS_LIMIT) return BigInt(modPowSmall(Number(base % modulus), exponent, Number(modulus)));
  base %= modulus;
  let result = 1n;
  let started = false; // skip squaring 1 for leading zero bits
  for (const byte of exponent) {
    for (let bit = 7; bit >= 0; bit--) {
      if (started) {
        result = (result * result) % modulus;
        if (result === 0n) return 0n; // stays zero whatever bits follow
      }
      if ((byte >> bit) & 1) {
        result = started ? (result * base) % modulus : base;
        started = true;
      }
    }
  }
  return result;
}

/** The pure BigInt modPow: the reference that faster ones (05-modexp-gmp.ts) are tested against. */
export const modPowReference: ModPow = (base, exponent, modulus) => {
  const bigModulus = readUint(modulus, 0n, modulus.length);
  let value = modPowBigint(readUint(base, 0n, base.length), exponent, bigModulus);
  const output = new Uint8Array(modulus.length);
  for (let i = modulus.length - 1; i >= 0 && value > 0n; i--) {
    output[i] = Number(value & 0xffn);
    value >>= 8n;
  }
  return output;
};

/** `length` bytes of `input` from `offset`, zeros past its end; a view when nothing is missing. */
function operand(input: Uint8Array, offset: number, length: number): Uint8Array {
  if (offset + length <= input.length) return input.subarray(offset, offset + length);
  const padded = new Uint8Array(length);
  if (offset < input.length) padded.set(input.subarray(offset));
  return padded;
}

function isZero(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte !== 0) return false;
  return true;
}

/**
 * The 0x05 precompile (EIP-198, gas per EIP-2565) around a modPow: input decoding, gas and the edge
 * cases live here, so every modPow shares them and only the arithmetic differs.
 */
export function createModexp(modPow: ModPow): Precompile {
  return (input, gasLimit) => {
    const baseLength = readUint(input, 0n, 32);
    const exponentLength = readUint(input, 32n, 32);
    const modulusLength = readUint(input, 64n, 32);
    const exponentStart = 96n + baseLength;
    const exponentHead = readUint(input, exponentStart, exponentLength < 32n ? Number(exponentLength) : 32);

    const gas = modexpGas(baseLength, exponentLength, modulusLength, exponentHead);
    if (gas > BigInt(gasLimit)) return PRECOMPILE_FAILURE;
    const gasUsed = Number(gas);

    // With both zero the exponent may be any length and costs the minimum; it is never read.
    if (baseLength === 0n && modulusLength === 0n) return { gasUsed, output: EMPTY };

    // Gas paid bounds base, exponent and modulus lengths to sizes that fit in a number.
    const expStart = Number(exponentStart);
    const expLength = Number(exponentLength);
    const modulus = operand(input, expStart + expLength, Number(modulusLength));
    if (isZero(modulus)) return { gasUsed, output: new Uint8Array(modulus.length) };
    const base = operand(input, 96, Number(baseLength));
    return { gasUsed, output: modPow(base, operand(input, expStart, expLength), modulus) };
  };
}

/** Address 0x05 with the pure BigInt arithmetic (the reference; PRECOMPILES uses GMP once loaded). */
export const modexp: Precompile = createModexp(modPowReference);
