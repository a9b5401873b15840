// Solidity console.log lines of mined transactions, printed at info after their block, as anvil does.
// Blocks execute without a tracer, so each block that may have logged (one that creates a contract
// or calls code) is replayed on a call worker (src/rpc/console/block-console.ts), one block after
// the other so lines keep the chain's order. Only constructed when the node logs at info.
import type { Block } from "../chain/types.js";
import { bigintToHex, wordToHex } from "../primitives/hex.js";
import { BLOCK_CONSOLE_LINES } from "../rpc/call-pool/methods.js";
import type { TxConsoleLines } from "../rpc/console/block-console.js";
import type { Logger } from "./log.js";

/** Blocks waiting for their replay before later ones are skipped (the node is busier than its workers). */
export const MAX_CONSOLE_BACKLOG = 256;

export interface MinedConsoleLogOptions {
  /** Runs an internal call-worker method (CallPool.run with the node's context). */
  run(method: string, params: readonly unknown[]): Promise<unknown>;
  /** Whether an address has code (at the head). */
  hasCode(address: bigint): boolean;
  log: Logger;
}

export class MinedConsoleLog {
  private tail: Promise<void> = Promise.resolve();
  private backlog = 0;
  private closed = false;

  constructor(private readonly options: MinedConsoleLogOptions) {}

  onBlock(block: Block): void {
    if (this.closed || !block.transactions.some((tx) => tx.to === null || this.options.hasCode(tx.to))) return;
    const number = block.header.number;
    if (this.backlog >= MAX_CONSOLE_BACKLOG) {
      this.options.log.warn(`console.log lines of block ${number} not printed: ${this.backlog} blocks wait for theirs`);
      return;
    }
    this.backlog++;
    const params = [bigintToHex(number), wordToHex(block.hash)];
    this.tail = this.tail
      .then(() => this.options.run(BLOCK_CONSOLE_LINES, params))
      .then((printed) => this.print(printed as TxConsoleLines[]))
      .catch((error: Error) => {
        if (!this.closed) this.options.log.warn(`console.log lines of block ${number} not printed: ${error.message}`);
      })
      .finally(() => {
        this.backlog--;
      });
  }

  private print(printed: TxConsoleLines[]): void {
    for (const { txHash, lines } of printed) {
      for (const line of lines) this.options.log.info({ console: true, tx: txHash }, line);
    }
  }

  /** No more replays; resolves once the one running (if any) is answered or refused. */
  close(): Promise<void> {
    this.closed = true;
    return this.tail;
  }
}
