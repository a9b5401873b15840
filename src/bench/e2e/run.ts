// One target's timed run: subscribe to heads, read the node's counters, send every batch, wait until
// every accepted transaction is in a block, then read the counters again, verify, and put the
// figures together.
import { performance } from "node:perf_hooks";
import type { BenchE2eArgs } from "./args.js";
import { InclusionTracker } from "./inclusion.js";
import { executionRate, metricsDelta, readWeftMetrics } from "./metrics.js";
import type { Plan } from "./plan.js";
import type { ProcessSampler } from "./proc.js";
import { formatEta, type Progress } from "./progress.js";
import { ReadProbe } from "./read-probe.js";
import { percentile, sortedFinite, type TargetResult } from "./report.js";
import { HttpTransport, rpcCall, type Transport, WsTransport } from "./rpc-client.js";
import { sendAll } from "./send.js";
import type { SignedTxs } from "./sign.js";
import { verifyRun } from "./verify.js";
import type { E2eWorkload, WorkloadSetup } from "./workload.js";

/** How long an automine node may sit idle with transactions pending before the bench nudges it. */
const NUDGE_IDLE_MS = 500;

export interface TargetHandle {
  target: TargetResult["target"];
  url: string;
  wsUrl: string;
  /** The node's process, when the bench started it. */
  sampler?: ProcessSampler;
}

export interface RunInput {
  handle: TargetHandle;
  args: BenchE2eArgs;
  plan: Plan;
  workload: E2eWorkload;
  setup: WorkloadSetup;
  signed: SignedTxs;
  /** Prepared eth_sendRawTransaction batch bodies (send.ts's batchBodies). */
  bodies: readonly string[];
  /** Lower-case hash -> transaction index. */
  hashIndex: ReadonlyMap<string, number>;
  progress: Progress;
}

export async function runTarget(input: RunInput): Promise<TargetResult> {
  const { handle, args, plan, progress } = input;
  const control = new HttpTransport(handle.url, 1);
  const blocksHttp = new HttpTransport(handle.url, 1);
  const transport: Transport =
    args.transport === "ws"
      ? await WsTransport.open(handle.wsUrl, args.connections)
      : new HttpTransport(handle.url, args.connections);
  const batchSent = new Float64Array(input.bodies.length).fill(Number.NaN);
  let tracker: InclusionTracker | undefined;
  try {
    const before = await readWeftMetrics(control);
    tracker = await InclusionTracker.start(
      {
        wsUrl: handle.wsUrl,
        http: blocksHttp,
        hashIndex: input.hashIndex,
        sentAt: (k) => batchSent[Math.floor(k / args.batch)]!,
        stallMs: args.stallSeconds * 1000,
      },
      plan.txs,
    );
    const t = tracker;
    const nodeCpuBefore = handle.sampler?.cpuSeconds();
    const benchCpuBefore = process.cpuUsage();
    let acked = 0;
    const reads = ReadProbe.start(handle.url);
    const start = performance.now();
    const show = (force = false) => {
      const elapsed = (performance.now() - start) / 1000;
      const rate = t.included / elapsed;
      progress.update(
        `${handle.target}: sent ${acked}/${plan.txs}, in blocks ${t.included}/${t.expected} ` +
          `(${t.blocks.length} blocks), ${Math.round(rate)} tx/s, ETA ${formatEta((t.expected - t.included) / rate)}`,
        force,
      );
    };
    const ticker = setInterval(show, 250);
    // anvil's automine mines a block per arriving transaction and leaves the rest of a burst pending
    // until the next one arrives: once everything is sent, an idle automine node gets evm_mine (counted
    // and reported as "nudges"; Weft mines whatever is pending and never needs one).
    let nudges = 0;
    let nudger: NodeJS.Timeout | undefined;
    let nudging = false;
    const startNudger = () => {
      if (args.blockTime !== undefined || args.mineAfter) return;
      nudger = setInterval(() => {
        if (nudging || t.included >= t.expected || performance.now() - t.lastProgressAt < NUDGE_IDLE_MS) return;
        nudging = true;
        nudges++;
        rpcCall(control, "evm_mine")
          .catch(() => {})
          .finally(() => void (nudging = false));
      }, NUDGE_IDLE_MS / 2);
    };
    let sendResult: Awaited<ReturnType<typeof sendAll>>;
    try {
      // Either side failing ends the run: a stall must not wait for a batch the node never answers.
      [sendResult] = await Promise.all([
        sendAll({
          transport,
          bodies: input.bodies,
          batch: args.batch,
          txs: plan.txs,
          connections: args.connections,
          window: args.window,
          tracker: t,
          batchSent,
          onAck: (n) => void (acked = n),
        }).then(async (r) => {
          startNudger();
          if (args.mineAfter) {
            progress.update(`${handle.target}: sent all; mining with evm_mine...`, true);
            await mineUntilIncluded(control, t);
          }
          return r;
        }),
        t.waitAll(),
      ]);
    } finally {
      clearInterval(ticker);
      if (nudger) clearInterval(nudger);
    }
    const readLatencies = sortedFinite(await reads.stop());
    show(true);
    const benchCpu = process.cpuUsage(benchCpuBefore);
    const nodeCpuAfter = handle.sampler?.cpuSeconds();
    const after = await readWeftMetrics(control);
    progress.clear();

    const rejected = new Set<number>();
    // The ids of rejected transactions are not kept by sendAll beyond the first few: recount them
    // here as the hashes no block holds (a missing one would have stalled the run before).
    input.hashIndex.forEach((k) => {
      if (Number.isNaN(t.latency[k]!)) rejected.add(k);
    });
    progress.update(`${handle.target}: verifying receipts and balances...`, true);
    const verification = await verifyRun({
      transport: control,
      workload: input.workload,
      setup: input.setup,
      plan,
      senders: input.signed.senders,
      hashes: input.signed.hashes,
      rejected,
    });
    if (sendResult.errors.length > 0) {
      verification.failures.unshift(...sendResult.errors.map((e) => `rejected at submission: ${e}`));
    }
    const head = await rpcCall<{ number: string; stateRoot: string }>(control, "eth_getBlockByNumber", [
      "latest",
      false,
    ]);
    progress.clear();

    const latencies = sortedFinite(t.latency);
    const submitSeconds = (sendResult.lastAck - sendResult.t0) / 1000;
    const committedSeconds = (t.lastArrival - sendResult.t0) / 1000;
    const delta = metricsDelta(before, after);
    const ourBlocks = t.blocks.filter((b) => b.txs > 0);
    const peak = handle.sampler?.sample();
    return {
      target: handle.target,
      url: handle.url,
      workload: input.workload.name,
      txs: plan.txs,
      accounts: plan.accounts,
      batch: args.batch,
      connections: args.connections,
      transport: args.transport,
      mining: `${miningOf(args)}, block gas limit ${args.gasLimit}`,
      accepted: plan.txs - sendResult.rejected,
      rejected: sendResult.rejected,
      committed: t.included,
      submitSeconds,
      committedSeconds,
      submitTps: plan.txs / submitSeconds,
      committedTps: t.included / committedSeconds,
      executionTps: executionRate(delta),
      p50LatencyMs: percentile(latencies, 50),
      p99LatencyMs: percentile(latencies, 99),
      maxLatencyMs: latencies.length > 0 ? latencies[latencies.length - 1]! : Number.NaN,
      reads: readLatencies.length,
      readP50Ms: percentile(readLatencies, 50),
      readP99Ms: percentile(readLatencies, 99),
      readMaxMs: readLatencies.length > 0 ? readLatencies[readLatencies.length - 1]! : Number.NaN,
      peakRssMiB: peak === undefined ? null : peak / (1024 * 1024),
      blocks: ourBlocks.length,
      nudges,
      avgTxsPerBlock: ourBlocks.length === 0 ? 0 : t.included / ourBlocks.length,
      nodeCpuSeconds: nodeCpuBefore === undefined || nodeCpuAfter === undefined ? null : nodeCpuAfter - nodeCpuBefore,
      benchCpuSeconds: (benchCpu.user + benchCpu.system) / 1e6,
      metrics: delta,
      verification,
      headNumber: Number(BigInt(head.number)),
      stateRoot: head.stateRoot,
    };
  } finally {
    await tracker?.close();
    transport.close();
    control.close();
    blocksHttp.close();
  }
}

function miningOf(args: BenchE2eArgs): string {
  if (args.mineAfter) return "evm_mine after sending";
  return args.blockTime === undefined ? "automine" : `block-time ${args.blockTime}`;
}

/** evm_mine, one block at a time, each once the last is seen, until every transaction is in a block. */
async function mineUntilIncluded(control: Transport, t: InclusionTracker): Promise<void> {
  while (t.included < t.expected) {
    const seen = t.blocks.length;
    await rpcCall(control, "evm_mine");
    // The tracker hears of the block over its subscription; a block holding none of ours counts too.
    await t.waitFor(() => t.blocks.length > seen || t.included >= t.expected);
  }
}
