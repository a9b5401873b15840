import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { decodeStateDump, type StateDump } from "../chain/snapshot.js";
import { readStateFile, writeStateFile } from "./state-file.js";

const dir = mkdtempSync(join(tmpdir(), "weft-state-file-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const DUMP: StateDump = {
  accounts: { "0x0000000000000000000000000000000000000001": { nonce: 1, balance: "0x2", code: "0x", storage: {} } },
};

test("a state file is the dump's JSON, replaced whole, and reads back", () => {
  const path = join(dir, "state.json");
  writeFileSync(path, "previous");
  writeStateFile(path, DUMP);
  assert.deepEqual(JSON.parse(readFileSync(path, "utf8")), DUMP);
  assert.deepEqual(decodeStateDump(readStateFile(path)), DUMP);
  assert.deepEqual(readdirSync(dir), ["state.json"], "no temporary file is left");
});

test("a file that cannot be written or read is an error naming it, and leaves nothing behind", () => {
  const missing = join(dir, "gone", "state.json");
  assert.throws(() => writeStateFile(missing, DUMP), { message: `cannot write state file ${missing}: ENOENT` });
  assert.throws(() => readStateFile(missing), { message: `cannot read state file ${missing}: ENOENT` });
  assert.deepEqual(
    readdirSync(dir).filter((name) => name.includes(".tmp")),
    [],
  );
});
