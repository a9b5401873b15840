// Pre-signing: every transaction of the run signed before the timer starts, on worker threads (one
// per core) with the chain layer's own signing (native secp256k1). A transaction's hash is keccak256
// of its encoding, computed here, so the bench knows every hash it will look for in blocks.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { privateKeyToAddress } from "../../chain/sign.js";
import { signTransaction } from "../../chain/transaction.js";
import { bytesToHex } from "../../primitives/hex.js";
import { nonceOf, type Plan, senderKey, txsOfSender } from "./plan.js";
import type { WorkloadSetup } from "./workload.js";
import { e2eWorkload } from "./workloads.js";

export interface Fees {
  chainId: bigint;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}

/** One worker's share: senders [from, to). */
export interface SignJob {
  workload: string;
  setup: WorkloadSetup;
  plan: Plan;
  fees: Fees;
  from: number;
  to: number;
}

export interface SignedRange {
  /** Addresses of senders from..to-1. */
  senders: bigint[];
  /** Per transaction signed: its index k, 0x-hex encoding and 0x-hex hash. */
  ks: number[];
  raws: string[];
  hashes: string[];
}

/** Every transaction sent by `job`'s senders, signed (the worker's body; runs on the main thread in tests). */
export function signRange(job: SignJob, onProgress?: (signed: number) => void): SignedRange {
  const workload = e2eWorkload(job.workload);
  const out: SignedRange = { senders: [], ks: [], raws: [], hashes: [] };
  let sinceReport = 0;
  for (let i = job.from; i < job.to; i++) {
    const key = senderKey(job.plan, i);
    out.senders.push(privateKeyToAddress(key));
    const count = txsOfSender(job.plan, i);
    for (let j = 0; j < count; j++) {
      const k = i + j * job.plan.accounts;
      const { to, value, data } = workload.call(job.setup, job.plan, k);
      const tx = signTransaction(
        {
          type: 2,
          chainId: job.fees.chainId,
          nonce: nonceOf(job.plan, k),
          gasLimit: workload.gasLimit,
          maxFeePerGas: job.fees.maxFeePerGas,
          maxPriorityFeePerGas: job.fees.maxPriorityFeePerGas,
          to,
          value,
          data,
          accessList: [],
        },
        key,
      );
      out.ks.push(k);
      out.raws.push(bytesToHex(tx.raw));
      out.hashes.push(`0x${tx.hash.toString(16).padStart(64, "0")}`);
      if (++sinceReport === 1000) {
        onProgress?.(sinceReport);
        sinceReport = 0;
      }
    }
  }
  if (sinceReport > 0) onProgress?.(sinceReport);
  return out;
}

export interface SignedTxs {
  /** Sender addresses by index. */
  senders: bigint[];
  /** 0x-hex encodings by transaction index k. */
  raws: string[];
  /** 0x-hex hashes by k. */
  hashes: string[];
}

/** Signs the whole plan on worker threads; `onProgress` gets the count signed so far. */
export async function signAll(
  workload: string,
  setup: WorkloadSetup,
  plan: Plan,
  fees: Fees,
  onProgress?: (signed: number) => void,
): Promise<SignedTxs> {
  // A worker costs tens of milliseconds to start: small runs use fewer.
  const workers = Math.max(1, Math.min(availableParallelism(), Math.ceil(plan.txs / 2000)));
  const per = Math.ceil(plan.accounts / workers);
  const out: SignedTxs = { senders: new Array(plan.accounts), raws: new Array(plan.txs), hashes: new Array(plan.txs) };
  let signed = 0;
  const url = new URL("./sign-worker.js", import.meta.url);
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      const from = w * per;
      const to = Math.min(plan.accounts, from + per);
      if (from >= to) return;
      const job: SignJob = { workload, setup, plan, fees, from, to };
      const result = await new Promise<SignedRange>((resolve, reject) => {
        const worker = new Worker(url, { workerData: job });
        worker.on("message", (m: { kind: "progress"; n: number } | { kind: "done"; result: SignedRange }) => {
          if (m.kind === "progress") onProgress?.((signed += m.n));
          else resolve(m.result);
        });
        worker.on("error", reject);
        worker.on("exit", (code) => {
          if (code !== 0) reject(new Error(`signing worker exited with code ${code}`));
        });
      });
      result.senders.forEach((s, j) => {
        out.senders[from + j] = s;
      });
      result.ks.forEach((k, j) => {
        out.raws[k] = result.raws[j]!;
        out.hashes[k] = result.hashes[j]!;
      });
    }),
  );
  return out;
}
