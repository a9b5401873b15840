// debug_trace* with prestateTracer and 4byteTracer against a started node (and, with
// WEFT_E2E_TARGET=anvil, against anvil): a creation, a call that moves value and reads and writes
// storage, a call that creates a contract. What each trace must hold is read back from the target's
// own chain (balances, nonces, code and slots at the block before and the block of each transaction).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { compileSources } from "../../src/bench/compile.js";
import { createAddress } from "../../src/evm/opcodes/system.js";
import { addressToHex, bytesToHex, hexToBytes, wordToHex } from "../../src/primitives/hex.js";
import { keccak256Word } from "../../src/primitives/keccak.js";
import { DEV, rpc, rpcRaw, startTarget, TARGET, type Target } from "./harness.js";

const SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
contract Child {
    uint256 public c = 7;
}
contract Vault {
    uint256 public a = 5;
    uint256 public b;
    constructor() payable {}
    function bump(uint256 x) external payable returns (uint256) { b = a + x + msg.value; a = 0; return b; }
    function spawn() external returns (address) { return address(new Child()); }
}`;

interface Account {
  balance?: string;
  code?: string;
  codeHash?: string;
  nonce?: number;
  storage?: Record<string, string>;
}
type State = Record<string, Account>;
interface Diff {
  post: State;
  pre: State;
}

const SENDER = DEV[0].address.toLowerCase();
const slot = (n: number) => wordToHex(BigInt(n));

let node: Target;
let vault: string;
let selectors: Record<string, string>;
/** Per transaction: its hash, block number and the coinbase of its block. */
const txs: Record<string, { hash: string; block: number; coinbase: string }> = {};

async function send(name: string, tx: Record<string, string>): Promise<Record<string, string>> {
  const hash = await rpc<string>(node.url, "eth_sendTransaction", [{ from: SENDER, gas: "0x100000", ...tx }]);
  const receipt = await rpc<Record<string, string>>(node.url, "eth_getTransactionReceipt", [hash]);
  assert.equal(receipt.status, "0x1");
  const block = await rpc<{ miner: string }>(node.url, "eth_getBlockByNumber", [receipt.blockNumber, false]);
  txs[name] = { hash, block: Number(receipt.blockNumber), coinbase: block.miner.toLowerCase() };
  return receipt;
}

/** An account at a block as geth's prestateTracer prints it (zero nonce and empty code left out); undefined if it does not exist. */
async function accountAt(address: string, block: number, slots: number[]): Promise<Account | undefined> {
  const tag = `0x${block.toString(16)}`;
  const [balance, nonce, code] = await Promise.all([
    rpc<string>(node.url, "eth_getBalance", [address, tag]),
    rpc<string>(node.url, "eth_getTransactionCount", [address, tag]),
    rpc<string>(node.url, "eth_getCode", [address, tag]),
  ]);
  if (BigInt(balance) === 0n && BigInt(nonce) === 0n && code === "0x") return undefined;
  const account: Account = { balance: `0x${BigInt(balance).toString(16)}` };
  if (code !== "0x") account.code = code;
  if (BigInt(nonce) > 0n) account.nonce = Number(nonce);
  if (slots.length > 0) {
    account.storage = {};
    for (const s of slots)
      account.storage[slot(s)] = await rpc<string>(node.url, "eth_getStorageAt", [address, slot(s), tag]);
  }
  return account;
}

/** The touched accounts (with their slots) before transaction `name`: what the default mode returns. */
async function expectedPre(name: string, touched: Record<string, number[]>): Promise<State> {
  const state: State = {};
  for (const [address, slots] of Object.entries(touched)) {
    const account = await accountAt(address, txs[name]!.block - 1, slots);
    if (account !== undefined) state[address] = account;
  }
  return state;
}

/** geth's diff of the same accounts: what changed, new values in post, old ones in pre (zero slots left out). */
async function expectedDiff(name: string, touched: Record<string, number[]>): Promise<Diff> {
  const diff: Diff = { post: {}, pre: {} };
  const zero = slot(0);
  for (const [address, slots] of Object.entries(touched)) {
    const before = await accountAt(address, txs[name]!.block - 1, slots);
    const after = await accountAt(address, txs[name]!.block, slots);
    const post: Account = {};
    if ((after?.balance ?? "0x0") !== (before?.balance ?? "0x0")) post.balance = after?.balance ?? "0x0";
    if (after?.code !== before?.code) post.code = after?.code ?? "0x";
    if (after?.nonce !== before?.nonce && after?.nonce !== undefined) post.nonce = after.nonce;
    const preSlots: Record<string, string> = {};
    const postSlots: Record<string, string> = {};
    for (const s of slots) {
      const [old, now] = [before?.storage?.[slot(s)] ?? zero, after?.storage?.[slot(s)] ?? zero];
      if (old === now) continue;
      if (old !== zero) preSlots[slot(s)] = old;
      if (now !== zero) postSlots[slot(s)] = now;
    }
    if (Object.keys(postSlots).length > 0) post.storage = postSlots;
    const changed = Object.keys(post).length > 0 || Object.keys(preSlots).length + Object.keys(postSlots).length > 0;
    if (!changed) continue;
    diff.post[address] = post;
    if (before !== undefined) {
      const { storage: _, ...rest } = before;
      diff.pre[address] = Object.keys(preSlots).length > 0 ? { ...rest, storage: preSlots } : rest;
    }
  }
  return diff;
}

/**
 * anvil prints no codeHash (geth does) and keeps accounts that did not exist before the transaction
 * (geth does not): both taken out. Where a codeHash is there, it must be the hash of the code.
 */
function normalise(state: State): State {
  const out: State = {};
  for (const [address, account] of Object.entries(state)) {
    const { codeHash, ...rest } = account;
    if (codeHash !== undefined && rest.code !== undefined && rest.code !== "0x") {
      assert.equal(codeHash, wordToHex(keccak256Word(hexToBytes(rest.code))));
    }
    if (rest.balance === "0x0" && rest.nonce === undefined && rest.code === undefined && codeHash === undefined)
      continue;
    out[address] = rest;
  }
  return out;
}

async function trace<T>(name: string, tracerConfig?: object, tracer = "prestateTracer"): Promise<T> {
  const config = tracerConfig === undefined ? { tracer } : { tracer, tracerConfig };
  return rpc<T>(node.url, "debug_traceTransaction", [txs[name]!.hash, config]);
}

async function checkTx(name: string, touched: Record<string, number[]>): Promise<void> {
  assert.deepEqual(normalise(await trace<State>(name)), await expectedPre(name, touched), `${name}: prestate`);
  const diff = await trace<Diff>(name, { diffMode: true });
  const expected = await expectedDiff(name, touched);
  assert.deepEqual(normalise(diff.post), expected.post, `${name}: post`);
  assert.deepEqual(normalise(diff.pre), expected.pre, `${name}: pre`);
}

describe(`prestateTracer and 4byteTracer (${TARGET})`, () => {
  before(async () => {
    node = await startTarget();
    const out = await compileSources({ "Vault.sol": SOURCE });
    const artifact = out["Vault.sol"]!.Vault!;
    selectors = artifact.methodIdentifiers;
    const deployed = await send("create", { data: bytesToHex(artifact.bytecode), value: "0x10" });
    vault = deployed.contractAddress!.toLowerCase();
    await send("bump", { to: vault, data: `0x${selectors["bump(uint256)"]}${slot(3).slice(2)}`, value: "0x1" });
    await send("spawn", { to: vault, data: `0x${selectors["spawn()"]}` });
  });
  after(() => node?.stop());

  it("a creation with value: sender and coinbase before; the new contract only after", async () => {
    await checkTx("create", { [SENDER]: [], [vault]: [0], [txs.create!.coinbase]: [] });
  });

  it("a call moving value, reading and writing storage: every slot touched, as it was", async () => {
    await checkTx("bump", { [SENDER]: [], [vault]: [0, 1], [txs.bump!.coinbase]: [] });
  });

  it("a call creating a contract: the child only after, the creator's nonce", async () => {
    const child = addressToHex(createAddress(BigInt(vault), 1n));
    await checkTx("spawn", { [SENDER]: [], [vault]: [], [child]: [0], [txs.spawn!.coinbase]: [] });
  });

  it("disableCode and disableStorage leave code and storage out", async () => {
    const plain = normalise(await trace<State>("bump", { disableCode: true, disableStorage: true }));
    assert.deepEqual(plain[vault], { balance: "0x10", nonce: 1 });
  });

  it("debug_traceCall: the call's diff on the latest state; debug_traceBlockBy*: the transaction's trace", async () => {
    const call = { from: SENDER, to: vault, data: `0x${selectors["bump(uint256)"]}${slot(3).slice(2)}` };
    const config = { tracer: "prestateTracer", tracerConfig: { diffMode: true } };
    const diff = await rpc<Diff>(node.url, "debug_traceCall", [call, "latest", config]);
    // After bump(3) with 1 wei: a = 0, b = 9; the call sets b = 0 + 3.
    assert.deepEqual(normalise(diff.post)[vault], { storage: { [slot(1)]: slot(3) } });
    assert.deepEqual(normalise(diff.pre)[vault]?.storage, { [slot(1)]: slot(9) });

    const tag = `0x${txs.bump!.block.toString(16)}`;
    const byNumber = await rpc<{ txHash: string; result: unknown }[]>(node.url, "debug_traceBlockByNumber", [
      tag,
      config,
    ]);
    const block = await rpc<{ hash: string }>(node.url, "eth_getBlockByNumber", [tag, false]);
    const byHash = await rpc<unknown[]>(node.url, "debug_traceBlockByHash", [block.hash, config]);
    const expected = [{ txHash: txs.bump!.hash, result: await trace<Diff>("bump", { diffMode: true }) }];
    assert.deepEqual(byNumber, expected);
    assert.deepEqual(byHash, expected);
  });

  it("4byteTracer: selector and argument size of each call", async () => {
    assert.deepEqual(await trace("bump", undefined, "4byteTracer"), { [`0x${selectors["bump(uint256)"]}-32`]: 1 });
    assert.deepEqual(await trace("create", undefined, "4byteTracer"), {});
  });

  it("an option the tracer does not have is an error (anvil ignores it)", { skip: TARGET === "anvil" }, async () => {
    const r = await rpcRaw(node.url, "debug_traceTransaction", [
      txs.bump!.hash,
      { tracer: "prestateTracer", tracerConfig: { diffmode: true } },
    ]);
    assert.equal(r.error?.code, -32602);
    assert.match(r.error!.message, /unknown prestateTracer option "diffmode"/);
  });
});
