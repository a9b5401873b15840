// A call worker's view of the chain: one LMDB read transaction (everything it reads is of one commit),
// narrowed to the head the main thread pinned. Blocks committed since the request arrived are hidden
// and their state changes undone through the undo records, as Chain.stateAt does for past blocks.
import type { ChainStore, TransactionLocation } from "../../chain/chain-store.js";
import { decodeUndo, HistoricalState, type HistorySource } from "../../chain/history.js";
import type { Block, BlockHeader, TransactionReceipt } from "../../chain/types.js";
import type { BlockEnv, Host } from "../../evm/host.js";
import type { LmdbState } from "../../state/lmdb-state.js";
import type { VersionReadCache } from "../../state/version-read-cache.js";
import type { RpcChain } from "../context.js";
import type { CallPin } from "./messages.js";

/** The worker's view does not hold the pinned head (a revert dropped it): the request must be pinned again. */
export class StalePin extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StalePin";
  }
}

/** Decoded blocks by hash, shared by the requests one worker serves (a hash names one block forever). */
export class BlockCache {
  private readonly blocks = new Map<bigint, Block>();
  constructor(private readonly limit = 64) {}

  get(hash: bigint, load: () => Block | undefined): Block | undefined {
    let block = this.blocks.get(hash);
    if (block === undefined) {
      block = load();
      if (block === undefined || block.hash !== hash) return undefined;
      if (this.blocks.size >= this.limit) this.blocks.delete(this.blocks.keys().next().value as bigint);
      this.blocks.set(hash, block);
    }
    return block;
  }
}

export class PinnedChain implements RpcChain {
  /** The newest block in this read transaction (above the pin when blocks landed since). */
  private readonly newest: bigint;
  private readonly history: HistorySource;

  constructor(
    private readonly lmdb: LmdbState,
    private readonly store: ChainStore,
    readonly chainId: bigint,
    private readonly pin: CallPin,
    private readonly cache: BlockCache,
    private readonly reads: VersionReadCache,
  ) {
    this.newest = lmdb.head()?.number ?? 0n;
    if (this.newest < pin.headNumber || lmdb.blockHash(pin.headNumber) !== pin.headHash) {
      throw new StalePin(`block ${pin.headNumber} is no longer the chain's (head is ${this.newest})`);
    }
    const lastSeq = store.lastSeq();
    this.history = {
      publishedSeq: lastSeq,
      epoch: 0,
      undoFrom: function* (from) {
        for (const [seq, bytes] of store.undoFrom(from)) yield [seq, decodeUndo(bytes)];
      },
      canonicalHash: (n) => {
        const hash = n <= pin.headNumber ? lmdb.blockHash(n) : 0n;
        return hash === 0n ? undefined : hash;
      },
    };
  }

  head(): Block {
    return this.blockByNumber(this.pin.headNumber)!;
  }

  blockByNumber(number: bigint): Block | undefined {
    if (number < 0n || number > this.pin.headNumber) return undefined;
    const hash = this.lmdb.blockHash(number);
    return hash === 0n ? undefined : this.cache.get(hash, () => this.store.block(number));
  }

  headerByHash(hash: bigint): BlockHeader | undefined {
    const number = this.store.numberOf(hash);
    if (number === undefined || number > this.pin.headNumber || this.lmdb.blockHash(number) !== hash) return undefined;
    return this.store.header(number);
  }

  blockByHash(hash: bigint): Block | undefined {
    const number = this.store.numberOf(hash);
    if (number === undefined) return undefined;
    const block = this.blockByNumber(number);
    return block?.hash === hash ? block : undefined;
  }

  transaction(hash: bigint): TransactionLocation | undefined {
    return this.store.locateTransaction(hash, (n) => {
      if (n < 0n || n > this.pin.headNumber) return undefined;
      const hash = this.lmdb.blockHash(n);
      return hash === 0n ? undefined : { hash };
    });
  }

  receipt(hash: bigint): TransactionReceipt | undefined {
    const loc = this.transaction(hash);
    return loc === undefined ? undefined : this.store.receiptAt(loc);
  }

  blockReceipts(number: bigint): TransactionReceipt[] {
    if (number < 0n || number > this.pin.headNumber) return [];
    const hash = this.lmdb.blockHash(number);
    // Its transactions' fields for the receipts from the stored body: the block is not decoded.
    return hash === 0n ? [] : this.store.storedReceipts(number, hash);
  }

  state(): Host {
    return this.stateAt(this.pin.headNumber);
  }

  stateAt(number: bigint): Host {
    if (number < 0n || number > this.pin.headNumber) {
      throw new Error(`block ${number} is not in the chain (head is ${this.pin.headNumber})`);
    }
    // The newest block's state, dev edits since included, is the read transaction's own; what earlier
    // requests read of the same state version is kept.
    if (number === this.newest) return this.reads.over(this.lmdb, this.lmdb.stateVersion());
    const from = this.store.blockSeq(number + 1n);
    if (from === undefined) throw new Error(`chain store: block ${number + 1n} has no undo record`);
    return new HistoricalState(this.lmdb, this.history, number, this.lmdb.blockHash(number), from);
  }

  nextBlockEnv(timestamp: bigint): BlockEnv {
    return { ...this.pin.nextEnv, timestamp };
  }
}
