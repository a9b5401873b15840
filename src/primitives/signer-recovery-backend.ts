// What a signer-recovery backend answers: the address (last 20 bytes of keccak256 of the public
// key's x ++ y) whose key signed a 32-byte hash. Callers own the Ethereum rules (v, low s, r and s
// in range); a backend answers exactly what libsecp256k1 answers: no address when r or s is not below
// n, the recovery id is not 0-3, or no point recovers (r is no x-coordinate, r or s is zero, the
// result is infinity). Two exist: native (signer-recovery-native.ts) and the npm package's
// (signer-recovery-npm.ts, the fallback and the reference); the tests hold them to the same answers.

export const HASH_SIZE = 32;
/** r ++ s, each 32 bytes big-endian. */
export const SIGNATURE_SIZE = 64;
export const ADDRESS_SIZE = 20;
/** One record of a batch: hash ++ r ++ s ++ recovery id. */
export const RECOVERY_RECORD_SIZE = HASH_SIZE + SIGNATURE_SIZE + 1;

export interface SignerRecovery {
  /**
   * Writes the address that signed `hash` (32 bytes) with `signature` (64 bytes) and `recoveryId`
   * into output[0, 20); false, leaving `output` as it was, when nothing recovers.
   */
  recoverAddress(hash: Uint8Array, signature: Uint8Array, recoveryId: number, output: Uint8Array): boolean;
  /**
   * Recovers each RECOVERY_RECORD_SIZE-byte record of `records`: record i's address goes to
   * output[20i, 20i + 20) and recovered[i] becomes 1, or 0 where nothing recovers.
   */
  recoverAddresses(records: Uint8Array, output: Uint8Array, recovered: Uint8Array): void;
}

/** Throws unless the batch buffers agree on a record count; returns it. */
export function checkBatch(records: Uint8Array, output: Uint8Array, recovered: Uint8Array): number {
  const count = records.length / RECOVERY_RECORD_SIZE;
  if (!Number.isInteger(count) || output.length !== count * ADDRESS_SIZE || recovered.length !== count) {
    throw new RangeError(
      `recoverAddresses: ${records.length} record bytes, ${output.length} output bytes and ${recovered.length} flags do not match`,
    );
  }
  return count;
}
