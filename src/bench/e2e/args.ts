// `weft bench e2e`'s command line: the options, their defaults and --help. Parsing only; the run is
// in command.ts.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { E2E_WORKLOAD_NAMES, E2E_WORKLOADS } from "./workloads.js";

export const DEFAULT_TXS = 20_000;
export const DEFAULT_BATCH = 500;
export const DEFAULT_CONNECTIONS = 4;
/** Weft's pool holds at most 65,536 transactions; half that leaves room for whatever else is pending. */
export const DEFAULT_WINDOW = 32_768;
/** Weft's pool keeps at most 4,096 transactions per sender. */
export const MAX_PER_SENDER_IN_FLIGHT = 4096;
const MAX_TXS = 10_000_000;
const MAX_BATCH = 10_000;
const MAX_CONNECTIONS = 256;

export type Transport = "http" | "ws";

export interface BenchE2eArgs {
  workload: string;
  txs: number;
  /** Distinct senders; sender i sends transactions i, i + accounts, i + 2 * accounts, ... */
  accounts: number;
  /** Target an already running node instead of starting one. */
  rpc?: string;
  vsAnvil: boolean;
  /** Interval mining in seconds (both nodes); undefined: automine. */
  blockTime?: string;
  /** The started nodes do not mine; the bench sends everything, then calls evm_mine until all is in. */
  mineAfter: boolean;
  /** Weft's --threads. */
  threads?: number;
  /** Weft's --recover-threads. */
  recoverThreads?: number;
  /** The started nodes' block gas limit (genesis and --gas-limit). */
  gasLimit: bigint;
  batch: number;
  connections: number;
  transport: Transport;
  /** Most transactions sent but not yet seen in a block. */
  window: number;
  json: boolean;
  keep: boolean;
  /** Private key (hex) that funds the senders with --rpc. */
  funderKey?: string;
  /** Extra arguments for the `node` runtime that runs the Weft node (e.g. --cpu-prof). */
  nodeArgs: string[];
  /** Folder the Weft node writes its CPU profiles into (--profile); its main thread's is summarized. */
  profile?: string;
  /** Seconds without a new transaction in a block before the run fails. */
  stallSeconds: number;
}

export const BENCH_E2E_USAGE = `Usage: weft bench e2e [--workload erc20|transfer|rwa] [--txs N] [--accounts K] [--vs-anvil]
                      [--rpc URL] [--block-time S | --mine-after] [--threads N] [--recover-threads N]
                      [--batch N] [--connections C]
                      [--transport http|ws] [--window W] [--json] [--keep] [--profile DIR]

End-to-end throughput: starts a Weft node (or targets --rpc URL), funds K accounts, pre-signs N
transactions, sends them as eth_sendRawTransaction in JSON-RPC batches over C keep-alive connections,
and follows the chain over a WebSocket newHeads subscription. Reports the submit rate, the node's
execution rate (weft_metrics), committed transactions per second end to end, p50/p99 inclusion
latency, how long a plain read waits meanwhile (one eth_getBalance at a time on its own connection),
the node's peak memory; then checks receipts and final balances.

What the figures include: the node recovers every signature, executes, computes the state root and
(Weft) commits each block to disk (LMDB, durable per block; anvil keeps its chain in memory).
Pre-signing and funding are not timed. The timer starts at the first send; the client runs on the
same machine as the node and takes CPU from it.

Workloads:
${Object.values(E2E_WORKLOADS)
  .map((w) => `  ${w.name.padEnd(10)} ${w.description}`)
  .join("\n")}

Options:
  --workload NAME     one of: ${E2E_WORKLOAD_NAMES.join(", ")} (default erc20)
  --txs N             transactions (default ${DEFAULT_TXS})
  --accounts K        distinct senders, at most N (default N: one transaction each; with fewer, sender i
                      sends transactions i, i+K, ... with consecutive nonces)
  --vs-anvil          also run the same genesis and transactions on anvil (@foundry-rs/anvil) and print
                      both and the ratio weft/anvil
  --rpc URL           target a running node (http://...; its WebSocket on the same host and port): the
                      senders are funded by transactions from --funder-key, the token deployed by it
  --funder-key HEX    with --rpc: the funding account's private key (default: the first dev account of
                      the test mnemonic)
  --block-time S      interval mining every S seconds on the started nodes (default: automine, where
                      each node puts whatever is pending into its next block; with --vs-anvil, 1:
                      anvil's automine leaves one of several concurrent batches unanswered)
  --mine-after        the started nodes do not mine (--no-mining): every batch is sent first, then the
                      bench calls evm_mine, one block at a time, until every transaction is in one
                      (a dev script's pattern; the timer runs from the first send to the last block)
  --gas-limit G       the started nodes' block gas limit (default 30000000 with automine, 1000000000
                      with interval mining, so a block holds what arrives in its interval)
  --threads N         the Weft node's --threads (block execution threads)
  --recover-threads N the Weft node's --recover-threads (signature-recovery workers)
  --batch N           requests per JSON-RPC batch (default ${DEFAULT_BATCH})
  --connections C     concurrent keep-alive connections sending batches (default ${DEFAULT_CONNECTIONS})
  --transport T       http or ws: how batches are sent (default http)
  --window W          most transactions sent but not yet in a block (default ${DEFAULT_WINDOW}, at most
                      ${MAX_PER_SENDER_IN_FLIGHT} per sender: the node's pool limits)
  --stall S           fail when no transaction reaches a block for S seconds (default 120)
  --json              one JSON object per target, then one with the ratios, instead of the table
  --keep              keep the Weft data folder and the genesis file (printed at the end)
  --profile DIR       run the Weft node under V8's CPU profiler: one .cpuprofile per thread in DIR
                      (made if missing; open them in Chrome DevTools), and the main thread's hot
                      functions and files by self time printed after the run (on stderr)
  --node-arg ARG      pass ARG to the node runtime running Weft (repeatable), e.g.
                      --node-arg=--cpu-prof --node-arg=--cpu-prof-dir=prof
  -h, --help          this text`;

function integer(flag: string, value: string, min: number, max: number): number | string {
  if (!/^[0-9]{1,9}$/.test(value)) return `${flag} wants an integer, got '${value}'`;
  const n = Number(value);
  if (n < min || n > max) return `${flag} must be between ${min} and ${max}, got ${n}`;
  return n;
}

/** The parsed command line, "help", or an error message (a usage error). */
/** anvil's and Weft's default block gas limit. */
const AUTOMINE_GAS_LIMIT = 30_000_000n;
/** With interval mining: about 19,000 ERC-20 transfers a block, so the limit does not cap the rate. */
const INTERVAL_GAS_LIMIT = 1_000_000_000n;

export function parseBenchE2eArgs(args: string[]): BenchE2eArgs | "help" | { error: string } {
  let values: {
    workload?: string;
    txs?: string;
    accounts?: string;
    rpc?: string;
    "vs-anvil"?: boolean;
    "block-time"?: string;
    "mine-after"?: boolean;
    "gas-limit"?: string;
    threads?: string;
    "recover-threads"?: string;
    batch?: string;
    connections?: string;
    transport?: string;
    window?: string;
    stall?: string;
    json?: boolean;
    keep?: boolean;
    "funder-key"?: string;
    "node-arg"?: string[];
    profile?: string;
    help?: boolean;
  };
  try {
    values = parseArgs({
      args,
      options: {
        workload: { type: "string" },
        txs: { type: "string" },
        accounts: { type: "string" },
        rpc: { type: "string" },
        "vs-anvil": { type: "boolean" },
        "block-time": { type: "string" },
        "mine-after": { type: "boolean" },
        "gas-limit": { type: "string" },
        threads: { type: "string" },
        "recover-threads": { type: "string" },
        batch: { type: "string" },
        connections: { type: "string" },
        transport: { type: "string" },
        window: { type: "string" },
        stall: { type: "string" },
        json: { type: "boolean" },
        keep: { type: "boolean" },
        "funder-key": { type: "string" },
        "node-arg": { type: "string", multiple: true },
        profile: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    return { error: (err as Error).message };
  }
  if (values.help) return "help";

  const workload = values.workload ?? "erc20";
  if (!E2E_WORKLOAD_NAMES.includes(workload)) {
    return { error: `unknown workload '${workload}' (one of: ${E2E_WORKLOAD_NAMES.join(", ")})` };
  }
  const num = (flag: string, value: string | undefined, fallback: number, min: number, max: number) =>
    value === undefined ? fallback : integer(flag, value, min, max);

  const txs = num("--txs", values.txs, DEFAULT_TXS, 1, MAX_TXS);
  if (typeof txs === "string") return { error: txs };
  const accounts = num("--accounts", values.accounts, txs, 1, txs);
  if (typeof accounts === "string") return { error: `${accounts} (at most --txs)` };
  const batch = num("--batch", values.batch, DEFAULT_BATCH, 1, MAX_BATCH);
  if (typeof batch === "string") return { error: batch };
  const connections = num("--connections", values.connections, DEFAULT_CONNECTIONS, 1, MAX_CONNECTIONS);
  if (typeof connections === "string") return { error: connections };
  const windowMax = Math.min(MAX_TXS, MAX_PER_SENDER_IN_FLIGHT * accounts);
  const window = num("--window", values.window, Math.min(DEFAULT_WINDOW, windowMax), 1, windowMax);
  if (typeof window === "string") return { error: `${window} (${MAX_PER_SENDER_IN_FLIGHT} per sender at most)` };
  const stall = num("--stall", values.stall, 120, 1, 86_400);
  if (typeof stall === "string") return { error: stall };

  const transport = values.transport ?? "http";
  if (transport !== "http" && transport !== "ws") return { error: `--transport is http or ws, got '${transport}'` };

  const parsed: BenchE2eArgs = {
    workload,
    txs,
    accounts,
    vsAnvil: values["vs-anvil"] ?? false,
    mineAfter: values["mine-after"] ?? false,
    gasLimit: AUTOMINE_GAS_LIMIT,
    batch,
    connections,
    transport,
    window,
    json: values.json ?? false,
    keep: values.keep ?? false,
    nodeArgs: values["node-arg"] ?? [],
    stallSeconds: stall,
  };
  if (values.rpc !== undefined) {
    if (!/^https?:\/\/[^\s/]+/.test(values.rpc)) return { error: `--rpc wants an http:// URL, got '${values.rpc}'` };
    if (parsed.vsAnvil) return { error: "--vs-anvil starts both nodes itself; it does not combine with --rpc" };
    for (const flag of [
      "block-time",
      "mine-after",
      "gas-limit",
      "threads",
      "recover-threads",
      "keep",
      "node-arg",
      "profile",
    ] as const) {
      if (values[flag] !== undefined) return { error: `--${flag} applies to a node the bench starts, not to --rpc` };
    }
    parsed.rpc = values.rpc.replace(/\/+$/, "");
  }
  if (values.profile !== undefined) {
    if (values.profile.trim() === "") return { error: "--profile wants a folder" };
    parsed.profile = resolve(values.profile);
  }
  if (values["funder-key"] !== undefined) {
    if (parsed.rpc === undefined) return { error: "--funder-key applies only with --rpc" };
    if (!/^(0x)?[0-9a-fA-F]{64}$/.test(values["funder-key"])) return { error: "--funder-key wants 32 bytes of hex" };
    parsed.funderKey = values["funder-key"];
  }
  if (parsed.mineAfter) {
    if (values["block-time"] !== undefined)
      return { error: "--mine-after and --block-time are two ways to mine: give one" };
    // Nothing is mined while sending: every transaction is in flight at once.
    if (values.window !== undefined)
      return { error: "--window does not apply with --mine-after (nothing is mined while sending)" };
    if (MAX_PER_SENDER_IN_FLIGHT * accounts < txs) {
      return {
        error: `--mine-after sends everything before a block: at most ${MAX_PER_SENDER_IN_FLIGHT} transactions per sender (--accounts)`,
      };
    }
    parsed.window = txs;
  } else if (values["block-time"] !== undefined) {
    if (!/^[0-9]+(\.[0-9]+)?$/.test(values["block-time"]) || Number(values["block-time"]) <= 0) {
      return { error: `--block-time wants a positive number of seconds, got '${values["block-time"]}'` };
    }
    parsed.blockTime = values["block-time"];
  } else if (parsed.vsAnvil) {
    parsed.blockTime = "1";
  }
  if (parsed.blockTime !== undefined) parsed.gasLimit = INTERVAL_GAS_LIMIT;
  if (values["gas-limit"] !== undefined) {
    if (!/^[0-9]+$/.test(values["gas-limit"]) || BigInt(values["gas-limit"]) < 1_000_000n) {
      return { error: `--gas-limit wants a whole number of gas, at least 1000000, got '${values["gas-limit"]}'` };
    }
    parsed.gasLimit = BigInt(values["gas-limit"]);
  }
  if (values.threads !== undefined) {
    const n = integer("--threads", values.threads, 1, 1024);
    if (typeof n === "string") return { error: n };
    parsed.threads = n;
  }
  if (values["recover-threads"] !== undefined) {
    const n = integer("--recover-threads", values["recover-threads"], 1, 256);
    if (typeof n === "string") return { error: n };
    parsed.recoverThreads = n;
  }
  return parsed;
}
