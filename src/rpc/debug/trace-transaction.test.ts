import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { CallFrameJson } from "../../evm/tracing/call-tracer.js";
import type { StructLogResult } from "../../evm/tracing/struct-logger.js";
import { addressToHex, wordToHex } from "../../primitives/hex.js";
import { compileContracts, DEV, type RpcFailure, scenario, startTestNode, type TestNode } from "./testkit.js";

describe("debug_traceTransaction", () => {
  let node: TestNode;
  let sc: ReturnType<typeof scenario>;
  const hashOf = (block: number, index: number) => wordToHex(sc.blocks[block]![index]!.hash);
  const callTrace = (block: number, index: number, tracerConfig: object = {}) =>
    node.rpc("debug_traceTransaction", [
      hashOf(block, index),
      { tracer: "callTracer", tracerConfig },
    ]) as Promise<CallFrameJson>;

  before(async () => {
    sc = scenario(await compileContracts());
    node = await startTestNode(sc.blocks);
  });
  after(async () => node.close());

  it("callTracer: a revert inside a nested call, caught by the caller", async () => {
    const trace = await callTrace(2, 0, { withLog: true });
    const receipt = node.chain.receipt(sc.blocks[2]![0]!.hash)!;
    assert.equal(trace.type, "CALL");
    assert.equal(trace.from, addressToHex(DEV.address));
    assert.equal(trace.to, addressToHex(sc.outer));
    assert.equal(trace.gas, "0x493e0"); // the transaction's 300000
    assert.equal(trace.gasUsed, `0x${receipt.gasUsed.toString(16)}`);
    assert.equal(trace.output, wordToHex(0n)); // run(1) returns false
    assert.equal(trace.error, undefined);
    assert.equal(trace.calls!.length, 1);
    const inner = trace.calls![0]!;
    assert.deepEqual(
      { from: inner.from, to: inner.to, type: inner.type, value: inner.value },
      { from: addressToHex(sc.outer), to: addressToHex(sc.inner), type: "CALL", value: "0x0" },
    );
    assert.equal(inner.error, "execution reverted");
    assert.equal(inner.revertReason, "inner says no");
    assert.match(inner.output!, /^0x08c379a0/);
    // Inner's Ping was rolled back with it; Outer's Done(false) stays, after its one subcall.
    assert.equal(inner.logs, undefined);
    assert.equal(trace.logs!.length, 1);
    assert.equal(trace.logs![0]!.data, wordToHex(0n));
    assert.equal(trace.logs![0]!.position, "0x1");
    assert.equal(trace.logs![0]!.index, "0x0");
  });

  it("runs a transaction after the ones before it in its block (state, log indexes)", async () => {
    const trace = await callTrace(2, 1, { withLog: true });
    assert.equal(trace.output, wordToHex(1n)); // run(0) succeeds
    const inner = trace.calls![0]!;
    assert.equal(inner.error, undefined);
    assert.equal(inner.output, wordToHex(1n));
    // Block-wide log indexes: transaction 0 left one log.
    assert.equal(inner.logs![0]!.index, "0x1");
    assert.equal(trace.logs![0]!.index, "0x2");
    const receipt = node.chain.receipt(sc.blocks[2]![1]!.hash)!;
    assert.equal(trace.gasUsed, `0x${receipt.gasUsed.toString(16)}`);
  });

  it("callTracer: a nested creation shows the deployed code; onlyTopCall drops subcalls", async () => {
    const trace = await callTrace(2, 2);
    const created = trace.calls![0]!;
    assert.equal(created.type, "CREATE");
    assert.equal(created.from, addressToHex(sc.outer));
    assert.equal(trace.output, wordToHex(BigInt(created.to!)));
    assert.equal(created.output!.length > 100, true);
    const top = await callTrace(2, 2, { onlyTopCall: true });
    assert.equal(top.calls, undefined);
    assert.equal(top.gasUsed, trace.gasUsed);
  });

  it("struct logger by default: geth's result shape, gas as the receipt, every step", async () => {
    const result = (await node.rpc("debug_traceTransaction", [hashOf(2, 0)])) as StructLogResult;
    const receipt = node.chain.receipt(sc.blocks[2]![0]!.hash)!;
    assert.deepEqual(Object.keys(result), ["gas", "failed", "returnValue", "structLogs"]);
    assert.equal(result.gas, Number(receipt.gasUsed));
    assert.equal(result.failed, false);
    assert.equal(result.returnValue, wordToHex(0n));
    const first = result.structLogs[0]!;
    assert.deepEqual(first, {
      pc: 0,
      op: "PUSH1",
      gas: 300_000 - 21_000 - 16 * 5 - 4 * 31,
      gasCost: 3,
      depth: 1,
      stack: [],
    });
    // Into Inner and back; Inner's REVERT is its last step.
    const depths = new Set(result.structLogs.map((s) => s.depth));
    assert.deepEqual([...depths].sort(), [1, 2]);
    const innerSteps = result.structLogs.filter((s) => s.depth === 2);
    assert.equal(innerSteps.at(-1)!.op, "REVERT");
    const sstore = innerSteps.find((s) => s.op === "SSTORE")!;
    assert.deepEqual(sstore.storage, { [wordToHex(0n)]: wordToHex(1n) });
    assert.equal(result.structLogs.at(-1)!.op, "RETURN");
    // No memory unless asked for.
    assert.equal(
      result.structLogs.some((s) => s.memory !== undefined),
      false,
    );
  });

  it("errors: unknown transaction, unknown tracer, unknown option", async () => {
    await assert.rejects(node.rpc("debug_traceTransaction", [wordToHex(123n)]), {
      code: -32000,
      message: "transaction not found",
    });
    await assert.rejects(
      node.rpc("debug_traceTransaction", [hashOf(2, 0), { tracer: "flatCallTracer" }]),
      (e: RpcFailure) => e.code === -32602 && /unsupported tracer "flatCallTracer"/.test(e.message),
    );
    await assert.rejects(
      node.rpc("debug_traceTransaction", [
        hashOf(2, 0),
        { tracer: "prestateTracer", tracerConfig: { diffmode: true } },
      ]),
      (e: RpcFailure) => e.code === -32602 && /unknown prestateTracer option "diffmode"/.test(e.message),
    );
    await assert.rejects(
      node.rpc("debug_traceTransaction", [hashOf(2, 0), { tracer: "callTracer", tracerConfig: { withLogs: true } }]),
      (e: RpcFailure) => e.code === -32602 && /withLogs/.test(e.message),
    );
    await assert.rejects(
      node.rpc("debug_traceTransaction", [hashOf(2, 0), { enableMemry: true }]),
      (e: RpcFailure) => e.code === -32602 && /enableMemry/.test(e.message),
    );
  });
});
