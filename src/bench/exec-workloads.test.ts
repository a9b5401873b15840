import assert from "node:assert/strict";
import { test } from "node:test";
import { executeBlock } from "../exec/block/execute-block.js";
import {
  EXEC_WORKLOADS,
  type ExecWorkloadName,
  type ExecWorkloadParams,
  prepareExecWorkload,
} from "./exec-workloads.js";

const N = 20;

const CASES: [ExecWorkloadName, Omit<ExecWorkloadParams, "txs">][] = [
  ["transfer", {}],
  ["erc20", {}],
  ["erc20-contended", { accounts: 2 }],
  ["erc20-contended", { accounts: 10 }],
  ["uniswap", { pairs: 1 }],
  ["uniswap", { pairs: 5 }],
  ["rwa", {}],
];

test("every workload is covered", () => {
  assert.deepEqual([...new Set(CASES.map(([name]) => name))], [...EXEC_WORKLOADS]);
});

for (const [name, params] of CASES) {
  test(`${name} ${JSON.stringify(params)}: the block executes, every transaction succeeds, both executors agree`, async () => {
    const prepared = await prepareExecWorkload(name, { txs: N, ...params });
    assert.equal(prepared.txs.length, N);
    const roots: bigint[] = [];
    for (const options of [{ mode: "sequential" as const }, { mode: "parallel" as const, workers: 3, seed: 7 }]) {
      const state = prepared.state.clone();
      const result = executeBlock(prepared.txs, prepared.block, state, options);
      assert.ok(result.valid, result.valid ? "" : result.error.message);
      assert.equal(result.mode, options.mode);
      assert.deepEqual(
        result.receipts.map((r) => r.status),
        new Array(N).fill(1),
      );
      state.applyWrites(result.writes);
      roots.push(state.stateRoot());
    }
    assert.equal(roots[0], roots[1]);
  });
}

test("erc20-contended: distinct sender and receiver, consecutive nonces per sender, seeded", async () => {
  const a = await prepareExecWorkload("erc20-contended", { txs: 50, accounts: 3 });
  const b = await prepareExecWorkload("erc20-contended", { txs: 50, accounts: 3 });
  const next = new Map<bigint, bigint>();
  for (const tx of a.txs) {
    assert.equal(tx.nonce, next.get(tx.sender) ?? 0n);
    next.set(tx.sender, tx.nonce + 1n);
    // transfer(address,uint256): the receiver is the first argument's low 20 bytes.
    const receiver = BigInt(`0x${Buffer.from(tx.data.subarray(16, 36)).toString("hex")}`);
    assert.notEqual(receiver, tx.sender);
  }
  assert.equal(next.size, 3);
  assert.deepEqual(
    a.txs.map((tx) => tx.sender),
    b.txs.map((tx) => tx.sender),
  );
});
