// Merkle-Patricia proofs (EIP-1186, eth_getProof): the encoded nodes on the path from the root to a
// key. The latest state's are read from the stored trie along the key (`proofOfAccount`); an older
// state's are built from the whole set of entries as mpt.ts builds roots, which costs as much as a
// root computation.
import type { AccountInfo, Host } from "../evm/host.js";
import { bigintToBytes, bigintToMinimalBytes, bytesToBigint } from "../primitives/hex.js";
import { EMPTY_CODE_HASH, EMPTY_TRIE_ROOT, keccak256 } from "../primitives/keccak.js";
import {
  compareBytes,
  EMPTY_TRIE_ROOT_BYTES,
  type Entry,
  encodeNode,
  nibbleAt,
  rlpEncodeBytes,
  rlpEncodeList,
  secureTrieRoot,
} from "./mpt.js";
import type { TrieProof } from "./trie/state-trie.js";

/** Sorted by key, one entry per key (the last given wins), empty values dropped: as trieRoot reads them. */
function prepare(entries: Iterable<Entry>): Entry[] {
  const list = [...entries].sort((a, b) => compareBytes(a[0], b[0]));
  const out: Entry[] = [];
  for (let i = 0; i < list.length; i++) {
    const next = list[i + 1];
    if (next !== undefined && compareBytes(list[i]![0], next[0]) === 0) continue;
    if (list[i]![1].length > 0) out.push(list[i]!);
  }
  return out;
}

/**
 * The proof of `key` in the trie of `entries`: the root node, then each node on the path that its
 * parent references by hash (nodes under 32 bytes sit inside their parent). For an absent key the path
 * ends where the key leaves the trie, which proves the absence.
 */
export function trieProof(entries: Iterable<Entry>, key: Uint8Array): Uint8Array[] {
  const sorted = prepare(entries);
  // The empty trie's root is keccak(rlp("")): its one node is the empty string.
  if (sorted.length === 0) return [new Uint8Array([0x80])];
  const proof: Uint8Array[] = [];
  const keyNibbles = key.length * 2;
  let lo = 0;
  let hi = sorted.length;
  let depth = 0;
  for (;;) {
    const node = encodeNode(sorted, lo, hi, depth);
    if (proof.length === 0 || node.length >= 32) proof.push(node);
    if (hi - lo === 1) return proof;
    const first = sorted[lo]![0];
    const last = sorted[hi - 1]![0];
    const limit = Math.min(first.length, last.length) * 2;
    let end = depth;
    while (end < limit && nibbleAt(first, end) === nibbleAt(last, end)) end++;
    if (end > depth) {
      // Extension: follow it only while the key shares its nibbles.
      for (let i = depth; i < end; i++) if (i >= keyNibbles || nibbleAt(key, i) !== nibbleAt(first, i)) return proof;
      depth = end;
      continue;
    }
    if (depth >= keyNibbles) return proof;
    const wanted = nibbleAt(key, depth);
    let start = lo;
    // A key ending at this branch sorts first and has no nibble here.
    if (first.length * 2 === depth) start++;
    while (start < hi && nibbleAt(sorted[start]![0], depth) < wanted) start++;
    let stop = start;
    while (stop < hi && nibbleAt(sorted[stop]![0], depth) === wanted) stop++;
    if (stop === start) return proof;
    lo = start;
    hi = stop;
    depth++;
  }
}

/** A proof in the "secure" trie (keys hashed), as the state and storage tries are. */
export function secureTrieProof(entries: Iterable<Entry>, key: Uint8Array): Uint8Array[] {
  const hashed: Entry[] = [];
  for (const [k, v] of entries) hashed.push([keccak256(k), v]);
  return trieProof(hashed, keccak256(key));
}

/** The state as a proof needs it: every account and every account's storage. */
export interface ProvableState extends Host {
  addresses(): Iterable<bigint>;
  storageEntries(address: bigint): ReadonlyMap<bigint, bigint>;
}

export function isProvable(state: Host): state is ProvableState {
  const s = state as Partial<ProvableState>;
  return typeof s.addresses === "function" && typeof s.storageEntries === "function";
}

export interface StorageProof {
  key: bigint;
  value: bigint;
  proof: Uint8Array[];
}

export interface AccountProof {
  address: bigint;
  /** Zeros and the empty hashes for an absent account. */
  account: AccountInfo;
  storageHash: bigint;
  accountProof: Uint8Array[];
  storageProof: StorageProof[];
}

function storageLeaves(storage: ReadonlyMap<bigint, bigint>): Entry[] {
  const leaves: Entry[] = [];
  for (const [slot, value] of storage) {
    if (value !== 0n) leaves.push([bigintToBytes(slot, 32), rlpEncodeBytes(bigintToMinimalBytes(value))]);
  }
  return leaves;
}

function storageRootOf(leaves: Entry[]): Uint8Array {
  return leaves.length === 0 ? EMPTY_TRIE_ROOT_BYTES : secureTrieRoot(leaves);
}

/** rlp([nonce, balance, storageRoot, codeHash]): an account's leaf in the state trie. */
export function accountLeaf(info: AccountInfo, storageRoot: Uint8Array): Uint8Array {
  return rlpEncodeList([
    rlpEncodeBytes(bigintToMinimalBytes(info.nonce)),
    rlpEncodeBytes(bigintToMinimalBytes(info.balance)),
    rlpEncodeBytes(storageRoot),
    rlpEncodeBytes(bigintToBytes(info.codeHash, 32)),
  ]);
}

/** EIP-1186: the proof of one account and some of its storage slots in `state`. */
export function proveAccount(state: ProvableState, address: bigint, slots: readonly bigint[]): AccountProof {
  const leaves: Entry[] = [];
  let ownStorage: Entry[] = [];
  for (const a of state.addresses()) {
    const info = state.account(a);
    if (info === undefined) continue;
    const storage = storageLeaves(state.storageEntries(a));
    if (a === address) ownStorage = storage;
    leaves.push([bigintToBytes(a, 20), accountLeaf(info, storageRootOf(storage))]);
  }
  const info = state.account(address);
  const storageHash = info === undefined ? EMPTY_TRIE_ROOT : bytesToBigint(storageRootOf(ownStorage));
  return {
    address,
    account: info ?? { nonce: 0n, balance: 0n, codeHash: EMPTY_CODE_HASH },
    storageHash,
    accountProof: secureTrieProof(leaves, bigintToBytes(address, 20)),
    storageProof: slots.map((slot) => ({
      key: slot,
      value: state.storage(address, slot),
      proof: secureTrieProof(ownStorage, bigintToBytes(slot, 32)),
    })),
  };
}

/** EIP-1186 on the latest state: the nodes come from the stored trie (`nodes`), the values from `state` (the same state). */
export function proofOfAccount(nodes: TrieProof, state: Host, address: bigint, slots: readonly bigint[]): AccountProof {
  const info = state.account(address);
  const { accountProof, storageRoot, storageProofs } = nodes;
  return {
    address,
    account: info ?? { nonce: 0n, balance: 0n, codeHash: EMPTY_CODE_HASH },
    storageHash: info === undefined ? EMPTY_TRIE_ROOT : bytesToBigint(storageRoot),
    accountProof,
    storageProof: slots.map((slot, i) => ({
      key: slot,
      value: state.storage(address, slot),
      proof: storageProofs[i]!,
    })),
  };
}
