import assert from "node:assert/strict";
import { test } from "node:test";
import { bytesToHex } from "../primitives/hex.js";
import { encodeCall, encodeWords } from "./abi.js";
import type { Artifact } from "./compile.js";

test("encodeCall: selector then one 32-byte word per argument", () => {
  const artifact: Artifact = {
    bytecode: new Uint8Array(0),
    deployedBytecode: new Uint8Array(0),
    methodIdentifiers: { "transfer(address,uint256)": "a9059cbb" },
  };
  const data = encodeCall(artifact, "transfer(address,uint256)", [0xabn, 1000n]);
  assert.equal(bytesToHex(data), `0xa9059cbb${"ab".padStart(64, "0")}${(1000).toString(16).padStart(64, "0")}`);
  assert.throws(() => encodeCall(artifact, "approve(address,uint256)", [1n, 2n]), /no function approve/);
});

test("encodeWords of no arguments is empty", () => {
  assert.equal(encodeWords([]).length, 0);
});
