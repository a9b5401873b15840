// `weft node` executes blocks with Block-STM by default (threads = cores) and mines exactly the blocks
// a node with --threads 1 (sequential) mines: the same transactions, sent to both, give the same block
// hash, state root and receipts root.
import assert from "node:assert/strict";
import { availableParallelism } from "node:os";
import { test } from "node:test";
import { DEV, rpc, startTarget, TARGET } from "./harness.js";

const SKIP = TARGET === "anvil" ? "Weft's executor: anvil has no --threads" : false;
const ARGS = ["--no-mining", "--timestamp", "1700000000"];
const PER_SENDER = 12;

interface Block {
  hash: string;
  stateRoot: string;
  receiptsRoot: string;
  transactions: string[];
}

test("the default node mines with Block-STM and its blocks equal --threads 1's", {
  skip: SKIP,
  timeout: 120_000,
}, async () => {
  const parallel = await startTarget({ args: ARGS });
  const sequential = await startTarget({ args: [...ARGS, "--threads", "1"] });
  try {
    for (const node of [parallel, sequential]) {
      // Four senders' nonce chains, interleaved: transactions that depend on earlier ones.
      for (let i = 0; i < PER_SENDER; i++) {
        for (const [s, sender] of DEV.entries()) {
          await rpc(node.url, "eth_sendTransaction", [
            {
              from: sender.address,
              to: `0x${(0xbeef00 + ((i * 7 + s) % 9)).toString(16).padStart(40, "0")}`,
              value: `0x${(1000 + i).toString(16)}`,
              // With calldata: a block of plain value transfers is too cheap to run in parallel.
              data: "0x01",
              gas: "0x6000",
              maxFeePerGas: "0x77359400",
              maxPriorityFeePerGas: "0x1",
            },
          ]);
        }
      }
      await rpc(node.url, "evm_mine", ["0x6553f164"]);
    }
    const [a, b] = await Promise.all(
      [parallel, sequential].map((node) => rpc<Block>(node.url, "eth_getBlockByNumber", ["latest", false])),
    );
    assert.equal(a!.transactions.length, PER_SENDER * DEV.length);
    assert.deepStrictEqual(
      { hash: a!.hash, stateRoot: a!.stateRoot, receiptsRoot: a!.receiptsRoot },
      { hash: b!.hash, stateRoot: b!.stateRoot, receiptsRoot: b!.receiptsRoot },
    );
    const metrics = await Promise.all(
      [parallel, sequential].map((node) => rpc<Record<string, number>>(node.url, "weft_metrics")),
    );
    assert.equal(metrics[1]!.parallelBlocks, 0, "--threads 1 runs sequentially");
    if (availableParallelism() > 1) assert.equal(metrics[0]!.parallelBlocks, 1, "the default ran Block-STM");
  } finally {
    await Promise.all([parallel.stop(), sequential.stop()]);
  }
});
