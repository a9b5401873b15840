import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type Abi,
  concatHex,
  type EncodeFunctionDataParameters,
  encodeAbiParameters,
  encodeFunctionData,
  type Hex,
  hexToBytes,
  keccak256,
  parseAbi,
  parseAbiParameters,
  toBytes,
  toFunctionSelector,
} from "viem";
import { consoleSignatures, decodeConsoleCall } from "./console-abi.js";
import { consoleLine } from "./console-format.js";

/** Calldata of console.sol's `signature` (human-readable, with parameter names) called with `args`. */
function call(signature: string, args: readonly unknown[]): Uint8Array {
  const abi = parseAbi([`function ${signature}` as string]) as Abi;
  return hexToBytes(encodeFunctionData({ abi, args } as unknown as EncodeFunctionDataParameters));
}

const ALICE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

test("console.sol's signatures: 381 of them, selectors as viem derives them, none shared", () => {
  const signatures = consoleSignatures();
  assert.equal(signatures.length, 381);
  const selectors = new Set(signatures.map((s) => toFunctionSelector(`function ${s}`)));
  assert.equal(selectors.size, signatures.length);
  assert.ok(signatures.includes("log(address,uint256,bool,string)"));
  assert.ok(signatures.includes("logBytes32(bytes32)"));
});

test("log(string), log(uint256), log(int256), log(bool), log(address)", () => {
  assert.equal(consoleLine(call("log(string)", ["hello, world"])), "hello, world");
  assert.equal(consoleLine(call("log(uint256)", [42n])), "42");
  assert.equal(consoleLine(call("log(int256)", [-7n])), "-7");
  assert.equal(consoleLine(call("log(bool)", [true])), "true");
  assert.equal(consoleLine(call("log(address)", [ALICE.toLowerCase()])), ALICE, "checksummed");
  assert.equal(consoleLine(call("log()", [])), "");
});

test("mixed arguments: a format string takes them in order, the rest follow with spaces", () => {
  const line = consoleLine(call("log(string,uint256,address,bool)", ["sent %d to %s", 5n, ALICE, false]));
  assert.equal(line, `sent 5 to ${ALICE} false`);
  assert.equal(consoleLine(call("log(string,uint256)", ["balance", 100n])), "balance 100");
  assert.equal(consoleLine(call("log(uint256,bool)", [1n, true])), "1 true");
  assert.equal(consoleLine(call("log(string,uint256)", ["%x is 100%%", 256n])), "0x100 is 100%");
  assert.equal(
    consoleLine(call("log(string,string)", ["%s and %s", "one"])),
    "one and %s",
    "a specifier without argument stays",
  );
  assert.equal(consoleLine(call("log(string,int256)", ["delta", -3n])), "delta -3");
});

test("the typed logX functions: bytes in hex", () => {
  assert.equal(consoleLine(call("logBytes(bytes)", ["0xdeadbeef"])), "0xdeadbeef");
  assert.equal(consoleLine(call("logBytes4(bytes4)", ["0x01020304"])), "0x01020304");
  assert.equal(consoleLine(call("logUint(uint256)", [9n])), "9");
  assert.equal(consoleLine(call("logString(string)", ["x"])), "x");
});

test("Hardhat's first console.sol selectors (`uint`, `int` spelled short) decode the same", () => {
  const legacy = (signature: string, types: string, args: readonly unknown[]) =>
    hexToBytes(
      concatHex([
        keccak256(toBytes(signature)).slice(0, 10) as Hex,
        encodeAbiParameters(parseAbiParameters(types), args as never),
      ]),
    );
  assert.equal(consoleLine(legacy("log(uint)", "uint256", [77n])), "77");
  assert.equal(consoleLine(legacy("log(string,uint)", "string,uint256", ["n =", 3n])), "n = 3");
  assert.equal(consoleLine(legacy("logInt(int)", "int256", [-1n])), "-1");
});

test("anything else is not a console.log line", () => {
  assert.equal(decodeConsoleCall(new Uint8Array([1, 2, 3])), undefined, "shorter than a selector");
  assert.equal(decodeConsoleCall(hexToBytes("0xdeadbeef")), undefined, "unknown selector");
  const truncated = call("log(string)", ["hello"]).subarray(0, 40);
  assert.equal(decodeConsoleCall(truncated), undefined, "malformed arguments");
});
