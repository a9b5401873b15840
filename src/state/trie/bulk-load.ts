// Loads a whole state at once (a genesis, a benchmark's datadir, the trie of a store from before it
// was kept): the flat state in batched commits, each storage trie built in bulk as its account
// arrives, the account trie built in bulk at the end from the collected leaves, its nodes written
// in batches. Memory: the account leaves (about 110 bytes each) and the largest single storage.
import type { AccountWrite, StateWrites } from "../../evm/host.js";
import { bigintToBytes, bytesToBigint } from "../../primitives/hex.js";
import { EMPTY_CODE_HASH, keccak256, keccak256Word } from "../../primitives/keccak.js";
import type { LmdbState } from "../lmdb-state.js";
import { EMPTY_TRIE_ROOT_BYTES } from "../mpt.js";
import { buildTrie, LeafBuffer } from "./bulk-build.js";
import { accountKey, accountLeafValue, slotLeafValue } from "./leaves.js";
import { ACCOUNT_TRIE, nodeKey, TrieNodeStore } from "./trie-store.js";

export interface BulkAccount {
  nonce: bigint;
  balance: bigint;
  /** The code (omitted or empty: none), or where only its hash is known, `codeHash`. */
  code?: Uint8Array;
  codeHash?: bigint;
}

export interface BulkLoadOptions {
  /** Also write the flat state (false: it is there already, only the trie is built). */
  writeFlatState: boolean;
  /** Accounts per flat-state commit (default 50,000). */
  batch?: number;
}

/** Trie nodes per commit. */
const NODE_BATCH = 200_000;

export class StateBulkLoader {
  private readonly nodes: TrieNodeStore;
  private readonly accounts = new LeafBuffer();
  private writes: StateWrites = new Map();
  private pendingNodes: [Buffer, Uint8Array, boolean][] = [];
  private readonly batch: number;

  constructor(
    private readonly lmdb: LmdbState,
    private readonly options: BulkLoadOptions,
  ) {
    this.nodes = new TrieNodeStore(lmdb);
    this.batch = options.batch ?? 50_000;
  }

  /** Empties the trie tables (before a rebuild). */
  clearTrie(): void {
    this.lmdb.commitSync(new Map(), undefined, () => {
      this.nodes.accounts.clearSync();
      this.nodes.storage.clearSync();
      return undefined;
    });
  }

  /** Adds one account (each address once) with its non-zero slots. */
  addAccount(address: bigint, account: BulkAccount, storage: Iterable<readonly [bigint, bigint]>): void {
    const code = account.code !== undefined && account.code.length > 0 ? account.code : undefined;
    const codeHash = code !== undefined ? keccak256Word(code) : (account.codeHash ?? EMPTY_CODE_HASH);
    const { owner } = accountKey(address);
    // Made at the first slot: most accounts have none.
    let slots: LeafBuffer | undefined;
    const flat = this.options.writeFlatState ? new Map<bigint, bigint>() : undefined;
    for (const [slot, value] of storage) {
      if (value === 0n) continue;
      slots ??= new LeafBuffer();
      slots.add(keccak256(bigintToBytes(slot, 32)), slotLeafValue(value));
      flat?.set(slot, value);
    }
    const storageRoot =
      slots === undefined ? EMPTY_TRIE_ROOT_BYTES : buildTrie(slots, (path, rlp) => this.emit(owner, path, rlp));
    this.accounts.add(
      Buffer.from(owner, "hex"),
      accountLeafValue({ nonce: account.nonce, balance: account.balance, codeHash }, storageRoot),
    );
    if (flat === undefined) return;
    const w: AccountWrite = {
      deleted: false,
      nonce: account.nonce,
      balance: account.balance,
      codeHash,
      storageCleared: false,
      storage: flat,
    };
    if (code !== undefined) w.code = code;
    this.writes.set(address, w);
    if (this.writes.size >= this.batch || flat.size >= this.batch) this.flushState();
  }

  /** Builds the account trie, writes what is left and marks the trie current; returns the state root. */
  finish(): bigint {
    this.flushState();
    const root = buildTrie(this.accounts, (path, rlp) => this.emit(ACCOUNT_TRIE, path, rlp));
    this.flushNodes(true);
    return bytesToBigint(root);
  }

  private emit(owner: string, path: string, rlp: Uint8Array): void {
    this.pendingNodes.push([nodeKey(owner, path), rlp, owner === ACCOUNT_TRIE]);
    if (this.pendingNodes.length >= NODE_BATCH) this.flushNodes(false);
  }

  private flushState(): void {
    if (this.writes.size === 0) return;
    this.lmdb.commitSync(this.writes);
    this.writes = new Map();
  }

  private flushNodes(last: boolean): void {
    const nodes = this.pendingNodes;
    this.pendingNodes = [];
    this.lmdb.commitSync(new Map(), undefined, () => {
      for (const [key, rlp, account] of nodes) (account ? this.nodes.accounts : this.nodes.storage).putSync(key, rlp);
      if (last) this.nodes.markCurrent();
      return undefined;
    });
  }
}
