// After a run: a sample of receipts must exist with status 1, and a sample of the workload's reads
// (balances, nonces) must show every sampled transaction took effect.
import { addressToHex } from "../../primitives/hex.js";
import { type Plan, senderIndex, txsOfSender } from "./plan.js";
import type { Verification } from "./report.js";
import { rpcBatch, type Transport } from "./rpc-client.js";
import type { E2eWorkload, Probe, WorkloadSetup } from "./workload.js";

/** Up to `count` indices spread evenly over [0, n), the last one included. */
export function sampleIndices(n: number, count: number): number[] {
  if (n <= count) return Array.from({ length: n }, (_, i) => i);
  const out = new Set<number>();
  for (let i = 0; i < count - 1; i++) out.add(Math.floor((i * n) / (count - 1)));
  out.add(n - 1);
  return [...out].sort((a, b) => a - b);
}

export interface VerifyInput {
  transport: Transport;
  workload: E2eWorkload;
  setup: WorkloadSetup;
  plan: Plan;
  senders: readonly bigint[];
  hashes: readonly string[];
  /** Transactions the node rejected at submission (skipped). */
  rejected: ReadonlySet<number>;
}

const RECEIPT_SAMPLE = 256;
const PROBE_SAMPLE = 32;

export async function verifyRun(v: VerifyInput): Promise<Verification> {
  const failures: string[] = [];
  const fail = (s: string) => {
    if (failures.length < 10) failures.push(s);
  };
  const accepted = sampleIndices(v.plan.txs, RECEIPT_SAMPLE).filter((k) => !v.rejected.has(k));
  const receipts = await rpcBatch(
    v.transport,
    accepted.map((k) => ({ method: "eth_getTransactionReceipt", params: [v.hashes[k]] })),
  );
  let receiptsOk = 0;
  receipts.forEach((r, i) => {
    const k = accepted[i]!;
    const status = (r.result as { status?: string } | null)?.status;
    if (r.error) fail(`receipt of tx ${k}: ${r.error.message}`);
    else if (r.result === null) fail(`tx ${k} (${v.hashes[k]}) has no receipt`);
    else if (status !== "0x1") fail(`tx ${k} (${v.hashes[k]}) has status ${status}`);
    else receiptsOk++;
  });

  const probes: Probe[] = [];
  for (const k of sampleIndices(v.plan.txs, PROBE_SAMPLE)) {
    if (v.rejected.has(k)) continue;
    const i = senderIndex(v.plan, k);
    const sender = v.senders[i]!;
    probes.push(...v.workload.probes(v.setup, v.plan, k, sender), {
      label: `nonce of tx ${k}'s sender`,
      method: "eth_getTransactionCount",
      params: [addressToHex(sender), "latest"],
      expected: BigInt(txsOfSender(v.plan, i)),
    });
  }
  const answers = await rpcBatch(
    v.transport,
    probes.map((p) => ({ method: p.method, params: p.params })),
  );
  let probesOk = 0;
  answers.forEach((a, i) => {
    const p = probes[i]!;
    if (a.error) {
      fail(`${p.label}: ${a.error.message}`);
      return;
    }
    const got =
      typeof a.result === "string" && /^0x[0-9a-fA-F]*$/.test(a.result)
        ? BigInt(a.result === "0x" ? 0 : a.result)
        : undefined;
    if (got !== p.expected) fail(`${p.label}: ${String(a.result)}, expected ${p.expected}`);
    else probesOk++;
  });
  return { receiptsChecked: accepted.length, receiptsOk, probesChecked: probes.length, probesOk, failures };
}
