// dumpJson: what anvil_loadState accepts before the chain parses it, and the inflation bound.
import assert from "node:assert/strict";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { RpcError } from "../errors.js";
import { dumpJson } from "./anvil-load-state.js";

const invalid = (pattern: RegExp) => (e: unknown) =>
  e instanceof RpcError && e.code === -32602 && pattern.test(e.message);

test("dumpJson: gzip is inflated, plain JSON passes; both only up to the limit", async () => {
  const json = Buffer.from(' {"accounts":{}}');
  assert.deepEqual(Buffer.from(await dumpJson(json, 100)), json);
  assert.deepEqual(Buffer.from(await dumpJson(gzipSync(json), 100)), json);
  // A bomb: 64 MiB of zeros compresses to about 64 KiB; inflation stops at the limit.
  const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
  await assert.rejects(dumpJson(bomb, 1024 * 1024), invalid(/inflates to more than 1048576 bytes of JSON/));
  await assert.rejects(dumpJson(json, 10), invalid(/holds more than 10 bytes/));
});

test("dumpJson: anything but a JSON object is refused (no gzip or hex nested inside)", async () => {
  await assert.rejects(dumpJson(gzipSync(gzipSync(Buffer.from("{}"))), 1000), invalid(/expected a JSON object/));
  await assert.rejects(dumpJson(Buffer.from("0x1f8b"), 1000), invalid(/expected a JSON object/));
  await assert.rejects(dumpJson(Buffer.from([0x1f, 0x8b, 1, 2, 3]), 1000), invalid(/not valid gzip/));
});
