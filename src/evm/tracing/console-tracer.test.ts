import assert from "node:assert/strict";
import { test } from "node:test";
import { CONSOLE_ADDRESS, ConsoleCallCollector } from "./console-tracer.js";
import { asm, mapHost, runTraced, SENDER } from "./testkit.js";

const LOGGER = 0xaa00000000000000000000000000000000000000n;
const REVERTING = 0xbb00000000000000000000000000000000000000n;

/** STATICCALLs the console address with its own calldata, then stores 1 in slot 0. */
const LOGS_CALLDATA = asm(`
  CALLDATASIZE PUSH1 0 PUSH1 0 CALLDATACOPY
  PUSH1 0 PUSH1 0 CALLDATASIZE PUSH1 0 PUSH20 ${CONSOLE_ADDRESS} GAS STATICCALL POP
  PUSH1 1 PUSH1 0 SSTORE STOP`);

/** CALLs LOGGER with its calldata, then reverts. */
const LOGS_THEN_REVERTS = asm(`
  CALLDATASIZE PUSH1 0 PUSH1 0 CALLDATACOPY
  PUSH1 0 PUSH1 0 CALLDATASIZE PUSH1 0 PUSH1 0 PUSH20 ${LOGGER} GAS CALL POP
  PUSH1 0 PUSH1 0 REVERT`);

const world = () =>
  mapHost(
    new Map([
      [SENDER, { balance: 10n ** 18n }],
      [LOGGER, { code: LOGS_CALLDATA }],
      [REVERTING, { code: LOGS_THEN_REVERTS }],
    ]),
  );

const data = new Uint8Array([0x41, 0x30, 0x4f, 0xac, 1, 2, 3]);

test("a console call is a call to an empty account: the same gas and writes with the collector as without", () => {
  const plain = runTraced(world(), undefined, LOGGER, { data });
  const collector = new ConsoleCallCollector();
  const collected = runTraced(world(), collector, LOGGER, { data });
  assert.equal(collected.result.success, true);
  assert.equal(collected.result.gasLeft, plain.result.gasLeft);
  assert.deepEqual(collected.journal.writes(), plain.journal.writes());
  assert.deepEqual(collector.inputs, [data]);
});

test("the calldata is kept as it was sent; a reverted caller's console calls are kept too (as anvil prints them)", () => {
  const collector = new ConsoleCallCollector();
  const { result } = runTraced(world(), collector, REVERTING, { data });
  assert.equal(result.success, false);
  assert.deepEqual(collector.inputs, [data]);
});

test("calls to other addresses are not collected", () => {
  const collector = new ConsoleCallCollector();
  runTraced(world(), collector, REVERTING, { data: new Uint8Array(0) });
  assert.deepEqual(collector.inputs, [new Uint8Array(0)], "only the console call, empty calldata and all");
  const none = new ConsoleCallCollector();
  runTraced(world(), none, SENDER, { data });
  assert.deepEqual(none.inputs, []);
});
