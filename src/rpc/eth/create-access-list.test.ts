// eth_createAccessList against a real node (Chain on LMDB, TxPool, RPC server): a contract that
// reads and writes its storage, calls a second contract that writes a slot and a mapping entry, reads
// an unrelated account's balance and calls a precompile. The list must name exactly those accounts
// and slots (sender, recipient and precompiles left out unless their storage is touched), and a
// transaction carrying it must use the gas the method reported.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { encodeAbiParameters, type Hex, keccak256 } from "viem";
import { addressToHex, bytesToHex, wordToHex } from "../../primitives/hex.js";
import { ACCOUNTS, rpc, rpcError, startTestNode, type TestNode } from "../testkit.js";
import { compileAccessListContracts } from "./access-list-testkit.js";

const FROM = addressToHex(ACCOUNTS[0]!.address);
const OTHER = "0x0000000000000000000000000000000000001234";
const slot = (n: bigint) => wordToHex(n);

interface AccessListResult {
  accessList: { address: string; storageKeys: string[] }[];
  gasUsed: Hex;
}

let node: TestNode;
let storeBytecode: Hex;
let store: string;
let caller: string;
let selectors: Record<string, string>;

async function send(tx: Record<string, unknown>): Promise<{ status: Hex; gasUsed: Hex; contractAddress: string }> {
  const hash = await rpc(node.url, "eth_sendTransaction", [{ from: FROM, ...tx }]);
  return (await rpc(node.url, "eth_getTransactionReceipt", [hash])) as {
    status: Hex;
    gasUsed: Hex;
    contractAddress: string;
  };
}

function call(signature: string, ...words: bigint[]): Hex {
  const args = words.map((w) => w.toString(16).padStart(64, "0")).join("");
  return `0x${selectors[signature]}${args}`;
}

before(async () => {
  node = await startTestNode();
  const out = await compileAccessListContracts();
  storeBytecode = bytesToHex(out.Store!.bytecode) as Hex;
  selectors = { ...out.Store!.methodIdentifiers, ...out.Caller!.methodIdentifiers };
  store = (await send({ data: storeBytecode })).contractAddress;
  const ctorArg = store.slice(2).padStart(64, "0");
  caller = (await send({ data: `${bytesToHex(out.Caller!.bytecode)}${ctorArg}` })).contractAddress;
});
after(() => node.close());

describe("eth_createAccessList", () => {
  it("lists every account and slot the call touches, sorted, without sender and precompiles", async () => {
    const r = (await rpc(node.url, "eth_createAccessList", [
      { from: FROM, to: caller, data: call("poke(uint256)", 7n) },
    ])) as AccessListResult;
    const mappingSlot = keccak256(encodeAbiParameters([{ type: "uint256" }, { type: "uint256" }], [7n, 1n]));
    const expected = [
      { address: OTHER, storageKeys: [] },
      // The recipient is warm anyway, but its slots are not: listed with them.
      { address: caller, storageKeys: [slot(0n), slot(1n)] },
      { address: store, storageKeys: [slot(0n), mappingSlot] },
    ].sort((x, y) => (BigInt(x.address) < BigInt(y.address) ? -1 : 1));
    assert.deepEqual(r.accessList, expected);
    assert.match(r.gasUsed, /^0x[0-9a-f]+$/);
  });

  it("reports the gas a transaction carrying the list uses", async () => {
    const request = { from: FROM, to: caller, data: call("poke(uint256)", 9n) };
    const r = (await rpc(node.url, "eth_createAccessList", [request])) as AccessListResult;
    // The same list again: it is a fixed point.
    const again = (await rpc(node.url, "eth_createAccessList", [
      { ...request, accessList: r.accessList },
    ])) as AccessListResult;
    assert.deepEqual(again, r);
    const receipt = await send({ ...request, accessList: r.accessList, type: "0x2" });
    assert.equal(receipt.status, "0x1");
    assert.equal(receipt.gasUsed, r.gasUsed);
  });

  it("keeps a given list's entries, even untouched ones, and a legacy request gets a list too", async () => {
    const extra = { address: "0x00000000000000000000000000000000000000cc", storageKeys: [slot(9n)] };
    const r = (await rpc(node.url, "eth_createAccessList", [
      { from: FROM, to: store, data: call("get()"), gasPrice: "0x0", accessList: [extra] },
      "latest",
    ])) as AccessListResult;
    const expected = [extra, { address: store, storageKeys: [slot(0n)] }];
    assert.deepEqual(
      r.accessList,
      expected.sort((x, y) => (BigInt(x.address) < BigInt(y.address) ? -1 : 1)),
    );
  });

  it("a creation lists nothing for the new contract; a plain transfer lists nothing", async () => {
    const created = (await rpc(node.url, "eth_createAccessList", [
      { from: FROM, data: storeBytecode },
    ])) as AccessListResult;
    assert.deepEqual(created.accessList, []);
    const deployed = await send({ data: storeBytecode, accessList: [], type: "0x1" });
    assert.equal(created.gasUsed, deployed.gasUsed);
    const transfer = await rpc(node.url, "eth_createAccessList", [{ from: FROM, to: OTHER, value: "0x1" }]);
    assert.deepEqual(transfer, { accessList: [], gasUsed: "0x5208" });
  });

  it("a revert is error 3 with the revert data and reason (as anvil)", async () => {
    const e = await rpcError(node.url, "eth_createAccessList", [{ from: FROM, to: caller, data: call("bad()") }]);
    assert.equal(e.code, 3);
    assert.equal(e.message, "execution reverted: nope");
    assert.match(String(e.data), /^0x08c379a0/);
  });

  it("rejects a third parameter and a block the node does not have", async () => {
    const request = { from: FROM, to: caller, data: call("poke(uint256)", 1n) };
    assert.equal((await rpcError(node.url, "eth_createAccessList", [request, "latest", {}])).code, -32602);
    assert.equal((await rpcError(node.url, "eth_createAccessList", [])).code, -32602);
    assert.equal((await rpcError(node.url, "eth_createAccessList", [request, "0x999"])).code, -32000);
  });
});
