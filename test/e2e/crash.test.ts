// Durability: kill -9 the node while senders stream transactions, restart it on the same data folder,
// and find every block it reported (newHeads, or evm_mine having answered) with the same hash and
// state root, and every transaction it acknowledged as mined (a receipt, or eth_sendRawTransaction
// returning under automine, which mines before it answers) in the same block. Three ways of mining:
// automine, interval mining (--block-time) and batches mined by evm_mine (--no-mining). Each mode
// runs WEFT_CRASH_ROUNDS kill rounds (default 2) on one data folder; the diagnostics print the
// rounds, blocks and transactions checked and how many were lost (the test fails on any).
// Weft only: anvil keeps its chain in memory.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { Hex } from "viem";
import { type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";
import { CHAIN_ID, DEV, rpc, rpcRaw, startTarget, TARGET, type Target } from "./harness.js";
import { WsClient } from "./ws-client.js";

type Mode = "automine" | "interval" | "batch";

const MODE_ARGS: Record<Mode, string[]> = {
  automine: [],
  interval: ["--block-time", "0.2"],
  batch: ["--no-mining"],
};

const ROUNDS = Number(process.env.WEFT_CRASH_ROUNDS ?? 2);

interface Seen {
  blocks: Map<number, { hash: Hex; stateRoot: Hex }>;
  /** Transaction hash -> block hash, from receipts fetched before the kill. */
  receipts: Map<Hex, Hex>;
  /** Hashes eth_sendRawTransaction returned under automine (mined before it answered). */
  returned: Hex[];
}

/** True for the errors of a request to a node that was just killed. */
function isConnectionLoss(error: unknown): boolean {
  const e = error as Error;
  return /fetch failed|ECONNREFUSED|ECONNRESET|socket|WebSocket closed/i.test(`${e.message} ${String(e.cause ?? "")}`);
}

function transfer(account: PrivateKeyAccount, nonce: number, to: Hex): Promise<Hex> {
  return account.signTransaction({
    type: "eip1559",
    chainId: CHAIN_ID,
    nonce,
    gas: 21_000n,
    maxFeePerGas: 50_000_000_000n,
    maxPriorityFeePerGas: 1_000_000_000n,
    to,
    value: 1n,
  });
}

async function nonceOf(node: Target, address: Hex): Promise<number> {
  return Number(await rpc<Hex>(node.url, "eth_getTransactionCount", [address, "latest"]));
}

async function recordReceipt(node: Target, seen: Seen, hash: Hex): Promise<boolean> {
  const receipt = await rpc<{ blockHash: Hex } | null>(node.url, "eth_getTransactionReceipt", [hash]);
  if (receipt) seen.receipts.set(hash, receipt.blockHash);
  return receipt !== null;
}

/** One sender per dev key, each sending its next transfer once the last one is mined. */
async function sendOneByOne(node: Target, seen: Seen, mode: Mode, killed: () => boolean): Promise<void> {
  await Promise.all(
    DEV.map(async (d, i) => {
      const account = privateKeyToAccount(d.key);
      let nonce = await nonceOf(node, account.address);
      while (!killed()) {
        const raw = await transfer(account, nonce, DEV[(i + 1) % DEV.length].address);
        const r = await rpcRaw(node.url, "eth_sendRawTransaction", [raw]);
        if (r.error) throw new Error(`eth_sendRawTransaction: ${r.error.message}`);
        const hash = r.result as Hex;
        if (mode === "automine") seen.returned.push(hash);
        nonce++;
        while (!(await recordReceipt(node, seen, hash)) && !killed()) await new Promise((r) => setTimeout(r, 20));
      }
    }),
  );
}

/** Batches of transfers from every dev key sent as one JSON-RPC batch, then evm_mine. */
async function sendBatches(node: Target, seen: Seen, killed: () => boolean): Promise<void> {
  const accounts = DEV.map((d) => privateKeyToAccount(d.key));
  const nonces = await Promise.all(accounts.map((a) => nonceOf(node, a.address)));
  while (!killed()) {
    const raws: Hex[] = [];
    for (let round = 0; round < 5; round++) {
      for (const [i, account] of accounts.entries()) {
        raws.push(await transfer(account, nonces[i]++, DEV[(i + 1) % DEV.length].address));
      }
    }
    const batch = raws.map((raw, id) => ({ jsonrpc: "2.0", id, method: "eth_sendRawTransaction", params: [raw] }));
    const res = await fetch(node.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(batch),
    });
    const answers = (await res.json()) as { result?: Hex; error?: { message: string } }[];
    const hashes = answers.map((a) => {
      if (a.error) throw new Error(`eth_sendRawTransaction: ${a.error.message}`);
      return a.result as Hex;
    });
    await rpc(node.url, "evm_mine");
    for (const hash of hashes) {
      assert.ok(await recordReceipt(node, seen, hash), `${hash} has no receipt after evm_mine`);
    }
  }
}

/** Streams transactions until the node is killed (a random moment after `killAfterBlocks` heads). */
async function stream(node: Target, seen: Seen, mode: Mode, killAfterBlocks: number): Promise<void> {
  const ws = await WsClient.connect(node.wsUrl);
  const sub = await ws.call<string>("eth_subscribe", ["newHeads"]);
  let killed = false;
  const watcher = (async () => {
    for (;;) {
      let head: { number: Hex; hash: Hex; stateRoot: Hex };
      try {
        head = await ws.next(sub, 30_000);
      } catch {
        return;
      }
      seen.blocks.set(Number(head.number), { hash: head.hash, stateRoot: head.stateRoot });
      if (!killed && seen.blocks.size >= killAfterBlocks) {
        killed = true;
        // A little later, so the kill lands at an arbitrary point of the next block's work.
        setTimeout(() => void node.kill9(), Math.floor(Math.random() * 20));
      }
    }
  })();
  try {
    if (mode === "batch") await sendBatches(node, seen, () => killed);
    else await sendOneByOne(node, seen, mode, () => killed);
  } catch (error) {
    // The node is gone: that is the point. Anything else is a failure.
    if (!(killed && isConnectionLoss(error))) throw error;
  }
  await ws.close();
  await watcher;
}

/** How many of the reported blocks and acknowledged transactions the restarted node lacks (asserts none). */
async function verify(node: Target, seen: Seen): Promise<void> {
  for (const [number, want] of seen.blocks) {
    const block = await rpc<{ hash: Hex; stateRoot: Hex } | null>(node.url, "eth_getBlockByNumber", [
      `0x${number.toString(16)}`,
      false,
    ]);
    assert.ok(block, `block ${number} was reported before the kill and is gone after it`);
    assert.equal(block.hash, want.hash, `block ${number}'s hash`);
    assert.equal(block.stateRoot, want.stateRoot, `block ${number}'s state root`);
  }
  for (const [hash, blockHash] of seen.receipts) {
    const receipt = await rpc<{ blockHash: Hex; status: Hex } | null>(node.url, "eth_getTransactionReceipt", [hash]);
    assert.ok(receipt, `transaction ${hash} had a receipt before the kill`);
    assert.equal(receipt.blockHash, blockHash);
    assert.equal(receipt.status, "0x1");
  }
  for (const hash of seen.returned) {
    const receipt = await rpc(node.url, "eth_getTransactionReceipt", [hash]);
    assert.ok(receipt, `eth_sendRawTransaction returned ${hash} (mined, under automine) but it is gone`);
  }
}

for (const mode of ["automine", "interval", "batch"] as const) {
  test(`kill -9 during a stream of transactions (${mode}) loses no reported block or transaction`, async (t) => {
    if (TARGET === "anvil") return t.skip("anvil keeps its chain in memory: nothing survives a kill");
    const datadir = mkdtempSync(join(tmpdir(), `weft-e2e-crash-${mode}-`));
    const seen: Seen = { blocks: new Map(), receipts: new Map(), returned: [] };
    const args = MODE_ARGS[mode];
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const node = await startTarget({ datadir, args });
        if (round > 0) await verify(node, seen);
        const killAfter = seen.blocks.size + 5 + Math.floor(Math.random() * 25);
        await stream(node, seen, mode, killAfter);
        assert.ok(seen.blocks.size >= killAfter, `round ${round}: saw ${seen.blocks.size} blocks before the kill`);
      }
      const node = await startTarget({ datadir, args });
      try {
        await verify(node, seen);
        // The chain goes on from where it was.
        const head = Number(await rpc<Hex>(node.url, "eth_blockNumber"));
        assert.ok(head >= Math.max(...seen.blocks.keys()));
        await rpc(node.url, "eth_sendTransaction", [{ from: DEV[0].address, to: DEV[1].address, value: "0x1" }]);
        if (mode !== "automine") await rpc(node.url, "evm_mine");
        assert.ok(Number(await rpc<Hex>(node.url, "eth_blockNumber")) > head, "a block after the restarts");
      } finally {
        await node.stop();
      }
      const txs = seen.receipts.size + seen.returned.filter((h) => !seen.receipts.has(h)).length;
      t.diagnostic(
        `${mode}: ${ROUNDS} kill rounds, ${seen.blocks.size} reported blocks and ${txs} acknowledged transactions checked after each restart, 0 lost`,
      );
    } finally {
      rmSync(datadir, { recursive: true, force: true });
    }
  });
}
