// The state tries' keys and leaf values: an account sits at keccak256(address) with
// rlp([nonce, balance, storageRoot, codeHash]); a slot at keccak256(slot) with rlp(minimal value).
import { bigintToBytes } from "../../primitives/hex.js";
import { keccak256 } from "../../primitives/keccak.js";
import { rlpDecode, rlpHeaderLength, rlpStringSize, writeRlpHeader, writeRlpString } from "../../primitives/rlp.js";
import { writeWordAt } from "../../primitives/word-view.js";
import { rlpEncodeBytes } from "../mpt.js";

/** rlp([nonce, balance, storageRoot, codeHash]), an account's leaf value, from the nonce's and balance's minimal big-endian bytes and the code hash's 32 (trie-changes.ts's fields). */
export function accountLeafValueOfBytes(
  nonce: Uint8Array,
  balance: Uint8Array,
  codeHash: Uint8Array,
  storageRoot: Uint8Array,
): Uint8Array {
  const out = new Uint8Array(accountLeafValueSize(nonce, balance, storageRoot));
  writeAccountLeafValueOfBytes(out, nonce, balance, codeHash, storageRoot);
  return out;
}

/** accountLeafValueOfBytes written at the start of `out` (at least MAX_ACCOUNT_LEAF_VALUE bytes); returns its length. */
export function writeAccountLeafValueOfBytes(
  out: Uint8Array,
  nonce: Uint8Array,
  balance: Uint8Array,
  codeHash: Uint8Array,
  storageRoot: Uint8Array,
): number {
  const at = writeAccountLeafFields(out, nonce, balance, storageRoot);
  out.set(codeHash, at);
  return at + 32;
}

/** The most bytes an account's leaf value takes (a nonce of 8 bytes, a balance of 32). */
export const MAX_ACCOUNT_LEAF_VALUE = 2 + 9 + 33 + 33 + 33;

/**
 * Writes an account's leaf value (the code hash as a word) at the start of `out` (at least
 * MAX_ACCOUNT_LEAF_VALUE bytes; `view` is a DataView of the same bytes) and returns its length: a
 * bulk load writes a million into one scratch buffer.
 */
export function writeAccountLeafValue(
  out: Uint8Array,
  view: DataView,
  nonce: Uint8Array,
  balance: Uint8Array,
  codeHash: bigint,
  storageRoot: Uint8Array,
): number {
  const at = writeAccountLeafFields(out, nonce, balance, storageRoot);
  writeWordAt(view, at, codeHash);
  return at + 32;
}

/** Puts `storageRoot` (32 bytes) into an account's leaf value, whose storage root is 32 bytes before its code hash. */
export function setAccountLeafStorageRoot(value: Uint8Array, storageRoot: Uint8Array): void {
  value.set(storageRoot, value.length - 65);
}

function accountLeafPayload(nonce: Uint8Array, balance: Uint8Array, storageRoot: Uint8Array): number {
  return rlpStringSize(nonce) + rlpStringSize(balance) + rlpStringSize(storageRoot) + 33;
}

function accountLeafValueSize(nonce: Uint8Array, balance: Uint8Array, storageRoot: Uint8Array): number {
  const payload = accountLeafPayload(nonce, balance, storageRoot);
  return rlpHeaderLength(payload) + payload;
}

/** Writes an account leaf value up to its code hash's 32 bytes, and returns where they go. */
function writeAccountLeafFields(
  out: Uint8Array,
  nonce: Uint8Array,
  balance: Uint8Array,
  storageRoot: Uint8Array,
): number {
  let at = writeRlpHeader(out, 0, accountLeafPayload(nonce, balance, storageRoot), 0xc0);
  at = writeRlpString(out, at, nonce);
  at = writeRlpString(out, at, balance);
  at = writeRlpString(out, at, storageRoot);
  out[at] = 0xa0;
  return at + 1;
}

/** A storage slot's leaf value from the value's minimal big-endian bytes. */
export function slotLeafValueOfMinimal(minimal: Uint8Array): Uint8Array {
  return rlpEncodeBytes(minimal);
}

/** An account's key in the account trie, keccak256(address): also its storage trie's owner. */
export function accountKey(address: bigint): Uint8Array {
  return keccak256(bigintToBytes(address, 20));
}

/** A slot's key in its storage trie, keccak256(slot). */
export function slotKey(slot: bigint): Uint8Array {
  return keccak256(bigintToBytes(slot, 32));
}

/** The storage root inside an account's leaf value. */
export function storageRootOfLeaf(leaf: Uint8Array): Uint8Array {
  // The last two fields are 32-byte strings (0xa0 ++ 32 bytes each): the root is read in place.
  const end = leaf.length;
  if (end >= 67 && leaf[end - 66] === 0xa0 && leaf[end - 33] === 0xa0) return leaf.subarray(end - 65, end - 33);
  const fields = rlpDecode(leaf);
  if (!Array.isArray(fields) || fields.length !== 4 || !(fields[2] instanceof Uint8Array)) {
    throw new Error("a stored account leaf does not decode");
  }
  return fields[2];
}
