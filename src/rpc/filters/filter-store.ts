// Installed filters (eth_newFilter, eth_newBlockFilter, eth_newPendingTransactionFilter). Each
// collects what arrives through the node's events until polled by eth_getFilterChanges; a filter not
// polled for limits.filterTimeoutSeconds is removed, as geth does. One client (a WebSocket, or an HTTP
// remote address) may hold limits.maxFiltersPerClient filters; when all clients together reach
// limits.maxFilters, the least recently polled filter makes room (a refusal would let one client lock
// every other out until its filters time out). A filter installed over a WebSocket goes when it closes.
// A filter that collects more than limits.maxLogsResults changes unpolled is removed too: its next
// poll fails "filter not found" (with the reason), which clients such as viem answer by installing
// it again. Keeping only the newest instead would hand the client a gap it cannot see.
import { randomBytes } from "node:crypto";
import type { Block, DroppedBlock, SignedTransaction, TransactionReceipt } from "../../chain/types.js";
import { wordToHex } from "../../primitives/hex.js";
import type { RpcEvents, RpcLimits } from "../context.js";
import { limitExceeded } from "../errors.js";
import { RequestCancelled } from "../work-slicer.js";
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
  /** The client that installed it (counted against its cap). */
  client?: string;
  /** The installing WebSocket's close signal. */
  closed?: AbortSignal;
}

/** Who installs a filter. */
export interface FilterOwner {
  /** CallInfo.client: whose per-client cap it counts against. */
  client?: string | undefined;
  /** Aborted when the WebSocket that installed it closes: the filter is removed then. */
  closed?: AbortSignal | undefined;
}

/** A filter id in geth's form: 16 random bytes as hex. */
export function newId(): string {
  return `0x${randomBytes(16).toString("hex")}`;
}

export class FilterStore {
  /** In order of last poll, least recent first (a poll moves its filter to the end). */
  private readonly filters = new Map<string, Filter>();
  private readonly perClient = new Map<string, number>();
  /** Per WebSocket close signal, its filters and the one listener that removes them all. */
  private readonly bySocket = new Map<AbortSignal, { ids: Set<string>; onClose: () => void }>();
  private detach: (() => void)[] = [];
  /** Ids of filters removed for too many unpolled changes, oldest first, so a poll can say why. */
  private readonly overflowed = new Set<string>();

  constructor(
    private readonly events: RpcEvents,
    private readonly limits: RpcLimits,
    /** Milliseconds now (tests pass their own clock). */
    private readonly now: () => number = Date.now,
  ) {}

  install(kind: FilterKind, query?: LogQuery, owner: FilterOwner = {}): string {
    this.expire();
    const { client, closed } = owner;
    if (client !== undefined && this.countOf(client) >= this.limits.maxFiltersPerClient) {
      throw limitExceeded(
        `too many filters for this client (limit ${this.limits.maxFiltersPerClient}); uninstall some with eth_uninstallFilter`,
      );
    }
    // The socket closed while the request waited: nobody could poll or uninstall the filter.
    if (closed?.aborted) throw new RequestCancelled();
    for (const id of this.filters.keys()) {
      if (this.filters.size < this.limits.maxFilters) break;
      this.remove(id);
    }
    const id = newId();
    const filter: Filter = { kind, changes: [], lastPoll: this.now() };
    if (query !== undefined) filter.query = query;
    if (client !== undefined) {
      filter.client = client;
      this.perClient.set(client, this.countOf(client) + 1);
    }
    if (closed !== undefined) {
      filter.closed = closed;
      this.watchSocket(closed).add(id);
    }
    this.filters.set(id, filter);
    this.attach();
    return id;
  }

  /** The ids of the filters installed over the socket that `closed` belongs to (one listener per socket). */
  private watchSocket(closed: AbortSignal): Set<string> {
    let watched = this.bySocket.get(closed);
    if (watched === undefined) {
      const ids = new Set<string>();
      const onClose = () => {
        for (const id of [...ids]) this.uninstall(id);
      };
      closed.addEventListener("abort", onClose, { once: true });
      watched = { ids, onClose };
      this.bySocket.set(closed, watched);
    }
    return watched.ids;
  }

  /** How many filters `client` holds. */
  countOf(client: string): number {
    return this.perClient.get(client) ?? 0;
  }

  get(id: string): Filter | undefined {
    this.expire();
    return this.filters.get(id);
  }

  /** Why `id` is gone, when it was removed for collecting too much unpolled (said once). */
  takeOverflowReason(id: string): string | undefined {
    if (!this.overflowed.delete(id)) return undefined;
    return `it collected more than ${this.limits.maxLogsResults} changes unpolled; install it again and poll more often`;
  }

  /** What the filter collected since the last call, which empties it. */
  takeChanges(id: string): unknown[] | undefined {
    const filter = this.get(id);
    if (filter === undefined) return undefined;
    filter.lastPoll = this.now();
    this.filters.delete(id);
    this.filters.set(id, filter);
    const changes = filter.changes;
    filter.changes = [];
    return changes;
  }

  uninstall(id: string): boolean {
    const removed = this.remove(id);
    if (this.filters.size === 0) this.stop();
    return removed;
  }

  private remove(id: string): boolean {
    const filter = this.filters.get(id);
    if (filter === undefined) return false;
    this.filters.delete(id);
    if (filter.closed !== undefined) this.unwatchSocket(filter.closed, id);
    if (filter.client !== undefined) {
      const left = this.countOf(filter.client) - 1;
      if (left > 0) this.perClient.set(filter.client, left);
      else this.perClient.delete(filter.client);
    }
    return true;
  }

  private unwatchSocket(closed: AbortSignal, id: string): void {
    const watched = this.bySocket.get(closed);
    if (watched === undefined) return;
    watched.ids.delete(id);
    if (watched.ids.size > 0) return;
    closed.removeEventListener("abort", watched.onClose);
    this.bySocket.delete(closed);
  }

  get size(): number {
    return this.filters.size;
  }

  /** Removes every filter and stops listening. */
  close(): void {
    for (const id of [...this.filters.keys()]) this.remove(id);
    this.stop();
  }

  /** Adds to a filter's changes; past the cap the filter is removed (see the top of this file). */
  private collect(id: string, filter: Filter, items: Iterable<unknown>): void {
    for (const item of items) {
      if (filter.changes.length >= this.limits.maxLogsResults) {
        this.uninstall(id);
        this.overflowed.add(id);
        // Remember only as many as there may be filters: the set stays bounded.
        for (const old of this.overflowed) {
          if (this.overflowed.size <= this.limits.maxFilters) break;
          this.overflowed.delete(old);
        }
        return;
      }
      filter.changes.push(item);
    }
  }

  private onBlock(block: Block, receipts: TransactionReceipt[]): void {
    this.expire();
    const number = block.header.number;
    for (const [id, filter] of this.filters) {
      if (filter.kind === "blocks") this.collect(id, filter, [wordToHex(block.hash)]);
      else if (filter.kind === "logs" && filter.query !== undefined && inRange(filter.query, number, block.hash)) {
        this.collect(id, filter, blockLogs(receipts, filter.query.criteria, block.header.timestamp));
      }
    }
  }

  /**
   * A rewind: log filters get the dropped blocks' matching logs again with removed: true (as geth's
   * filters do); block filters get nothing (they report only the new heads that follow).
   */
  private onBlocksDropped(dropped: readonly DroppedBlock[]): void {
    this.expire();
    for (const [id, filter] of this.filters) {
      const q = filter.query;
      if (filter.kind !== "logs" || q === undefined) continue;
      this.collect(
        id,
        filter,
        removedLogs(dropped, q.criteria, (b) => inRange(q, b.header.number, b.hash)),
      );
    }
  }

  private onPendingTx(tx: SignedTransaction): void {
    for (const [id, filter] of this.filters) {
      if (filter.kind === "pendingTransactions") this.collect(id, filter, [wordToHex(tx.hash)]);
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
    // Least recently polled first: the first one still fresh ends the sweep.
    for (const [id, filter] of this.filters) {
      if (filter.lastPoll >= cutoff) break;
      this.remove(id);
    }
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
