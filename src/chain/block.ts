// A whole block's RLP, as the network and eth_getBlockByNumber's "size" know it:
// [header, transactions, ommers, withdrawals]. Typed transactions appear as byte strings holding
// their envelope; legacy ones as their RLP list. Weft blocks have no ommers and no withdrawals.
import { rlpEncodeBytes, rlpEncodeList } from "../state/mpt.js";
import { encodeHeader } from "./header.js";
import type { BlockHeader, SignedTransaction } from "./types.js";

const EMPTY_LIST = new Uint8Array([0xc0]);

export function encodeBlock(header: BlockHeader, transactions: readonly SignedTransaction[]): Uint8Array {
  const txs = transactions.map((tx) => (tx.type === 0 ? tx.raw : rlpEncodeBytes(tx.raw)));
  return rlpEncodeList([encodeHeader(header), rlpEncodeList(txs), EMPTY_LIST, EMPTY_LIST]);
}

/** The block's size in bytes (the RPC "size" field): the length of its RLP. */
export function blockSize(header: BlockHeader, transactions: readonly SignedTransaction[]): number {
  return encodeBlock(header, transactions).length;
}
