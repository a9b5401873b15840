// A plain implementation of RpcEvents for the node (H6 emits into it after each block and pooled tx).
import type { Block, SignedTransaction, TransactionReceipt } from "../chain/types.js";
import type { BlockListener, PendingTxListener, RpcEvents } from "./context.js";

export class EventBus implements RpcEvents {
  private readonly blockListeners = new Set<BlockListener>();
  private readonly pendingListeners = new Set<PendingTxListener>();

  onBlock(listener: BlockListener): () => void {
    this.blockListeners.add(listener);
    return () => this.blockListeners.delete(listener);
  }

  onPendingTx(listener: PendingTxListener): () => void {
    this.pendingListeners.add(listener);
    return () => this.pendingListeners.delete(listener);
  }

  /** How many listeners are attached (tests check subscriptions are released). */
  listenerCount(): { blocks: number; pendingTxs: number } {
    return { blocks: this.blockListeners.size, pendingTxs: this.pendingListeners.size };
  }

  /** Tells every listener about a new canonical block; a throwing listener does not stop the others. */
  emitBlock(block: Block, receipts: TransactionReceipt[]): void {
    for (const listener of [...this.blockListeners]) guard(() => listener(block, receipts));
  }

  emitPendingTx(tx: SignedTransaction): void {
    for (const listener of [...this.pendingListeners]) guard(() => listener(tx));
  }
}

function guard(run: () => void): void {
  try {
    run();
  } catch (error) {
    // A listener's bug must not break block production; report it where an operator sees it.
    console.error("weft rpc: event listener failed:", error);
  }
}
