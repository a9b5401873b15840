// Foundry's cast against the node: send --create deploys the ERC-20, send transfers (signed locally,
// and --unlocked through eth_sendTransaction), call reads, receipt and logs find what happened; a blob
// transaction goes out with its sidecar.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { DEV, ROOT, runCommand, startTarget, type Target } from "./harness.js";
import { TRANSFER_TOPIC, tokenBytecode } from "./token.js";

let node: Target;

before(async () => {
  node = await startTarget();
});
after(() => node?.stop());

const CAST = join(ROOT, "node_modules", ".bin", "cast");

/** Runs `cast <subcommand> --rpc-url <node> <args>` (the URL before send --create's trailing
 * constructor arguments) and returns its stdout; fails the test on a non-zero exit. */
async function cast(subcommand: string, ...args: string[]): Promise<string> {
  const r = await runCommand(process.execPath, [CAST, subcommand, "--rpc-url", node.url, ...args]);
  assert.equal(r.code, 0, `cast ${subcommand} ${args.join(" ")} failed:\n${r.stderr}${r.stdout}`);
  assert.notEqual(r.stdout.trim(), "", `cast ${subcommand} ${args.join(" ")} printed nothing:\n${r.stderr}`);
  return r.stdout.trim();
}

test("cast: chain-id, block-number, balance", async () => {
  assert.equal(await cast("chain-id"), "31337");
  assert.match(await cast("block-number"), /^\d+$/);
  assert.equal(await cast("balance", DEV[3].address), "10000000000000000000000");
});

test("cast: send --create, send, call, receipt, logs", async () => {
  const supply = 5_000_000n;
  const created = JSON.parse(
    await cast(
      "send",
      "--private-key",
      DEV[0].key,
      "--json",
      "--create",
      await tokenBytecode(),
      "constructor(uint256)",
      supply.toString(),
    ),
  ) as { status: string; contractAddress: string; transactionHash: string };
  assert.equal(created.status, "0x1");
  const token = created.contractAddress;
  assert.match(token, /^0x[0-9a-fA-F]{40}$/);

  const sent = JSON.parse(
    await cast(
      "send",
      "--private-key",
      DEV[0].key,
      "--json",
      token,
      "transfer(address,uint256)",
      DEV[1].address,
      "1234",
    ),
  ) as { status: string; transactionHash: string; blockNumber: string; logs: unknown[] };
  assert.equal(sent.status, "0x1");
  assert.equal(sent.logs.length, 1);

  // cast prints a decoded uint as "5000000 [5e6]": the number comes first.
  const uint = (out: string) => BigInt(out.split(" ")[0]);
  assert.equal(uint(await cast("call", token, "balanceOf(address)(uint256)", DEV[1].address)), 1234n);
  assert.equal(uint(await cast("call", token, "totalSupply()(uint256)")), supply);

  const receipt = JSON.parse(await cast("receipt", "--json", sent.transactionHash)) as {
    status: string;
    transactionHash: string;
    blockNumber: string;
    to: string;
    from: string;
  };
  assert.equal(receipt.status, "0x1");
  assert.equal(receipt.transactionHash, sent.transactionHash);
  assert.equal(receipt.blockNumber, sent.blockNumber);
  assert.equal(receipt.to.toLowerCase(), token.toLowerCase());
  assert.equal(receipt.from.toLowerCase(), DEV[0].address.toLowerCase());
  // One field alone, as scripts use it.
  assert.match(await cast("receipt", sent.transactionHash, "status"), /^(true|1 \(success\))$/);

  const logs = JSON.parse(
    await cast(
      "logs",
      "--json",
      "--from-block",
      "0",
      "--to-block",
      "latest",
      "--address",
      token,
      "Transfer(address indexed from,address indexed to,uint256 value)",
    ),
  ) as { address: string; topics: string[]; data: string; transactionHash: string }[];
  assert.equal(logs.length, 2, "mint and transfer");
  assert.equal(logs[1].topics[0], TRANSFER_TOPIC);
  assert.equal(logs[1].transactionHash, sent.transactionHash);
  assert.equal(BigInt(logs[1].data), 1234n);
  assert.equal(BigInt(logs[1].topics[2]), BigInt(DEV[1].address));
});

test("cast: send --unlocked from a node-held account", async () => {
  const to = "0x000000000000000000000000000000000000dEaD";
  const sent = JSON.parse(
    await cast("send", "--unlocked", "--from", DEV[2].address, "--json", to, "--value", "1ether"),
  ) as { status: string };
  assert.equal(sent.status, "0x1");
  assert.equal(await cast("balance", to), "1000000000000000000");
});

test("cast: send --blob --eip4844 sends a blob transaction with its sidecar", async () => {
  const dir = mkdtempSync(join(tmpdir(), "weft-e2e-blob-"));
  try {
    const path = join(dir, "blob.txt");
    writeFileSync(path, "a blob from cast");
    const sent = JSON.parse(
      await cast(
        "send",
        "--private-key",
        DEV[3].key,
        "--json",
        "--blob",
        "--eip4844",
        "--path",
        path,
        "0x000000000000000000000000000000000000bEEF",
      ),
    ) as { status: string; type: string; blobGasUsed: string };
    assert.equal(sent.status, "0x1");
    assert.equal(sent.type, "0x3");
    assert.equal(BigInt(sent.blobGasUsed), 131_072n);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
