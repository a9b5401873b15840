import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { AccountWrite, StateWrites } from "../evm/host.js";
import { EMPTY_CODE_HASH, EMPTY_TRIE_ROOT, keccak256Word } from "../primitives/keccak.js";
import { LmdbState } from "./lmdb-state.js";
import { MemoryState } from "./memory-state.js";
import { blockHashOf, prng, RandomWrites } from "./random-writes.js";

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "weft-lmdb-"));
  dirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function write(init: Partial<AccountWrite> & { storage?: Map<bigint, bigint> }): AccountWrite {
  return {
    deleted: false,
    nonce: 0n,
    balance: 0n,
    codeHash: init.code ? keccak256Word(init.code) : EMPTY_CODE_HASH,
    storageCleared: false,
    storage: new Map(),
    ...init,
  };
}

const A = 0xccccccccccccccccccccccccccccccccccccccccn;
const B = 0xa94f5374fce5edbc8e2a8697c15331677e6ebf0bn;
const MAX_ADDRESS = (1n << 160n) - 1n;
const MAX_WORD = (1n << 256n) - 1n;

test("empty environment: no accounts, empty root, no head", async () => {
  const state = LmdbState.open(tempDir());
  assert.equal(state.account(A), undefined);
  assert.equal(state.code(A).length, 0);
  assert.equal(state.storage(A, 0n), 0n);
  assert.equal(state.hasStorage(A), false);
  assert.equal(state.stateRoot(), EMPTY_TRIE_ROOT);
  assert.equal(state.head(), undefined);
  await state.close();
});

test("round trip of accounts, code and storage, across a reopen", async () => {
  const path = tempDir();
  const code = new Uint8Array([0x60, 0x02, 0x60, 0x00, 0x55, 0x00]);
  const writes: StateWrites = new Map([
    [A, write({ balance: 10n ** 18n, code, storage: new Map([[0n, 0x60a7n]]) })],
    [B, write({ nonce: 1n, balance: 10n ** 18n })],
    [0n, write({ nonce: (1n << 64n) - 1n, balance: MAX_WORD, storage: new Map([[MAX_WORD, MAX_WORD]]) })],
    [MAX_ADDRESS, write({ nonce: 7n, storage: new Map([[5n, 1n]]) })],
  ]);
  const expected = 0xb2b8d1860969ed21cd1eee5c69206176b951fbf820ee6b7f8ad84e8234094a5en;
  let state = LmdbState.open(path);
  await state.commit(
    new Map([
      [A, writes.get(A)!],
      [B, writes.get(B)!],
    ]),
  );
  // The pre-state of a GeneralStateTests case, whose root the fixture gives.
  assert.equal(state.stateRoot(), expected);
  await state.commit(new Map([...writes].filter(([a]) => a !== A && a !== B)));
  await state.close();

  state = LmdbState.open(path);
  assert.deepEqual(state.account(A), { nonce: 0n, balance: 10n ** 18n, codeHash: keccak256Word(code) });
  assert.deepEqual([...state.code(A)], [...code]);
  assert.equal(state.storage(A, 0n), 0x60a7n);
  assert.equal(state.storage(A, 1n), 0n);
  assert.equal(state.hasStorage(A), true);
  assert.deepEqual(state.account(B), { nonce: 1n, balance: 10n ** 18n, codeHash: EMPTY_CODE_HASH });
  assert.equal(state.hasStorage(B), false);
  assert.deepEqual(state.account(0n), { nonce: (1n << 64n) - 1n, balance: MAX_WORD, codeHash: EMPTY_CODE_HASH });
  assert.equal(state.storage(0n, MAX_WORD), MAX_WORD);
  assert.equal(state.hasStorage(0n), true);
  assert.equal(state.storage(MAX_ADDRESS, 5n), 1n);
  assert.equal(state.hasStorage(MAX_ADDRESS), true);

  const memory = new MemoryState();
  memory.applyWrites(writes);
  assert.equal(state.stateRoot(), memory.stateRoot());
  for (const a of [A, B, 0n, MAX_ADDRESS, 1n]) assert.equal(state.storageRoot(a), memory.storageRoot(a));
  await state.close();
});

test("commit semantics match MemoryState on random blocks (state root after every block)", async () => {
  for (const seed of [1, 2, 3]) {
    const gen = new RandomWrites(seed);
    const memory = new MemoryState();
    const state = LmdbState.open(tempDir());
    for (let block = 1; block <= 40; block++) {
      const writes = gen.next();
      memory.applyWrites(writes);
      if (block % 2 === 0) await state.commit(writes, { number: BigInt(block) });
      else state.commitSync(writes, { number: BigInt(block) });
      assert.equal(state.stateRoot(), memory.stateRoot(), `seed ${seed} block ${block}`);
      for (const a of gen.addresses) {
        assert.deepEqual(state.account(a), memory.account(a));
        assert.deepEqual([...state.code(a)], [...memory.code(a)]);
        assert.equal(state.hasStorage(a), memory.hasStorage(a));
        for (const s of gen.slots) assert.equal(state.storage(a, s), memory.storage(a, s));
      }
    }
    assert.equal(state.head()?.number, 40n);
    await state.close();
  }
});

test("deletion and storageCleared remove every slot of the account, and only its", async () => {
  const state = LmdbState.open(tempDir());
  const memory = new MemoryState();
  const slots = new Map<bigint, bigint>();
  for (let i = 0n; i < 300n; i++) slots.set(i * 7919n, i + 1n);
  const blocks: StateWrites[] = [
    new Map([
      [A, write({ nonce: 1n, storage: new Map(slots) })],
      [A + 1n, write({ nonce: 1n, storage: new Map(slots) })],
      [A - 1n, write({ nonce: 1n, storage: new Map(slots) })],
    ]),
    new Map([[A, write({ deleted: true })]]),
    new Map([[A, write({ nonce: 2n, storage: new Map([[3n, 3n]]) })]]),
    new Map([[A + 1n, write({ nonce: 2n, storageCleared: true, storage: new Map([[7919n, 9n]]) })]]),
  ];
  for (const writes of blocks) {
    memory.applyWrites(writes);
    await state.commit(writes);
    assert.equal(state.stateRoot(), memory.stateRoot());
  }
  assert.equal(state.storage(A, 7919n), 0n);
  assert.equal(state.storage(A, 3n), 3n);
  assert.equal(state.storage(A + 1n, 0n), 0n);
  assert.equal(state.storage(A + 1n, 7919n), 9n);
  assert.equal(state.storage(A - 1n, 7919n), 2n);
  await state.close();
});

test("blockHash: from the blockhashes table by default, or injected", async () => {
  const path = tempDir();
  const state = LmdbState.open(path);
  await state.commit(new Map(), { number: 5n, hash: 0xabcn, stateRoot: EMPTY_TRIE_ROOT });
  assert.equal(state.blockHash(5n), 0xabcn);
  assert.equal(state.blockHash(4n), 0n);
  assert.deepEqual(state.head(), { number: 5n, stateRoot: EMPTY_TRIE_ROOT });
  await state.close();
  const injected = LmdbState.open(path, { blockHash: (n) => n * 2n });
  assert.equal(injected.blockHash(5n), 10n);
  assert.equal(injected.storedBlockHash(5n), 0xabcn);
  await injected.close();
});

test("a read-only handle reads but refuses to commit", async () => {
  const path = tempDir();
  const writer = LmdbState.open(path);
  await writer.commit(new Map([[A, write({ nonce: 3n })]]));
  const reader = LmdbState.openReadOnly(path);
  assert.equal(reader.account(A)?.nonce, 3n);
  await assert.rejects(reader.commit(new Map()), /read-only/);
  assert.throws(() => reader.commitSync(new Map()), /read-only/);
  await reader.close();
  await writer.close();
});

test("a worker thread opens the same environment read-only and reads committed state", async () => {
  const path = tempDir();
  const state = LmdbState.open(path);
  const code = new Uint8Array([0x5f, 0x5f, 0xf3]);
  await state.commit(new Map([[A, write({ nonce: 9n, balance: 12345n, code, storage: new Map([[1n, 77n]]) })]]));
  const worker = new Worker(new URL("./lmdb-state-worker.js", import.meta.url), {
    workerData: { path, address: A, slot: 1n },
  });
  const reply = await new Promise<Record<string, unknown>>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  await new Promise((resolve) => worker.once("exit", resolve));
  assert.deepEqual(reply.account, { nonce: 9n, balance: 12345n, codeHash: keccak256Word(code) });
  assert.equal(reply.storage, 77n);
  assert.equal(reply.hasStorage, true);
  assert.deepEqual([...(reply.code as Uint8Array)], [...code]);
  assert.equal(reply.stateRoot, state.stateRoot());
  // The writer's handle keeps working after the worker closed its own.
  await state.commit(new Map([[A, write({ nonce: 10n })]]));
  assert.equal(state.account(A)?.nonce, 10n);
  await state.close();
});

test("crash durability: every block a SIGKILLed writer reported committed is there", async () => {
  const path = tempDir();
  const child = fileURLToPath(new URL("./lmdb-crash-child.js", import.meta.url));
  const seed = 42;
  const rand = prng(Date.now() >>> 0);
  for (let round = 0; round < 4; round++) {
    const reported = new Map<bigint, bigint>();
    const proc = spawn(process.execPath, [child, path, String(seed)], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    proc.stderr.on("data", (d) => (stderr += d));
    const killAfter = 1 + Math.floor(rand() * 20);
    const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
    let buffered = "";
    let killing = false;
    proc.stdout.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop()!;
      for (const line of lines) {
        const [n, root] = line.split(" ");
        reported.set(BigInt(n!), BigInt(`0x${root}`));
      }
      if (!killing && reported.size >= killAfter) {
        killing = true;
        // A random moment: anywhere inside the next few commits.
        setTimeout(() => proc.kill("SIGKILL"), Math.floor(rand() * 15));
      }
    });
    const timer = setTimeout(() => proc.kill("SIGKILL"), 30_000);
    await exited;
    clearTimeout(timer);
    assert.ok(killing, `child exited before being killed: ${stderr}`);
    assert.ok(reported.size > 0, "child reported no block");

    const lastReported = [...reported.keys()].reduce((a, b) => (a > b ? a : b));
    const state = LmdbState.open(path);
    const head = state.head();
    assert.ok(head !== undefined);
    // Every reported block is there; at most one more (committed, killed before printing).
    assert.ok(head.number >= lastReported && head.number <= lastReported + 1n, `head ${head.number}`);
    const gen = new RandomWrites(seed);
    const memory = new MemoryState();
    for (let n = 1n; n <= head.number; n++) {
      memory.applyWrites(gen.next());
      const root = reported.get(n);
      if (root !== undefined) assert.equal(memory.stateRoot(), root, `block ${n}`);
      assert.equal(state.blockHash(n), blockHashOf(n));
    }
    assert.equal(head.stateRoot, memory.stateRoot());
    assert.equal(state.stateRoot(), memory.stateRoot());
    await state.close();
  }
});
