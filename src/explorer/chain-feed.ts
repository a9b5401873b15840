// What the page knows of the chain: the newest blocks with their transactions, fetched as each
// newHeads notification arrives, an index of the transactions each address sent or received (from
// the blocks seen or scanned), and the throughput window the charts draw.
import { num } from "./format.js";
import { RateWindow } from "./rates.js";
import type { HeadEvent, NodeClient } from "./rpc-client.js";

export interface RpcTransaction {
  hash: string;
  from: string;
  to: string | null;
  value: string;
  nonce: string;
  gas: string;
  input: string;
  blockNumber: string;
  blockHash: string;
  transactionIndex: string;
}

export interface RpcBlock {
  number: string;
  hash: string;
  parentHash: string;
  timestamp: string;
  gasUsed: string;
  gasLimit: string;
  miner: string;
  baseFeePerGas?: string;
  transactions: RpcTransaction[];
}

/** How many of the newest blocks the page keeps (and loads when it opens). */
export const KEPT_BLOCKS = 50;
/** Transactions kept per address, and addresses kept: a busy chain must not fill the tab's memory. */
const TXS_PER_ADDRESS = 100;
const ADDRESSES = 10_000;

export class ChainFeed {
  /** Newest first. */
  readonly blocks: RpcBlock[] = [];
  readonly rates = new RateWindow(60);
  /** The lowest block number fetched so far (scans go down from it). */
  private lowestFetched: number | undefined;
  private readonly byAddress = new Map<string, RpcTransaction[]>();
  private readonly listeners = new Set<() => void>();
  /** Heads are fetched one after another, in order. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly client: NodeClient) {}

  /** Loads the newest KEPT_BLOCKS blocks. */
  async loadRecent(): Promise<void> {
    const head = num(await this.client.call<string>("eth_blockNumber"));
    const numbers: number[] = [];
    for (let n = head; n >= 0 && n > head - KEPT_BLOCKS; n--) numbers.push(n);
    const blocks = await Promise.all(numbers.map((n) => this.fetchBlock(n)));
    for (const block of blocks.reverse()) if (block !== null) this.keep(block);
    this.notify();
  }

  /** A newHeads notification: fetch its block (in order with the ones before it). */
  onHead(head: HeadEvent): void {
    const arrivedMs = Date.now();
    this.queue = this.queue.then(async () => {
      const block = await this.client.call<RpcBlock | null>("eth_getBlockByHash", [head.hash, true]).catch(() => null);
      if (block === null) return;
      this.rates.add(arrivedMs, block.transactions.length, num(block.gasUsed));
      this.keep(block);
      this.notify();
    });
  }

  /** Reads `count` more blocks below the lowest one fetched, for the address index; how many it read. */
  async scanOlder(count: number): Promise<number> {
    const top = (this.lowestFetched ?? 0) - 1;
    const numbers: number[] = [];
    for (let n = top; n >= 0 && n > top - count; n--) numbers.push(n);
    const blocks = await Promise.all(numbers.map((n) => this.fetchBlock(n)));
    for (const block of blocks) if (block !== null) this.index(block);
    this.notify();
    return numbers.length;
  }

  /** True when every block down to genesis has been read. */
  get scannedToGenesis(): boolean {
    return this.lowestFetched === 0;
  }

  /** The lowest block number read (undefined before the first). */
  get lowestBlock(): number | undefined {
    return this.lowestFetched;
  }

  /** Transactions from or to `address` in the blocks read, newest first. */
  transactionsOf(address: string): readonly RpcTransaction[] {
    return this.byAddress.get(address.toLowerCase()) ?? [];
  }

  /** Calls `listener` after each change; the returned function stops that. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private fetchBlock(n: number): Promise<RpcBlock | null> {
    return this.client.call<RpcBlock | null>("eth_getBlockByNumber", [`0x${n.toString(16)}`, true]);
  }

  private keep(block: RpcBlock): void {
    // A reorg (anvil_reset, evm_revert) replaces blocks from its number up.
    const n = num(block.number);
    while (this.blocks.length > 0 && num(this.blocks[0]!.number) >= n) this.blocks.shift();
    this.blocks.unshift(block);
    if (this.blocks.length > KEPT_BLOCKS) this.blocks.length = KEPT_BLOCKS;
    this.index(block);
  }

  private index(block: RpcBlock): void {
    const n = num(block.number);
    this.lowestFetched = Math.min(this.lowestFetched ?? n, n);
    for (const tx of block.transactions) {
      for (const address of new Set([tx.from, tx.to].filter((a): a is string => a !== null))) {
        const key = address.toLowerCase();
        const list = this.byAddress.get(key) ?? [];
        if (list.some((known) => known.hash === tx.hash)) continue;
        list.push(tx);
        // Newest first, whatever order blocks were read in.
        list.sort(
          (a, b) => num(b.blockNumber) - num(a.blockNumber) || num(b.transactionIndex) - num(a.transactionIndex),
        );
        if (list.length > TXS_PER_ADDRESS) list.length = TXS_PER_ADDRESS;
        this.byAddress.delete(key);
        this.byAddress.set(key, list);
        // The least recently active address goes first.
        if (this.byAddress.size > ADDRESSES) this.byAddress.delete(this.byAddress.keys().next().value!);
      }
    }
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
