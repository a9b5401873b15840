// A plain implementation of RpcEvents for the node (H6 emits into it after each block, pooled tx and
// rewind that dropped blocks).
import type { Block, DroppedBlock, SignedTransaction, TransactionReceipt } from "../chain/types.js";
import type { BlockListener, BlocksDroppedListener, PendingTxListener, RpcEvents } from "./context.js";

export class EventBus implements RpcEvents {
  private readonly blockListeners = new Set<BlockListener>();
  private readonly pendingListeners = new Set<PendingTxListener>();
  private readonly droppedListeners = new Set<BlocksDroppedListener>();

  onBlock(listener: BlockListener): () => void {
    this.blockListeners.add(listener);
    return () => this.blockListeners.delete(listener);
  }

  onPendingTx(listener: PendingTxListener): () => void {
    this.pendingListeners.add(listener);
    return () => this.pendingListeners.delete(listener);
  }

  onBlocksDropped(listener: BlocksDroppedListener): () => void {
    this.droppedListeners.add(listener);
    return () => this.droppedListeners.delete(listener);
  }

  /** How many listeners are attached (tests check subscriptions are released). */
  listenerCount(): { blocks: number; pendingTxs: number; blocksDropped: number } {
    return {
      blocks: this.blockListeners.size,
      pendingTxs: this.pendingListeners.size,
      blocksDropped: this.droppedListeners.size,
    };
  }

  /** Tells every listener about a new canonical block; a throwing listener does not stop the others. */
  emitBlock(block: Block, receipts: TransactionReceipt[]): void {
    for (const listener of [...this.blockListeners]) guard(() => listener(block, receipts));
  }

  emitPendingTx(tx: SignedTransaction): void {
    for (const listener of [...this.pendingListeners]) guard(() => listener(tx));
  }

  /** Tells every listener which blocks one rewind removed (oldest first); call it once per rewind. */
  emitBlocksDropped(dropped: readonly DroppedBlock[]): void {
    for (const listener of [...this.droppedListeners]) guard(() => listener(dropped));
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
