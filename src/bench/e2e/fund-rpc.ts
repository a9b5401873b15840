// Funding on a running node (--rpc): the funding account signs its calls with consecutive nonces,
// sends them in JSON-RPC batches, chunk by chunk (the pool keeps at most 4,096 per sender), and waits
// for every receipt with status 1. Slow next to a genesis, and untimed.
import { privateKeyToAddress } from "../../chain/sign.js";
import { signTransaction } from "../../chain/transaction.js";
import { addressToHex, bytesToHex } from "../../primitives/hex.js";
import type { Progress } from "./progress.js";
import { rpcBatch, rpcBatchResults, rpcCall, type Transport } from "./rpc-client.js";
import type { Fees } from "./sign.js";
import type { Funder, FunderCall } from "./workload.js";

const CHUNK = 1000;
const BATCH = 250;

interface Receipt {
  status: string;
  contractAddress: string | null;
}

export class RpcFunder implements Funder {
  readonly address: bigint;
  private nonce = 0n;

  private constructor(
    private readonly transport: Transport,
    private readonly key: Uint8Array,
    private readonly fees: Fees,
    private readonly progress: Progress,
  ) {
    this.address = privateKeyToAddress(key);
  }

  static async create(transport: Transport, key: Uint8Array, fees: Fees, progress: Progress): Promise<RpcFunder> {
    const f = new RpcFunder(transport, key, fees, progress);
    f.nonce = BigInt(await rpcCall<string>(transport, "eth_getTransactionCount", [addressToHex(f.address), "pending"]));
    return f;
  }

  async balance(): Promise<bigint> {
    return BigInt(await rpcCall<string>(this.transport, "eth_getBalance", [addressToHex(this.address), "latest"]));
  }

  async send(calls: FunderCall[], what: string): Promise<(bigint | undefined)[]> {
    const created: (bigint | undefined)[] = [];
    for (let start = 0; start < calls.length; start += CHUNK) {
      const chunk = calls.slice(start, start + CHUNK).map((c) =>
        signTransaction(
          {
            type: 2,
            chainId: this.fees.chainId,
            nonce: this.nonce++,
            gasLimit: c.gasLimit,
            maxFeePerGas: this.fees.maxFeePerGas,
            maxPriorityFeePerGas: this.fees.maxPriorityFeePerGas,
            to: c.to,
            value: c.value,
            data: c.data,
            accessList: [],
          },
          this.key,
        ),
      );
      const hashes = chunk.map((tx) => `0x${tx.hash.toString(16).padStart(64, "0")}`);
      for (let b = 0; b < chunk.length; b += BATCH) {
        await rpcBatchResults(
          this.transport,
          chunk.slice(b, b + BATCH).map((tx) => ({ method: "eth_sendRawTransaction", params: [bytesToHex(tx.raw)] })),
        );
      }
      const receipts = await this.receipts(hashes, what);
      receipts.forEach((r, i) => {
        if (r.status !== "0x1")
          throw new Error(`funding (${what}): transaction ${hashes[i]} failed (status ${r.status})`);
        created.push(r.contractAddress ? BigInt(r.contractAddress) : undefined);
      });
      this.progress.update(`funding: ${what}: ${Math.min(calls.length, start + CHUNK)}/${calls.length}`, true);
    }
    return created;
  }

  private async receipts(hashes: string[], what: string): Promise<Receipt[]> {
    const out: (Receipt | null)[] = new Array(hashes.length).fill(null);
    const deadline = Date.now() + 10 * 60_000;
    for (;;) {
      const missing = out.flatMap((r, i) => (r === null ? [i] : []));
      if (missing.length === 0) return out as Receipt[];
      if (Date.now() > deadline)
        throw new Error(`funding (${what}): ${missing.length} transactions not mined after 10 minutes`);
      for (let b = 0; b < missing.length; b += BATCH) {
        const part = missing.slice(b, b + BATCH);
        const answers = await rpcBatch(
          this.transport,
          part.map((i) => ({ method: "eth_getTransactionReceipt", params: [hashes[i]] })),
        );
        answers.forEach((a, j) => {
          if (a.error) throw new Error(`funding (${what}): eth_getTransactionReceipt: ${a.error.message}`);
          if (a.result) out[part[j]!] = a.result as Receipt;
        });
      }
      if (out.some((r) => r === null)) await new Promise((r) => setTimeout(r, 250));
    }
  }
}
