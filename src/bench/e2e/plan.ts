// Who sends what: transaction k (0..txs-1) comes from sender k mod accounts with nonce
// floor(k / accounts), so consecutive transactions have distinct senders (the pool need not hold one
// back for a nonce gap) and a sender's own transactions follow one another. Keys and receivers are
// derived, not stored: a key is keccak256 of a label, the run's salt and the index (microseconds),
// a receiver an address nobody holds, fresh per transaction.
import { bigintToBytes, concatBytes } from "../../primitives/hex.js";
import { keccak256 } from "../../primitives/keccak.js";

export interface Plan {
  txs: number;
  accounts: number;
  /**
   * 64 bits mixed into keys and receivers: 0 for a chain the bench starts (Weft and anvil get the
   * same accounts), random for --rpc (a second run on the same node must not reuse used nonces).
   */
  salt: bigint;
}

const KEY_LABEL = new TextEncoder().encode("weft-bench-e2e sender");
/** Receivers carry this in their top byte: never a precompile, never a derived key's address by chance. */
const RECEIVER_PREFIX = 0xben;

export function senderIndex(plan: Plan, k: number): number {
  return k % plan.accounts;
}

export function nonceOf(plan: Plan, k: number): bigint {
  return BigInt(Math.floor(k / plan.accounts));
}

/** How many transactions sender `i` sends. */
export function txsOfSender(plan: Plan, i: number): number {
  return i >= plan.txs ? 0 : Math.floor((plan.txs - 1 - i) / plan.accounts) + 1;
}

/** Sender `i`'s private key. */
export function senderKey(plan: Plan, i: number): Uint8Array {
  return keccak256(concatBytes(KEY_LABEL, bigintToBytes(plan.salt, 8), bigintToBytes(BigInt(i), 8)));
}

/** The receiver of transaction `k`. */
export function receiverAddress(plan: Plan, k: number): bigint {
  return (RECEIVER_PREFIX << 152n) | (plan.salt << 64n) | BigInt(k + 1);
}
