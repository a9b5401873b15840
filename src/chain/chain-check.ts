// What the chain checks of its store when it opens (and `weft db check` over the whole chain): the
// head block and the blocks below it link up, and the stored state is the state the head's header
// promises. LMDB keeps no checksums, so damage inside the file (pages overwritten, two processes
// writing one store) would otherwise be served as it is: missing blocks, broken parent links, a
// state that no header describes.
import { join } from "node:path";
import { wordToHex } from "../primitives/hex.js";
import { checkLmdbFile, LMDB_DATA_FILE } from "../state/lmdb-file-check.js";
import { LmdbState } from "../state/lmdb-state.js";
import { StoreDamagedError } from "../state/store-errors.js";
import { StateTrie, type StateTrieOptions } from "../state/trie/state-trie.js";
import { ChainStore } from "./chain-store.js";
import type { Block } from "./types.js";

/** Blocks below the head whose links are checked at every open (a few milliseconds). */
export const OPEN_CHECK_BLOCKS = 256n;

export interface VerifiedStore {
  head: Block;
  /** The state root of the stored state. */
  stateRoot: bigint;
  /** The stored state trie (what the chain mines on); undefined for a store opened read-only. */
  trie: StateTrie | undefined;
}

/**
 * Checks the store at `path` (a chain exists in it): the head block, `blocks` blocks below it (each
 * header present and numbered, its hash in the hash index and BLOCKHASH table, its body and
 * receipts present, its child's parent hash), genesis where the window reaches it, and the state
 * against the head's state root: a writable store's through its stored trie (rebuilt from the flat
 * state where the state changed without it, e.g. by another process), a read-only one's (`weft db
 * check`) recomputed from the whole flat state. Throws StoreDamagedError, also for a record that
 * cannot be read.
 */
export function verifyChainStore(
  lmdb: LmdbState,
  store: ChainStore,
  path: string,
  blocks: bigint = OPEN_CHECK_BLOCKS,
  trieOptions: StateTrieOptions = {},
): VerifiedStore {
  return readingStore(path, () => {
    const meta = lmdb.head();
    if (meta === undefined) throw new StoreDamagedError(path, "the state's head record is missing");
    const head = store.block(meta.number);
    if (head === undefined) throw new StoreDamagedError(path, `the head block ${meta.number} is missing`);
    checkLinks(store, lmdb, path, head, blocks);
    const trie = lmdb.readOnly ? undefined : StateTrie.open(lmdb, trieOptions);
    const root = trie?.root() ?? lmdb.stateRoot();
    // Where dev edits followed the head, no header describes the state (the record is removed then).
    if (meta.stateRoot !== undefined) {
      if (meta.stateRoot !== head.header.stateRoot) {
        throw new StoreDamagedError(path, `the state's root record differs from block ${meta.number}'s state root`);
      }
      if (root !== meta.stateRoot) {
        throw new StoreDamagedError(
          path,
          `the stored state (root ${wordToHex(root)}) is not block ${meta.number}'s state (root ${wordToHex(meta.stateRoot)})`,
        );
      }
    }
    return { head, stateRoot: root, trie };
  });
}

export interface StoreReport {
  head: bigint;
  headHash: bigint;
  /** The state root the stored state has (that of the head, unless dev edits followed it). */
  stateRoot: bigint;
  /** Whether the state is the head's (false: dev edits followed the head, nothing to compare). */
  stateMatchesHead: boolean;
  fileBytes: number;
}

/**
 * `weft db check`: every check of `open`, over every block, on `<datadir>/chain` opened read-only (a
 * node may be running on it). Throws StoreDamagedError.
 */
export async function checkChainDatadir(datadir: string): Promise<StoreReport> {
  const path = join(datadir, "chain");
  const file = checkLmdbFile(path);
  if (file.kind !== "ok")
    throw new StoreDamagedError(path, `${LMDB_DATA_FILE} is ${file.kind === "absent" ? "missing" : "empty"}`);
  const lmdb = readingStore(path, () => LmdbState.openReadOnly(path));
  try {
    const { store, meta } = readingStore(path, () => {
      const store = new ChainStore(lmdb);
      if (store.genesis() === undefined) throw new StoreDamagedError(path, "it holds no chain (no genesis record)");
      return { store, meta: lmdb.head() };
    });
    const { head, stateRoot } = verifyChainStore(lmdb, store, path, meta?.number ?? 0n);
    return {
      head: head.header.number,
      headHash: head.hash,
      stateRoot,
      stateMatchesHead: meta?.stateRoot !== undefined,
      fileBytes: file.fileBytes,
    };
  } finally {
    await lmdb.close();
  }
}

/**
 * Runs `read` on the store at `path`: an error it throws (LMDB's MDB_CORRUPTED / MDB_PAGE_NOTFOUND,
 * a record that does not decode) is damage.
 */
export function readingStore<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof StoreDamagedError) throw error;
    throw new StoreDamagedError(path, `a record cannot be read (${(error as Error).message})`);
  }
}

function checkLinks(store: ChainStore, lmdb: LmdbState, path: string, head: Block, blocks: bigint): void {
  const damaged = (n: bigint, what: string) => new StoreDamagedError(path, `block ${n}: ${what}`);
  let child: { number: bigint; parentHash: bigint } = { number: head.header.number + 1n, parentHash: head.hash };
  const genesis = store.genesis();
  // A fork's first block is the upstream's block N: nothing below it is stored.
  const first = (genesis === undefined ? undefined : store.numberOf(genesis.hash)) ?? 0n;
  const lowest = head.header.number - first > blocks ? head.header.number - blocks : first;
  for (let n = head.header.number; n >= lowest; n--) {
    const stored = store.headerAndHash(n);
    if (stored === undefined) throw damaged(n, "its header is missing");
    if (stored.header.number !== n) throw damaged(n, `its header says block ${stored.header.number}`);
    if (stored.hash !== child.parentHash) throw damaged(n, `its hash is not block ${child.number}'s parent hash`);
    if (store.numberOf(stored.hash) !== n) throw damaged(n, "it is missing from the hash index");
    if (lmdb.storedBlockHash(n) !== stored.hash) throw damaged(n, "its BLOCKHASH record differs from its hash");
    if (!store.hasBodyAndReceipts(n)) throw damaged(n, "its transactions or receipts are missing");
    child = { number: n, parentHash: stored.header.parentHash };
  }
  if (lowest === first && (genesis === undefined || genesis.hash !== store.headerAndHash(first)?.hash)) {
    throw damaged(first, "it is not the genesis the store records");
  }
}
