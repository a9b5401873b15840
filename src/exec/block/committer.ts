// The main thread's side of the rolling commit: committed transactions, in order, become receipts and
// the block's net writes (BlockBuilder) while the workers go on with later ones. A transaction's
// writes are read back from the multi-version memory, its receipt fields from its encoded result.
import type { InvalidTransactionError, TxInput } from "../types.js";
import type { BlockBuilder } from "./block-builder.js";
import type { MVMemory } from "./mv-memory.js";
import { ByteReader } from "./pool/codec.js";
import { decodeTxResult } from "./tx-result.js";

const NO_OUTPUT = new Uint8Array(0);

export interface Rejection {
  txIndex: number;
  error: InvalidTransactionError;
}

export class Committer {
  /** Transactions taken into the block so far. */
  taken = 0;
  /** One reader over the shared arena, moved to each result. */
  private readonly reader: ByteReader;

  constructor(
    private readonly txs: readonly TxInput[],
    private readonly builder: BlockBuilder,
    private readonly memory: MVMemory,
  ) {
    this.reader = new ByteReader(memory.arena.bytes);
  }

  /**
   * Takes committed transactions up to `upTo`. The first that is invalid or does not fit rejects the
   * block (committed results equal sequential ones, so it is the one sequential execution stops at);
   * one that threw rethrows.
   */
  take(upTo: number): Rejection | undefined {
    for (; this.taken < upTo; this.taken++) {
      const i = this.taken;
      const tx = this.txs[i]!;
      const unfit = this.builder.fits(i, tx);
      if (unfit !== undefined) return { txIndex: i, error: unfit };
      this.reader.pos = this.memory.resultAt(i);
      const result = decodeTxResult(this.reader);
      if (result.kind === "thrown") throw result.error;
      if (result.kind === "invalid") return { txIndex: i, error: result.error };
      const { writes, fee } = this.memory.writesOf(i);
      const outcome = {
        valid: true as const,
        status: result.status,
        gasUsed: result.gasUsed,
        logs: result.logs,
        output: NO_OUTPUT,
        writes,
        ...(fee !== undefined ? { coinbaseFee: fee } : {}),
        ...(result.createdAddress !== undefined ? { createdAddress: result.createdAddress } : {}),
      };
      // Rebuilt for this call only: the builder may take the write objects over.
      this.builder.add(tx, outcome, true);
    }
    return undefined;
  }
}
