// Sending: the prepared batch bodies go out over C lanes (one request in flight per connection),
// in order, each lane taking the next batch when its previous one is answered, and none while more
// than `window` transactions are sent but not yet in a block. The node's rejections are counted
// (their transactions will never be mined) and the first few messages kept.
import { performance } from "node:perf_hooks";
import type { InclusionTracker } from "./inclusion.js";
import type { RpcResponse, Transport } from "./rpc-client.js";

/** eth_sendRawTransaction batch bodies: batch b carries transactions [b * size, (b + 1) * size), id = k. */
export function batchBodies(raws: readonly string[], size: number): string[] {
  const bodies: string[] = [];
  for (let start = 0; start < raws.length; start += size) {
    const parts: string[] = [];
    for (let k = start; k < Math.min(raws.length, start + size); k++) {
      parts.push(`{"jsonrpc":"2.0","id":${k},"method":"eth_sendRawTransaction","params":["${raws[k]}"]}`);
    }
    bodies.push(`[${parts.join(",")}]`);
  }
  return bodies;
}

export interface SendOptions {
  transport: Transport;
  bodies: readonly string[];
  /** Transactions per batch (the last may have fewer). */
  batch: number;
  txs: number;
  connections: number;
  window: number;
  tracker: InclusionTracker;
  /** Filled with each batch's send time (performance.now()), read by the tracker. */
  batchSent: Float64Array;
  /** After each answered batch: transactions acknowledged so far. */
  onAck?: (acked: number) => void;
}

export interface SendResult {
  /** performance.now() of the first send. */
  t0: number;
  /** performance.now() when the last batch was answered. */
  lastAck: number;
  rejected: number;
  /** The first few rejections: "tx k: message". */
  errors: string[];
}

export async function sendAll(o: SendOptions): Promise<SendResult> {
  let next = 0;
  let sent = 0;
  let acked = 0;
  let rejected = 0;
  const errors: string[] = [];
  let lastAck = 0;
  let wake: (() => void) | undefined;
  o.tracker.onChange(() => {
    const w = wake;
    wake = undefined;
    w?.();
  });
  const inFlight = () => sent - o.tracker.included - rejected;
  const sizeOf = (b: number) => Math.min(o.batch, o.txs - b * o.batch);

  const t0 = performance.now();
  const lane = async () => {
    for (;;) {
      const b = next++;
      if (b >= o.bodies.length) return;
      while (inFlight() + sizeOf(b) > o.window && inFlight() > 0) {
        await new Promise<void>((resolve) => {
          const prev = wake;
          wake = () => {
            prev?.();
            resolve();
          };
        });
      }
      sent += sizeOf(b);
      o.batchSent[b] = performance.now();
      const text = await o.transport.post(o.bodies[b]!);
      lastAck = performance.now();
      const responses = JSON.parse(text) as RpcResponse[] | RpcResponse;
      if (!Array.isArray(responses)) {
        throw new Error(`batch ${b} was refused as a whole: ${JSON.stringify(responses).slice(0, 300)}`);
      }
      for (const r of responses) {
        if (r.error === undefined) continue;
        rejected++;
        o.tracker.expected--;
        if (errors.length < 5) errors.push(`tx ${String(r.id)}: ${r.error.message}`);
      }
      acked += responses.length;
      if (rejected > 0) o.tracker.poke();
      o.onAck?.(acked);
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.connections, o.bodies.length) }, lane));
  return { t0, lastAck, rejected, errors };
}
