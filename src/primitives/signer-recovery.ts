// Signer recovery for transaction senders and the ecrecover precompile: the largest CPU cost of
// accepting a transaction, so it runs on the fastest backend this install has.
import type { SignerRecovery } from "./signer-recovery-backend.js";
import { loadNativeSignerRecovery } from "./signer-recovery-native.js";
import { npmSignerRecovery } from "./signer-recovery-npm.js";

/** The fastest backend this install has: the native addon's, else the npm package's. */
export const signerRecovery: SignerRecovery = loadNativeSignerRecovery() ?? npmSignerRecovery;
