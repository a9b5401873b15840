// The main thread's side of the rolling commit: committed transactions, in order, become receipts and
// the block's net writes (BlockBuilder) while the workers go on with later ones. A transaction's
// writes are read back from the multi-version memory, its receipt fields from its encoded result.
import type { AccountWrite } from "../../evm/host.js";
import { ByteReader } from "../../threads/byte-codec.js";
import type { InvalidTransactionError, TxInput } from "../types.js";
import type { BlockBuilder } from "./block-builder.js";
import type { MVMemory, WriteSink } from "./mv-memory.js";
import type { OwnOutcomes } from "./own-outcomes.js";
import { decodeTxResult } from "./tx-result.js";

export interface Rejection {
  txIndex: number;
  error: InvalidTransactionError;
}

/** Entries of the committer's cache of storage maps by address record (a power of two). */
const MERGE_CACHE = 256;

export class Committer implements WriteSink {
  /** Transactions taken into the block so far. */
  taken = 0;
  /** One reader over the shared arena, moved to each result. */
  private readonly reader: ByteReader;
  private readonly coinbase: bigint;
  /**
   * The overlay's storage maps that slot writes merge into, by the address's record (direct-mapped):
   * a contract whose storage most transactions change is looked up in the overlay (a BigInt-keyed
   * map) once, not once a transaction. Valid while the overlay's `replaced` is `mergeEpoch`.
   */
  private readonly mergeRecords = new Int32Array(MERGE_CACHE);
  private readonly mergeMaps: (Map<bigint, bigint> | undefined)[] = new Array<Map<bigint, bigint> | undefined>(
    MERGE_CACHE,
  ).fill(undefined);
  private mergeEpoch = 0;

  constructor(
    private readonly txs: readonly TxInput[],
    private readonly builder: BlockBuilder,
    private readonly memory: MVMemory,
    /** The outcomes this thread executed itself, taken as they are (the rest is read back). */
    private readonly own?: OwnOutcomes,
  ) {
    this.reader = new ByteReader(memory.arena.bytes);
    this.coinbase = builder.block.coinbase;
  }

  /**
   * Takes committed transactions up to `upTo`. The first that is invalid or does not fit rejects the
   * block (committed results equal sequential ones, so it is the one sequential execution stops at);
   * one that threw rethrows. Writes go from the shared memory into the block's overlay directly, as
   * BlockBuilder.add would merge them.
   */
  take(upTo: number): Rejection | undefined {
    for (; this.taken < upTo; this.taken++) {
      const i = this.taken;
      const tx = this.txs[i]!;
      const unfit = this.builder.fits(i, tx);
      if (unfit !== undefined) return { txIndex: i, error: unfit };
      const outcome = this.own?.take(i);
      if (outcome !== undefined) {
        this.builder.add(tx, outcome, true);
        continue;
      }
      this.reader.pos = this.memory.resultAt(i);
      const result = decodeTxResult(this.reader, this.memory.words);
      if (result.kind === "thrown") throw result.error;
      if (result.kind === "invalid") return { txIndex: i, error: result.error };
      this.builder.addReceipt(tx, result);
      this.memory.forEachWrite(i, this);
    }
    return undefined;
  }

  storageToMerge(address: bigint, record: number): Map<bigint, bigint> | undefined {
    const overlay = this.builder.overlay;
    if (overlay.replaced !== this.mergeEpoch) {
      this.mergeMaps.fill(undefined);
      this.mergeEpoch = overlay.replaced;
    }
    const i = record & (MERGE_CACHE - 1);
    const cached = this.mergeMaps[i];
    if (cached !== undefined && this.mergeRecords[i] === record) return cached;
    // The coinbase's is never kept: its fees go in first, every time.
    if (address === this.coinbase) {
      this.builder.beforeCoinbaseWrite();
      return overlay.storageToMerge(address);
    }
    const storage = overlay.storageToMerge(address);
    if (storage !== undefined) {
      this.mergeRecords[i] = record;
      this.mergeMaps[i] = storage;
    }
    return storage;
  }

  account(address: bigint, write: AccountWrite): void {
    if (address === this.coinbase) this.builder.beforeCoinbaseWrite();
    // Built for this call only: the overlay may take it over.
    this.builder.overlay.applyAccount(address, write, true);
  }

  fee(fee: bigint): void {
    this.builder.addFee(fee);
  }
}
