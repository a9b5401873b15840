// The measurements of `weft bench state` on a written datadir: a restarted node's time to answer and
// its memory at rest (a real `weft node` process), the state-root update of blocks of random token
// transfers, the random account-read rate, and the datadir's size on disk.
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import type { AccountWrite, StateWrites } from "../../evm/host.js";
import { LmdbState } from "../../state/lmdb-state.js";
import { StateTrie } from "../../state/trie/state-trie.js";
import { TrieLogWriter } from "../../state/trie/trie-store.js";
import { repoRoot } from "../compile.js";
import { balanceSlot, holderAddress, TOKEN_ADDRESS } from "./holders.js";

export interface RestartFigures {
  /** From spawning `weft node --datadir` to its first eth_blockNumber answer. */
  readySeconds: number;
  /** The node's resident memory once ready and idle. */
  rssMiB: number;
}

/** How long a node may take to answer before the benchmark gives up. */
const READY_TIMEOUT_MS = 30 * 60_000;
/** Idle time after the first answer before RSS is read (start-up garbage collected, caches settled). */
const REST_MS = 3_000;

/** Starts `weft node --datadir` (with `extraArgs`) and measures it until it answers and at rest. */
export function measureRestart(datadir: string, extraArgs: readonly string[] = []): Promise<RestartFigures> {
  return measureReady(process.execPath, (port) => [
    join(repoRoot(), "bin", "weft.js"),
    "node",
    "--datadir",
    datadir,
    "--port",
    String(port),
    ...extraArgs,
  ]);
}

/** Starts `command` with the arguments for a free port and measures it until it answers and at rest. */
export async function measureReady(command: string, args: (port: number) => string[]): Promise<RestartFigures> {
  const port = await freePort();
  const started = performance.now();
  const node = spawn(command, args(port), { stdio: ["ignore", "ignore", "pipe"], env: process.env });
  let stderr = "";
  node.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  try {
    await waitForBlockNumber(port, node, () => stderr);
    const readySeconds = (performance.now() - started) / 1000;
    await new Promise((r) => setTimeout(r, REST_MS));
    return { readySeconds, rssMiB: residentMiB(node.pid!) };
  } finally {
    await stop(node);
  }
}

async function waitForBlockNumber(port: number, node: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = performance.now() + READY_TIMEOUT_MS;
  while (performance.now() < deadline) {
    if (node.exitCode !== null) throw new Error(`the node exited (${node.exitCode}): ${stderr().trim()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] }),
      });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the node did not answer eth_blockNumber in time");
}

function residentMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = /VmRSS:\s+(\d+) kB/.exec(status);
  if (kb === null) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kb[1]) / 1024;
}

async function stop(node: ChildProcess): Promise<void> {
  if (node.exitCode !== null) return;
  const exited = new Promise((r) => node.once("exit", r));
  node.kill("SIGTERM");
  const timer = setTimeout(() => node.kill("SIGKILL"), 30_000);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}

/** A deterministic generator of holder indices (xorshift32): the same blocks on every run. */
function randomIndices(seed: number, bound: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % bound;
  };
}

/**
 * The net writes of a block of `transfers` token transfers between random holders: each sender's
 * nonce and ether (the fee) change, both token balances move by one, and the token account is written.
 */
export function transferBlock(lmdb: LmdbState, holders: number, transfers: number, seed: number): StateWrites {
  const next = randomIndices(seed, holders);
  const writes: StateWrites = new Map();
  const token = lmdb.account(TOKEN_ADDRESS)!;
  const tokenWrite: AccountWrite = { deleted: false, ...token, storageCleared: false, storage: new Map() };
  writes.set(TOKEN_ADDRESS, tokenWrite);
  const balanceOf = (holder: bigint) =>
    tokenWrite.storage.get(balanceSlot(holder)) ?? lmdb.storage(TOKEN_ADDRESS, balanceSlot(holder));
  for (let t = 0; t < transfers; t++) {
    const from = holderAddress(next());
    const to = holderAddress(next());
    const sender = writes.get(from) ?? {
      deleted: false,
      ...lmdb.account(from)!,
      storageCleared: false,
      storage: new Map(),
    };
    sender.nonce += 1n;
    sender.balance -= 21_000n * 7n;
    writes.set(from, sender);
    tokenWrite.storage.set(balanceSlot(from), balanceOf(from) - 1n);
    tokenWrite.storage.set(balanceSlot(to), balanceOf(to) + 1n);
  }
  return writes;
}

export interface RootFigures {
  transfers: number;
  /** Computing the new root from the block's writes. */
  rootMs: number;
  /** Committing the block's writes (and the trie's changed nodes) to LMDB. */
  commitMs: number;
}

/** Root updates of one block of each size in `sizes`, committed one after another to the datadir's state. */
export function measureRootUpdates(datadir: string, holders: number, sizes: readonly number[]): RootFigures[] {
  const lmdb = LmdbState.open(join(datadir, "chain"));
  try {
    const trie = StateTrie.open(lmdb);
    const trieLog = new TrieLogWriter(lmdb);
    const out: RootFigures[] = [];
    for (const [i, transfers] of sizes.entries()) {
      const writes = transferBlock(lmdb, holders, transfers, 0x9e3779b9 + i);
      const started = performance.now();
      trie.apply(writes);
      trie.root();
      const record = trie.seal();
      const rooted = performance.now();
      const head = lmdb.head()!;
      // As a dev edit: no header describes the state after (no root record), so a kept datadir still opens.
      lmdb.commitSync(writes, undefined, () => {
        trieLog.write(record);
        return { number: head.number };
      });
      trie.written(record.logKey);
      out.push({ transfers, rootMs: rooted - started, commitMs: performance.now() - rooted });
    }
    return out;
  } finally {
    void lmdb.close();
  }
}

/** Random account reads per second from a freshly opened state (`reads` of them). */
export function measureReadRate(datadir: string, holders: number, reads: number): number {
  const lmdb = LmdbState.open(join(datadir, "chain"));
  try {
    const next = randomIndices(0x2545f491, holders);
    const addresses = Array.from({ length: reads }, () => holderAddress(next()));
    const started = performance.now();
    for (const a of addresses) if (lmdb.account(a) === undefined) throw new Error("a holder is missing");
    return reads / ((performance.now() - started) / 1000);
  } finally {
    void lmdb.close();
  }
}

/** Bytes the folder's files take on disk. */
export function diskBytes(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.blocks * 512;
  let total = 0;
  for (const entry of readdirSync(path)) total += diskBytes(join(path, entry));
  return total;
}
