// `cast access-list` against the node (and, with WEFT_E2E_TARGET=anvil, against anvil): the list it
// prints names the accounts and slots a call touches, and a transaction sent with that list (cast
// send --access-list) uses exactly the gas the node reported.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { encodeAbiParameters, keccak256 } from "viem";
import { bytesToHex } from "../../src/primitives/hex.js";
import { compileAccessListContracts } from "../../src/rpc/eth/access-list-testkit.js";
import { DEV, ROOT, runCommand, startTarget, type Target } from "./harness.js";
import { word } from "./token.js";

let node: Target;
let store: string;
let caller: string;

const CAST = join(ROOT, "node_modules", ".bin", "cast");

async function cast(subcommand: string, ...args: string[]): Promise<string> {
  const r = await runCommand(process.execPath, [CAST, subcommand, "--rpc-url", node.url, ...args]);
  assert.equal(r.code, 0, `cast ${subcommand} ${args.join(" ")} failed:\n${r.stderr}${r.stdout}`);
  return r.stdout.trim();
}

async function deploy(bytecode: string): Promise<string> {
  const sent = await cast("send", "--private-key", DEV[0].key, "--json", "--create", bytecode);
  const receipt = JSON.parse(sent) as { status: string; contractAddress: string };
  assert.equal(receipt.status, "0x1");
  return receipt.contractAddress.toLowerCase();
}

before(async () => {
  node = await startTarget();
  const { Store, Caller } = await compileAccessListContracts();
  store = await deploy(bytesToHex(Store.bytecode));
  caller = await deploy(`${bytesToHex(Caller.bytecode)}${word(BigInt(store))}`);
});
after(() => node?.stop());

test("cast access-list: the touched accounts and slots, and the gas a transaction with them uses", async () => {
  const out = JSON.parse(
    await cast("access-list", "--from", DEV[0].address, "--json", caller, "poke(uint256)", "7"),
  ) as { accessList: { address: string; storageKeys: string[] }[]; gasUsed: string };
  // anvil lists addresses in no particular order, Weft sorted (as geth): compare by address.
  const byAddress = Object.fromEntries(out.accessList.map((e) => [e.address.toLowerCase(), e.storageKeys]));
  const mappingSlot = keccak256(encodeAbiParameters([{ type: "uint256" }, { type: "uint256" }], [7n, 1n]));
  assert.deepEqual(byAddress, {
    "0x0000000000000000000000000000000000001234": [],
    [caller]: [`0x${word(0n)}`, `0x${word(1n)}`],
    [store]: [`0x${word(0n)}`, mappingSlot],
  });

  // anvil reports the same for these contracts, deployed in this order.
  assert.equal(out.gasUsed, "0x18245");
  const list = JSON.stringify(out.accessList);
  const sent = JSON.parse(
    await cast("send", "--private-key", DEV[0].key, "--json", "--access-list", list, caller, "poke(uint256)", "7"),
  ) as { status: string; gasUsed: string };
  assert.equal(sent.status, "0x1");
  assert.equal(BigInt(sent.gasUsed), BigInt(out.gasUsed));
});
