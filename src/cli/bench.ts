// `weft bench evm [--json] [--iterations N]`: the sequential EVM benchmark; `weft bench exec` (the
// block-execution benchmark) lives in bench-exec.ts, `weft bench e2e` (end-to-end through JSON-RPC)
// in src/bench/e2e/.
import { parseArgs } from "node:util";

export const BENCH_USAGE = `Usage: weft bench evm [--json] [--iterations N]
       weft bench exec --workload <name> [...]   (block execution, sequential vs Block-STM;
                                                   'weft bench exec --help' for its options)
       weft bench e2e [--vs-anvil] [...]         (end to end: a node, signed transactions over JSON-RPC;
                                                   'weft bench e2e --help' for its options)

Runs the EVM benchmark: OpenZeppelin ERC20 transfers, a keccak loop and a 256-bit arithmetic loop,
N transactions each (default 1000), one after another on one thread.

Options:
  --json            one JSON line per workload instead of a table
  --iterations N    timed transactions per workload (a positive integer)
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
  if (kind !== "evm") {
    return usageError(
      kind === undefined
        ? "which benchmark? (available: evm, exec, e2e)"
        : `unknown benchmark '${kind}' (available: evm, exec, e2e)`,
    );
  }

  let values: { json?: boolean; iterations?: string; help?: boolean };
  try {
    values = parseArgs({
      args: rest,
      options: { json: { type: "boolean" }, iterations: { type: "string" }, help: { type: "boolean", short: "h" } },
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

function usageError(message: string): number {
  console.error(`weft bench: ${message}\n\n${BENCH_USAGE}`);
  return 2;
}
