// The state tries' keys and leaf values: an account sits at keccak256(address) with
// rlp([nonce, balance, storageRoot, codeHash]); a slot at keccak256(slot) with rlp(minimal value).
import { bigintToBytes, bigintToMinimalBytes, bytesToHex } from "../../primitives/hex.js";
import { keccak256 } from "../../primitives/keccak.js";
import { rlpDecode } from "../../primitives/rlp.js";
import { rlpEncodeBytes, rlpEncodeList } from "../mpt.js";
import { keyPath } from "./node-codec.js";

/** rlp([nonce, balance, storageRoot, codeHash]): an account's leaf value. */
export function accountLeafValue(
  account: { nonce: bigint; balance: bigint; codeHash: bigint },
  storageRoot: Uint8Array,
): Uint8Array {
  return rlpEncodeList([
    rlpEncodeBytes(bigintToMinimalBytes(account.nonce)),
    rlpEncodeBytes(bigintToMinimalBytes(account.balance)),
    rlpEncodeBytes(storageRoot),
    rlpEncodeBytes(bigintToBytes(account.codeHash, 32)),
  ]);
}

/** A storage slot's leaf value: rlp of its minimal big-endian bytes. */
export function slotLeafValue(value: bigint): Uint8Array {
  return rlpEncodeBytes(bigintToMinimalBytes(value));
}

/** The trie owner (hex of keccak256(address)) and path of an account. */
export function accountKey(address: bigint): { owner: string; path: string } {
  const hash = keccak256(bigintToBytes(address, 20));
  return { owner: bytesToHex(hash).slice(2), path: keyPath(hash) };
}

export function slotPath(slot: bigint): string {
  return keyPath(keccak256(bigintToBytes(slot, 32)));
}

/** The storage root inside an account's leaf value. */
export function storageRootOfLeaf(leaf: Uint8Array): Uint8Array {
  const fields = rlpDecode(leaf);
  if (!Array.isArray(fields) || fields.length !== 4 || !(fields[2] instanceof Uint8Array)) {
    throw new Error("a stored account leaf does not decode");
  }
  return fields[2];
}
