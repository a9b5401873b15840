// A block's net writes as the state trie needs them, in one flat buffer: what the executor's thread
// hands the trie (possibly on another thread: root-worker.ts) without a Map, an object or a hash per
// account. Encoding only copies words; the keccak256 of every key and the leaf values are the trie's
// side's work (`readTrieChanges`).
//
// Layout (big-endian words, as the trie hashes them): u32 count of accounts; per account 20 bytes of
// address, u8 flags (1: deleted, 2: storage cleared); unless deleted, an 8-byte nonce, a 32-byte
// balance, a 32-byte code hash, a u32 count of slots and per slot its 32-byte key and 32-byte value
// (0: the slot is deleted).
import type { StateWrites } from "../../evm/host.js";
import { keccak256 } from "../../primitives/keccak.js";
import { writeAddressAt, writeWordAt } from "../../primitives/word-view.js";

const DELETED = 1;
const STORAGE_CLEARED = 2;
const ACCOUNT_BYTES = 20 + 1 + 8 + 32 + 32 + 4;
const SLOT_BYTES = 64;

/** `writes` in the layout above; `transfer`-able (its own ArrayBuffer). */
export function encodeTrieChanges(writes: StateWrites): Uint8Array<ArrayBuffer> {
  let size = 4;
  for (const w of writes.values()) size += w.deleted ? 21 : ACCOUNT_BYTES + SLOT_BYTES * w.storage.size;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, writes.size);
  let at = 4;
  for (const [address, w] of writes) {
    writeAddressAt(view, at, address);
    out[at + 20] = (w.deleted ? DELETED : 0) | (w.storageCleared ? STORAGE_CLEARED : 0);
    at += 21;
    if (w.deleted) continue;
    view.setBigUint64(at, w.nonce);
    writeWordAt(view, at + 8, w.balance);
    writeWordAt(view, at + 40, w.codeHash);
    view.setUint32(at + 72, w.storage.size);
    at += 76;
    for (const [slot, value] of w.storage) {
      writeWordAt(view, at, slot);
      writeWordAt(view, at + 32, value);
      at += SLOT_BYTES;
    }
  }
  return out;
}

/** One account's change, its fields views into the encoded buffer. */
export interface AccountChange {
  /** keccak256(address): its key in the account trie, and its storage trie's owner. */
  key: Uint8Array;
  deleted: boolean;
  storageCleared: boolean;
  /** Minimal big-endian bytes (empty for zero). */
  nonce: Uint8Array;
  balance: Uint8Array;
  /** 32 bytes. */
  codeHash: Uint8Array;
  /** The changed slots' keys, keccak256(slot), and their values' minimal bytes (empty: deleted). */
  slotKeys: Uint8Array[];
  slotValues: Uint8Array[];
}

/** The accounts of an encoded buffer, keys hashed; the values are views of `bytes` (kept unchanged). */
export function readTrieChanges(bytes: Uint8Array): AccountChange[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(0);
  const changes: AccountChange[] = new Array(count);
  let at = 4;
  for (let i = 0; i < count; i++) {
    const key = keccak256(bytes.subarray(at, at + 20));
    const flags = bytes[at + 20]!;
    at += 21;
    const change: AccountChange = {
      key,
      deleted: (flags & DELETED) !== 0,
      storageCleared: (flags & STORAGE_CLEARED) !== 0,
      nonce: EMPTY,
      balance: EMPTY,
      codeHash: EMPTY,
      slotKeys: [],
      slotValues: [],
    };
    changes[i] = change;
    if (change.deleted) continue;
    change.nonce = minimal(bytes, at, 8);
    change.balance = minimal(bytes, at + 8, 32);
    change.codeHash = bytes.subarray(at + 40, at + 72);
    const slots = view.getUint32(at + 72);
    at += 76;
    for (let s = 0; s < slots; s++) {
      change.slotKeys.push(keccak256(bytes.subarray(at, at + 32)));
      change.slotValues.push(minimal(bytes, at + 32, 32));
      at += SLOT_BYTES;
    }
  }
  if (at !== bytes.length) throw new Error(`trie changes: ${bytes.length - at} bytes left over`);
  return changes;
}

const EMPTY = new Uint8Array(0);

/** The `width` bytes at `at` without their leading zeros (a view). */
function minimal(bytes: Uint8Array, at: number, width: number): Uint8Array {
  const end = at + width;
  let start = at;
  while (start < end && bytes[start] === 0) start++;
  return bytes.subarray(start, end);
}
