import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { bytesToHex } from "../primitives/hex.js";
import { keccak256 } from "../primitives/keccak.js";
import { compileSources } from "./compile.js";
import { BENCH_SOURCES } from "./contracts.js";

test("compileSources compiles once, then serves the same artifacts from its cache", async (t) => {
  const cacheDir = mkdtempSync(join(tmpdir(), "weft-solc-"));
  t.after(() => rmSync(cacheDir, { recursive: true, force: true }));
  const sources = { "KeccakLoop.sol": BENCH_SOURCES["KeccakLoop.sol"]! };
  let compiles = 0;
  const onCompile = () => compiles++;

  const first = await compileSources(sources, { cacheDir, onCompile });
  assert.equal(compiles, 1);
  assert.equal(readdirSync(cacheDir).filter((f) => f.endsWith(".json")).length, 1);
  const loop = first["KeccakLoop.sol"]?.KeccakLoop;
  assert.ok(loop, "KeccakLoop artifact");
  assert.ok(loop.bytecode.length > loop.deployedBytecode.length);
  // The selector solc reports is keccak256("run(uint256)")[0..4].
  assert.equal(
    loop.methodIdentifiers["run(uint256)"],
    bytesToHex(keccak256(new TextEncoder().encode("run(uint256)")).subarray(0, 4)).slice(2),
  );

  const second = await compileSources(sources, { cacheDir, onCompile });
  assert.equal(compiles, 1, "second call is a cache hit");
  assert.deepEqual(second, first);

  await compileSources({ "KeccakLoop.sol": `${sources["KeccakLoop.sol"]}\n// changed\n` }, { cacheDir, onCompile });
  assert.equal(compiles, 2, "a changed source misses the cache");
});

test("compileSources reports solc errors", async (t) => {
  const cacheDir = mkdtempSync(join(tmpdir(), "weft-solc-"));
  t.after(() => rmSync(cacheDir, { recursive: true, force: true }));
  await assert.rejects(
    compileSources({ "Bad.sol": "pragma solidity ^0.8.20; contract Bad { function f() { nope; } }" }, { cacheDir }),
    /solc failed/,
  );
});
