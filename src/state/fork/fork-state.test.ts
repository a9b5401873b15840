// LmdbState on a fork: reads the local tables miss come from the upstream once and are cached (in
// LMDB, across a reopen), an absent account is cached as absent, and what the fork deletes, wipes or
// zeroes no longer falls through. The upstream is a small JSON-RPC server on a worker thread (the
// test's main thread blocks in the client while it answers), which counts what it is asked.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { Worker } from "node:worker_threads";
import type { AccountWrite } from "../../evm/host.js";
import { EMPTY_CODE_HASH, keccak256Word } from "../../primitives/keccak.js";
import { LmdbState } from "../lmdb-state.js";
import type { ForkPoint } from "./fork-state.js";
import { UpstreamClient } from "./upstream-client.js";

const CONTRACT = 0xc0n;
const HOLDER = 0xa1n;
const NOBODY = 0xdeadn;
const CODE = Uint8Array.from([0x60, 0x01, 0x00]);
const FORK_BLOCK = 100n;

// The upstream at FORK_BLOCK: CONTRACT has code, slots 1 = 7 and 2 = 9; HOLDER has 5 wei, nonce 3.
const SERVER = `
const { createServer } = require("node:http");
const { parentPort, workerData } = require("node:worker_threads");
const counts = new Int32Array(workerData.counts);
const state = {
  "0x${CONTRACT.toString(16).padStart(40, "0")}": { balance: "0x0", nonce: "0x1", code: "0x600100", storage: { "1": "0x7", "2": "0x9" } },
  "0x${HOLDER.toString(16).padStart(40, "0")}": { balance: "0x5", nonce: "0x3", code: "0x", storage: {} },
};
const empty = { balance: "0x0", nonce: "0x0", code: "0x", storage: {} };
const answer = (m, p) => {
  const a = state[String(p[0]).toLowerCase()] ?? empty;
  if (m === "eth_getBalance") return a.balance;
  if (m === "eth_getTransactionCount") return a.nonce;
  if (m === "eth_getCode") return a.code;
  if (m === "eth_getStorageAt") return "0x" + BigInt(a.storage[String(BigInt(p[1]))] ?? 0).toString(16).padStart(64, "0");
  if (m === "eth_getBlockByNumber") return { hash: "0x" + (0xb0000n + BigInt(p[0])).toString(16).padStart(64, "0") };
  throw new Error("unexpected " + m);
};
createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    Atomics.add(counts, 0, 1);
    const parsed = JSON.parse(body);
    const one = (r) => {
      if (r.params.some((p) => p === "0x${FORK_BLOCK.toString(16)}") || r.method === "eth_getBlockByNumber") {
        return { jsonrpc: "2.0", id: r.id, result: answer(r.method, r.params) };
      }
      return { jsonrpc: "2.0", id: r.id, error: { code: -32000, message: "wrong block" } };
    };
    res.end(JSON.stringify(Array.isArray(parsed) ? parsed.map(one) : one(parsed)));
  });
}).listen(0, "127.0.0.1", function () {
  parentPort.postMessage(this.address().port);
});
`;

const counts = new Int32Array(new SharedArrayBuffer(4));
let server: Worker;
let url: string;
let dir: string;
const clients: UpstreamClient[] = [];

/** HTTP requests the upstream has served so far. */
const served = () => Atomics.load(counts, 0);

function open(): { state: LmdbState; point: ForkPoint } {
  const client = new UpstreamClient(url);
  clients.push(client);
  const point = { client, blockNumber: FORK_BLOCK, blockHash: 0xf0f0n };
  return { state: LmdbState.open(join(dir, `db-${clients.length}`), { fork: point }), point };
}

function write(fields: Partial<AccountWrite>): AccountWrite {
  return {
    deleted: false,
    nonce: 0n,
    balance: 0n,
    codeHash: EMPTY_CODE_HASH,
    storageCleared: false,
    storage: new Map(),
    ...fields,
  };
}

before(async () => {
  server = new Worker(SERVER, { eval: true, workerData: { counts: counts.buffer } });
  const port = await new Promise<number>((resolve) => server.once("message", resolve));
  url = `http://127.0.0.1:${port}`;
  dir = mkdtempSync(join(tmpdir(), "weft-fork-state-"));
});

after(async () => {
  for (const c of clients) await c.close();
  await server.terminate();
  rmSync(dir, { recursive: true, force: true });
});

test("reads fall through to the upstream at the fork block, once: balance, nonce, code in one round trip; storage; older block hashes", async () => {
  const { state } = open();
  const start = served();
  assert.deepEqual(state.account(HOLDER), { nonce: 3n, balance: 5n, codeHash: EMPTY_CODE_HASH });
  assert.equal(served() - start, 1, "one batch for the account's three fields");
  assert.deepEqual(state.code(CONTRACT), CODE);
  assert.equal(state.account(CONTRACT)?.codeHash, keccak256Word(CODE));
  assert.equal(state.storage(CONTRACT, 1n), 7n);
  assert.equal(state.storage(CONTRACT, 3n), 0n);
  assert.equal(state.blockHash(FORK_BLOCK - 1n), 0xb0000n + FORK_BLOCK - 1n);
  assert.equal(state.blockHash(FORK_BLOCK + 1n), 0n, "blocks from the fork on are the local chain's");
  const fetched = served();
  // Second reads, an absent account included: no request.
  assert.equal(state.account(NOBODY), undefined);
  const afterAbsent = served();
  assert.equal(state.account(NOBODY), undefined);
  assert.equal(state.account(HOLDER)?.balance, 5n);
  assert.equal(state.storage(CONTRACT, 1n), 7n);
  assert.equal(state.storage(CONTRACT, 3n), 0n);
  assert.equal(state.blockHash(FORK_BLOCK - 1n), 0xb0000n + FORK_BLOCK - 1n);
  assert.equal(served(), afterAbsent);
  assert.equal(afterAbsent - fetched, 1);
  await state.close();
});

test("the cache is in LMDB: a reopened state answers without the upstream", async () => {
  const first = open();
  first.state.account(HOLDER);
  first.state.account(NOBODY);
  first.state.storage(CONTRACT, 2n);
  first.state.code(CONTRACT);
  await first.state.commit(new Map()); // the asynchronous cache writes are flushed with it
  const path = first.state.path;
  await first.state.close();
  const start = served();
  const again = LmdbState.open(path, { fork: first.point });
  assert.equal(again.account(HOLDER)?.nonce, 3n);
  assert.equal(again.account(NOBODY), undefined);
  assert.equal(again.storage(CONTRACT, 2n), 9n);
  assert.deepEqual(again.code(CONTRACT), CODE);
  assert.equal(served(), start);
  await again.close();
});

test("what the fork writes wins: zeroed slots, deleted and re-created accounts do not fall through", async () => {
  const { state } = open();
  const contract = state.account(CONTRACT)!;
  // A storage-only change: the account is copied up with its code, its other slots still upstream.
  await state.commit(new Map([[CONTRACT, write({ ...contract, storage: new Map([[1n, 0n]]), storageOnly: true })]]));
  assert.equal(state.storage(CONTRACT, 1n), 0n, "a zeroed slot stays 0");
  assert.equal(state.storage(CONTRACT, 2n), 9n);
  assert.deepEqual([...state.code(CONTRACT)], [...CODE]);
  assert.deepEqual([...(state.codeByHash(contract.codeHash) ?? [])], [...CODE], "the code is copied up too");
  assert.equal(state.hasStorage(CONTRACT), true);
  // Re-created (storage wiped): no upstream slot shows through.
  await state.commit(new Map([[CONTRACT, write({ nonce: 1n, storageCleared: true, storage: new Map([[5n, 1n]]) })]]));
  assert.equal(state.storage(CONTRACT, 2n), 0n);
  assert.equal(state.storage(CONTRACT, 5n), 1n);
  // Deleted: absent, whatever the upstream has.
  await state.commit(new Map([[HOLDER, { ...write({}), deleted: true, storageCleared: true }]]));
  assert.equal(state.account(HOLDER), undefined);
  assert.equal(state.hasStorage(HOLDER), false);
  // A re-fork forgets the marks: the upstream answers again.
  await state.commit(new Map([[CONTRACT, { ...write({}), deleted: true, storageCleared: true }]]), undefined, () => {
    state.clearForkMarks();
    return undefined;
  });
  assert.equal(state.account(HOLDER)?.balance, 5n);
  assert.equal(state.storage(CONTRACT, 2n), 9n);
  await state.close();
});

test("an upstream that fails is an error naming it: unreachable, or a JSON-RPC error", async () => {
  const dead = new UpstreamClient("http://127.0.0.1:9", { timeoutMs: 2000 });
  clients.push(dead);
  assert.throws(
    () => dead.call("eth_chainId", []),
    /^UpstreamError: fork upstream http:\/\/127\.0\.0\.1:9: fetch failed/,
  );
  const live = new UpstreamClient(url);
  clients.push(live);
  assert.throws(() => live.call("eth_getBalance", ["0x01", "latest"]), {
    message: `fork upstream ${url}: eth_getBalance: wrong block`,
  });
});
