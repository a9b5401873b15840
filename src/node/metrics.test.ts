import assert from "node:assert/strict";
import { test } from "node:test";
import type { MinedBlock } from "../chain/chain.js";
import { NodeMetrics, UNKNOWN_METHOD } from "./metrics.js";

function metrics() {
  return new NodeMetrics({ headNumber: () => 7, pool: () => ({ pending: 2, queued: 1, bytes: 300 }) });
}

/** The value of one sample (`name{labels}`) in the exposition. */
async function sample(m: NodeMetrics, series: string): Promise<number | undefined> {
  const line = (await m.render()).split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

test("a parallel block: its mode, re-executions, gas and stage times", async () => {
  const m = metrics();
  const mined = {
    block: { header: { gasUsed: 63_000n }, transactions: [{}, {}, {}] },
    stats: { mode: "parallel", reexecutions: 4, executeMs: 20, stateRootMs: 3, commitMs: 2 },
  } as unknown as MinedBlock;
  m.observeBlock(mined);
  m.observeBlock({ ...mined, stats: { ...mined.stats, mode: "sequential", reexecutions: 0 } });
  assert.equal(await sample(m, 'weft_blocks_mined_total{mode="parallel"}'), 1);
  assert.equal(await sample(m, 'weft_blocks_mined_total{mode="sequential"}'), 1);
  assert.equal(await sample(m, "weft_block_reexecutions_total"), 4);
  assert.equal(await sample(m, "weft_transactions_mined_total"), 6);
  assert.equal(await sample(m, "sync_execution_gas_processed_total"), 126_000);
  assert.equal(await sample(m, "sync_execution_execution_histogram_sum"), 0.04);
  assert.equal(await sample(m, 'sync_execution_execution_histogram_bucket{le="0.025"}'), 2);
  assert.equal(await sample(m, "sync_block_validation_state_root_histogram_sum"), 0.006);
  assert.equal(await sample(m, "consensus_engine_persistence_save_blocks_duration_seconds_count"), 2);
});

test("the pool and head gauges are read when scraped", async () => {
  const m = metrics();
  assert.equal(await sample(m, "blockchain_tree_canonical_chain_height"), 7);
  assert.equal(await sample(m, "transaction_pool_pending_pool_transactions"), 2);
  assert.equal(await sample(m, "transaction_pool_queued_pool_transactions"), 1);
  assert.equal(await sample(m, "transaction_pool_total_transactions"), 3);
  assert.equal(await sample(m, "weft_transaction_pool_size_bytes"), 300);
});

test("calls by method; methods the node lacks share one label, so clients cannot grow the series", async () => {
  const m = metrics();
  const served = (method: string, known: boolean, error?: { code: number; message: string }) => ({
    method,
    known,
    id: 1,
    params: [],
    ms: 2,
    error,
  });
  m.observeRequest(served("eth_call", true));
  m.observeRequest(served("eth_call", true, { code: 3, message: "execution reverted" }));
  for (const name of ["a", "b", "c"]) m.observeRequest(served(name, false, { code: -32601, message: "no" }));
  assert.equal(await sample(m, 'rpc_server_calls_successful_total{method="eth_call"}'), 1);
  assert.equal(await sample(m, 'rpc_server_calls_failed_total{method="eth_call",code="3"}'), 1);
  assert.equal(await sample(m, 'rpc_server_calls_time_seconds_count{method="eth_call"}'), 2);
  assert.equal(await sample(m, `rpc_server_calls_failed_total{method="${UNKNOWN_METHOD}",code="-32601"}`), 3);
  assert.ok(!(await m.render()).includes('method="a"'));
});
