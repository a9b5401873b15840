import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createAddress } from "../../evm/opcodes/system.js";
import type { CallFrameJson } from "../../evm/tracing/call-tracer.js";
import type { StructLogResult } from "../../evm/tracing/struct-logger.js";
import { addressToHex, bigintToHex, wordToHex } from "../../primitives/hex.js";
import {
  type Contracts,
  calldata,
  compileContracts,
  DEV,
  hex,
  type RpcFailure,
  scenario,
  startTestNode,
  type TestNode,
} from "./testkit.js";

describe("debug_traceCall", () => {
  let node: TestNode;
  let c: Contracts;
  let sc: ReturnType<typeof scenario>;
  const call = (x: bigint) => ({
    from: addressToHex(DEV.address),
    to: addressToHex(sc.outer),
    data: hex(calldata(c.outer, "run(uint256)", x)),
  });

  before(async () => {
    c = await compileContracts();
    sc = scenario(c);
    node = await startTestNode(sc.blocks);
  });
  after(async () => node.close());

  it("traces a call as eth_call runs it, nothing written", async () => {
    const trace = (await node.rpc("debug_traceCall", [call(5n), "latest", { tracer: "callTracer" }])) as CallFrameJson;
    assert.equal(trace.type, "CALL");
    assert.equal(trace.output, wordToHex(0n));
    assert.equal(trace.calls![0]!.revertReason, "inner says no");
    const result = (await node.rpc("eth_call", [call(5n), "latest"])) as string;
    assert.equal(result, trace.output);
    // The call's gas is the block's gas limit when the request names none.
    assert.equal(trace.gas, bigintToHex(node.chain.head().header.gasLimit));
  });

  it("struct logger on a call that panics: failed, the revert data as return value", async () => {
    const boom = { to: addressToHex(sc.outer), data: hex(calldata(c.outer, "boom(uint256)", 0n)) };
    const result = (await node.rpc("debug_traceCall", [boom, "latest"])) as StructLogResult;
    assert.equal(result.failed, true);
    assert.match(result.returnValue, /^0x4e487b71/);
    assert.equal(result.structLogs.at(-1)!.op, "REVERT");
    const trace = (await node.rpc("debug_traceCall", [boom, "latest", { tracer: "callTracer" }])) as CallFrameJson;
    assert.equal(trace.error, "execution reverted");
    assert.equal(trace.revertReason, "division or modulo by zero");
  });

  it("takes state overrides in the config", async () => {
    // Inner's code replaced by Outer's: fail(uint256) is not there, the call reverts without a reason.
    const config = {
      tracer: "callTracer",
      stateOverrides: { [addressToHex(sc.inner)]: { code: hex(c.outer.deployedBytecode) } },
    };
    const trace = (await node.rpc("debug_traceCall", [call(0n), "latest", config])) as CallFrameJson;
    assert.equal(trace.calls![0]!.error, "execution reverted");
    assert.equal(trace.calls![0]!.revertReason, undefined);
  });

  it("txIndex runs the call inside a past block, after that many of its transactions", async () => {
    // Block 3's third transaction has Outer create a second Inner: before it, that address has no code.
    const created = createAddress(sc.outer, 1n);
    const read = { to: addressToHex(created), data: hex(calldata(c.inner, "stored()")) };
    const at = (txIndex?: number) =>
      node.rpc("debug_traceCall", [read, "0x3", { tracer: "callTracer", txIndex }]) as Promise<CallFrameJson>;
    assert.equal((await at(2)).output, undefined);
    assert.equal((await at()).output, wordToHex(0n));
    await assert.rejects(at(3), (e: RpcFailure) => e.code === -32000 && /out of range/.test(e.message));
  });

  it("rejects a call that cannot run, and configs it does not support", async () => {
    const poor = { ...call(0n), from: addressToHex(0x1234n), gasPrice: "0x3b9aca00", value: "0x1" };
    await assert.rejects(
      node.rpc("debug_traceCall", [poor, "latest"]),
      (e: RpcFailure) => e.code === -32000 && /insufficient funds/.test(e.message),
    );
    await assert.rejects(
      node.rpc("debug_traceCall", [call(0n), "latest", { blockOverrides: { number: "0x1" } }]),
      (e: RpcFailure) => e.code === -32602 && /block overrides/.test(e.message),
    );
    await assert.rejects(
      node.rpc("debug_traceCall", [call(0n), "latest", { tracer: "flatCallTracer" }]),
      (e: RpcFailure) => e.code === -32602 && /unsupported tracer/.test(e.message),
    );
    await assert.rejects(
      node.rpc("debug_traceCall", [call(0n), "latest", { tracer: "4byteTracer", tracerConfig: { diffMode: true } }]),
      (e: RpcFailure) => e.code === -32602 && /unknown 4byteTracer option "diffMode"/.test(e.message),
    );
  });

  it("traces a call that recurses as deep as its gas allows", async () => {
    // CALL itself with all gas, until the 63/64 rule leaves too little (some 520 frames in 30M gas).
    const self = addressToHex(0x5e1fn);
    const config = { tracer: "callTracer", stateOverrides: { [self]: { code: "0x60006000600060006000305af100" } } };
    const trace = (await node.rpc("debug_traceCall", [{ to: self }, "latest", config])) as CallFrameJson;
    let depth = 0;
    for (let frame = trace; frame.calls !== undefined; frame = frame.calls[0]!) depth++;
    assert.ok(depth > 500, `${depth} nested frames`);
  });
});
