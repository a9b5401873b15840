import assert from "node:assert/strict";
import { test } from "node:test";
import { benchExecRelaunchFlags, EXECUTOR_V8_FLAGS } from "./executor-flags.js";

test("bench exec is relaunched under the executor's V8 flags; other commands and --help are not", () => {
  const lacking = !EXECUTOR_V8_FLAGS.every((flag) => process.execArgv.includes(flag));
  assert.deepEqual(
    benchExecRelaunchFlags(["bench", "exec", "--workload", "erc20"]),
    lacking ? EXECUTOR_V8_FLAGS : undefined,
  );
  assert.equal(benchExecRelaunchFlags(["bench", "exec", "--help"]), undefined);
  assert.equal(benchExecRelaunchFlags(["bench", "evm"]), undefined);
  assert.equal(benchExecRelaunchFlags(["node"]), undefined);
});
