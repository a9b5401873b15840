// The state root, kept up to date block by block: an account trie and one storage trie per account
// with storage, held in memory (patricia-trie.ts) and fed each block's net writes. Built once from
// the full state (at start-up), then each block costs hashes along the changed paths only, where a
// full recomputation (LmdbState.stateRoot, MemoryState.stateRoot) walks every account and slot.
import type { StateWrites } from "../evm/host.js";
import { bigintToBytes, bigintToMinimalBytes, bytesToBigint } from "../primitives/hex.js";
import { keccak256 } from "../primitives/keccak.js";
import { EMPTY_TRIE_ROOT_BYTES, rlpEncodeBytes, rlpEncodeList } from "./mpt.js";
import { keyPath, PatriciaTrie } from "./patricia-trie.js";

export interface RootAccount {
  nonce: bigint;
  balance: bigint;
  codeHash: bigint;
}

/** The trie path of an address or a slot: the nibbles of keccak256 of its fixed-width bytes. */
function hashedPath(word: bigint, bytes: number): string {
  return keyPath(keccak256(bigintToBytes(word, bytes)));
}

function accountLeaf(account: RootAccount, storageRoot: Uint8Array): Uint8Array {
  return rlpEncodeList([
    rlpEncodeBytes(bigintToMinimalBytes(account.nonce)),
    rlpEncodeBytes(bigintToMinimalBytes(account.balance)),
    rlpEncodeBytes(storageRoot),
    rlpEncodeBytes(bigintToBytes(account.codeHash, 32)),
  ]);
}

export class StateRootTracker {
  private readonly accounts = new PatriciaTrie();
  private readonly storages = new Map<bigint, PatriciaTrie>();
  /** Accounts whose leaf must be re-encoded before the next root (their fields or storage changed). */
  private readonly dirty = new Map<bigint, RootAccount>();

  /** Adds one account of the initial state, with its non-zero slots. */
  load(address: bigint, account: RootAccount, storage: Iterable<readonly [bigint, bigint]> = []): void {
    let trie: PatriciaTrie | undefined;
    for (const [slot, value] of storage) {
      if (value === 0n) continue;
      trie ??= new PatriciaTrie();
      trie.set(hashedPath(slot, 32), rlpEncodeBytes(bigintToMinimalBytes(value)));
    }
    if (trie === undefined) this.storages.delete(address);
    else this.storages.set(address, trie);
    this.dirty.set(address, account);
  }

  /** Applies a block's (or a transaction's) net writes. */
  apply(writes: StateWrites): void {
    for (const [address, w] of writes) {
      if (w.deleted) {
        this.storages.delete(address);
        this.dirty.delete(address);
        this.accounts.delete(hashedPath(address, 20));
        continue;
      }
      let trie = this.storages.get(address);
      if (w.storageCleared && trie !== undefined) {
        this.storages.delete(address);
        trie = undefined;
      }
      for (const [slot, value] of w.storage) {
        const path = hashedPath(slot, 32);
        if (value === 0n) {
          trie?.delete(path);
          continue;
        }
        if (trie === undefined) this.storages.set(address, (trie = new PatriciaTrie()));
        trie.set(path, rlpEncodeBytes(bigintToMinimalBytes(value)));
      }
      if (trie !== undefined && trie.size === 0) this.storages.delete(address);
      this.dirty.set(address, { nonce: w.nonce, balance: w.balance, codeHash: w.codeHash });
    }
  }

  /** The root of the state as loaded and updated so far. */
  root(): bigint {
    for (const [address, account] of this.dirty) {
      const storageRoot = this.storages.get(address)?.rootHash() ?? EMPTY_TRIE_ROOT_BYTES;
      this.accounts.set(hashedPath(address, 20), accountLeaf(account, storageRoot));
    }
    this.dirty.clear();
    return bytesToBigint(this.accounts.rootHash());
  }
}
