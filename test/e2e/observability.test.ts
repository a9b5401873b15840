// What an operator and a Solidity developer see of a started node: console.log lines of mined
// transactions and of eth_call / eth_estimateGas in the node's log (as anvil prints them: the same
// test runs against anvil), the Prometheus /metrics endpoint, the per-request log line, JSON logs and
// the log-level flags.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { compileSources } from "../../src/bench/compile.js";
import { bytesToHex } from "../../src/primitives/hex.js";
import { DEV, ROOT, rpc, runCommand, startTarget, TARGET, type Target, waitFor } from "./harness.js";

/** console.sol's encoding (as Hardhat's and forge-std's): an ABI call STATICCALLed to the console address. */
const SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

library console {
  address constant CONSOLE_ADDRESS = 0x000000000000000000636F6e736F6c652e6c6f67;

  function _send(bytes memory payload) private view {
    address target = CONSOLE_ADDRESS;
    assembly {
      pop(staticcall(gas(), target, add(payload, 32), mload(payload), 0, 0))
    }
  }

  function log(string memory p0) internal view { _send(abi.encodeWithSignature("log(string)", p0)); }
  function log(string memory p0, uint256 p1) internal view { _send(abi.encodeWithSignature("log(string,uint256)", p0, p1)); }
  function log(string memory p0, address p1) internal view { _send(abi.encodeWithSignature("log(string,address)", p0, p1)); }
  function log(uint256 p0, bool p1) internal view { _send(abi.encodeWithSignature("log(uint256,bool)", p0, p1)); }
}

contract Greeter {
  uint256 public count;

  constructor() {
    console.log("Greeter deployed by %s", msg.sender);
  }

  function greet(uint256 n) external {
    count += n;
    console.log("greet: count is now %d", count);
    console.log(count, count > 3);
  }

  function peek() external view returns (uint256) {
    console.log("peek at", count);
    return count;
  }

  function fail() external view {
    console.log("about to revert");
    revert("no");
  }
}
`;

interface Receipt {
  status: string;
  gasUsed: string;
  contractAddress: string | null;
}

async function send(url: string, tx: Record<string, string>): Promise<Receipt> {
  const hash = await rpc<string>(url, "eth_sendTransaction", [{ from: DEV[0].address, ...tx }]);
  return await waitFor("the receipt", () =>
    rpc<Receipt | null>(url, "eth_getTransactionReceipt", [hash]).then((r) => r ?? undefined),
  );
}

/** Waits until the node has printed `text`. */
function printed(node: Target, text: string): Promise<true> {
  return waitFor(`"${text}" in the node's output`, async () => (node.output().includes(text) ? true : undefined));
}

describe(`Solidity console.log (${TARGET})`, () => {
  let node: Target;
  let greeter: string;
  let selectors: Record<string, string>;

  before(async () => {
    node = await startTarget();
    const artifact = (await compileSources({ "Greeter.sol": SOURCE }))["Greeter.sol"]!.Greeter!;
    selectors = artifact.methodIdentifiers;
    const deployed = await send(node.url, { data: bytesToHex(artifact.bytecode) });
    assert.equal(deployed.status, "0x1");
    greeter = deployed.contractAddress!;
  });
  after(() => node?.stop());

  it("a mined transaction's lines: a format string, numbers, a checksummed address, a bool", async () => {
    await printed(node, `Greeter deployed by ${DEV[0].address}`);
    const receipt = await send(node.url, { to: greeter, data: `0x${selectors["greet(uint256)"]}${"0".repeat(63)}5` });
    assert.equal(receipt.status, "0x1");
    await printed(node, "greet: count is now 5");
    await printed(node, "5 true");
  });

  it("eth_call's lines, the call's result unchanged; a reverted call's too", async () => {
    const result = await rpc<string>(node.url, "eth_call", [
      { to: greeter, data: `0x${selectors["peek()"]}` },
      "latest",
    ]);
    assert.equal(BigInt(result), 5n);
    await printed(node, "peek at 5");
    await rpc(node.url, "eth_call", [{ to: greeter, data: `0x${selectors["fail()"]}` }, "latest"]).catch(
      () => undefined,
    );
    await printed(node, "about to revert");
  });

  it("eth_estimateGas's lines (on Weft once, not once per try of its search); nothing written", async () => {
    const greet7 = `0x${selectors["greet(uint256)"]}${"0".repeat(63)}7`;
    await rpc(node.url, "eth_estimateGas", [{ from: DEV[0].address, to: greeter, data: greet7 }]);
    await printed(node, "greet: count is now 12");
    await new Promise((resolve) => setTimeout(resolve, 200));
    const times = node.output().split("greet: count is now 12").length - 1;
    // anvil prints them once per try of its binary search (18 times here); Weft once, for the first run.
    if (TARGET === "weft") assert.equal(times, 1);
    const count = await rpc<string>(node.url, "eth_call", [
      { to: greeter, data: `0x${selectors["count()"]}` },
      "latest",
    ]);
    assert.equal(BigInt(count), 5n);
  });
});

/** Prometheus' text format: each sample's value by its name and labels, and each family's type. */
function parseExposition(text: string): { types: Map<string, string>; samples: Map<string, number> } {
  const types = new Map<string, string>();
  const samples = new Map<string, number>();
  for (const line of text.split("\n")) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1]!, type[2]!);
    if (line === "" || line.startsWith("#")) continue;
    const sample = /^(\S+?(?:\{.*\})?) (\S+)$/.exec(line);
    assert.ok(sample, `a sample line: ${line}`);
    samples.set(sample[1]!, Number(sample[2]));
  }
  return { types, samples };
}

async function scrape(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return await fetch(`${url}/metrics`, { headers, signal: AbortSignal.timeout(10_000) });
}

describe(`GET /metrics (${TARGET})`, () => {
  let node: Target;
  before(async () => {
    if (TARGET === "weft") node = await startTarget({ args: ["--auth-token", "s3cret"] });
  });
  after(() => node?.stop());

  it("Prometheus' text format, reth's names; blocks, gas, pool, stages and calls move with transactions", async (t) => {
    if (TARGET === "anvil") return t.skip("anvil has no /metrics");
    const auth = { authorization: "Bearer s3cret" };
    const before = parseExposition(await (await scrape(node.url, auth)).text());
    // A few blocks with transactions, one call that fails, one transaction queued behind a nonce gap.
    for (let i = 0; i < 3; i++)
      await rpcAuth(node.url, "eth_sendTransaction", [{ from: DEV[0].address, to: DEV[1].address, value: "0x1" }]);
    await rpcAuth(node.url, "eth_getBalance", ["0xnot-an-address", "latest"]);

    const response = await scrape(node.url, auth);
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
    const after = parseExposition(await response.text());
    const types = Object.fromEntries(
      [
        "weft_blocks_mined_total",
        "weft_transactions_mined_total",
        "sync_execution_gas_processed_total",
        "weft_block_reexecutions_total",
        "sync_execution_execution_histogram",
        "sync_block_validation_state_root_histogram",
        "consensus_engine_persistence_save_blocks_duration_seconds",
        "blockchain_tree_canonical_chain_height",
        "transaction_pool_pending_pool_transactions",
        "transaction_pool_queued_pool_transactions",
        "weft_transaction_pool_size_bytes",
        "rpc_server_calls_time_seconds",
        "rpc_server_calls_successful_total",
        "rpc_server_calls_failed_total",
        "process_cpu_seconds_total",
      ].map((name) => [name, after.types.get(name)]),
    );
    assert.deepEqual(types, {
      weft_blocks_mined_total: "counter",
      weft_transactions_mined_total: "counter",
      sync_execution_gas_processed_total: "counter",
      weft_block_reexecutions_total: "counter",
      sync_execution_execution_histogram: "histogram",
      sync_block_validation_state_root_histogram: "histogram",
      consensus_engine_persistence_save_blocks_duration_seconds: "histogram",
      blockchain_tree_canonical_chain_height: "gauge",
      transaction_pool_pending_pool_transactions: "gauge",
      transaction_pool_queued_pool_transactions: "gauge",
      weft_transaction_pool_size_bytes: "gauge",
      rpc_server_calls_time_seconds: "histogram",
      rpc_server_calls_successful_total: "counter",
      rpc_server_calls_failed_total: "counter",
      process_cpu_seconds_total: "counter",
    });
    const moved = (name: string) => (after.samples.get(name) ?? 0) - (before.samples.get(name) ?? 0);
    assert.equal(moved('weft_blocks_mined_total{mode="sequential"}'), 3);
    assert.equal(moved("weft_transactions_mined_total"), 3);
    assert.equal(moved("sync_execution_gas_processed_total"), 3 * 21_000);
    assert.equal(moved("sync_execution_execution_histogram_count"), 3);
    assert.equal(moved("consensus_engine_persistence_save_blocks_duration_seconds_count"), 3);
    assert.ok(moved("consensus_engine_persistence_save_blocks_duration_seconds_sum") > 0);
    assert.equal(after.samples.get("blockchain_tree_canonical_chain_height"), 3);
    assert.equal(moved('rpc_server_calls_successful_total{method="eth_sendTransaction"}'), 3);
    assert.equal(moved('rpc_server_calls_time_seconds_count{method="eth_sendTransaction"}'), 3);
    assert.equal(after.samples.get('rpc_server_calls_failed_total{method="eth_getBalance",code="-32602"}'), 1);

    await rpcAuth(node.url, "eth_sendTransaction", [{ from: DEV[0].address, to: DEV[1].address, nonce: "0x10" }]).catch(
      () => undefined,
    );
    const queued = parseExposition(await (await scrape(node.url, auth)).text());
    assert.equal(queued.samples.get("transaction_pool_queued_pool_transactions"), 1);
    assert.ok((queued.samples.get("weft_transaction_pool_size_bytes") ?? 0) > 100);
  });

  it("needs the --auth-token (a scraper sends it) and an allowed Host, as JSON-RPC does", async (t) => {
    if (TARGET === "anvil") return t.skip("anvil has no /metrics");
    assert.equal((await scrape(node.url)).status, 401);
    assert.equal((await scrape(node.url, { authorization: "Bearer wrong" })).status, 401);
    const rebinding = await new Promise<number>((resolve, reject) => {
      const { hostname, port } = new URL(node.url);
      import("node:http").then(({ request }) =>
        request(
          { host: hostname, port, path: "/metrics", headers: { host: "evil.example", authorization: "Bearer s3cret" } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        )
          .on("error", reject)
          .end(),
      );
    });
    assert.equal(rebinding, 403);
  });

  async function rpcAuth(url: string, method: string, params: unknown[]): Promise<unknown> {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer s3cret" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    });
    return await res.json();
  }
});

describe(`log levels and formats (${TARGET})`, () => {
  it("--log-json: every line a JSON object; at debug, a line per request without a raw transaction's params", async (t) => {
    if (TARGET === "anvil") return t.skip("anvil has no JSON logs");
    const node = await startTarget({ args: ["--log-json", "--log-level", "debug"] });
    try {
      await rpc(node.url, "eth_blockNumber");
      await rpc(node.url, "eth_sendTransaction", [{ from: DEV[0].address, to: DEV[1].address, value: "0x1" }]);
      const lines = await waitFor("the block's line", async () => {
        const out = node.output().trim().split("\n");
        return out.some((l) => l.includes('"block":1')) ? out : undefined;
      });
      const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      for (const r of records) {
        assert.equal(typeof r.time, "string");
        assert.ok(["info", "debug"].includes(r.level as string), `level ${r.level}`);
        assert.equal(typeof r.msg, "string");
      }
      assert.ok(records.some((r) => typeof r.msg === "string" && (r.msg as string).includes("Available Accounts")));
      const request = records.find((r) => r.method === "eth_blockNumber");
      assert.ok(request, "a line for eth_blockNumber");
      assert.equal(request.level, "debug");
      assert.equal(request.id, 1);
      assert.equal(typeof request.ms, "number");
      assert.equal(request.params, undefined, "params only at trace");
      const block = records.find((r) => r.block === 1 && r.txs === 1);
      assert.ok(block, "the block's line, with fields");
      assert.match(block.msg as string, /^Block #1 0x[0-9a-f]{64} 1 tx, gas used 21000/);
    } finally {
      await node.stop();
    }
  });

  it("-vv (trace): params cut short, never a whole raw transaction", async (t) => {
    if (TARGET === "anvil") return t.skip("Weft's log levels");
    const node = await startTarget({ args: ["-vv"] });
    try {
      const raw = `0x${"ab".repeat(400)}`;
      await rpc(node.url, "eth_sendRawTransaction", [raw]).catch(() => undefined);
      const line = await waitFor("the request's line", async () =>
        node
          .output()
          .split("\n")
          .find((l) => l.startsWith("rpc eth_sendRawTransaction")),
      );
      assert.match(line, /^rpc eth_sendRawTransaction id=1 \d+\.\d+ ms error -32000: /);
      assert.match(line, /params=\["0xabab.*…\(\d+ chars\)$/);
      assert.ok(!node.output().includes(raw), "the raw transaction is not logged whole");
    } finally {
      await node.stop();
    }
  });

  it("a bad --log-level, or two level flags at once, is a usage error (exit 2)", async (t) => {
    if (TARGET === "anvil") return t.skip("Weft's command line");
    const weft = (...args: string[]) => runCommand(process.execPath, [join(ROOT, "bin", "weft.js"), "node", ...args]);
    const bad = await weft("--log-level", "loud");
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--log-level wants one of error, warn, info, debug, trace, got 'loud'/);
    const both = await weft("--silent", "-v");
    assert.equal(both.code, 2);
    assert.match(both.stderr, /--silent and -v exclude each other/);
  });
});
