// The evm_/anvil_/hardhat_ methods' own checks, over a real node: malformed parameters are -32602 with
// the parameter named, a miner without dev controls is -32601, results have anvil's shapes.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { RpcContext } from "../rpc/context.js";
import { devControl } from "../rpc/dev/control.js";
import { defaultConfig } from "./config.js";
import { startNode, type WeftNode } from "./node.js";

let node: WeftNode;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "weft-dev-methods-"));
  node = await startNode({ ...defaultConfig(), port: 0, accounts: 1, datadir: dir, silent: true });
});
after(async () => {
  await node?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function raw(
  method: string,
  params: unknown[] = [],
): Promise<{ result?: unknown; error?: { code: number; message: string } }> {
  const res = await fetch(node.server.url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  return (await res.json()) as { result?: unknown; error?: { code: number; message: string } };
}

test("malformed parameters are -32602 naming the parameter", async () => {
  for (const [method, params, pattern] of [
    ["evm_mine", ["soon"], /timestamp/],
    ["evm_mine", [{ blocks: "many" }], /blocks/],
    ["evm_setAutomine", ["yes"], /enabled/],
    ["evm_setAutomine", [], /expected 1 params/],
    ["evm_increaseTime", [-5], /seconds/],
    ["evm_revert", [], /expected 1 params/],
    ["anvil_setBalance", ["0x12", "0x1"], /address/],
    ["anvil_setBalance", ["0x1000000000000000000000000000000000000001", "lots"], /balance/],
    ["anvil_setCode", ["0x1000000000000000000000000000000000000001", "0x123"], /code/],
    ["anvil_setNonce", ["0x1000000000000000000000000000000000000001", `0x${"f".repeat(20)}`], /nonce/],
    ["anvil_setStorageAt", ["0x1000000000000000000000000000000000000001", "0x1"], /expected 3 params/],
    ["anvil_mine", ["0x1", "0x0"], /at least 1 second/],
    ["anvil_loadState", ['{"nope":1}'], /state/],
    ["anvil_loadState", [`0x${Buffer.from('{"accounts":[]}').toString("hex")}`], /accounts/],
    ["evm_setNextBlockTimestamp", ["0x0"], /timestamp/],
  ] as [string, unknown[], RegExp][]) {
    const r = await raw(method, params);
    assert.equal(r.error?.code, -32602, `${method} ${JSON.stringify(params)}: ${JSON.stringify(r)}`);
    assert.match(r.error!.message, pattern, method);
  }
});

test("results have anvil's shapes", async () => {
  assert.equal((await raw("evm_mine")).result, "0x0");
  assert.equal((await raw("anvil_mine", ["0x2", "0x3"])).result, null);
  assert.match((await raw("evm_snapshot")).result as string, /^0x[0-9a-f]+$/);
  assert.equal((await raw("evm_revert", ["0x99"])).result, false);
  assert.equal(typeof (await raw("evm_increaseTime", ["0x10"])).result, "number");
  assert.equal((await raw("anvil_getAutomine")).result, true);
  assert.equal(
    (await raw("anvil_setStorageAt", ["0x1000000000000000000000000000000000000001", "0x1", "0x2"])).result,
    true,
  );
  assert.equal((await raw("anvil_impersonateAccount", ["0x1000000000000000000000000000000000000001"])).result, null);
  assert.match((await raw("anvil_dumpState")).result as string, /^0x1f8b/, "gzip, as anvil's");
  assert.equal((await raw("eth_mining")).result, true);
  await raw("evm_setAutomine", [false]);
  assert.equal((await raw("eth_mining")).result, false, "eth_mining follows the miner");
  await raw("evm_setAutomine", [true]);
});

test("a context whose miner has no dev controls answers -32601", () => {
  const ctx = { miner: { automine: true } } as unknown as RpcContext;
  assert.throws(
    () => devControl(ctx),
    (e: { code?: number }) => e.code === -32601,
  );
});
