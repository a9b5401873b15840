// Signer recovery in Weft's native addon (native/bn254/src/secp256k1_recover.rs): a current
// libsecp256k1 (safegcd inversions) through the Rust `secp256k1` crate, with keccak in Rust too.
// Measured on one core: 40 µs per address against 62 µs for the npm `secp256k1` package plus keccak.
import { loadNativeAddon } from "./native-addon.js";
import { checkBatch, type SignerRecovery } from "./signer-recovery-backend.js";

/** What the addon exports for recovery (napi-rs returns false for buffers of the wrong size). */
interface RecoveryAddon {
  secp256k1RecoverAddress(hash: Uint8Array, signature: Uint8Array, recoveryId: number, output: Uint8Array): boolean;
  secp256k1RecoverAddresses(records: Uint8Array, output: Uint8Array, recovered: Uint8Array): boolean;
}

function hasRecovery(addon: Record<string, unknown>): addon is Record<string, unknown> & RecoveryAddon {
  return typeof addon.secp256k1RecoverAddress === "function" && typeof addon.secp256k1RecoverAddresses === "function";
}

/** The native backend, or undefined where the addon is not built or predates recovery. */
export function loadNativeSignerRecovery(): SignerRecovery | undefined {
  const addon = loadNativeAddon();
  if (addon === undefined || !hasRecovery(addon)) return undefined;
  return {
    recoverAddress(hash, signature, recoveryId, output) {
      // The npm package's check: out of [0, 3] is refused, a fraction in it is truncated (as the addon's u32 is).
      if (!(recoveryId >= 0 && recoveryId <= 3)) return false;
      return addon.secp256k1RecoverAddress(hash, signature, recoveryId, output);
    },

    recoverAddresses(records, output, recovered) {
      checkBatch(records, output, recovered);
      addon.secp256k1RecoverAddresses(records, output, recovered);
    },
  };
}
