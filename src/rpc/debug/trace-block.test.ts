import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { wordToHex } from "../../primitives/hex.js";
import { compileContracts, type RpcFailure, scenario, startTestNode, type TestNode } from "./testkit.js";

describe("debug_traceBlockByNumber / debug_traceBlockByHash", () => {
  let node: TestNode;
  let sc: ReturnType<typeof scenario>;

  before(async () => {
    sc = scenario(await compileContracts());
    node = await startTestNode(sc.blocks);
  });
  after(async () => node.close());

  it("traces every transaction of the block in order, each as debug_traceTransaction does", async () => {
    const config = { tracer: "callTracer", tracerConfig: { withLog: true } };
    const byNumber = (await node.rpc("debug_traceBlockByNumber", ["0x3", config])) as {
      txHash: string;
      result: unknown;
    }[];
    const block = node.chain.blockByNumber(3n)!;
    const byHash = await node.rpc("debug_traceBlockByHash", [wordToHex(block.hash), config]);
    assert.deepEqual(byHash, byNumber);
    assert.deepEqual(
      byNumber.map((t) => t.txHash),
      sc.blocks[2]!.map((tx) => wordToHex(tx.hash)),
    );
    for (const entry of byNumber) {
      assert.deepEqual(entry.result, await node.rpc("debug_traceTransaction", [entry.txHash, config]));
    }
  });

  it("struct logs per transaction; an empty block gives an empty list", async () => {
    const traces = (await node.rpc("debug_traceBlockByNumber", ["latest"])) as { result: { gas: number } }[];
    assert.equal(traces.length, 3);
    assert.equal(traces[0]!.result.gas, Number(node.chain.receipt(sc.blocks[2]![0]!.hash)!.gasUsed));
    assert.deepEqual(await node.rpc("debug_traceBlockByNumber", ["0x0"]), []);
  });

  it("errors for the pending block and for blocks the node does not have", async () => {
    await assert.rejects(node.rpc("debug_traceBlockByNumber", ["pending"]), (e: RpcFailure) => e.code === -32602);
    await assert.rejects(
      node.rpc("debug_traceBlockByNumber", ["0x99"]),
      (e: RpcFailure) => e.code === -32000 && /not found/.test(e.message),
    );
    await assert.rejects(node.rpc("debug_traceBlockByHash", [wordToHex(7n)]), (e: RpcFailure) => e.code === -32000);
  });
});
