// Log criteria: the caps on addresses and topic alternatives, and matching through the prepared sets.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { RpcContext } from "../context.js";
import { RpcError } from "../errors.js";
import { resolveLimits } from "../limits.js";
import { RequestCancelled } from "../work-slicer.js";
import { matchesLog, parseLogQuery, queryLogs } from "./log-filter.js";

const limits = { maxLogsAddresses: 3, maxLogsTopicValues: 2 };
const hex = (n: number, bytes: number) => `0x${n.toString(16).padStart(bytes * 2, "0")}`;

test("parseLogQuery: more addresses or topic alternatives than the limits is -32602", () => {
  const addresses = (n: number) => Array.from({ length: n }, (_, i) => hex(i + 1, 20));
  parseLogQuery({ address: addresses(3) }, "filter", true, limits);
  assert.throws(
    () => parseLogQuery({ address: addresses(4) }, "filter", true, limits),
    (e: unknown) =>
      e instanceof RpcError &&
      e.code === -32602 &&
      e.message === "filter.address: 4 addresses exceed the limit of 3; split the query",
  );
  parseLogQuery({ topics: [[hex(1, 32), hex(2, 32)]] }, "filter", true, limits);
  assert.throws(
    () => parseLogQuery({ topics: [null, [hex(1, 32), hex(2, 32), hex(3, 32)]] }, "filter", true, limits),
    /filter.topics\[1\]: 3 alternatives exceed the limit of 2/,
  );
});

test("matchesLog: any listed address, and per position any listed topic", () => {
  const { criteria } = parseLogQuery({ address: [hex(1, 20), hex(2, 20)], topics: [null, [hex(7, 32), hex(8, 32)]] });
  const log = (address: number, topics: number[]) => ({
    address: BigInt(address),
    topics: topics.map(BigInt),
    data: new Uint8Array(),
  });
  assert.equal(matchesLog(log(2, [0, 8]), criteria), true);
  assert.equal(matchesLog(log(3, [0, 8]), criteria), false);
  assert.equal(matchesLog(log(1, [0, 9]), criteria), false);
  assert.equal(matchesLog(log(1, [0]), criteria), false);
});

/** A context whose chain has `blocks` empty blocks, each taking about `msPerBlock` to read. */
function slowChain(blocks: number, msPerBlock: number, budgetMs = 10_000): RpcContext {
  const block = (n: bigint) => ({ header: { number: n, timestamp: n, logsBloom: new Uint8Array(256) }, hash: n });
  const chain = {
    head: () => block(BigInt(blocks)),
    blockByNumber: (n: bigint) => {
      const until = performance.now() + msPerBlock;
      while (performance.now() < until);
      return block(n);
    },
    blockReceipts: () => [],
  };
  return { chain, limits: resolveLimits({ logsQueryBudgetMs: budgetMs }) } as unknown as RpcContext;
}

const wholeRange = () => parseLogQuery({ fromBlock: "0x0", toBlock: "latest" });

test("queryLogs yields to the event loop between slices of blocks", async () => {
  let ranMeanwhile = 0;
  const ticker = setInterval(() => ranMeanwhile++, 1);
  try {
    assert.deepEqual(await queryLogs(slowChain(100, 1), wholeRange()), []);
  } finally {
    clearInterval(ticker);
  }
  // About 100 ms of scanning in slices of 10 ms: the timer ran between them.
  assert.ok(ranMeanwhile >= 3, `other work ran ${ranMeanwhile} times`);
});

test("queryLogs: -32005 past the work budget; stops once its client has gone", async () => {
  await assert.rejects(
    queryLogs(slowChain(100, 1, 20), wholeRange()),
    (e: unknown) =>
      e instanceof RpcError &&
      e.code === -32005 &&
      /^query exceeds the limit of 20 ms of work \(at block \d+ of 0\.\.100\); narrow the block range or the filter$/.test(
        e.message,
      ),
  );
  const client = new AbortController();
  setTimeout(() => client.abort(), 15);
  await assert.rejects(queryLogs(slowChain(1000, 1), wholeRange(), client.signal), RequestCancelled);
});
