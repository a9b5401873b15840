// Durability: kill -9 the node while several senders stream transactions, restart it on the same
// data folder, and find every block it reported (newHeads) with the same hash and state root, and
// every transaction it reported mined (a receipt, or eth_sendRawTransaction returning under
// automine, which mines before it answers) in the same block. Twice, the second time on the
// restarted chain. Weft only: anvil keeps its chain in memory.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { CHAIN_ID, DEV, rpc, rpcRaw, startTarget, TARGET, type Target } from "./harness.js";
import { WsClient } from "./ws-client.js";

interface Seen {
  blocks: Map<number, { hash: Hex; stateRoot: Hex }>;
  /** Transaction hash -> block hash, from receipts fetched before the kill. */
  receipts: Map<Hex, Hex>;
  /** Hashes eth_sendRawTransaction returned (mined before it answered, under automine). */
  returned: Hex[];
}

/** Streams transfers from `senders` until the connection dies; records what the node reported. */
async function stream(node: Target, seen: Seen, killAfterBlocks: number): Promise<void> {
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

  const senders = DEV.map((d) => privateKeyToAccount(d.key));
  await Promise.all(
    senders.map(async (account, i) => {
      let nonce = Number(await rpc<Hex>(node.url, "eth_getTransactionCount", [account.address, "latest"]));
      for (;;) {
        const raw = await account.signTransaction({
          type: "eip1559",
          chainId: CHAIN_ID,
          nonce,
          gas: 21_000n,
          maxFeePerGas: 50_000_000_000n,
          maxPriorityFeePerGas: 1_000_000_000n,
          to: DEV[(i + 1) % DEV.length].address,
          value: 1n,
        });
        try {
          const r = await rpcRaw(node.url, "eth_sendRawTransaction", [raw]);
          if (r.error) throw new Error(`eth_sendRawTransaction: ${r.error.message}`);
          seen.returned.push(r.result as Hex);
          nonce++;
          const receipt = await rpc<{ blockHash: Hex } | null>(node.url, "eth_getTransactionReceipt", [r.result]);
          if (receipt) seen.receipts.set(r.result as Hex, receipt.blockHash);
        } catch (error) {
          // The node is gone: that is the point. Anything else is a failure.
          if (killed && /fetch failed|ECONNREFUSED|ECONNRESET|socket/i.test(String((error as Error).cause ?? error))) {
            return;
          }
          throw error;
        }
      }
    }),
  );
  await ws.close();
  await watcher;
}

/** Every block and transaction in `seen` is in the restarted node, unchanged. */
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

test("kill -9 during a stream of transactions loses no reported block or transaction", async (t) => {
  if (TARGET === "anvil") return t.skip("anvil keeps its chain in memory: nothing survives a kill");
  const datadir = mkdtempSync(join(tmpdir(), "weft-e2e-crash-"));
  const seen: Seen = { blocks: new Map(), receipts: new Map(), returned: [] };
  try {
    for (let round = 0; round < 2; round++) {
      const node = await startTarget({ datadir });
      if (round > 0) await verify(node, seen);
      const killAfter = seen.blocks.size + 5 + Math.floor(Math.random() * 25);
      await stream(node, seen, killAfter);
      assert.ok(seen.blocks.size >= killAfter, `round ${round}: saw ${seen.blocks.size} blocks before the kill`);
      t.diagnostic(`after round ${round}: ${seen.blocks.size} blocks, ${seen.returned.length} transactions reported`);
    }
    const node = await startTarget({ datadir });
    try {
      await verify(node, seen);
      // The chain goes on from where it was.
      const head = Number(await rpc<Hex>(node.url, "eth_blockNumber"));
      assert.ok(head >= Math.max(...seen.blocks.keys()));
      const hash = await rpc<Hex>(node.url, "eth_sendTransaction", [
        { from: DEV[0].address, to: DEV[1].address, value: "0x1" },
      ]);
      const receipt = await rpc<{ blockNumber: Hex }>(node.url, "eth_getTransactionReceipt", [hash]);
      assert.equal(Number(receipt.blockNumber), head + 1);
    } finally {
      await node.stop();
    }
  } finally {
    rmSync(datadir, { recursive: true, force: true });
  }
});
