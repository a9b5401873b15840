// `weft bench exec`: the block-execution benchmark (sequential executor against Block-STM).
import { parseArgs } from "node:util";
import type { ExecBenchOptions } from "../bench/exec-bench.js";
import {
  BLOCK_STM_ACCOUNTS,
  DEFAULT_ACCOUNTS,
  DEFAULT_PAIRS,
  EXEC_WORKLOADS,
  type ExecWorkloadName,
} from "../bench/exec-workloads.js";

const DEFAULT_TXS = 1000;
const DEFAULT_THREADS = [1, 2];
const DEFAULT_REPEAT = 3;
const MAX_TXS = 1_000_000;
const MAX_THREADS = 1024;
const MAX_REPEAT = 1000;

export const BENCH_EXEC_USAGE = `Usage: weft bench exec --workload <name> [--txs N] [--threads 1,2,4,...] [--accounts K]
                       [--pairs P] [--repeat R] [--mode auto|parallel] [--json]

Builds one block of N transactions on an in-memory state (its pre-state made by real transactions),
then executes it from clones of that pre-state with the sequential reference executor and with
Block-STM at each thread count, timing only the executeBlock call: execution only, no signature
recovery (senders given), no state root in the timing, no disk. Every run's post-state root is
checked against the sequential one (outside the timer); a difference fails the command (exit 1).
Block-STM with 1 thread is the single-thread executor; above 1 it runs on a pool of worker threads,
to which the pre-state is handed once, outside the timer.

Workloads:
  transfer          independent native ETH transfers (a new sender and receiver each)
  erc20             independent OpenZeppelin ERC20 transfers on one token (a new sender and receiver each)
  erc20-contended   Block-STM's shape: ERC20 transfers between two distinct accounts drawn at random
                    (fixed seed) from a pool of --accounts K; a sender's nonces follow one another
  uniswap           Uniswap V2 (v2-core artifacts) swaps through a one-call router; --pairs P: 1 is one
                    hot pair, P > 1 puts transaction i on pair i mod P (P = N: every swap its own pair)
  rwa               ERC-3643 regulated-token transfers between verified investors (a new sender and
                    receiver each, both already holders): the token's checks, the identity registry's
                    isVerified on both sides (an identity, KYC and AML claims from trusted issuers), then
                    the CountryAllow, MaxBalance, MaxInvestors and SupplyLimit modules' checks and the
                    balance modules' hooks; the suite is deployed and onboarded by real transactions

Options:
  --workload NAME   one of: ${EXEC_WORKLOADS.join(", ")} (required)
  --txs N           transactions in the block (default ${DEFAULT_TXS})
  --threads LIST    comma-separated thread counts for Block-STM, e.g. 1,2,4 (default ${DEFAULT_THREADS.join(",")});
                    the sequential executor always runs too, as the reference for speedup and state root
  --accounts K      erc20-contended only: pool size, at least 2 (default ${DEFAULT_ACCOUNTS}; Block-STM used ${BLOCK_STM_ACCOUNTS.join(", ")})
  --pairs P         uniswap only: number of pairs, 1 to N (default ${DEFAULT_PAIRS})
  --repeat R        timed runs per configuration, the median reported (default ${DEFAULT_REPEAT})
  --mode M          the parallel rows: auto (default: as a node runs the executor, sequential where
                    Block-STM does not pay) or parallel (Block-STM on every block, to measure it and
                    project its scaling where auto would not run it)
  --json            one JSON line per configuration instead of a table
  -h, --help        this text`;

/** A positive integer in [min, max], or an error message. */
function integer(flag: string, value: string, min: number, max: number): number | string {
  if (!/^[0-9]{1,9}$/.test(value)) return `${flag} wants an integer, got '${value}'`;
  const n = Number(value);
  if (n < min || n > max) return `${flag} must be between ${min} and ${max}, got ${n}`;
  return n;
}

/** The benchmark's options as the command line gives them, and whether to print JSON lines. */
export interface BenchExecArgs extends Omit<ExecBenchOptions, "onCompile"> {
  json: boolean;
}

/** The parsed command line, "help", or an error message (a usage error). */
export function parseBenchExecArgs(args: string[]): BenchExecArgs | "help" | { error: string } {
  let values: {
    workload?: string;
    txs?: string;
    threads?: string;
    accounts?: string;
    pairs?: string;
    repeat?: string;
    mode?: string;
    json?: boolean;
    help?: boolean;
  };
  try {
    values = parseArgs({
      args,
      options: {
        workload: { type: "string" },
        txs: { type: "string" },
        threads: { type: "string" },
        accounts: { type: "string" },
        pairs: { type: "string" },
        repeat: { type: "string" },
        mode: { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    return { error: (err as Error).message };
  }
  if (values.help) return "help";

  if (values.workload === undefined) return { error: `--workload is required (one of: ${EXEC_WORKLOADS.join(", ")})` };
  if (!(EXEC_WORKLOADS as readonly string[]).includes(values.workload)) {
    return { error: `unknown workload '${values.workload}' (one of: ${EXEC_WORKLOADS.join(", ")})` };
  }
  const workload = values.workload as ExecWorkloadName;

  let txs = DEFAULT_TXS;
  if (values.txs !== undefined) {
    const n = integer("--txs", values.txs, 1, MAX_TXS);
    if (typeof n === "string") return { error: n };
    txs = n;
  }

  let threads = DEFAULT_THREADS;
  if (values.threads !== undefined) {
    threads = [];
    for (const part of values.threads.split(",")) {
      const n = integer("--threads", part, 1, MAX_THREADS);
      if (typeof n === "string") return { error: `${n} (a comma-separated list such as 1,2,4)` };
      if (threads.includes(n)) return { error: `--threads lists ${n} twice` };
      threads.push(n);
    }
    threads.sort((a, b) => a - b);
  }

  let repeat = DEFAULT_REPEAT;
  if (values.repeat !== undefined) {
    const n = integer("--repeat", values.repeat, 1, MAX_REPEAT);
    if (typeof n === "string") return { error: n };
    repeat = n;
  }

  const mode = values.mode ?? "auto";
  if (mode !== "auto" && mode !== "parallel") return { error: `--mode wants auto or parallel, got '${mode}'` };
  const parsed: BenchExecArgs = { workload, txs, threads, repeat, mode, json: values.json ?? false };
  if (values.accounts !== undefined) {
    if (workload !== "erc20-contended") return { error: "--accounts applies only to --workload erc20-contended" };
    const n = integer("--accounts", values.accounts, 2, MAX_TXS);
    if (typeof n === "string") return { error: n };
    parsed.accounts = n;
  } else if (workload === "erc20-contended") parsed.accounts = DEFAULT_ACCOUNTS;
  if (values.pairs !== undefined) {
    if (workload !== "uniswap") return { error: "--pairs applies only to --workload uniswap" };
    const n = integer("--pairs", values.pairs, 1, txs);
    if (typeof n === "string") return { error: `${n} (at most --txs: a pair per transaction)` };
    parsed.pairs = n;
  } else if (workload === "uniswap") parsed.pairs = DEFAULT_PAIRS;
  return parsed;
}

/** Exit codes as main's: 0 done, 1 the benchmark failed (thrown), 2 a command line it does not accept. */
export async function benchExecCommand(args: string[]): Promise<number> {
  const parsed = parseBenchExecArgs(args);
  if (parsed === "help") {
    console.log(BENCH_EXEC_USAGE);
    return 0;
  }
  if ("error" in parsed) {
    console.error(`weft bench exec: ${parsed.error}\n\n${BENCH_EXEC_USAGE}`);
    return 2;
  }
  // Loaded only now: the interpreter and the compiler are not needed to parse a command line.
  const { execRowJson, execTable, runExecBench } = await import("../bench/exec-bench.js");
  const { terminateSharedPools } = await import("../exec/block/pool/pool.js");
  try {
    const result = await runExecBench({
      workload: parsed.workload,
      txs: parsed.txs,
      threads: parsed.threads,
      accounts: parsed.accounts,
      pairs: parsed.pairs,
      repeat: parsed.repeat,
      mode: parsed.mode,
      onCompile: () => console.error("bench: compiling contracts with solc-js (cached afterwards in .cache/solc)..."),
    });
    if (parsed.json) for (const row of result.rows) console.log(execRowJson(row));
    else console.log(execTable(result, parsed.repeat));
  } finally {
    // The worker pool the parallel rows started (its threads are unref'd; this is tidiness).
    await terminateSharedPools();
  }
  return 0;
}
