// The same signed transactions on anvil (Cancun) and on Weft, traced by both: the traces must be equal,
// apart from the places where anvil itself departs from geth, which are normalised here and named.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createPublicClient, http } from "viem";
import { repoRoot } from "../../bench/compile.js";
import type { CallFrameJson } from "../../evm/tracing/call-tracer.js";
import type { PrestateAccountJson, PrestateDiffJson, PrestateJson } from "../../evm/tracing/prestate-tracer.js";
import type { StructLog, StructLogResult } from "../../evm/tracing/struct-logger.js";
import { addressToHex, bytesToHex, hexToBytes, wordToHex } from "../../primitives/hex.js";
import { keccak256Word } from "../../primitives/keccak.js";
import { compileContracts, DEV, rpcAt, scenario, startTestNode, type TestNode } from "./testkit.js";

async function startAnvil(): Promise<{ url: string; process: ChildProcess }> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn(
    join(repoRoot(), "node_modules", ".bin", "anvil"),
    ["--port", String(port), "--hardfork", "cancun", "--steps-tracing", "--silent"],
    { stdio: "ignore" },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      await rpcAt(url, "eth_chainId", []);
      return { url, process: child };
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  child.kill();
  throw new Error("anvil did not start");
}

/** anvil's top frame: `gas` is the gas after intrinsic gas and `gasUsed` the block's cumulative gas (geth: limit and own gas). */
function normaliseCallFrame(frame: CallFrameJson, top = true): CallFrameJson {
  const out = { ...frame };
  if (top) {
    delete (out as Partial<CallFrameJson>).gas;
    delete (out as Partial<CallFrameJson>).gasUsed;
  }
  // anvil numbers logs per transaction and counts rolled-back ones (geth: block-wide, as receipts).
  if (out.logs !== undefined) out.logs = out.logs.map(({ index: _, ...rest }) => rest) as CallFrameJson["logs"];
  if (out.calls !== undefined) out.calls = out.calls.map((c) => normaliseCallFrame(c, false));
  return out;
}

/** anvil prints empty return data, memory and a zero refund that geth leaves out; its CREATE cost includes the forwarded gas. */
function normaliseStep(step: StructLog & Record<string, unknown>, next: StructLog | undefined): StructLog {
  const out = { ...step };
  if (out.returnData === "0x") delete out.returnData;
  if (Array.isArray(out.memory) && out.memory.length === 0) delete out.memory;
  if (out.refund === 0) delete out.refund;
  if ((out.op === "CREATE" || out.op === "CREATE2") && next !== undefined && next.depth === out.depth + 1) {
    out.gasCost -= next.gas;
  }
  return out;
}

const SENDER = addressToHex(DEV.address);

/**
 * anvil (revm-inspectors) prints no codeHash (geth does since 1.16.3) and keeps accounts that did not
 * exist before the transaction (geth leaves them out since 1.16.0): both taken out of either side. The
 * two chains burn different base fees, so the sender's balance differs too: it is checked on its own.
 */
function normalisePrestate(state: PrestateJson): PrestateJson {
  const out: PrestateJson = {};
  for (const [address, account] of Object.entries(state)) {
    const { codeHash: _, ...rest } = account;
    if (rest.balance === "0x0" && rest.nonce === undefined && rest.code === undefined && _ === undefined) continue;
    if (address === SENDER) delete rest.balance;
    out[address] = rest;
  }
  return out;
}

/** Our codeHash is the hash of the code beside it. */
function checkCodeHashes(state: PrestateJson): void {
  for (const account of Object.values(state) as PrestateAccountJson[]) {
    if (account.code !== undefined && account.code !== "0x") {
      assert.equal(account.codeHash, wordToHex(keccak256Word(hexToBytes(account.code))));
    }
  }
}

describe("traces equal anvil's", () => {
  let node: TestNode;
  let anvil: { url: string; process: ChildProcess };
  let hashes: string[];

  before(async () => {
    const sc = scenario(await compileContracts());
    [node, anvil] = await Promise.all([startTestNode(sc.blocks), startAnvil()]);
    // Anvil mines the same blocks: automine off, each block's transactions sent, then one evm_mine.
    await rpcAt(anvil.url, "evm_setAutomine", [false]);
    for (const txs of sc.blocks) {
      for (const tx of txs) await rpcAt(anvil.url, "eth_sendRawTransaction", [bytesToHex(tx.raw)]);
      await rpcAt(anvil.url, "evm_mine", []);
    }
    hashes = sc.blocks.flat().map((tx) => wordToHex(tx.hash));
  });
  after(async () => {
    anvil?.process.kill();
    await node?.close();
  });

  it("callTracer with logs, for every transaction (creations, a caught revert, a nested creation)", async () => {
    const client = createPublicClient({ transport: http(anvil.url) });
    const config = { tracer: "callTracer", tracerConfig: { withLog: true } };
    for (const hash of hashes) {
      const theirs = (await client.request({
        method: "debug_traceTransaction" as never,
        params: [hash, config] as never,
      })) as CallFrameJson;
      const ours = (await node.rpc("debug_traceTransaction", [hash, config])) as CallFrameJson;
      assert.deepEqual(normaliseCallFrame(ours), normaliseCallFrame(theirs), hash);
      const receipt = (await node.rpc("eth_getTransactionReceipt", [hash])) as { gasUsed: string };
      assert.equal(ours.gasUsed, receipt.gasUsed);
    }
  });

  it("prestateTracer, default and diffMode, with and without code and storage; 4byteTracer", async () => {
    const configs = [{}, { diffMode: true }, { disableCode: true }, { diffMode: true, disableStorage: true }];
    for (const hash of hashes) {
      for (const tracerConfig of configs) {
        const config = { tracer: "prestateTracer", tracerConfig };
        const theirs = (await rpcAt(anvil.url, "debug_traceTransaction", [hash, config])) as PrestateJson;
        const ours = (await node.rpc("debug_traceTransaction", [hash, config])) as PrestateJson;
        const label = `${hash} ${JSON.stringify(tracerConfig)}`;
        if (tracerConfig.diffMode === true) {
          const [o, t] = [ours as unknown as PrestateDiffJson, theirs as unknown as PrestateDiffJson];
          checkCodeHashes(o.post);
          // The sender paid the fee its receipt shows (no value in these transactions).
          const receipt = (await node.rpc("eth_getTransactionReceipt", [hash])) as Record<string, string>;
          const fee = BigInt(receipt.gasUsed!) * BigInt(receipt.effectiveGasPrice!);
          assert.equal(BigInt(o.post[SENDER]!.balance!), BigInt(o.pre[SENDER]!.balance!) - fee, label);
          assert.deepEqual(normalisePrestate(o.post), normalisePrestate(t.post), label);
          assert.deepEqual(normalisePrestate(o.pre), normalisePrestate(t.pre), label);
        } else {
          if (tracerConfig.disableCode === undefined) checkCodeHashes(ours);
          assert.deepEqual(normalisePrestate(ours), normalisePrestate(theirs), label);
        }
      }
      const config = { tracer: "4byteTracer" };
      const theirs = await rpcAt(anvil.url, "debug_traceTransaction", [hash, config]);
      assert.deepEqual(await node.rpc("debug_traceTransaction", [hash, config]), theirs, hash);
    }
  });

  it("struct logs with stack, memory, storage and return data, step by step", async () => {
    const config = { enableMemory: true, enableReturnData: true };
    for (const hash of hashes) {
      const theirs = (await rpcAt(anvil.url, "debug_traceTransaction", [hash, config])) as StructLogResult;
      const ours = (await node.rpc("debug_traceTransaction", [hash, config])) as StructLogResult;
      assert.equal(ours.failed, theirs.failed);
      assert.equal(ours.returnValue, theirs.returnValue);
      assert.equal(ours.structLogs.length, theirs.structLogs.length, hash);
      const steps = theirs.structLogs as (StructLog & Record<string, unknown>)[];
      for (let i = 0; i < steps.length; i++) {
        assert.deepEqual(ours.structLogs[i], normaliseStep(steps[i]!, steps[i + 1]), `${hash} step ${i}`);
      }
    }
  });
});
