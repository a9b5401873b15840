// The V8 flags Weft's executor is measured and run under (no imports: bin/weft.js reads this before
// loading any command).

/**
 * The V8 flags the executor runs under, as `npm start` runs the node: a young generation large enough
 * for the EVM's short-lived words, and garbage collection on the thread that allocates. With every
 * core executing transactions, V8's concurrent GC threads only compete with them: measured on 2 cores
 * (erc20, 10,000 transactions, Block-STM on 2 threads against sequential), 1.14x with V8's defaults,
 * 1.25x with the larger young generation, 1.47x with both flags; sequential itself moves by under 10%.
 */
export const EXECUTOR_V8_FLAGS = ["--max-semi-space-size=64", "--single-threaded-gc"] as const;

/**
 * The flags to run `argv` again under, when it is `bench exec` in a process that lacks them (bin/weft.js
 * relaunches it; in-process callers such as tests run as they are). Undefined: run here.
 */
export function benchExecRelaunchFlags(argv: readonly string[]): readonly string[] | undefined {
  if (argv[0] !== "bench" || argv[1] !== "exec" || argv.includes("--help") || argv.includes("-h")) return undefined;
  if (EXECUTOR_V8_FLAGS.every((flag) => process.execArgv.includes(flag))) return undefined;
  return EXECUTOR_V8_FLAGS;
}
