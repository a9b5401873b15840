// Follows the chain while the benchmark runs: a WebSocket newHeads subscription gives each block's
// arrival time; each new block's transaction hashes come from eth_getBlockByNumber (one request per
// block, on a connection of its own), and every hash the bench sent gets its inclusion latency:
// the head's arrival minus the moment its batch went out.
import { performance } from "node:perf_hooks";
import type WebSocket from "ws";
import { type HttpTransport, openWebSocket, rpcCall } from "./rpc-client.js";

export interface BlockSeen {
  number: number;
  /** performance.now() when its head arrived (for a block whose head was skipped: the next head's). */
  arrival: number;
  /** The bench's transactions in it. */
  txs: number;
  /** Transactions the bench did not send. */
  foreign: number;
  gasUsed: bigint;
  baseFee: bigint;
}

interface HeadBlock {
  number: string;
  gasUsed: string;
  baseFeePerGas?: string;
  transactions: string[];
}

export interface TrackerOptions {
  wsUrl: string;
  /** A connection for block fetches only (so they never queue behind the send batches). */
  http: HttpTransport;
  /** Lower-case 0x hash -> transaction index. */
  hashIndex: ReadonlyMap<string, number>;
  /** When transaction k's batch went out (performance.now()); NaN if not yet. */
  sentAt(k: number): number;
  /** Fails the run when no transaction of the bench reaches a block for this long. */
  stallMs: number;
}

export class InclusionTracker {
  included = 0;
  foreign = 0;
  /** Transactions the bench expects in blocks (the count sent less those the node rejected). */
  expected: number;
  lastArrival = Number.NaN;
  readonly blocks: BlockSeen[] = [];
  /** Milliseconds from send to block arrival by transaction index; NaN until included. */
  readonly latency: Float64Array;
  private readonly listeners: (() => void)[] = [];
  private ws!: WebSocket;
  private lastQueued = 0;
  private fetching: Promise<void> = Promise.resolve();
  private failure: Error | undefined;
  private lastProgress = performance.now();
  /** performance.now() of the last block that held one of the bench's transactions (or of the start). */
  get lastProgressAt(): number {
    return this.lastProgress;
  }
  private stallTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly o: TrackerOptions,
    expected: number,
  ) {
    this.expected = expected;
    this.latency = new Float64Array(o.hashIndex.size).fill(Number.NaN);
  }

  /** Subscribes to newHeads; blocks up to the current head are not the bench's. */
  static async start(o: TrackerOptions, expected: number): Promise<InclusionTracker> {
    const t = new InclusionTracker(o, expected);
    t.ws = await openWebSocket(o.wsUrl);
    const subscribed = new Promise<void>((resolve, reject) => {
      t.ws.once("message", (data: Buffer) => {
        const r = JSON.parse(data.toString()) as { result?: string; error?: { message: string } };
        if (typeof r.result === "string") resolve();
        else reject(new Error(`eth_subscribe newHeads failed: ${r.error?.message ?? data.toString()}`));
      });
    });
    t.ws.send(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_subscribe", params: ["newHeads"] }));
    await subscribed;
    t.lastQueued = Number(BigInt(await rpcCall<string>(o.http, "eth_blockNumber")));
    t.ws.on("message", (data: Buffer) => t.onMessage(data, performance.now()));
    t.ws.on("close", () => t.fail(new Error("the newHeads WebSocket closed during the run")));
    return t;
  }

  /** Tells every listener; over a copy, as a waitFor listener removes itself. */
  private notify(): void {
    for (const l of [...this.listeners]) l();
  }

  /** Calls `listener` after every processed block (progress, the send window). */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  private onMessage(data: Buffer, arrival: number): void {
    let msg: { method?: string; params?: { result?: { number?: string } } };
    try {
      msg = JSON.parse(data.toString());
    } catch {
      return;
    }
    const hex = msg.method === "eth_subscription" ? msg.params?.result?.number : undefined;
    if (hex === undefined) return;
    const n = Number(BigInt(hex));
    // Heads skipped (or not sent) are fetched too, timed by this arrival: an upper bound.
    for (let b = this.lastQueued + 1; b <= n; b++) {
      this.fetching = this.fetching.then(() => this.fetchBlock(b, arrival)).catch((err) => this.fail(err as Error));
    }
    if (n > this.lastQueued) this.lastQueued = n;
  }

  private async fetchBlock(n: number, arrival: number): Promise<void> {
    if (this.failure) return;
    const block = await rpcCall<HeadBlock | null>(this.o.http, "eth_getBlockByNumber", [`0x${n.toString(16)}`, false]);
    if (block === null) throw new Error(`the node announced block ${n} but eth_getBlockByNumber returns null`);
    let ours = 0;
    let foreign = 0;
    for (const h of block.transactions) {
      const k = this.o.hashIndex.get(h.toLowerCase());
      if (k === undefined || !Number.isNaN(this.latency[k]!)) {
        foreign++;
        continue;
      }
      this.latency[k] = arrival - this.o.sentAt(k);
      ours++;
    }
    this.blocks.push({
      number: n,
      arrival,
      txs: ours,
      foreign,
      gasUsed: BigInt(block.gasUsed),
      baseFee: BigInt(block.baseFeePerGas ?? "0x0"),
    });
    this.foreign += foreign;
    if (ours > 0) {
      this.included += ours;
      this.lastArrival = arrival;
      this.lastProgress = performance.now();
    }
    this.notify();
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    this.notify();
  }

  /** Resolves once `expected` transactions are in blocks; rejects on a failure or a stall. */
  waitAll(): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.failure) return finish(this.failure);
        if (this.included >= this.expected) return finish();
      };
      const finish = (err?: Error) => {
        if (this.stallTimer) clearInterval(this.stallTimer);
        this.stallTimer = undefined;
        if (err) reject(err);
        else resolve();
      };
      this.lastProgress = performance.now();
      this.stallTimer = setInterval(() => {
        const idle = performance.now() - this.lastProgress;
        if (idle > this.o.stallMs) {
          this.fail(
            new Error(
              `no transaction reached a block for ${Math.round(idle / 1000)} s ` +
                `(${this.included} of ${this.expected} included; see --stall)`,
            ),
          );
        }
      }, 1000);
      this.onChange(check);
      check();
    });
  }

  /** Resolves once `condition` holds, checked now and after each processed block; rejects on a failure. */
  waitFor(condition: () => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.failure === undefined && !condition()) return;
        this.listeners.splice(this.listeners.indexOf(check), 1);
        if (this.failure !== undefined) reject(this.failure);
        else resolve();
      };
      this.listeners.push(check);
      check();
    });
  }

  /** Re-checks completion (after `expected` went down). */
  poke(): void {
    this.notify();
  }

  async close(): Promise<void> {
    if (this.stallTimer) clearInterval(this.stallTimer);
    this.ws.removeAllListeners("close");
    this.ws.terminate();
    await this.fetching;
  }
}
