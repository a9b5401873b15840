import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeErrorResult, parseAbi } from "viem";
import { hexToBytes } from "../primitives/hex.js";
import { decodeRevertReason, revertError } from "./errors.js";

const abi = parseAbi(["error Error(string)", "error Panic(uint256)", "error Custom(uint256 x)"]);

describe("revert reasons", () => {
  it("decodes Error(string) and Panic(uint256); leaves custom errors and garbage undecoded", () => {
    const error = hexToBytes(encodeErrorResult({ abi, errorName: "Error", args: ["not enough ✓"] }));
    assert.equal(decodeRevertReason(error), "not enough ✓");
    const panic = hexToBytes(encodeErrorResult({ abi, errorName: "Panic", args: [0x11n] }));
    assert.equal(decodeRevertReason(panic), "panic: 0x11");
    const custom = hexToBytes(encodeErrorResult({ abi, errorName: "Custom", args: [7n] }));
    assert.equal(decodeRevertReason(custom), undefined);
    assert.equal(decodeRevertReason(error.subarray(0, 60)), undefined);
    assert.equal(decodeRevertReason(new Uint8Array(0)), undefined);
    const lying = error.slice();
    lying[4 + 31] = 0xff; // offset far past the end
    assert.equal(decodeRevertReason(lying), undefined);
  });

  it("revertError is code 3 with the data and the reason", () => {
    const bytes = hexToBytes(encodeErrorResult({ abi, errorName: "Error", args: ["no"] }));
    const e = revertError(bytes);
    assert.equal(e.code, 3);
    assert.equal(e.message, "execution reverted: no");
    assert.match(String(e.data), /^0x08c379a0/);
    assert.equal(revertError(new Uint8Array(0)).message, "execution reverted");
  });
});
