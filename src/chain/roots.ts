// Ordered-trie roots of a block's transactions and receipts: key RLP(index), value the item's
// network encoding (typed ones with their type byte, not RLP-wrapped).
import { bytesToBigint } from "../primitives/hex.js";
import { orderedTrieRootBytes } from "./ordered-trie-root.js";
import { encodeReceipt, type ReceiptConsensus } from "./receipt.js";
import type { SignedTransaction } from "./types.js";

/** Root of an ordered list: index i (RLP-encoded) maps to values[i]. */
export function orderedTrieRoot(values: readonly Uint8Array[]): bigint {
  return bytesToBigint(orderedTrieRootBytes(values));
}

/** Uses each transaction's `raw` (its canonical encoding). */
export function transactionsRoot(txs: readonly SignedTransaction[]): bigint {
  return orderedTrieRoot(txs.map((tx) => tx.raw));
}

export function receiptsRoot(rs: readonly ReceiptConsensus[]): bigint {
  return orderedTrieRoot(rs.map(encodeReceipt));
}

/** The withdrawals root of a block without withdrawals (the empty trie; Weft has no consensus layer). */
export { EMPTY_TRIE_ROOT as EMPTY_WITHDRAWALS_ROOT } from "../primitives/keccak.js";
