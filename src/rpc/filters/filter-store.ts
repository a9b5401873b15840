// Installed filters (eth_newFilter, eth_newBlockFilter, eth_newPendingTransactionFilter). Each
// collects what arrives through the node's events until polled by eth_getFilterChanges; a filter not
// polled for limits.filterTimeoutSeconds is removed, as geth does.
import { randomBytes } from "node:crypto";
import type { Block, DroppedBlock, SignedTransaction, TransactionReceipt } from "../../chain/types.js";
import { wordToHex } from "../../primitives/hex.js";
import type { RpcEvents, RpcLimits } from "../context.js";
import { limitExceeded } from "../errors.js";
import { blockLogs, type LogQuery } from "./log-filter.js";
import { removedLogs } from "./removed-logs.js";

export type FilterKind = "logs" | "blocks" | "pendingTransactions";

export interface Filter {
  kind: FilterKind;
  /** Log filters only. */
  query?: LogQuery;
  /** Collected since the last poll: RPC-form logs, or block / transaction hashes. */
  changes: unknown[];
  lastPoll: number;
}

/** A filter id in geth's form: 16 random bytes as hex. */
export function newId(): string {
  return `0x${randomBytes(16).toString("hex")}`;
}

export class FilterStore {
  private readonly filters = new Map<string, Filter>();
  private detach: (() => void)[] = [];

  constructor(
    private readonly events: RpcEvents,
    private readonly limits: RpcLimits,
    /** Milliseconds now (tests pass their own clock). */
    private readonly now: () => number = Date.now,
  ) {}

  install(kind: FilterKind, query?: LogQuery): string {
    this.expire();
    if (this.filters.size >= this.limits.maxFilters) {
      throw limitExceeded(`too many installed filters (limit ${this.limits.maxFilters}); uninstall some`);
    }
    const id = newId();
    const filter: Filter = { kind, changes: [], lastPoll: this.now() };
    if (query !== undefined) filter.query = query;
    this.filters.set(id, filter);
    this.attach();
    return id;
  }

  get(id: string): Filter | undefined {
    this.expire();
    return this.filters.get(id);
  }

  /** What the filter collected since the last call, which empties it. */
  takeChanges(id: string): unknown[] | undefined {
    const filter = this.get(id);
    if (filter === undefined) return undefined;
    filter.lastPoll = this.now();
    const changes = filter.changes;
    filter.changes = [];
    return changes;
  }

  uninstall(id: string): boolean {
    const removed = this.filters.delete(id);
    if (this.filters.size === 0) this.stop();
    return removed;
  }

  get size(): number {
    return this.filters.size;
  }

  /** Removes every filter and stops listening. */
  close(): void {
    this.filters.clear();
    this.stop();
  }

  private onBlock(block: Block, receipts: TransactionReceipt[]): void {
    this.expire();
    const number = block.header.number;
    for (const filter of this.filters.values()) {
      if (filter.kind === "blocks") filter.changes.push(wordToHex(block.hash));
      else if (filter.kind === "logs" && filter.query !== undefined && inRange(filter.query, number, block.hash)) {
        for (const log of blockLogs(receipts, filter.query.criteria, block.header.timestamp)) filter.changes.push(log);
      }
    }
  }

  /**
   * A rewind: log filters get the dropped blocks' matching logs again with removed: true (as geth's
   * filters do); block filters get nothing (they report only the new heads that follow).
   */
  private onBlocksDropped(dropped: readonly DroppedBlock[]): void {
    this.expire();
    for (const filter of this.filters.values()) {
      const q = filter.query;
      if (filter.kind !== "logs" || q === undefined) continue;
      for (const log of removedLogs(dropped, q.criteria, (b) => inRange(q, b.header.number, b.hash))) {
        filter.changes.push(log);
      }
    }
  }

  private onPendingTx(tx: SignedTransaction): void {
    for (const filter of this.filters.values()) {
      if (filter.kind === "pendingTransactions") filter.changes.push(wordToHex(tx.hash));
    }
  }

  /** Listen only while some filter is installed. */
  private attach(): void {
    if (this.detach.length > 0) return;
    this.detach = [
      this.events.onBlock((block, receipts) => this.onBlock(block, receipts)),
      this.events.onPendingTx((tx) => this.onPendingTx(tx)),
      this.events.onBlocksDropped((dropped) => this.onBlocksDropped(dropped)),
    ];
  }

  private stop(): void {
    for (const off of this.detach) off();
    this.detach = [];
  }

  private expire(): void {
    const cutoff = this.now() - this.limits.filterTimeoutSeconds * 1000;
    for (const [id, filter] of this.filters) if (filter.lastPoll < cutoff) this.filters.delete(id);
    if (this.filters.size === 0) this.stop();
  }
}

/** A new (or dropped) block's logs count for a log filter when its number lies in the filter's numeric bounds. */
function inRange(q: LogQuery, number: bigint, hash: bigint): boolean {
  if (q.blockHash !== undefined) return q.blockHash === hash;
  if (q.fromBlock.kind === "number" && number < q.fromBlock.number) return false;
  if (q.toBlock.kind === "number" && number > q.toBlock.number) return false;
  // toBlock "earliest" can never see a new block.
  if (q.toBlock.kind === "tag" && q.toBlock.tag === "earliest") return false;
  return true;
}
