// modPow for the 0x05 precompile on GMP compiled to WebAssembly (gmp-wasm): mpz_powm is 2-3x the
// BigInt square-and-multiply at 256 bits and keeps its lead on RSA-sized operands. Operands travel as
// big-endian bytes through one scratch buffer in the module's memory (mpz_import / mpz_export).
import gmpWasm from "gmp-wasm";
import type { ModPow } from "./05-modexp.js";

type GmpBinding = Awaited<ReturnType<typeof gmpWasm.init>>["binding"];

const BIG_ENDIAN = 1; // mpz_import/mpz_export `order` (most significant word first) and `endian`

let loaded: Promise<ModPow> | undefined;

/** Instantiates GMP once per thread and resolves to its modPow. */
export function loadGmpModPow(): Promise<ModPow> {
  loaded ??= gmpWasm.init().then(({ binding }) => createGmpModPow(binding));
  return loaded;
}

function createGmpModPow(gmp: GmpBinding): ModPow {
  const [base, exponent, modulus, result] = [gmp.mpz_t(), gmp.mpz_t(), gmp.mpz_t(), gmp.mpz_t()];
  for (const value of [base, exponent, modulus, result]) gmp.mpz_init(value);
  const countPointer = gmp.malloc(4);
  let scratch = 0;
  let scratchSize = 0;

  /** A buffer of at least `size` bytes in GMP's memory (grown, never shrunk). */
  function reserve(size: number): number {
    if (size > scratchSize) {
      if (scratch !== 0) gmp.free(scratch);
      scratchSize = Math.max(size, 2 * scratchSize, 1024);
      scratch = gmp.malloc(scratchSize);
    }
    return scratch;
  }

  function load(target: number, bytes: Uint8Array): void {
    if (bytes.length === 0) {
      gmp.mpz_set_ui(target, 0);
      return;
    }
    const pointer = reserve(bytes.length);
    gmp.mem.set(bytes, pointer); // `mem` is re-read: a malloc may have grown the memory
    gmp.mpz_import(target, bytes.length, BIG_ENDIAN, 1, BIG_ENDIAN, 0, pointer);
  }

  return (baseBytes, exponentBytes, modulusBytes) => {
    load(base, baseBytes);
    load(exponent, exponentBytes);
    load(modulus, modulusBytes);
    gmp.mpz_powm(result, base, exponent, modulus);
    // The result is below the modulus, so it fits in the modulus length.
    const pointer = reserve(modulusBytes.length);
    gmp.mpz_export(pointer, countPointer, BIG_ENDIAN, 1, BIG_ENDIAN, 0, result);
    const written = gmp.memView.getUint32(countPointer, true);
    const output = new Uint8Array(modulusBytes.length);
    output.set(gmp.mem.subarray(pointer, pointer + written), output.length - written);
    return output;
  };
}
