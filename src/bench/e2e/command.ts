// `weft bench e2e`: prepares the run (plan, fees, signatures, genesis or funding), runs it on Weft
// (and anvil with --vs-anvil, one after the other, never side by side) or on --rpc's node, and
// prints the table or the JSON lines. Exit codes as main's: 0 done and verified, 1 failed (a
// rejected transaction or a failed check included), 2 a bad command line.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { hexToBytes } from "../../primitives/hex.js";
import { BENCH_E2E_USAGE, type BenchE2eArgs, parseBenchE2eArgs } from "./args.js";
import { BENCH_CHAIN_ID, benchGenesis } from "./genesis.js";
import { type NodeProcess, startAnvil, startWeft } from "./node-process.js";
import { type Plan, txsOfSender } from "./plan.js";
import { mainThreadProfile, profileLines, profileNodeArgs, summarizeProfile } from "./profile.js";
import { Progress } from "./progress.js";
import { legend, metricsLine, ratioJson, resultJson, resultTable, type TargetResult } from "./report.js";
import { HttpTransport, rpcCall, wsUrlOf } from "./rpc-client.js";
import { runTarget, type TargetHandle } from "./run.js";
import { batchBodies } from "./send.js";
import { type Fees, type SignedTxs, signAll } from "./sign.js";
import type { E2eWorkload, WorkloadSetup } from "./workload.js";
import { e2eWorkload } from "./workloads.js";

/** Every transaction pays this tip (anvil's minimum suggestion). */
const TIP = 1_000_000_000n;
/**
 * Fee cap on a chain the bench starts: far above any base fee a run reaches (full blocks raise it
 * 12.5% each; 10^30 wei leaves about 400 full blocks from 1 gwei), and gasLimit * cap still fits
 * the 128 bits anvil keeps fees in. Senders are funded for it, so no transaction waits on fees.
 */
const LOCAL_FEE_CAP = 10n ** 30n;
/** Fee cap on a running node (--rpc): the funding account pays for it, so it stays modest. */
const RPC_FEE_CAP = 1_000_000_000_000n;
/** The first account of the test mnemonic: the funding account of an anvil or Weft dev node. */
const DEV_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

export async function benchE2eCommand(argv: string[]): Promise<number> {
  const parsed = parseBenchE2eArgs(argv);
  if (parsed === "help") {
    console.log(BENCH_E2E_USAGE);
    return 0;
  }
  if ("error" in parsed) {
    console.error(`weft bench e2e: ${parsed.error}\n\n${BENCH_E2E_USAGE}`);
    return 2;
  }
  const progress = new Progress();
  // Ctrl-C or a kill: exit through process.exit, whose handlers stop the node children.
  const interrupt = (signal: NodeJS.Signals) => {
    progress.note(`weft bench e2e: ${signal}, stopping`);
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.once("SIGINT", interrupt);
  process.once("SIGTERM", interrupt);
  const results =
    parsed.rpc === undefined ? await runLocal(parsed, progress) : [await runRemote(parsed, parsed.rpc, progress)];
  progress.clear();
  return report(parsed, results);
}

/** What every run shares once prepared: the signed transactions in batches and the hash index. */
interface Prepared {
  plan: Plan;
  workload: E2eWorkload;
  setup: WorkloadSetup;
  signed: SignedTxs;
  bodies: string[];
  hashIndex: Map<string, number>;
}

async function sign(
  args: BenchE2eArgs,
  plan: Plan,
  workload: E2eWorkload,
  setup: WorkloadSetup,
  fees: Fees,
  progress: Progress,
) {
  const started = Date.now();
  const signed = await signAll(workload.name, setup, plan, fees, (n) =>
    progress.update(`signing (not timed): ${n}/${plan.txs}`),
  );
  progress.note(`signed ${plan.txs} transactions in ${((Date.now() - started) / 1000).toFixed(1)} s (not timed)`);
  const bodies = batchBodies(signed.raws, args.batch);
  const hashIndex = new Map<string, number>();
  for (let k = 0; k < signed.hashes.length; k++) hashIndex.set(signed.hashes[k]!, k);
  return { plan, workload, setup, signed, bodies, hashIndex } satisfies Prepared;
}

function senderBalance(workload: E2eWorkload, plan: Plan, feeCap: bigint, i: number): bigint {
  return BigInt(txsOfSender(plan, i)) * (workload.gasLimit * feeCap + workload.value);
}

async function runLocal(args: BenchE2eArgs, progress: Progress): Promise<TargetResult[]> {
  const workload = e2eWorkload(args.workload);
  const plan: Plan = { txs: args.txs, accounts: args.accounts, salt: 0n };
  const fees: Fees = { chainId: BENCH_CHAIN_ID, maxFeePerGas: LOCAL_FEE_CAP, maxPriorityFeePerGas: TIP };
  const setup = workload.genesisSetup();
  const prepared = await sign(args, plan, workload, setup, fees, progress);

  const dir = mkdtempSync(join(tmpdir(), "weft-bench-e2e-genesis-"));
  const genesisFile = join(dir, "genesis.json");
  const alloc = await workload.genesis(setup, plan, prepared.signed.senders);
  const genesis = benchGenesis({
    senders: prepared.signed.senders,
    balanceOf: (i) => senderBalance(workload, plan, LOCAL_FEE_CAP, i),
    alloc,
    timestamp: BigInt(Math.floor(Date.now() / 1000)),
    gasLimit: args.gasLimit,
  });
  writeFileSync(genesisFile, JSON.stringify(genesis));

  const results: TargetResult[] = [];
  const start = {
    genesisFile,
    blockTime: args.blockTime,
    noMining: args.mineAfter,
    gasLimit: args.gasLimit,
    threads: args.threads,
    recoverThreads: args.recoverThreads,
    batch: args.batch,
    keep: args.keep,
  };
  try {
    const kinds = args.vsAnvil ? (["weft", "anvil"] as const) : (["weft"] as const);
    for (const kind of kinds) {
      progress.update(`${kind}: starting the node...`, true);
      const nodeArgs =
        args.profile === undefined ? args.nodeArgs : [...args.nodeArgs, ...profileNodeArgs(args.profile)];
      const node = kind === "weft" ? await startWeft({ ...start, nodeArgs }) : await startAnvil(start);
      try {
        results.push(await runOn(node, args, prepared, progress));
      } finally {
        progress.update(`${kind}: stopping the node...`, true);
        await node.stop();
        if (args.keep && node.datadir !== undefined) progress.note(`kept weft's data folder: ${node.datadir}`);
      }
      // The node writes its profiles as it exits.
      if (kind === "weft" && args.profile !== undefined) noteProfile(args.profile, node.pid, progress);
    }
  } finally {
    if (args.keep) progress.note(`kept the genesis: ${genesisFile}`);
    else rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

function noteProfile(dir: string, pid: number, progress: Progress): void {
  const file = mainThreadProfile(dir, pid);
  if (file === undefined) progress.note(`no CPU profile of the weft node (pid ${pid}) in ${dir}`);
  else for (const line of profileLines(summarizeProfile(file))) progress.note(line);
}

function runOn(node: NodeProcess, args: BenchE2eArgs, p: Prepared, progress: Progress): Promise<TargetResult> {
  const handle: TargetHandle = { target: node.kind, url: node.url, wsUrl: node.wsUrl, sampler: node.sampler };
  return runTarget({ handle, args, progress, ...p });
}

async function runRemote(args: BenchE2eArgs, url: string, progress: Progress): Promise<TargetResult> {
  const { RpcFunder } = await import("./fund-rpc.js");
  const workload = e2eWorkload(args.workload);
  const plan: Plan = { txs: args.txs, accounts: args.accounts, salt: BigInt(`0x${randomBytes(8).toString("hex")}`) };
  const control = new HttpTransport(url, 1);
  try {
    const chainId = BigInt(await rpcCall<string>(control, "eth_chainId"));
    const latest = await rpcCall<{ baseFeePerGas?: string }>(control, "eth_getBlockByNumber", ["latest", false]);
    const baseFee = BigInt(latest.baseFeePerGas ?? "0x0");
    const cap = baseFee * 4n > RPC_FEE_CAP ? baseFee * 4n : RPC_FEE_CAP;
    const fees: Fees = { chainId, maxFeePerGas: cap, maxPriorityFeePerGas: TIP };
    const funder = await RpcFunder.create(control, hexToBytes(args.funderKey ?? DEV_KEY), fees, progress);
    let need = 0n;
    for (let i = 0; i < plan.accounts; i++) need += senderBalance(workload, plan, cap, i);
    // The funding transactions' own gas: an ether transfer and a workload call (at most) per sender.
    need += BigInt(plan.accounts) * 200_000n * cap;
    const have = await funder.balance();
    if (have < need) {
      throw new Error(
        `the funding account ${funder.address.toString(16)} holds ${have} wei; this run needs about ${need} ` +
          `(fee cap ${cap} wei per gas): fund it, pass --funder-key, or lower --txs / --accounts`,
      );
    }
    progress.note(`funding on ${url} (not timed): deploying, then ether and tokens for ${plan.accounts} senders`);
    const setup = await workload.deploy(funder, plan);
    const prepared = await sign(args, plan, workload, setup, fees, progress);
    await funder.send(
      prepared.signed.senders.map((s, i) => ({
        to: s,
        value: senderBalance(workload, plan, cap, i),
        data: new Uint8Array(0),
        gasLimit: 21_000n,
      })),
      "ether to the senders",
    );
    await workload.fund(funder, setup, plan, prepared.signed.senders);
    progress.clear();
    return await runTarget({ handle: { target: "rpc", url, wsUrl: wsUrlOf(url) }, args, progress, ...prepared });
  } finally {
    control.close();
  }
}

function report(args: BenchE2eArgs, results: TargetResult[]): number {
  const [a, b] = results;
  const rootsEqual = a !== undefined && b !== undefined && a.stateRoot === b.stateRoot;
  if (args.json) {
    for (const r of results) console.log(resultJson(r));
    if (a && b) console.log(ratioJson(a, b, rootsEqual));
  } else {
    console.log(resultTable(results));
    console.log("");
    console.log(legend(results, availableParallelism()));
    for (const r of results) {
      const line = metricsLine(r);
      if (line) console.log(line);
    }
  }
  // The checks are part of the result on the table's stdout; with --json they are in the JSON already.
  const say = args.json ? console.error : console.log;
  let ok = true;
  for (const r of results) {
    const v = r.verification;
    const line =
      `${r.target}: ${r.committed}/${r.accepted} accepted txs found in ${r.blocks} blocks` +
      (r.rejected > 0 ? `, ${r.rejected} REJECTED at submission` : "") +
      `; receipts status 1: ${v.receiptsOk}/${v.receiptsChecked}; balances and nonces as expected: ${v.probesOk}/${v.probesChecked}`;
    const failed = r.rejected > 0 || v.failures.length > 0 || r.committed !== r.accepted;
    if (failed) ok = false;
    say(line);
    for (const f of v.failures) say(`  ${f}`);
  }
  if (a && b) {
    say(
      rootsEqual
        ? `state roots after the run: equal (${a.stateRoot})`
        : `state roots after the run differ (${a.target} block ${a.headNumber} ${a.stateRoot}, ${b.target} block ${b.headNumber} ${b.stateRoot}): ` +
            "each node sizes its own blocks and so its own base fees (anvil also keeps the genesis base fee for block 1), " +
            "so the fees senders pay differ; the sampled token balances and nonces above are what must agree",
    );
  }
  return ok ? 0 : 1;
}
