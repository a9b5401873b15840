// What anvil users reach for first, against a started node: --version, GET /health for probes, and the
// CREATE2 deterministic deployment proxy at genesis (the same tests run against anvil where anvil has
// the feature).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  concat,
  createPublicClient,
  createWalletClient,
  getContractAddress,
  type Hex,
  http,
  type PublicClient,
  pad,
  toHex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { DEV, ROOT, rpc, rpcRaw, runCommand, startTarget, TARGET, type Target } from "./harness.js";

const DEPLOYER = "0x4e59b44847b379578588920ca78fbf26c0b4956c";
const DEPLOYER_CODE =
  "0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe03601600081602082378035828234f58015156039578182fd5b8082525050506014600cf3";
/** Runtime code that returns 42, and initcode that deploys it (PUSH10 code, MSTORE, RETURN its 10 bytes). */
const RUNTIME: Hex = "0x602a60005260206000f3";
const INITCODE: Hex = `0x69${RUNTIME.slice(2)}600052600a6016f3`;

let node: Target;
let client: PublicClient;

before(async () => {
  node = await startTarget();
  client = createPublicClient({ chain: foundry, transport: http(node.url) });
});
after(() => node?.stop());

test("--version prints the version and exits 0 (weft: package.json's, also as `weft node -V`)", async () => {
  if (TARGET === "anvil") {
    const anvil = await runCommand(process.execPath, [join(ROOT, "node_modules", ".bin", "anvil"), "--version"]);
    assert.equal(anvil.code, 0);
    assert.match(anvil.stdout, /\d+\.\d+\.\d+/);
    return;
  }
  const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
  const bin = join(ROOT, "bin", "weft.js");
  for (const argv of [["--version"], ["-V"], ["node", "--version"], ["node", "-V"], ["node", "--port", "1", "-V"]]) {
    const run = await runCommand(process.execPath, [bin, ...argv]);
    assert.equal(run.code, 0, argv.join(" "));
    assert.equal(run.stdout, `weft ${version}\n`, argv.join(" "));
  }
  const extra = await runCommand(process.execPath, [bin, "--version", "x"]);
  assert.equal(extra.code, 2);
});

test("GET /health answers the head's number; another GET (not the explorer page) is a 405 JSON-RPC error", async (t) => {
  if (TARGET === "anvil") return t.skip("anvil has no /health (it answers 400)");
  await rpc(node.url, "evm_mine");
  const head = Number(await rpc<Hex>(node.url, "eth_blockNumber"));
  const res = await fetch(`${node.url}/health`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "application/json");
  assert.deepEqual(await res.json(), { status: "ok", block: head });
  for (const path of ["/index.html", "/healthz", "/health/x"]) {
    const other = await fetch(`${node.url}${path}`);
    assert.equal(other.status, 405, path);
    const body = (await other.json()) as { error: { code: number; message: string } };
    assert.equal(body.error.code, -32600);
    assert.match(body.error.message, /POST/);
  }
  const post = await fetch(`${node.url}/health`, { method: "POST", headers: { "content-type": "text/plain" } });
  assert.equal(post.status, 415, "a POST to /health is a JSON-RPC request, checked as one");
  await post.text();
});

test("with --auth-token, /health needs no token (a probe cannot send one) but still the Host check", async (t) => {
  if (TARGET === "anvil") return t.skip("anvil has neither /health nor --auth-token");
  const guarded = await startTarget({ args: ["--auth-token", "s3cret"] });
  try {
    const probe = await fetch(`${guarded.url}/health`);
    assert.equal(probe.status, 200);
    const answer = (await probe.json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(answer).sort(), ["block", "status"], "nothing but status and head");
    const rpcWithout = await fetch(guarded.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber" }),
    });
    assert.equal(rpcWithout.status, 401, "JSON-RPC still wants the token");
    await rpcWithout.text();
    // fetch() will not set Host: a raw request does, as a DNS-rebinding page's browser would.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${guarded.url}/health`, { headers: { host: "evil.example" } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end();
    });
    assert.equal(status, 403);
  } finally {
    await guarded.stop();
  }
});

test("the CREATE2 deployer is at genesis, as on anvil: its code, nonce 0, balance 0", async () => {
  assert.equal(await rpc(node.url, "eth_getCode", [DEPLOYER, "0x0"]), DEPLOYER_CODE);
  assert.equal(await rpc(node.url, "eth_getTransactionCount", [DEPLOYER, "0x0"]), "0x0");
  assert.equal(await rpc(node.url, "eth_getBalance", [DEPLOYER, "0x0"]), "0x0");
});

test("a forge-style salted deployment through the proxy lands at the CREATE2 address", async () => {
  const salt = pad(toHex(0x5a17n), { size: 32 });
  const predicted = getContractAddress({ opcode: "CREATE2", from: DEPLOYER, salt, bytecode: INITCODE });
  const data = concat([salt, INITCODE]);
  // The proxy returns the new contract's address, 20 bytes, to its caller.
  assert.equal(await rpc(node.url, "eth_call", [{ to: DEPLOYER, data }, "latest"]), predicted.toLowerCase());

  const wallet = createWalletClient({
    account: privateKeyToAccount(DEV[2].key),
    chain: foundry,
    transport: http(node.url),
  });
  const hash = await wallet.sendTransaction({ to: DEPLOYER, data });
  const receipt = await client.waitForTransactionReceipt({ hash });
  assert.equal(receipt.status, "success");
  assert.equal(await client.getCode({ address: predicted }), RUNTIME);
  assert.equal(await rpc(node.url, "eth_call", [{ to: predicted }, "latest"]), pad(toHex(42n), { size: 32 }));

  // The same salt and initcode again: the address is taken, so the proxy reverts.
  const again = await rpcRaw(node.url, "eth_estimateGas", [{ from: DEV[2].address, to: DEPLOYER, data }]);
  assert.ok(again.error, "a second deployment to the same address fails");
});
