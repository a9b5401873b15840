import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import type { LmdbState } from "../state/lmdb-state.js";
import { prng } from "../state/random-writes.js";
import { Chain } from "./chain.js";
import { TempDirs, testGenesis } from "./chain-testkit.js";

const dirs = new TempDirs();
after(() => dirs.cleanup());

interface Reported {
  hash: bigint;
  stateRoot: bigint;
}

/** Runs the child until it has reported about `killAfter` blocks, then SIGKILLs it at a random moment. */
async function runAndKill(datadir: string, killAfter: number, delay: number): Promise<Map<bigint, Reported>> {
  const child = fileURLToPath(new URL("./chain-crash-child.js", import.meta.url));
  const proc = spawn(process.execPath, [child, datadir], { stdio: ["ignore", "pipe", "pipe"] });
  const reported = new Map<bigint, Reported>();
  let stderr = "";
  proc.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  let buffered = "";
  let killing = false;
  proc.stdout.on("data", (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split("\n");
    buffered = lines.pop()!;
    for (const line of lines) {
      const [n, hash, root] = line.split(" ");
      reported.set(BigInt(n!), { hash: BigInt(`0x${hash}`), stateRoot: BigInt(`0x${root}`) });
    }
    if (!killing && reported.size >= killAfter) {
      killing = true;
      setTimeout(() => proc.kill("SIGKILL"), delay);
    }
  });
  const timer = setTimeout(() => proc.kill("SIGKILL"), 60_000);
  await exited;
  clearTimeout(timer);
  assert.ok(killing, `child exited before being killed: ${stderr}`);
  return reported;
}

test("kill -9 while mining: every block whose mine resolved is there, same hash and state root", async () => {
  const datadir = dirs.make();
  const genesis = testGenesis();
  const rand = prng(Date.now() >>> 0);
  const all = new Map<bigint, Reported>();
  for (let round = 0; round < 3; round++) {
    const reported = await runAndKill(datadir, 1 + Math.floor(rand() * 12), Math.floor(rand() * 15));
    assert.ok(reported.size > 0, "child reported no block");
    for (const [n, r] of reported) all.set(n, r);
    const last = [...reported.keys()].reduce((a, b) => (a > b ? a : b));

    const chain = await Chain.open({ datadir, genesis });
    const head = chain.head().header.number;
    // Every reported block is there; at most one more (committed, killed before printing).
    assert.ok(head >= last && head <= last + 1n, `head ${head}, last reported ${last}`);
    for (const [n, r] of all) {
      const block = chain.blockByNumber(n);
      assert.equal(block?.hash, r.hash, `block ${n}`);
      assert.equal(block.header.stateRoot, r.stateRoot, `block ${n}`);
      assert.equal(chain.blockReceipts(n).length, block.transactions.length);
      for (const t of block.transactions) assert.equal(chain.transaction(t.hash)?.blockNumber, n);
    }
    // The state is the head block's, to the root, and past blocks' states are readable.
    assert.equal((chain.state() as LmdbState).stateRoot(), chain.head().header.stateRoot);
    assert.equal(chain.head().header.parentHash, chain.blockByNumber(head - 1n)?.hash);
    assert.ok(chain.stateAt(head - 1n).account(chain.head().transactions[0]!.sender) !== undefined);
    await chain.close();
  }
});
