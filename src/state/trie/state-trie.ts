// Ethereum's state root kept on disk: the account trie and the storage tries as path-keyed nodes in
// LMDB (trie-store.ts), updated block by block from the changed keys only (path-trie.ts) and written
// in the block's own commit transaction. A restart reads the root node, not the state; the memory
// it takes is the node cache's, whatever the state's size.
//
// Usage per commit: `apply(writes)`, `root()` for the header, then `writePending()` inside the
// commit's transaction (or `discardPending()` where the commit failed).
import type { AccountWrite, StateWrites } from "../../evm/host.js";
import { bytesToBigint } from "../../primitives/hex.js";
import type { LmdbState } from "../lmdb-state.js";
import { EMPTY_TRIE_ROOT_BYTES } from "../mpt.js";
import { StateBulkLoader } from "./bulk-load.js";
import { accountKey, accountLeafValue, slotLeafValue, slotPath, storageRootOfLeaf } from "./leaves.js";
import { rootHashOf } from "./node-codec.js";
import { PathTrie } from "./path-trie.js";
import { ACCOUNT_TRIE, DEFAULT_CACHE_BYTES, type TrieCacheStats, TrieNodeStore } from "./trie-store.js";

export interface StateTrieOptions {
  /** Bytes the node cache may hold (default 256 MiB). */
  cacheBytes?: number;
  /** Told when the tables are (re)built from the flat state, and when that is done. */
  log?: (line: string) => void;
}

export class StateTrie {
  private rootHash: Uint8Array;

  private constructor(readonly nodes: TrieNodeStore) {
    const rootNode = nodes.loader(ACCOUNT_TRIE)("");
    this.rootHash = rootNode === undefined ? EMPTY_TRIE_ROOT_BYTES : rootHashOf(rootNode);
  }

  /**
   * The trie of `lmdb`'s state. Where the stored trie is missing (a store from before it was kept) or
   * stale (the state was committed without it), it is rebuilt from the flat state first, once.
   */
  static open(lmdb: LmdbState, options: StateTrieOptions = {}): StateTrie {
    const nodes = new TrieNodeStore(lmdb, options.cacheBytes ?? DEFAULT_CACHE_BYTES);
    const stored = nodes.storedVersion();
    if (stored === undefined || stored !== lmdb.stateVersion()) {
      const why =
        stored === undefined ? "the datadir has no state trie tables yet" : "the state changed without its trie";
      // A new, empty store has nothing to build: no need to say so.
      const log = hasAny(lmdb.addresses()) ? options.log : undefined;
      log?.(`building the state trie tables from the flat state (${why}); this happens once`);
      const started = performance.now();
      const loader = new StateBulkLoader(lmdb, { writeFlatState: false });
      loader.clearTrie();
      for (const [address, account, storage] of lmdb.accountsWithStorage()) {
        loader.addAccount(address, account, storage);
      }
      loader.finish();
      log?.(`state trie tables built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    return new StateTrie(nodes);
  }

  /** Applies a block's (or a dev edit's, or a rewind's) net writes; they stay pending until written. */
  apply(writes: StateWrites): void {
    const accounts = new PathTrie(this.nodes.loader(ACCOUNT_TRIE));
    for (const [address, w] of writes) {
      const { owner, path } = accountKey(address);
      if (w.deleted) {
        this.nodes.clear(owner);
        accounts.delete(path);
        continue;
      }
      if (w.storageCleared) this.nodes.clear(owner);
      accounts.set(
        path,
        accountLeafValue(
          w,
          this.storageRootAfter(owner, w, () => accounts.get(path)),
        ),
      );
    }
    const commit = accounts.commit();
    this.nodes.stage(ACCOUNT_TRIE, commit);
    this.rootHash = commit.root;
  }

  private storageRootAfter(owner: string, w: AccountWrite, leaf: () => Uint8Array | undefined): Uint8Array {
    if (w.storage.size === 0) {
      if (w.storageCleared) return EMPTY_TRIE_ROOT_BYTES;
      const current = leaf();
      return current === undefined ? EMPTY_TRIE_ROOT_BYTES : storageRootOfLeaf(current);
    }
    const trie = new PathTrie(this.nodes.loader(owner));
    for (const [slot, value] of w.storage) {
      if (value === 0n) trie.delete(slotPath(slot));
      else trie.set(slotPath(slot), slotLeafValue(value));
    }
    const commit = trie.commit();
    this.nodes.stage(owner, commit);
    return commit.root;
  }

  /** The state root with every applied write (pending or written). */
  root(): bigint {
    return bytesToBigint(this.rootHash);
  }

  /** Writes the pending nodes; inside the commit transaction that writes the same state. */
  writePending(): void {
    this.nodes.writePending();
  }

  /** Forgets pending nodes after a failed commit, and goes back to the stored root. */
  discardPending(): void {
    this.nodes.discardPending();
    const rootNode = this.nodes.loader(ACCOUNT_TRIE)("");
    this.rootHash = rootNode === undefined ? EMPTY_TRIE_ROOT_BYTES : rootHashOf(rootNode);
  }

  cacheStats(): TrieCacheStats {
    return this.nodes.stats();
  }
}

function hasAny(items: Iterable<unknown>): boolean {
  for (const _ of items) return true;
  return false;
}
