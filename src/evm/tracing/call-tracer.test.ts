import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { addressToHex, bytesToHex, wordToHex } from "../../primitives/hex.js";
import { CallTracer } from "./call-tracer.js";
import { StructLogger } from "./struct-logger.js";
import { asm, leftAligned, mapHost, runTraced, SENDER, type TestAccount, teeTracer } from "./testkit.js";
import { TraceTooLargeError } from "./types.js";

const A = 0xaa00000000000000000000000000000000000000n;
const B = 0xbb00000000000000000000000000000000000000n;
const C = 0xcc00000000000000000000000000000000000000n;

/** Logs once (a log the revert drops), then reverts with Error("nope"). */
const REVERTER = asm(`
  PUSH1 0 PUSH1 0 LOG0
  PUSH32 ${0x08c379a0n << 224n} PUSH1 0 MSTORE
  PUSH1 0x20 PUSH1 4 MSTORE
  PUSH1 4 PUSH1 0x24 MSTORE
  PUSH32 ${leftAligned("nope")} PUSH1 0x44 MSTORE
  PUSH1 0x64 PUSH1 0 REVERT`);

/** Logs with topic 0x11, calls `target` with all its gas, returns the call's success flag. */
function caller(target: bigint): Uint8Array {
  return asm(`
    PUSH1 0x11 PUSH1 0 PUSH1 0 LOG1
    PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 PUSH20 ${target} GAS CALL
    PUSH1 0 MSTORE PUSH1 0x20 PUSH1 0 RETURN`);
}

function world(entries: [bigint, TestAccount][]) {
  return mapHost(new Map([[SENDER, { balance: 10n ** 18n }], ...entries]));
}

/** Runs A with a CallTracer and a StructLogger side by side (both see the same hooks). */
function traceBoth(host: ReturnType<typeof world>, config: ConstructorParameters<typeof CallTracer>[0] = {}) {
  const calls = new CallTracer(config, 5);
  const steps = new StructLogger();
  const both = teeTracer(calls, steps);
  both.onTxStart(1_021_000n);
  const { result } = runTraced(host, both, A);
  both.onTxEnd(BigInt(1_000_000 - result.gasLeft + 21_000));
  return { calls: calls.result()!, steps: steps.result(), result };
}

describe("CallTracer", () => {
  it("reports a revert inside a nested call in geth's callTracer shape", () => {
    const host = world([
      [A, { code: caller(B) }],
      [B, { code: REVERTER }],
    ]);
    const { calls, steps, result } = traceBoth(host, { withLog: true });
    assert.equal(result.success, true);

    const inner = calls.calls![0]!;
    // geth's key order, the optional keys present only where they apply.
    assert.deepEqual(Object.keys(calls), [
      "from",
      "gas",
      "gasUsed",
      "to",
      "input",
      "output",
      "calls",
      "logs",
      "value",
      "type",
    ]);
    assert.deepEqual(Object.keys(inner), [
      "from",
      "gas",
      "gasUsed",
      "to",
      "input",
      "output",
      "error",
      "revertReason",
      "value",
      "type",
    ]);
    assert.equal(calls.from, addressToHex(SENDER));
    assert.equal(calls.to, addressToHex(A));
    assert.equal(calls.gas, "0xf9448"); // the transaction's gas limit, not the frame's
    assert.equal(calls.gasUsed, `0x${(1_000_000 - result.gasLeft + 21_000).toString(16)}`);
    assert.equal(calls.input, "0x");
    assert.equal(calls.output, wordToHex(0n)); // the call failed: A returns 0
    assert.equal(calls.value, "0x0");
    assert.equal(calls.type, "CALL");

    assert.equal(inner.from, addressToHex(A));
    assert.equal(inner.to, addressToHex(B));
    assert.equal(inner.type, "CALL");
    assert.equal(inner.error, "execution reverted");
    assert.equal(inner.revertReason, "nope");
    assert.match(inner.output!, /^0x08c379a0/);
    assert.equal((inner.output!.length - 2) / 2, 100);
    // The reverted frame's own log is gone; A's stays, before its first subcall, indexed in the block.
    assert.equal(inner.logs, undefined);
    assert.deepEqual(calls.logs, [
      { address: addressToHex(A), topics: [wordToHex(0x11n)], data: "0x", index: "0x5", position: "0x0" },
    ]);

    // The struct logger agrees: the callee's gas is what its first step had, its gas used the sum of its steps.
    const innerSteps = steps.structLogs.filter((s) => s.depth === 2);
    assert.equal(inner.gas, `0x${innerSteps[0]!.gas.toString(16)}`);
    const used = innerSteps.reduce((sum, s) => sum + s.gasCost, 0);
    assert.equal(inner.gasUsed, `0x${used.toString(16)}`);
  });

  it("onlyTopCall keeps the top frame and its own logs only", () => {
    const host = world([
      [A, { code: caller(B) }],
      [B, { code: REVERTER }],
    ]);
    const { calls } = traceBoth(host, { onlyTopCall: true, withLog: true });
    assert.equal(calls.calls, undefined);
    assert.equal(calls.logs!.length, 1);
    assert.equal(calls.logs![0]!.position, "0x0");
  });

  it("leaves logs out unless withLog", () => {
    const host = world([
      [A, { code: caller(B) }],
      [B, { code: REVERTER }],
    ]);
    const { calls } = traceBoth(host);
    assert.equal(calls.logs, undefined);
  });

  it("reports precompiles, accounts without code, and calls that fail before they run", () => {
    // CALL identity (0x04) with 3 bytes, CALL an empty account, CALL with more value than A has.
    const code = asm(`
      PUSH3 0x010203 PUSH1 0 MSTORE
      PUSH1 3 PUSH1 0x20 PUSH1 3 PUSH1 29 PUSH1 0 PUSH1 4 GAS CALL POP
      PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 PUSH20 ${C} GAS CALL POP
      PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 100 PUSH20 ${C} GAS CALL POP
      STOP`);
    const host = world([[A, { code, balance: 10n }]]);
    const { calls } = traceBoth(host);
    const [identity, empty, poor] = calls.calls!;
    assert.equal(identity!.to, addressToHex(4n));
    assert.equal(identity!.input, "0x010203");
    assert.equal(identity!.output, "0x010203");
    assert.equal(identity!.gasUsed, "0x12"); // 15 + 3 per word
    assert.equal(empty!.to, addressToHex(C));
    assert.equal(empty!.gasUsed, "0x0");
    assert.equal(empty!.output, undefined);
    assert.equal(poor!.error, "insufficient balance for transfer");
    assert.equal(poor!.value, "0x64");
    assert.equal(poor!.gasUsed, "0x0");
  });

  it("names DELEGATECALL's and STATICCALL's frames as geth does", () => {
    const code = asm(`
      PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 PUSH20 ${C} GAS DELEGATECALL POP
      PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 PUSH20 ${C} GAS STATICCALL POP
      STOP`);
    const host = world([
      [A, { code }],
      [C, { code: asm("STOP") }],
    ]);
    const tracer = new CallTracer();
    const { result } = runTraced(host, tracer, A, { value: 7n });
    assert.equal(result.success, true);
    const [delegate, stat] = tracer.result()!.calls!;
    // DELEGATECALL: from is the calling contract (not its caller), value is inherited.
    assert.equal(delegate!.type, "DELEGATECALL");
    assert.equal(delegate!.from, addressToHex(A));
    assert.equal(delegate!.to, addressToHex(C));
    assert.equal(delegate!.value, "0x7");
    assert.equal(stat!.type, "STATICCALL");
    assert.equal(stat!.value, undefined);
  });

  it("reports creations with the deployed code, a failed one without `to`, and SELFDESTRUCT", () => {
    // Initcode returning one byte 0x00 of code; then CREATE2 of initcode that hits INVALID; then SELFDESTRUCT to C.
    const good = asm("PUSH1 1 PUSH1 0 RETURN");
    const bad = asm("INVALID");
    const code = asm(`
      PUSH5 ${BigInt(bytesToHex(good))} PUSH1 0 MSTORE PUSH1 5 PUSH1 27 PUSH1 0 CREATE POP
      PUSH1 ${BigInt(bytesToHex(bad))} PUSH1 0 MSTORE PUSH1 9 PUSH1 1 PUSH1 31 PUSH1 0 CREATE2 POP
      PUSH20 ${C} SELFDESTRUCT`);
    // C exists, so SELFDESTRUCT fits in the 1/64 of gas the failed CREATE2 left.
    const host = world([
      [A, { code, balance: 5n }],
      [C, { balance: 1n }],
    ]);
    const tracer = new CallTracer();
    assert.equal(runTraced(host, tracer, A).result.success, true);
    const [created, failed, destroyed] = tracer.result()!.calls!;
    assert.equal(created!.type, "CREATE");
    assert.equal(created!.input, bytesToHex(good));
    assert.equal(created!.output, "0x00");
    assert.match(created!.to!, /^0x[0-9a-f]{40}$/);
    assert.equal(failed!.type, "CREATE2");
    assert.equal(failed!.error, "invalid opcode: INVALID");
    assert.equal(failed!.to, undefined);
    assert.equal(failed!.gasUsed, failed!.gas); // an exceptional halt uses everything
    assert.equal(destroyed!.type, "SELFDESTRUCT");
    assert.equal(destroyed!.to, addressToHex(C));
    assert.equal(destroyed!.value, "0x5");
    assert.equal(destroyed!.gas, "0x0");
  });

  it("gives geth's messages for exceptional halts", () => {
    const cases: [string, string][] = [
      ["ADD", "stack underflow (0 <=> 2)"],
      ["PUSH1 3 JUMP", "invalid jump destination"],
      ["PUSH1 1 PUSH1 0 SSTORE", "write protection"],
      ["0x0c", "invalid opcode: opcode 0xc not defined"],
    ];
    for (const [source, message] of cases) {
      const code = source.startsWith("0x") ? new Uint8Array([Number(source)]) : asm(source);
      // Run through a STATICCALL so SSTORE hits write protection.
      const outer = asm(`PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 PUSH20 ${C} GAS STATICCALL`);
      const host = world([
        [A, { code: outer }],
        [C, { code }],
      ]);
      const tracer = new CallTracer();
      runTraced(host, tracer, A);
      assert.equal(tracer.result()!.calls![0]!.error, message, source);
    }
  });

  it("stops the execution with TraceTooLargeError past its size budget", () => {
    const host = world([
      [A, { code: caller(B) }],
      [B, { code: REVERTER }],
    ]);
    assert.throws(() => runTraced(host, new CallTracer({}, 0, 300), A), TraceTooLargeError);
    // The same run fits a budget of a few kilobytes.
    assert.equal(runTraced(host, new CallTracer({}, 0, 5000), A).result.success, true);
  });
});
