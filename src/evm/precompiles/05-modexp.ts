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

/** modPow for a modulus below 2^26, where the cost is all in the per-bit loop (long exponents). */
function modPowSmall(
  base: number,
  exponent: Uint8Array,
  expOffset: number,
  expLength: number,
  modulus: number,
): number {
  let result = 1;
  for (let i = 0; i < expLength; i++) {
    const index = expOffset + i;
    const byte = index < exponent.length ? exponent[index]! : 0;
    for (let bit = 7; bit >= 0; bit--) {
      result = (result * result) % modulus;
      if ((byte >> bit) & 1) result = (result * base) % modulus;
    }
  }
  return result % modulus;
}

/** base^exponent mod modulus (modulus > 0), square-and-multiply over the exponent's big-endian bytes. */
function modPow(base: bigint, exponent: Uint8Array, expOffset: number, expLength: number, modulus: bigint): bigint {
  if (modulus === 1n) return 0n;
  if (modulus < SMALL_MODULUS_LIMIT) {
    return BigInt(modPowSmall(Number(base % modulus), exponent, expOffset, expLength, Number(modulus)));
  }
  base %= modulus;
  let result = 1n;
  let started = false; // skip squaring 1 for leading zero bits
  for (let i = 0; i < expLength; i++) {
    const index = expOffset + i;
    const byte = index < exponent.length ? exponent[index]! : 0;
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

/** Address 0x05: arbitrary-precision modular exponentiation (EIP-198, gas per EIP-2565). */
export const modexp: Precompile = (input, gasLimit) => {
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
  const modulusStart = exponentStart + exponentLength;
  const modulusLen = Number(modulusLength);
  const modulus = readUint(input, modulusStart, modulusLen);
  const output = new Uint8Array(modulusLen);
  if (modulus === 0n) return { gasUsed, output };

  const base = readUint(input, 96n, Number(baseLength));
  // exponentStart < 2^53 here since the base length was paid for.
  const result = modPow(base, input, Number(exponentStart), Number(exponentLength), modulus);
  let value = result;
  for (let i = modulusLen - 1; i >= 0 && value > 0n; i--) {
    output[i] = Number(value & 0xffn);
    value >>= 8n;
  }
  return { gasUsed, output };
};
