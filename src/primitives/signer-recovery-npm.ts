// Signer recovery on the npm `secp256k1` package (a prebuilt binding of an older libsecp256k1), with
// keccak in WebAssembly: what runs where Weft's native addon is not built, and the reference the
// native backend is tested against.
import secp256k1 from "secp256k1";
import { keccak256 } from "./keccak.js";
import {
  ADDRESS_SIZE,
  checkBatch,
  HASH_SIZE,
  RECOVERY_RECORD_SIZE,
  SIGNATURE_SIZE,
  type SignerRecovery,
} from "./signer-recovery-backend.js";

/** The npm `secp256k1` package (a prebuilt libsecp256k1 binding): the fallback and the reference. */
export const npmSignerRecovery: SignerRecovery = {
  recoverAddress(hash, signature, recoveryId, output) {
    let publicKey: Uint8Array;
    try {
      publicKey = secp256k1.ecdsaRecover(signature, recoveryId, hash, false);
    } catch {
      return false; // the package throws for every invalid signature
    }
    output.set(keccak256(publicKey.subarray(1, 65)).subarray(32 - ADDRESS_SIZE));
    return true;
  },

  recoverAddresses(records, output, recovered) {
    const count = checkBatch(records, output, recovered);
    for (let i = 0; i < count; i++) {
      const at = i * RECOVERY_RECORD_SIZE;
      const hash = records.subarray(at, at + HASH_SIZE);
      const signature = records.subarray(at + HASH_SIZE, at + HASH_SIZE + SIGNATURE_SIZE);
      const address = output.subarray(i * ADDRESS_SIZE, (i + 1) * ADDRESS_SIZE);
      const recoveryId = records[at + HASH_SIZE + SIGNATURE_SIZE]!;
      recovered[i] = this.recoverAddress(hash, signature, recoveryId, address) ? 1 : 0;
    }
  },
};
