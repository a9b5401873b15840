import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CallTracer } from "./call-tracer.js";
import { StructLogger, type StructLoggerConfig } from "./struct-logger.js";
import { asm, leftAligned, mapHost, runTraced, SENDER, type TestAccount } from "./testkit.js";
import { TraceTooLargeError } from "./types.js";

const A = 0xaa00000000000000000000000000000000000000n;
const B = 0xbb00000000000000000000000000000000000000n;
const GAS = 100_000;

function trace(code: Uint8Array, config: StructLoggerConfig = {}, extra: [bigint, TestAccount][] = [], gas = GAS) {
  const host = mapHost(new Map([[SENDER, { balance: 10n ** 18n }], [A, { code, balance: 100n }], ...extra]));
  const logger = new StructLogger(config);
  const { result } = runTraced(host, logger, A, { gas });
  logger.onTxEnd(BigInt(gas - result.gasLeft));
  return { logs: logger.logs, result: logger.result() };
}

/** The JSON a client receives (undefined fields dropped). */
function json(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

describe("StructLogger", () => {
  it("logs each step as geth's legacy struct logs: pc, op, gas before, cost, depth, stack, memory", () => {
    const { logs, result } = trace(asm("PUSH1 2 PUSH1 3 ADD PUSH1 0 MSTORE PUSH1 0x20 PUSH1 0 RETURN"), {
      enableMemory: true,
    });
    const word5 = `0x${"0".repeat(62)}05`;
    assert.deepEqual(json(logs), [
      { pc: 0, op: "PUSH1", gas: GAS, gasCost: 3, depth: 1, stack: [] },
      { pc: 2, op: "PUSH1", gas: GAS - 3, gasCost: 3, depth: 1, stack: ["0x2"] },
      { pc: 4, op: "ADD", gas: GAS - 6, gasCost: 3, depth: 1, stack: ["0x2", "0x3"] },
      { pc: 5, op: "PUSH1", gas: GAS - 9, gasCost: 3, depth: 1, stack: ["0x5"] },
      // Memory expansion is part of MSTORE's cost; memory shows as it was before the step.
      { pc: 7, op: "MSTORE", gas: GAS - 12, gasCost: 6, depth: 1, stack: ["0x5", "0x0"] },
      { pc: 8, op: "PUSH1", gas: GAS - 18, gasCost: 3, depth: 1, stack: [], memory: [word5] },
      { pc: 10, op: "PUSH1", gas: GAS - 21, gasCost: 3, depth: 1, stack: ["0x20"], memory: [word5] },
      { pc: 12, op: "RETURN", gas: GAS - 24, gasCost: 0, depth: 1, stack: ["0x20", "0x0"], memory: [word5] },
    ]);
    assert.deepEqual(json(result), { gas: 24, failed: false, returnValue: word5, structLogs: json(logs) });
  });

  it("shows the contract's storage seen so far on SLOAD and SSTORE steps, and the refund counter", () => {
    const code = asm("PUSH1 7 PUSH1 1 SSTORE PUSH1 1 SLOAD PUSH1 2 SLOAD PUSH1 0 PUSH1 3 SSTORE STOP");
    const slots = new Map([
      [2n, 9n],
      [3n, 1n],
    ]);
    const logger = new StructLogger();
    runTraced(mapHost(new Map([[A, { code, storage: slots }]])), logger, A, { gas: GAS });
    const withStorage = logger.logs;
    const word = (n: bigint) => `0x${n.toString(16).padStart(64, "0")}`;
    const byOp = withStorage.filter((s) => s.op === "SSTORE" || s.op === "SLOAD");
    assert.deepEqual(
      byOp.map((s) => [s.op, s.gasCost, s.storage]),
      [
        ["SSTORE", 22_100, { [word(1n)]: word(7n) }],
        ["SLOAD", 100, { [word(1n)]: word(7n) }],
        ["SLOAD", 2_100, { [word(1n)]: word(7n), [word(2n)]: word(9n) }],
        ["SSTORE", 2_900 + 2_100, { [word(1n)]: word(7n), [word(2n)]: word(9n), [word(3n)]: word(0n) }],
      ],
    );
    // Clearing slot 3 earns the EIP-3529 refund, shown from the next step on.
    assert.equal(withStorage.at(-1)!.op, "STOP");
    assert.equal(withStorage.at(-1)!.refund, 4_800);
    assert.equal(withStorage.at(-2)!.refund, undefined);
  });

  it("charges a call its access, value and forwarded gas, as geth does; a creation not its forwarded gas", () => {
    const code = asm(`
      PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 PUSH20 ${B} PUSH2 5000 CALL POP
      PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 1 PUSH20 ${B} PUSH2 5000 CALL POP
      PUSH1 0 PUSH1 0 PUSH1 0 CREATE POP
      STOP`);
    const { logs } = trace(code, {}, [[B, { code: asm("PUSH1 1 POP STOP") }]]);
    const calls = logs.filter((s) => s.op === "CALL");
    const firstChildSteps = (i: number) => logs[logs.indexOf(calls[i]!) + 1]!;
    // Cold B, no value: 2600 + the 5000 forwarded; the callee starts with exactly those 5000.
    assert.equal(firstChildSteps(0).depth, 2);
    assert.equal(firstChildSteps(0).gas, 5_000);
    assert.equal(calls[0]!.gasCost, 2_600 + 5_000);
    // Warm B with value: 100 + 9000 + 5000 forwarded; the callee gets the 2300 stipend on top.
    assert.equal(firstChildSteps(1).gas, 5_000 + 2_300);
    assert.equal(calls[1]!.gasCost, 100 + 9_000 + 5_000);
    // CREATE of empty initcode: 32000 only (geth deducts the forwarded gas outside the step's cost).
    const create = logs.find((s) => s.op === "CREATE")!;
    assert.equal(create.gasCost, 32_000);
    assert.equal(logs.at(-1)!.op, "STOP");
    assert.equal(logs.at(-1)!.depth, 1);
  });

  it("marks a step that fails its stack or gas check with geth's error; the result is failed with no return value", () => {
    const underflow = trace(asm("PUSH1 1 ADD"));
    assert.deepEqual(json(underflow.logs.at(-1)), {
      pc: 2,
      op: "ADD",
      gas: GAS - 3,
      gasCost: 3,
      depth: 1,
      error: "stack underflow (1 <=> 2)",
      stack: ["0x1"],
    });
    assert.equal(underflow.result.failed, true);
    assert.equal(underflow.result.returnValue, "0x");

    const outOfGas = trace(asm("PUSH1 1 PUSH1 1 ADD"), {}, [], 7);
    assert.deepEqual(
      outOfGas.logs.map((s) => [s.op, s.gas, s.gasCost, s.error]),
      [
        ["PUSH1", 7, 3, undefined],
        ["PUSH1", 4, 3, undefined],
        ["ADD", 1, 3, "out of gas"],
      ],
    );
  });

  it("returns revert data as the return value of a reverted transaction", () => {
    const code = asm(`PUSH32 ${leftAligned("no")} PUSH1 0 MSTORE PUSH1 2 PUSH1 0 REVERT`);
    const { result } = trace(code);
    assert.equal(result.failed, true);
    assert.equal(result.returnValue, "0x6e6f");
  });

  it("follows disableStack, enableReturnData and limit", () => {
    const code = asm(`
      PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 PUSH20 ${B} GAS STATICCALL
      STOP`);
    const returner = asm("PUSH1 0xab PUSH1 0 MSTORE8 PUSH1 1 PUSH1 0 RETURN");
    const { logs } = trace(code, { disableStack: true, enableReturnData: true }, [[B, { code: returner }]]);
    assert.equal(
      logs.every((s) => s.stack === undefined),
      true,
    );
    assert.equal(logs.at(-1)!.returnData, "0xab");
    assert.equal(logs[0]!.returnData, undefined);

    const limited = trace(code, { limit: 200 }, [[B, { code: returner }]]);
    assert.ok(limited.logs.length < logs.length, `${limited.logs.length} entries under a 200-byte limit`);
    assert.ok(limited.logs.length >= 2);
  });

  it("changes nothing about execution: the same result, gas and writes as without a tracer", () => {
    const code = asm(`
      PUSH1 7 PUSH1 1 SSTORE
      PUSH1 0x11 PUSH1 0 PUSH1 0 LOG1
      PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 3 PUSH20 ${B} GAS CALL
      PUSH1 0 MSTORE PUSH1 0x20 PUSH1 0 RETURN`);
    const reverter = asm("PUSH1 5 PUSH1 1 SSTORE PUSH1 0 PUSH1 0 REVERT");
    const accounts = () =>
      new Map<bigint, TestAccount>([
        [SENDER, { balance: 10n ** 18n }],
        [A, { code, balance: 10n }],
        [B, { code: reverter }],
      ]);
    const plain = runTraced(mapHost(accounts()), undefined, A, { gas: GAS });
    for (const tracer of [new StructLogger({ enableMemory: true }), new CallTracer({ withLog: true })]) {
      const { result, journal } = runTraced(mapHost(accounts()), tracer, A, { gas: GAS });
      assert.deepEqual(result, plain.result);
      assert.deepEqual(journal.writes(), plain.journal.writes());
      assert.deepEqual(journal.logs, plain.journal.logs);
    }
  });

  it("stops the execution with TraceTooLargeError past its size budget (limit only stops recording)", () => {
    const loop = asm("top: PUSH1 0 MLOAD PUSH1 1 ADD PUSH1 0 MSTORE @top JUMP");
    const host = mapHost(new Map([[A, { code: loop }]]));
    assert.throws(() => runTraced(host, new StructLogger({ enableMemory: true }, 100_000), A), TraceTooLargeError);
    const limited = new StructLogger({ enableMemory: true, limit: 50_000 }, 100_000);
    assert.equal(runTraced(host, limited, A, { gas: 200_000 }).result.success, false); // out of gas, not too large
    assert.ok(limited.logs.length > 100);
  });
});
