// viem's simulateBlocks (eth_simulateV1) against the node and, with WEFT_E2E_TARGET=anvil, against
// anvil: two blocks with block and state overrides, storage carried from one block to the next, a
// value forwarded by a contract (traceTransfers' pseudo-logs) and a revert. Both targets must give the
// same blocks field by field, except what hashes the unsigned transactions (anvil hashes them with
// its own, inconsistent, fields): block and transaction hashes and the roots over them.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createPublicClient, type Hex, http, type PublicClient } from "viem";
import { foundry } from "viem/chains";
import { DEV, rpcRaw, startTarget, TARGET, type Target } from "./harness.js";

/** Without calldata returns slot 0; with a word stores it in slot 0. */
const STORE = "0x36600f5760005460005260206000f35b60003560005500";
const STORE_AT = "0x00000000000000000000000000000000005700e1";
/** Emits LOG1(topic 0xaa, the word 42) and returns the word 42. */
const EMIT = "0x602a60005260aa60206000a160206000f3";
const EMIT_AT = "0x00000000000000000000000000000000005700e2";
/** Reverts with the four bytes 0xdeadbeef. */
const REVERT = "0x63deadbeef6000526004601cfd";
const REVERT_AT = "0x00000000000000000000000000000000005700e3";
/** Forwards its call value to 0x...beef with CALL. */
const FORWARD = "0x60006000600060003473000000000000000000000000000000000000beef5af100";
const FORWARD_AT = "0x00000000000000000000000000000000005700e4";
const MINER = "0x1111111111111111111111111111111111111111";

/** The first block's bloom: its logs, transfer pseudo-logs included (as anvil builds it). */
const LOGS_BLOOM =
  "0x00000000000000000000000000000000001000000000000000000000000000000000000000000000000000000000000000000000040000000000000000000000000002000000000000000008000100000000000000054000000000000000200000000000000000000000000100000000000000000000000000000010000000000000000100000000000000000000000000000000000000000042000040000000000000000000000000000000000000000000000000000000000000000001040000000002000000200000000000000000000000002000000000000000000400000200000000000002000000000000000000000000000000000000000000000000";

const word = (n: bigint) => `0x${n.toString(16).padStart(64, "0")}` as Hex;

let node: Target;
let client: PublicClient;

before(async () => {
  node = await startTarget();
  client = createPublicClient({ chain: foundry, transport: http(node.url) });
});
after(() => node?.stop());

/** viem's formatters leave absent fields as keys holding undefined: drop them. */
function defined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** The blocks without the fields that hash the simulated transactions (see the header). */
function comparable(blocks: readonly Record<string, unknown>[]): unknown[] {
  return blocks.map((block) => {
    const { hash, parentHash, transactions, transactionsRoot, receiptsRoot, calls, ...rest } = block;
    return {
      ...defined(rest),
      transactionCount: (transactions as unknown[]).length,
      calls: (calls as Record<string, unknown>[]).map(({ logs, error, ...call }) =>
        defined({
          ...call,
          error: (error as Error | undefined)?.name,
          logs: (logs as Record<string, unknown>[]).map(({ blockHash, transactionHash, ...log }) => log),
        }),
      ),
    };
  });
}

test("simulateBlocks: overrides, state across blocks, transfers and a revert, as anvil answers", async () => {
  const head = await client.getBlock();
  const account = DEV[0].address;
  const time = head.timestamp + 1000n;
  const blocks = await client.simulateBlocks({
    blocks: [
      {
        blockOverrides: {
          number: head.number + 1n,
          time,
          baseFeePerGas: 0n,
          feeRecipient: MINER,
          gasLimit: 20_000_000n,
        },
        stateOverrides: [
          { address: STORE_AT, code: STORE },
          { address: EMIT_AT, code: EMIT },
          { address: REVERT_AT, code: REVERT },
          { address: FORWARD_AT, code: FORWARD },
        ],
        calls: [
          { account, to: STORE_AT, data: word(41n) },
          { account, to: EMIT_AT, value: 5n },
          { account, to: FORWARD_AT, value: 0x99n },
          { account, to: REVERT_AT },
        ],
      },
      {
        blockOverrides: { number: head.number + 2n, time: time + 12n, baseFeePerGas: 0n, feeRecipient: MINER },
        calls: [{ account, to: STORE_AT }],
      },
    ],
    traceTransfers: true,
  });
  const seen = comparable(blocks as unknown as Record<string, unknown>[]);
  const transfer = (from: Hex, to: Hex, value: bigint) => ({
    address: "0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee",
    topics: [
      "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef",
      word(BigInt(from)),
      word(BigInt(to)),
    ],
    data: word(value),
  });
  const log = (
    l: { address: string; topics: string[]; data: Hex },
    block: bigint,
    blockTime: bigint,
    tx: number,
    index: number,
  ) => ({
    ...l,
    blockNumber: block,
    blockTimestamp: blockTime,
    transactionIndex: tx,
    logIndex: index,
    removed: false,
  });
  const header = (number: bigint, timestamp: bigint, gasUsed: bigint, logsBloom: Hex, transactionCount: number) => ({
    sha3Uncles: "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347",
    miner: MINER,
    stateRoot: word(0n),
    logsBloom,
    difficulty: 0n,
    number,
    gasLimit: 20_000_000n,
    gasUsed,
    timestamp,
    extraData: "0x",
    mixHash: word(0n),
    nonce: "0x0000000000000000",
    baseFeePerGas: 0n,
    uncles: [],
    totalDifficulty: null,
    transactionCount,
  });
  const [n1, n2] = [head.number + 1n, head.number + 2n];
  const emitted = { address: EMIT_AT, topics: [word(0xaan)], data: word(42n) };
  assert.deepEqual(seen, [
    {
      ...header(n1, time, 141_635n, LOGS_BLOOM, 4),
      calls: [
        { data: "0x", gasUsed: 43_265n, status: "success", result: null, logs: [] },
        {
          data: word(42n),
          gasUsed: 22_033n,
          status: "success",
          result: null,
          logs: [log(transfer(account, EMIT_AT, 5n), n1, time, 1, 0), log(emitted, n1, time, 1, 1)],
        },
        {
          data: "0x",
          gasUsed: 55_319n,
          status: "success",
          result: null,
          logs: [
            log(transfer(account, FORWARD_AT, 0x99n), n1, time, 2, 2),
            log(transfer(FORWARD_AT, "0x000000000000000000000000000000000000beef", 0x99n), n1, time, 2, 3),
          ],
        },
        { data: "0xdeadbeef", gasUsed: 21_018n, status: "failure", error: "ContractFunctionExecutionError", logs: [] },
      ],
    },
    {
      ...header(n2, time + 12n, 23_133n, `0x${"0".repeat(512)}`, 1),
      calls: [{ data: word(41n), gasUsed: 23_133n, status: "success", result: null, logs: [] }],
    },
  ]);
});

test("--rpc-gas-cap is one budget for all of a simulation's calls, as geth's (weft: anvil has no gas cap)", {
  skip: TARGET === "anvil",
}, async () => {
  const capped = await startTarget({ args: ["--rpc-gas-cap", "100000"] });
  try {
    // GAS; MSTORE; RETURN: the gas left when it ran (21,017 gas in all). JUMPDEST; PUSH1 0; JUMP: burns all it gets.
    const GAS_LEFT_AT = "0x00000000000000000000000000000000005700e5";
    const SPIN_AT = "0x00000000000000000000000000000000005700e6";
    const stateOverrides = { [GAS_LEFT_AT]: { code: "0x5a60005260206000f3" }, [SPIN_AT]: { code: "0x5b600056" } };
    const from = DEV[0].address;
    const shared = await rpcRaw(capped.url, "eth_simulateV1", [
      {
        blockStateCalls: [
          { stateOverrides, calls: [{ from, to: GAS_LEFT_AT, gas: "0x1000000" }] },
          { calls: [{ from, to: GAS_LEFT_AT }] },
        ],
      },
    ]);
    const blocks = shared.result as { calls: { returnData: string }[] }[];
    // 100000 - 21000 - 2 (GAS); the second block's call gets what the first left: 100000 - 21017.
    assert.deepEqual(
      blocks.map((b) => BigInt(b.calls[0]!.returnData)),
      [78_998n, 57_981n],
    );
    const spent = await rpcRaw(capped.url, "eth_simulateV1", [
      {
        blockStateCalls: [
          {
            stateOverrides,
            calls: [
              { from, to: SPIN_AT },
              { from, to: GAS_LEFT_AT },
            ],
          },
        ],
      },
    ]);
    assert.deepEqual(spent.error, { code: -32603, message: "block 0, call 1: gas limit reached" });
  } finally {
    await capped.stop();
  }
});
