// The data folder under attack: two nodes on one datadir (the second refuses, naming the first; a
// lock left by kill -9 does not block), a damaged store (zeroed meta page, truncated file, garbage
// pages, deleted file beside genesis.json: each refused with what is damaged and how to repair, never
// a crash by signal, never served), and a full disk (production pauses, reads go on, sends are
// refused, production resumes once there is room, nothing acknowledged is lost across a restart).
// Weft only: anvil keeps its chain in memory.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import {
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Hex } from "viem";
import { DEV, ROOT, rpc, rpcRaw, runCommand, startTarget, TARGET, type Target, waitFor } from "./harness.js";

const ANVIL = "anvil keeps its chain in memory: it has no data folder";
const PAGE = 4096;

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/** Runs `weft node` on `datadir` expecting it to refuse to start: its exit (a node that listens fails the test). */
function expectRefusal(datadir: string): Promise<Exit> {
  const child = spawn(process.execPath, [join(ROOT, "bin", "weft.js"), "node", "--port", "0", "--datadir", datadir], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`weft node neither started nor exited within 30 s:\n${output}`));
    }, 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Listening on/.test(output)) {
        child.kill("SIGKILL");
        reject(new Error(`weft node started on ${datadir} instead of refusing:\n${output}`));
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output });
    });
  });
}

const send = (url: string, from: Hex = DEV[0].address) =>
  rpcRaw(url, "eth_sendTransaction", [{ from, to: DEV[1].address, value: "0x1" }]);

function lockHolderPid(datadir: string): number {
  return (JSON.parse(readFileSync(join(datadir, "weft.lock"), "utf8")) as { pid: number }).pid;
}

test("a second node on a datadir in use exits at once naming the first; a lock left by kill -9 does not block", async (t) => {
  if (TARGET === "anvil") return t.skip(ANVIL);
  const datadir = mkdtempSync(join(tmpdir(), "weft-e2e-lock-"));
  try {
    const first = await startTarget({ datadir });
    assert.equal((await send(first.url)).error, undefined);
    const pid = lockHolderPid(datadir);

    const started = Date.now();
    const second = await expectRefusal(datadir);
    assert.equal(second.signal, null, second.output);
    assert.equal(second.code, 1, second.output);
    assert.match(
      second.output,
      new RegExp(`datadir ${datadir} is in use by another weft node \\(pid ${pid}, started \\d{4}-`),
    );
    assert.equal(second.output.trim().split("\n").length, 1, `one line:\n${second.output}`);
    assert.ok(Date.now() - started < 10_000, "refused at once");

    // The first node goes on, its chain untouched.
    assert.equal(await rpc(first.url, "eth_blockNumber"), "0x1");
    assert.equal((await send(first.url)).error, undefined);
    assert.equal(await rpc(first.url, "eth_blockNumber"), "0x2");

    await first.kill9();
    assert.ok(existsSync(join(datadir, "weft.lock")), "kill -9 leaves the lock file behind");
    const third = await startTarget({ datadir });
    try {
      assert.equal(await rpc(third.url, "eth_blockNumber"), "0x2");
      assert.notEqual(lockHolderPid(datadir), pid, "the stale lock was taken over");
    } finally {
      await third.stop();
    }
    assert.ok(!existsSync(join(datadir, "weft.lock")), "a clean stop removes the lock");
  } finally {
    rmSync(datadir, { recursive: true, force: true });
  }
});

describe("a damaged store is refused with what is damaged and how to repair, never served", () => {
  let base: string;
  let work: string;

  before(async () => {
    if (TARGET === "anvil") return;
    work = mkdtempSync(join(tmpdir(), "weft-e2e-damage-"));
    base = join(work, "base");
    const node = await startTarget({ datadir: base });
    for (let i = 0; i < 10; i++) assert.equal((await send(node.url)).error, undefined);
    await rpc(node.url, "anvil_mine", ["0x1e"]);
    assert.equal(await node.stop(), 0);
  });
  after(() => {
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  /** A copy of the sound datadir, damaged by `damage(dataFile)`, then started: it must refuse. */
  async function refusedAfter(name: string, damage: (dataFile: string) => void): Promise<string> {
    const datadir = join(work, name);
    cpSync(base, datadir, { recursive: true });
    damage(join(datadir, "chain", "data.mdb"));
    const exit = await expectRefusal(datadir);
    assert.equal(exit.signal, null, `no crash by signal:\n${exit.output}`);
    assert.equal(exit.code, 1, exit.output);
    // (LMDB itself may print a line about a corrupted page first.)
    assert.match(exit.output, /^weft node: cannot start: .* is damaged: /m);
    assert.ok(exit.output.includes(`mv ${datadir} ${datadir}.damaged`), `says how to repair:\n${exit.output}`);
    assert.doesNotMatch(exit.output, /\n\s+at /, "no stack trace");
    // `weft db check` finds the same.
    const check = await runCommand(process.execPath, [join(ROOT, "bin", "weft.js"), "db", "check", datadir]);
    assert.equal(check.code, 1, check.stderr);
    assert.match(check.stderr, /is damaged: /);
    return exit.output;
  }

  const overwrite = (file: string, offset: number, bytes: Buffer) => {
    const fd = openSync(file, "r+");
    try {
      writeSync(fd, bytes, 0, bytes.length, offset);
    } finally {
      closeSync(fd);
    }
  };

  test("the sound datadir passes weft db check", async (t) => {
    if (TARGET === "anvil") return t.skip(ANVIL);
    const check = await runCommand(process.execPath, [join(ROOT, "bin", "weft.js"), "db", "check", base]);
    assert.equal(check.code, 0, check.stderr);
    assert.match(check.stdout, /sound\. Head block 40 .*the state matches its state root/);
  });

  test("a zeroed meta page", async (t) => {
    if (TARGET === "anvil") return t.skip(ANVIL);
    const out0 = await refusedAfter("meta0", (file) => overwrite(file, 0, Buffer.alloc(PAGE)));
    assert.match(out0, /data\.mdb is damaged: meta page 0 is zeroed/);
    const out1 = await refusedAfter("meta1", (file) => overwrite(file, PAGE, Buffer.alloc(PAGE)));
    assert.match(out1, /meta page 1 is zeroed/);
  });

  test("a data file truncated by half", async (t) => {
    if (TARGET === "anvil") return t.skip(ANVIL);
    const out = await refusedAfter("half", (file) => truncateSync(file, Math.floor(statSync(file).size / 2)));
    assert.match(out, /the file is \d+ bytes, but its last commit \(transaction \d+\) uses \d+ \(truncated: /);
  });

  test("garbage pages in the middle of the data file", async (t) => {
    if (TARGET === "anvil") return t.skip(ANVIL);
    const out = await refusedAfter("garbage", (file) => {
      const pages = Math.floor(statSync(file).size / PAGE);
      // A fixed pattern (not random): the same damage on every run.
      const garbage = Buffer.alloc(20 * PAGE);
      for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 2654435761) >>> 24;
      overwrite(file, Math.floor(pages / 2 - 10) * PAGE, garbage);
    });
    assert.match(out, /chain is damaged: (a record cannot be read|block \d+: |the stored state)/);
  });

  test("a deleted data file beside genesis.json is not a new chain", async (t) => {
    if (TARGET === "anvil") return t.skip(ANVIL);
    const out = await refusedAfter("deleted", (file) => unlinkSync(file));
    assert.match(out, /data\.mdb is missing, but the datadir holds a chain \(its genesis\.json\)/);
    const empty = await refusedAfter("empty", (file) => truncateSync(file, 0));
    assert.match(empty, /data\.mdb is empty/);
  });
});

test("a full disk pauses block production, reads go on, sends are refused; it resumes with room and loses nothing", {
  timeout: 180_000,
}, async (t) => {
  if (TARGET === "anvil") return t.skip(ANVIL);
  const mount = mkdtempSync(join(tmpdir(), "weft-e2e-full-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=8m", "tmpfs", mount], { stdio: "pipe" });
  } catch (error) {
    rmSync(mount, { recursive: true, force: true });
    return t.skip(`mounting a small tmpfs failed (it needs root): ${(error as Error).message.split("\n")[0]}`);
  }
  const datadir = join(mount, "datadir");
  const filler = join(mount, "filler");
  const started: Target[] = [];
  try {
    const node = await startTarget({ datadir });
    started.push(node);
    const acknowledged: Hex[] = [];
    for (let i = 0; i < 3; i++) acknowledged.push((await send(node.url)).result as Hex);

    fillDisk(filler);
    let refusal: string | undefined;
    for (let i = 0; i < 500 && refusal === undefined; i++) {
      const r = await send(node.url);
      if (r.error !== undefined) refusal = r.error.message;
      else acknowledged.push(r.result as Hex);
    }
    assert.ok(refusal !== undefined, "a send fails once the disk is full");
    assert.match(refusal, /transaction not accepted: the node cannot write its chain to disk \(no space left/);
    await waitFor("the pause line", async () => (/block production paused/.test(node.output()) ? true : undefined));

    // Reads are served; nothing more is acknowledged; nothing is mined.
    const head = await rpc<Hex>(node.url, "eth_blockNumber");
    assert.equal(Number(head), acknowledged.length);
    const balance = BigInt(await rpc<Hex>(node.url, "eth_getBalance", [DEV[1].address, "latest"]));
    assert.equal(balance, 10_000n * 10n ** 18n + BigInt(acknowledged.length), "1 wei per acknowledged send");
    assert.equal(await rpc(node.url, "eth_call", [{ to: DEV[1].address, data: "0x" }, "latest"]), "0x");
    assert.match((await send(node.url, DEV[2].address)).error?.message ?? "", /cannot write its chain to disk/);
    assert.equal(await rpc(node.url, "eth_blockNumber"), head);

    unlinkSync(filler);
    await waitFor("the resume line", async () => (/block production resumed/.test(node.output()) ? true : undefined));
    const after = await send(node.url);
    assert.equal(after.error, undefined, "a send goes through once there is room");
    acknowledged.push(after.result as Hex);
    assert.equal(await node.stop(), 0, node.output().slice(-2000));
    assert.doesNotMatch(node.output(), /Commit failed|error while mining/);

    const restarted = await startTarget({ datadir });
    started.push(restarted);
    for (const hash of acknowledged) {
      const receipt = await rpc<{ status: Hex } | null>(restarted.url, "eth_getTransactionReceipt", [hash]);
      assert.equal(receipt?.status, "0x1", `acknowledged ${hash} is there after a restart`);
    }
    assert.equal(Number(await rpc<Hex>(restarted.url, "eth_blockNumber")), acknowledged.length);
  } finally {
    // Stopped before the file system goes away (a stopped node's stop() just returns its exit code).
    for (const node of started) await node.stop();
    execFileSync("umount", ["-l", mount]);
    rmSync(mount, { recursive: true, force: true });
  }
});

/** Writes `path` until the file system is full (big chunks, then pages). */
function fillDisk(path: string): void {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, "");
  for (const chunk of [1 << 20, PAGE, 512]) {
    const fd = openSync(path, "a");
    try {
      for (;;) writeSync(fd, Buffer.alloc(chunk));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
    } finally {
      closeSync(fd);
    }
  }
}
