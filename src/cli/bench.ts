// `weft bench evm [--json] [--iterations N]`: the sequential EVM benchmark; `weft bench exec` (the
// block-execution benchmark) lives in bench-exec.ts, `weft bench e2e` (end-to-end through JSON-RPC)
// in src/bench/e2e/.
import { parseArgs } from "node:util";

export const BENCH_USAGE = `Usage: weft bench evm [--json] [--iterations N]
       weft bench evm --vs-anvil [--json] [--probe a,b,...] [--runs N]
       weft bench exec --workload <name> [...]   (block execution, sequential vs Block-STM;
                                                   'weft bench exec --help' for its options)
       weft bench e2e [--vs-anvil] [...]         (end to end: a node, signed transactions over JSON-RPC;
                                                   'weft bench e2e --help' for its options)
       weft bench state --accounts N [...]       (state at scale: a datadir of N token holders, a
                                                   restarted node, root updates; 'weft bench state --help')

Runs the EVM benchmark: OpenZeppelin ERC20 transfers, a keccak loop and a 256-bit arithmetic loop,
N transactions each (default 1000), one after another on one thread.

Options:
  --json            one JSON line per workload instead of a table
  --iterations N    timed transactions per workload (a positive integer)
  --vs-anvil        instead: start anvil and a Weft node, run each probe contract's one long eth_call
                    on both and print µs per loop iteration and Weft's speed relative to anvil
  --probe a,b,...   with --vs-anvil: only these probes (default all): erc20, rwa (ERC-3643), uniswap,
                    call, arith, keccak, storage, modexp, modexp-rsa2048, bn254-add, bn254-mul,
                    bn254-pairing, point-evaluation
  --runs N          with --vs-anvil: timed calls per probe and node, at least (and a second's worth),
                    the fastest counts (default 3)
  -h, --help        this text`;

const DEFAULT_ITERATIONS = 1000;

/** Exit codes as main's: 0 done, 1 the benchmark failed (thrown), 2 a command line it does not accept. */
export async function benchCommand(args: string[]): Promise<number> {
  const [kind, ...rest] = args;
  if (kind === "-h" || kind === "--help") {
    console.log(BENCH_USAGE);
    return 0;
  }
  if (kind === "exec") {
    const { benchExecCommand } = await import("./bench-exec.js");
    return await benchExecCommand(rest);
  }
  if (kind === "e2e") {
    const { benchE2eCommand } = await import("../bench/e2e/command.js");
    return await benchE2eCommand(rest);
  }
  if (kind === "state") {
    const { benchStateCommand } = await import("../bench/state/command.js");
    return await benchStateCommand(rest);
  }
  if (kind !== "evm") {
    return usageError(
      kind === undefined
        ? "which benchmark? (available: evm, exec, e2e, state)"
        : `unknown benchmark '${kind}' (available: evm, exec, e2e, state)`,
    );
  }

  let values: {
    json?: boolean;
    iterations?: string;
    help?: boolean;
    "vs-anvil"?: boolean;
    probe?: string;
    runs?: string;
  };
  try {
    values = parseArgs({
      args: rest,
      options: {
        json: { type: "boolean" },
        iterations: { type: "string" },
        help: { type: "boolean", short: "h" },
        "vs-anvil": { type: "boolean" },
        probe: { type: "string" },
        runs: { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    return usageError((err as Error).message);
  }
  if (values.help) {
    console.log(BENCH_USAGE);
    return 0;
  }
  if (values["vs-anvil"]) return await vsAnvilCommand(values);
  if (values.probe !== undefined || values.runs !== undefined)
    return usageError("--probe and --runs go with --vs-anvil");
  let iterations = DEFAULT_ITERATIONS;
  if (values.iterations !== undefined) {
    if (!/^[1-9][0-9]{0,8}$/.test(values.iterations)) {
      return usageError(`--iterations wants a positive integer, got '${values.iterations}'`);
    }
    iterations = Number(values.iterations);
  }

  // Loaded only now: the interpreter and the compiler are not needed to parse a command line.
  const { resultJson, resultTable, runEvmBench } = await import("../bench/evm-bench.js");
  const results = await runEvmBench({
    iterations,
    // Untimed; a few hundred transactions take every hot path through the JIT.
    warmup: Math.min(iterations, 200),
    onCompile: () => console.error("bench: compiling contracts with solc-js (cached afterwards in .cache/solc)..."),
  });
  if (values.json) for (const r of results) console.log(resultJson(r));
  else console.log(resultTable(results));
  return 0;
}

async function vsAnvilCommand(values: {
  json?: boolean;
  iterations?: string;
  probe?: string;
  runs?: string;
}): Promise<number> {
  if (values.iterations !== undefined)
    return usageError("--iterations does not go with --vs-anvil (each probe loops until its gas is spent)");
  const { PROBES } = await import("../bench/vs-anvil/probes.js");
  let probes = PROBES;
  if (values.probe !== undefined) {
    const names = values.probe.split(",");
    const unknown = names.filter((n) => !PROBES.some((p) => p.name === n));
    if (unknown.length > 0)
      return usageError(`unknown probe '${unknown[0]}' (available: ${PROBES.map((p) => p.name).join(", ")})`);
    probes = PROBES.filter((p) => names.includes(p.name));
  }
  let runs = 3;
  if (values.runs !== undefined) {
    if (!/^[1-9][0-9]?$/.test(values.runs))
      return usageError(`--runs wants an integer from 1 to 99, got '${values.runs}'`);
    runs = Number(values.runs);
  }
  const { runVsAnvil, vsAnvilJson, vsAnvilTable } = await import("../bench/vs-anvil/run.js");
  const results = await runVsAnvil({
    probes,
    runs,
    onCompile: () =>
      console.error("bench: compiling the probe contracts with solc-js (cached afterwards in .cache/solc)..."),
    onProgress: (line) => console.error(`bench: ${line}`),
  });
  if (values.json) for (const r of results) console.log(vsAnvilJson(r));
  else console.log(vsAnvilTable(results));
  return 0;
}

function usageError(message: string): number {
  console.error(`weft bench: ${message}\n\n${BENCH_USAGE}`);
  return 2;
}
