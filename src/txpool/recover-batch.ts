// What a recover worker does with one message: decode every raw transaction, then recover all their
// senders in one call into signer recovery (one native call per batch rather than one per
// transaction), with the answers decodeTransaction would give one by one.
import { TxDecodeError } from "../chain/errors.js";
import { decodeUnrecovered, type UnrecoveredTransaction, unrecoverableSignature } from "../chain/transaction.js";
import type { SignedTransaction } from "../chain/types.js";
import { bytesToBigint } from "../primitives/hex.js";
import { signerRecovery } from "../primitives/signer-recovery.js";
import {
  ADDRESS_SIZE,
  HASH_SIZE,
  RECOVERY_RECORD_SIZE,
  SIGNATURE_SIZE,
} from "../primitives/signer-recovery-backend.js";
import { writeWordAt } from "../primitives/word-view.js";
import type { RecoverFailure } from "./recover-wire.js";

/** A decoder error is the transaction's fault; anything else is a bug, reported as such. */
function failureOf(e: unknown): RecoverFailure {
  if (e instanceof TxDecodeError) return { code: e.code, message: e.message };
  return { code: "INTERNAL", message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
}

/** Each raw transaction decoded with its sender, or why it cannot be accepted; in input order. */
export function decodeAndRecover(
  raws: readonly Uint8Array[],
  opts: { chainId?: bigint } = {},
): (SignedTransaction | RecoverFailure)[] {
  const decoded: (UnrecoveredTransaction | RecoverFailure)[] = raws.map((raw) => {
    try {
      return decodeUnrecovered(raw, opts);
    } catch (e) {
      return failureOf(e);
    }
  });
  const pending = decoded.filter((d): d is UnrecoveredTransaction => "signingHash" in d);

  const records = new Uint8Array(pending.length * RECOVERY_RECORD_SIZE);
  const view = new DataView(records.buffer);
  pending.forEach((tx, i) => {
    const at = i * RECOVERY_RECORD_SIZE;
    writeWordAt(view, at, tx.signingHash);
    writeWordAt(view, at + HASH_SIZE, tx.r);
    writeWordAt(view, at + HASH_SIZE + SIGNATURE_SIZE / 2, tx.s);
    records[at + RECOVERY_RECORD_SIZE - 1] = tx.yParity;
  });
  const addresses = new Uint8Array(pending.length * ADDRESS_SIZE);
  const recovered = new Uint8Array(pending.length);
  signerRecovery.recoverAddresses(records, addresses, recovered);

  let next = 0;
  return decoded.map((d) => {
    if (!("signingHash" in d)) return d;
    const i = next++;
    if (recovered[i] !== 1) return failureOf(unrecoverableSignature());
    return d.withSender(bytesToBigint(addresses.subarray(i * ADDRESS_SIZE, (i + 1) * ADDRESS_SIZE)));
  });
}
