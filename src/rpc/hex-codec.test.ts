import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RpcError } from "./errors.js";
import {
  expectParams,
  parseAddress,
  parseBlockRef,
  parseData,
  parseHash,
  parseQuantity,
  parseSlot,
} from "./hex-codec.js";

const invalid = (run: () => unknown, pattern: RegExp) =>
  assert.throws(run, (e) => e instanceof RpcError && e.code === -32602 && pattern.test(e.message));

describe("RPC parameter parsing", () => {
  it("quantities: hex (leading zeros tolerated) or safe integers; nothing else", () => {
    assert.equal(parseQuantity("0x0", "q"), 0n);
    assert.equal(parseQuantity("0x00ff", "q"), 255n);
    assert.equal(parseQuantity(12, "q"), 12n);
    invalid(() => parseQuantity("0x", "gas"), /gas/);
    invalid(() => parseQuantity("12", "gas"), /hex quantity/);
    invalid(() => parseQuantity("0xzz", "gas"), /hex quantity/);
    invalid(() => parseQuantity(-1, "gas"), /hex quantity/);
    invalid(() => parseQuantity(`0x1${"0".repeat(64)}`, "gas"), /hex quantity/);
    invalid(() => parseQuantity("0x10", "gas", 15n), /out of range/);
  });

  it("data, addresses, hashes, slots", () => {
    assert.deepEqual(parseData("0x", "d"), new Uint8Array(0));
    assert.deepEqual(parseData("0xABcd", "d"), new Uint8Array([0xab, 0xcd]));
    invalid(() => parseData("0xabc", "input"), /input/);
    invalid(() => parseData("0xabzz", "input"), /input: expected 0x-prefixed hex bytes/);
    invalid(() => parseData("0Xabcd", "input"), /input/);
    invalid(() => parseData("abcd", "input"), /input/);
    invalid(() => parseData(5, "input"), /input/);
    assert.equal(parseAddress(`0x${"Ab".repeat(20)}`, "a"), BigInt(`0x${"ab".repeat(20)}`));
    invalid(() => parseAddress("0x1234", "to"), /20-byte address/);
    invalid(() => parseHash("0x12", "blockHash"), /32-byte hash/);
    assert.equal(parseSlot("0x1", "s"), 1n);
    assert.equal(parseSlot(`0x${"0".repeat(63)}2`, "s"), 2n);
    invalid(() => parseSlot(`0x${"0".repeat(65)}`, "slot"), /slot/);
  });

  it("block references: tags, numbers, EIP-1898 objects", () => {
    assert.deepEqual(parseBlockRef(undefined), { kind: "tag", tag: "latest" });
    assert.deepEqual(parseBlockRef("finalized"), { kind: "tag", tag: "finalized" });
    assert.deepEqual(parseBlockRef("0x10"), { kind: "number", number: 16n });
    const hash = `0x${"11".repeat(32)}`;
    assert.deepEqual(parseBlockRef({ blockHash: hash, requireCanonical: true }), {
      kind: "hash",
      hash: BigInt(hash),
      requireCanonical: true,
    });
    assert.deepEqual(parseBlockRef({ blockNumber: "0x2" }), { kind: "number", number: 2n });
    invalid(() => parseBlockRef("newest"), /latest, pending/);
    invalid(() => parseBlockRef({}), /blockHash or blockNumber/);
  });

  it("param counts; trailing nulls count as absent", () => {
    expectParams(["a", null], 1, 1);
    invalid(() => expectParams([], 1, 2), /expected 1 to 2 params, got 0/);
    invalid(() => expectParams(["a", "b", "c"], 1, 2), /got 3/);
  });
});
