import assert from "node:assert/strict";
import { test } from "node:test";
import type { MinedBlock } from "../chain/chain.js";
import { logMinedBlock } from "./block-log.js";
import type { NodeConfig } from "./config.js";
import { NODE_USAGE, parseNodeFlags, UsageError } from "./flags.js";
import { createLogger } from "./log.js";
import { verbosityLevel } from "./log-level.js";
import { logRequest, MAX_LOGGED_PARAMS } from "./request-log.js";

function logLevelOf(...argv: string[]): { level: string; json: boolean } {
  const { logLevel, logJson } = (parseNodeFlags(argv) as { config: NodeConfig }).config;
  return { level: logLevel, json: logJson };
}

/** A logger whose lines are kept: text lines by stream, or JSON records. */
function captured(level: Parameters<typeof createLogger>[0]["level"], json = false) {
  const out: string[] = [];
  const err: string[] = [];
  const log = createLogger({ level, json, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { log, out, err };
}

test("the level flags: info by default, -v debug, -vv and more trace, --log-level, --silent is error", () => {
  assert.deepEqual(logLevelOf(), { level: "info", json: false });
  assert.equal(logLevelOf("-v").level, "debug");
  assert.equal(logLevelOf("-vv").level, "trace");
  assert.equal(logLevelOf("-v", "-v", "-v", "-v").level, "trace");
  assert.equal(logLevelOf("--verbose").level, "debug");
  for (const level of ["error", "warn", "info", "debug", "trace"])
    assert.equal(logLevelOf("--log-level", level).level, level);
  assert.equal(logLevelOf("--silent").level, "error");
  assert.equal(logLevelOf("--log-json").json, true);
  assert.equal(verbosityLevel(0), "info");
  assert.match(NODE_USAGE, /--log-level <level>/);
  assert.match(NODE_USAGE, /-v, --verbose/);
  assert.match(NODE_USAGE, /--log-json/);
});

test("a bad level, or two ways of choosing one, is a UsageError", () => {
  assert.throws(() => parseNodeFlags(["--log-level", "verbose"]), {
    name: "UsageError",
    message: "--log-level wants one of error, warn, info, debug, trace, got 'verbose'",
  });
  assert.throws(() => parseNodeFlags(["--log-level", "debug", "-v"]), UsageError);
  assert.throws(
    () => parseNodeFlags(["--silent", "--log-level", "info"]),
    /--silent and --log-level exclude each other/,
  );
});

test("text: the message alone on stdout; warnings and errors on stderr, with their component", () => {
  const { log, out, err } = captured("info");
  log.info({ block: 1 }, "Block #1");
  log.debug("not at info");
  log.child({ component: "weft node" }).error("cannot start: no");
  log.warn("weft rpc: closed WebSocket ws:1: too slow");
  assert.deepEqual(out, ["Block #1"]);
  assert.deepEqual(err, ["weft node: cannot start: no", "weft rpc: closed WebSocket ws:1: too slow"]);
});

test("JSON: one object per line with level, time, message and fields, errors included", () => {
  const { log, out, err } = captured("debug", true);
  log.info({ block: 1, hash: "0xab" }, "Block #1");
  log.child({ component: "weft node" }).error("failed");
  assert.equal(err.length, 0);
  const records = out.map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.equal(records.length, 2);
  assert.deepEqual(
    { ...records[0], time: undefined },
    { level: "info", time: undefined, block: 1, hash: "0xab", msg: "Block #1" },
  );
  assert.match(records[0]!.time as string, /^\d{4}-\d\d-\d\dT/);
  assert.equal(records[1]!.level, "error");
  assert.equal(records[1]!.component, "weft node");
});

test("the request line: nothing at info; method, id, ms and outcome at debug; params cut short at trace", () => {
  const served = (params: unknown[], error?: { code: number; message: string }) => ({
    method: "eth_sendRawTransaction",
    known: true,
    id: 7,
    params,
    ms: 1.234,
    error,
  });
  const info = captured("info");
  logRequest(info.log, served([]));
  assert.deepEqual(info.out, []);

  const debug = captured("debug");
  logRequest(debug.log, served(["0x01"], { code: -32000, message: "nonce too low" }));
  assert.deepEqual(debug.out, ["rpc eth_sendRawTransaction id=7 1.23 ms error -32000: nonce too low"]);

  const trace = captured("trace");
  const raw = `0x${"ab".repeat(1000)}`;
  logRequest(trace.log, served([raw]));
  const line = trace.out[0]!;
  assert.ok(!line.includes(raw));
  assert.ok(line.startsWith(`rpc eth_sendRawTransaction id=7 1.23 ms ok params=["0xabab`));
  assert.ok(line.endsWith(`…(${raw.length + 4} chars)`), line);
  assert.ok(line.length < MAX_LOGGED_PARAMS + 100);
});

test("-v: each block's line of how it was executed says why (the executor's reason)", () => {
  const { log, out } = captured("debug");
  const mined = {
    block: {
      hash: 0xabn,
      transactions: [],
      header: { number: 7n, timestamp: 1_700_000_000n, gasUsed: 21000n, baseFeePerGas: 7n },
    },
    receipts: [],
    rejected: [],
    stats: {
      mode: "sequential",
      modeReason: "about 0.1 ms of work (recent blocks' rate): too little to pay",
      reexecutions: 0,
      executeMs: 1.5,
      stateRootMs: 0.25,
      commitMs: 2,
    },
  } as unknown as MinedBlock;
  logMinedBlock(log, mined);
  assert.match(out.join("\n"), /^Block #7 0x0+ab 0 tx, gas used 21000, base fee 7, time /m);
  assert.match(
    out.join("\n"),
    /^ {4}executed sequential in 1\.50 ms, state root 0\.25 ms, commit 2\.00 ms: about 0\.1 ms of work \(recent blocks' rate\): too little to pay$/m,
  );
});
