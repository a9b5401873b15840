// eth_simulateV1 against a real node (LMDB chain, pool, RPC server): state carried across calls and
// blocks, block and state overrides, a revert, traceTransfers' pseudo-logs, validation on and off, and
// the spec's errors. Contracts are a few bytes of hand-written bytecode (no compiler, fast).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { nextBaseFee } from "../../chain/fees.js";
import { addressToHex } from "../../primitives/hex.js";
import { ACCOUNTS, rpc, startTestNode, type TestNode } from "../testkit.js";
import { ethSimulateV1 } from "./simulate-v1.js";

const A = addressToHex(ACCOUNTS[0]!.address);
/** Without calldata returns slot 0; with a word stores it in slot 0. */
const STORE = "0x36600f5760005460005260206000f35b60003560005500";
const STORE_AT = "0x00000000000000000000000000000000005700e1";
/** Returns NUMBER, TIMESTAMP, GASLIMIT, COINBASE, BASEFEE, PREVRANDAO as six words. */
const ENV = "0x43600052426020524560405241606052486080524460a05260c06000f3";
const ENV_AT = "0x00000000000000000000000000000000005700e2";
/** Reverts with the four bytes 0xdeadbeef. */
const REVERT = "0x63deadbeef6000526004601cfd";
const REVERT_AT = "0x00000000000000000000000000000000005700e3";
/** Forwards its call value to 0x...beef with CALL. */
const FORWARD = "0x60006000600060003473000000000000000000000000000000000000beef5af100";
const FORWARD_AT = "0x00000000000000000000000000000000005700e4";
const BEEF = "0x000000000000000000000000000000000000beef";
const POOR = "0x00000000000000000000000000000000000f00f0";

const word = (n: bigint | number) => `0x${BigInt(n).toString(16).padStart(64, "0")}`;

type SimBlock = Record<string, unknown> & { calls: SimCall[] };
type SimCall = {
  status: string;
  returnData: string;
  gasUsed: string;
  logs: Record<string, unknown>[];
  error?: { code: number; message: string; data?: string };
};

let node: TestNode;
const simulate = (payload: unknown, block: unknown = "latest") =>
  rpc(node.url, "eth_simulateV1", [payload, block]) as Promise<SimBlock[]>;

async function simulateError(payload: unknown): Promise<{ code: number; message: string }> {
  try {
    await simulate(payload);
  } catch (e) {
    return e as { code: number; message: string };
  }
  throw new Error("expected an error");
}

const codes = {
  [STORE_AT]: { code: STORE },
  [ENV_AT]: { code: ENV },
  [REVERT_AT]: { code: REVERT },
  [FORWARD_AT]: { code: FORWARD },
};

before(async () => {
  node = await startTestNode();
  await node.miner.mine();
});
after(() => node.close());

describe("eth_simulateV1", () => {
  it("carries state from call to call and block to block, numbering blocks after the base", async () => {
    const head = node.chain.head();
    const blocks = await simulate({
      blockStateCalls: [
        {
          stateOverrides: { [STORE_AT]: { code: STORE } },
          calls: [
            { from: A, to: STORE_AT, input: word(41) },
            { from: A, to: STORE_AT },
            { from: A, to: BEEF, value: "0x64" },
          ],
        },
        {
          calls: [
            { from: A, to: STORE_AT },
            { from: BEEF, to: POOR, value: "0x60" },
          ],
        },
      ],
      returnFullTransactions: true,
    });
    assert.equal(blocks.length, 2);
    const [b1, b2] = blocks as [SimBlock, SimBlock];
    assert.equal(b1.number, `0x${(head.header.number + 1n).toString(16)}`);
    assert.equal(b2.number, `0x${(head.header.number + 2n).toString(16)}`);
    assert.equal(BigInt(b1.timestamp as string), head.header.timestamp + 12n);
    assert.equal(BigInt(b2.timestamp as string), head.header.timestamp + 24n);
    assert.equal(b1.parentHash, `0x${head.hash.toString(16).padStart(64, "0")}`);
    assert.equal(b2.parentHash, b1.hash);
    assert.equal(b1.baseFeePerGas, "0x0", "no validation: base fee 0");
    assert.equal(b1.calls[1]!.returnData, word(41));
    assert.equal(b2.calls[0]!.returnData, word(41), "storage carries over to the next block");
    assert.equal(b2.calls[1]!.status, "0x1", "BEEF spends what it received in block 1");
    const gasUsed = b1.calls.reduce((sum, c) => sum + BigInt(c.gasUsed), 0n);
    assert.equal(BigInt(b1.gasUsed as string), gasUsed);
    // Missing nonces come from the simulated state: A's nonce grows with each call.
    const nonce0 = await rpc(node.url, "eth_getTransactionCount", [A, "latest"]);
    const txs = b1.transactions as { nonce: string; from: string; hash: string; type: string }[];
    assert.deepEqual(
      txs.map((t) => BigInt(t.nonce)),
      [0n, 1n, 2n].map((i) => BigInt(nonce0 as string) + i),
    );
    assert.equal(txs[0]!.type, "0x2");
    assert.equal(txs[0]!.from, A.toLowerCase());
    // Nothing was written.
    assert.equal(await rpc(node.url, "eth_getBalance", [BEEF, "latest"]), "0x0");
    assert.equal(await rpc(node.url, "eth_getCode", [STORE_AT, "latest"]), "0x");
  });

  it("applies block overrides, and with validation charges the base fee and checks nonces", async () => {
    const overrides = {
      number: "0x100",
      time: "0x70000000",
      gasLimit: "0x2000000",
      feeRecipient: "0x1111111111111111111111111111111111111111",
      baseFeePerGas: "0x7",
      prevRandao: word(0x1234),
    };
    const [block] = await simulate({
      blockStateCalls: [
        {
          blockOverrides: overrides,
          stateOverrides: codes,
          calls: [{ from: A, to: ENV_AT, maxFeePerGas: "0x10", maxPriorityFeePerGas: "0x2" }],
        },
      ],
      validation: true,
    }).then((bs) => bs.slice(-1));
    const env = block!.calls[0]!.returnData.slice(2)
      .match(/.{64}/g)!
      .map((w) => BigInt(`0x${w}`));
    assert.deepEqual(env, [0x100n, 0x70000000n, 0x2000000n, 0x1111111111111111111111111111111111111111n, 7n, 0x1234n]);
    assert.equal(block!.number, "0x100");
    assert.equal(block!.miner, overrides.feeRecipient);
    assert.equal(block!.gasLimit, "0x2000000");
    assert.equal(block!.baseFeePerGas, "0x7");
    assert.equal(block!.mixHash, word(0x1234));

    // Validation: base fee from the parent, nonces checked, fees needed.
    const [validated] = await simulate({ blockStateCalls: [{ calls: [] }], validation: true });
    assert.equal(BigInt(validated!.baseFeePerGas as string), nextBaseFee(node.chain.head().header));
    const high = await simulateError({
      blockStateCalls: [{ calls: [{ from: A, to: BEEF, nonce: "0x5" }] }],
      validation: true,
    });
    assert.equal(high.code, -38011);
    const poor = await simulateError({
      blockStateCalls: [{ calls: [{ from: POOR, to: BEEF, maxFeePerGas: "0x3b9aca00" }] }],
      validation: true,
    });
    assert.equal(poor.code, -38014);
    const cheap = await simulateError({
      blockStateCalls: [
        { blockOverrides: { baseFeePerGas: "0x10" }, calls: [{ from: A, to: BEEF, maxFeePerGas: "0x1" }] },
      ],
      validation: true,
    });
    assert.equal(cheap.code, -32005);
    // Without validation: an unfunded sender with any nonce runs for free.
    const [free] = await simulate({ blockStateCalls: [{ calls: [{ from: POOR, to: BEEF, nonce: "0x9" }] }] });
    assert.equal(free!.calls[0]!.status, "0x1");
  });

  it("reports a revert as status 0x0 with error code 3 and its data, and drops its writes", async () => {
    const [block] = await simulate({
      blockStateCalls: [
        {
          stateOverrides: codes,
          calls: [
            { from: A, to: REVERT_AT, value: "0x5" },
            { from: A, to: STORE_AT, input: word(9), gas: "0x5300" },
            { from: A, to: STORE_AT },
          ],
        },
      ],
    });
    const [reverted, outOfGas, read] = block!.calls as [SimCall, SimCall, SimCall];
    assert.equal(reverted.status, "0x0");
    assert.equal(reverted.returnData, "0xdeadbeef");
    assert.deepEqual(reverted.error, { code: 3, message: "execution reverted", data: "0xdeadbeef" });
    assert.equal(outOfGas.status, "0x0");
    assert.equal(outOfGas.gasUsed, "0x5300");
    assert.equal(outOfGas.error?.code, -32015);
    assert.equal(read.returnData, word(0), "the failed store left no trace");
  });

  it("adds ERC-7528 transfer pseudo-logs with traceTransfers", async () => {
    const [block] = await simulate({
      blockStateCalls: [
        {
          stateOverrides: codes,
          calls: [
            { from: A, to: FORWARD_AT, value: "0x99" },
            { from: A, to: REVERT_AT, value: "0x1" },
          ],
        },
      ],
      traceTransfers: true,
    });
    const [forward, reverted] = block!.calls as [SimCall, SimCall];
    const transfer = (from: string, to: string) => ({
      address: "0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee",
      topics: [
        "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef",
        word(BigInt(from)),
        word(BigInt(to)),
      ],
      data: word(0x99),
    });
    assert.deepEqual(
      forward.logs.map((l) => ({ address: l.address, topics: l.topics, data: l.data })),
      [transfer(A, FORWARD_AT), transfer(FORWARD_AT, BEEF)],
    );
    assert.deepEqual(
      forward.logs.map((l) => [l.logIndex, l.transactionIndex, l.blockHash]),
      [
        ["0x0", "0x0", block!.hash],
        ["0x1", "0x0", block!.hash],
      ],
    );
    assert.deepEqual(reverted.logs, [], "a failed call's transfers are dropped");
    const [plain] = await simulate({
      blockStateCalls: [{ stateOverrides: codes, calls: [{ from: A, to: FORWARD_AT, value: "0x99" }] }],
    });
    assert.deepEqual(plain!.calls[0]!.logs, []);
  });

  it("fills skipped block numbers with empty blocks", async () => {
    const head = node.chain.head().header.number;
    const blocks = await simulate({
      blockStateCalls: [{ blockOverrides: { number: `0x${(head + 3n).toString(16)}` }, calls: [] }],
    });
    assert.deepEqual(
      blocks.map((b) => BigInt(b.number as string)),
      [head + 1n, head + 2n, head + 3n],
    );
  });

  it("refuses bad input with the spec's codes", async () => {
    const head = node.chain.head().header;
    const n = (k: bigint) => `0x${(head.number + k).toString(16)}`;
    const cases: [unknown, number][] = [
      [{ blockStateCalls: [] }, -32602],
      [{ blockStateCalls: [{ calls: [] }], extra: true }, -32602],
      [{ blockStateCalls: [{ calls: [], other: 1 }] }, -32602],
      [{ blockStateCalls: [{ calls: [{ from: A, to: BEEF, what: 1 }] }] }, -32602],
      [{ blockStateCalls: [{ blockOverrides: { withdrawals: [] }, calls: [] }] }, -32602],
      [{ blockStateCalls: [{ stateOverrides: { [BEEF]: { movePrecompileToAddress: A } }, calls: [] }] }, -32602],
      [
        {
          blockStateCalls: [
            { blockOverrides: { number: n(2n) }, calls: [] },
            { blockOverrides: { number: n(2n) }, calls: [] },
          ],
        },
        -38020,
      ],
      [{ blockStateCalls: [{ blockOverrides: { time: `0x${head.timestamp.toString(16)}` }, calls: [] }] }, -38021],
      [{ blockStateCalls: [{ blockOverrides: { number: n(257n) }, calls: [] }] }, -38026],
      [
        {
          blockStateCalls: [
            {
              blockOverrides: { gasLimit: "0x5208" },
              calls: [
                { from: A, to: BEEF },
                { from: A, to: BEEF, gas: "0x5208" },
              ],
            },
          ],
        },
        -38015,
      ],
    ];
    for (const [payload, code] of cases) {
      assert.equal((await simulateError(payload)).code, code, JSON.stringify(payload));
    }
  });

  describe("the node's gas cap (geth's gas pool)", () => {
    /** GAS; MSTORE at 0; RETURN 32 bytes: the gas left when it ran (21,017 gas in all). */
    const GAS_LEFT_AT = "0x00000000000000000000000000000000005700e5";
    /** JUMPDEST; PUSH1 0; JUMP: burns all the gas it is given. */
    const SPIN_AT = "0x00000000000000000000000000000000005700e6";
    const overrides = { [GAS_LEFT_AT]: { code: "0x5a60005260206000f3" }, [SPIN_AT]: { code: "0x5b600056" } };
    const capped = (cap: bigint, blockStateCalls: unknown[]) =>
      ethSimulateV1([{ blockStateCalls: [{ stateOverrides: overrides, calls: [] }, ...blockStateCalls] }], {
        ...node.ctx,
        config: { ...node.ctx.config, callGasCap: cap },
      }) as SimBlock[];

    it("is shared by all the calls of all the blocks: each runs with what the ones before left", () => {
      const blocks = capped(100_000n, [
        { calls: [{ from: A, to: GAS_LEFT_AT, gas: "0x1000000" }] },
        { calls: [{ from: A, to: GAS_LEFT_AT }] },
      ]);
      // 100000 - 21000 - 2 (GAS); then 100000 - 21017 (the first call) - 21000 - 2.
      assert.deepEqual(
        blocks.slice(1).map((b) => BigInt(b.calls[0]!.returnData)),
        [78_998n, 57_981n],
      );
    });

    it("refuses the call after the budget is spent with geth's -32603 gas limit reached", () => {
      assert.throws(
        () =>
          capped(100_000n, [
            {
              calls: [
                { from: A, to: SPIN_AT },
                { from: A, to: GAS_LEFT_AT },
              ],
            },
          ]),
        { code: -32603, message: "block 1, call 1: gas limit reached" },
      );
      // Without a cap the same simulation runs (the spin burns the block's gas limit).
      const blocks = capped(0n, [
        {
          calls: [
            { from: A, to: SPIN_AT, gas: "0x30000" },
            { from: A, to: GAS_LEFT_AT },
          ],
        },
      ]);
      assert.deepEqual(
        blocks[1]!.calls.map((c) => c.status),
        ["0x0", "0x1"],
      );
    });
  });
});
