import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { defaultConfig, type NodeConfig, recoverThreadsOf } from "./config.js";
import { NODE_USAGE, parseNodeFlags, UsageError } from "./flags.js";

function config(...argv: string[]): NodeConfig {
  const r = parseNodeFlags(argv);
  assert.equal(r.help, false);
  return (r as { config: NodeConfig }).config;
}

test("no flags: anvil's defaults (a fresh chain: no data folder, no state files)", () => {
  const c = config();
  assert.deepEqual(c, defaultConfig());
  assert.equal(c.port, 8545);
  assert.equal(c.host, "127.0.0.1");
  assert.equal(c.chainId, 31337n);
  assert.equal(c.accounts, 10);
  assert.equal(c.balance, 10_000n * 10n ** 18n);
  assert.equal(c.gasLimit, 30_000_000n);
  assert.equal(c.baseFee, 1_000_000_000n);
  assert.deepEqual(c.mining, { kind: "auto" });
  assert.equal(c.datadir, undefined);
  assert.equal(c.loadStateFile, undefined);
  assert.equal(c.dumpStateFile, undefined);
});

test("every flag is read", () => {
  const c = config(
    ...["--port", "0", "--host", "0.0.0.0", "--chain-id", "0x539", "--accounts", "3", "--balance", "1.5"],
    ...["--mnemonic", "a b c", "--derivation-path", "m/44'/60'/1'/0/", "--block-time", "0.25"],
    ...["--gas-limit", "60000000", "--base-fee", "7", "--timestamp", "1700000000", "--datadir", "/tmp/x"],
    ...["--threads", "4", "--recover-threads", "6", "--allow-origin", "https://example.org", "--rpc-max-body", "1000"],
    ...["--rpc-max-batch", "5", "--rpc-max-logs-range", "100", "--rpc-max-logs", "50"],
    ...["--rpc-max-subscriptions", "2", "--rpc-max-filters", "3", "--silent"],
  );
  assert.equal(c.port, 0);
  assert.equal(c.host, "0.0.0.0");
  assert.equal(c.chainId, 1337n);
  assert.equal(c.accounts, 3);
  assert.equal(c.balance, 15n * 10n ** 17n);
  assert.equal(c.mnemonic, "a b c");
  assert.equal(c.derivationPath, "m/44'/60'/1'/0/");
  assert.deepEqual(c.mining, { kind: "interval", ms: 250 });
  assert.equal(c.gasLimit, 60_000_000n);
  assert.equal(c.baseFee, 7n);
  assert.equal(c.timestamp, 1_700_000_000n);
  assert.equal(c.datadir, "/tmp/x");
  assert.equal(c.threads, 4);
  assert.equal(c.recoverThreads, 6);
  assert.deepEqual(c.access.allowedOrigins, ["https://example.org"]);
  assert.deepEqual(c.limits, {
    maxBodyBytes: 1000,
    maxBatchLength: 5,
    maxLogsBlockRange: 100n,
    maxLogsResults: 50,
    maxSubscriptionsPerConnection: 2,
    maxFilters: 3,
  });
  assert.equal(c.silent, true);
  assert.deepEqual([...c.given].sort(), [
    "accounts",
    "balance",
    "base-fee",
    "chain-id",
    "derivation-path",
    "gas-limit",
    "mnemonic",
    "timestamp",
  ]);
  // Short forms, as anvil's.
  const s = config("-p", "9000", "-a", "2", "-m", "x y", "-b", "3");
  assert.equal(s.port, 9000);
  assert.equal(s.accounts, 2);
  assert.equal(s.mnemonic, "x y");
  assert.deepEqual(s.mining, { kind: "interval", ms: 3000 });
  assert.deepEqual(config("--no-mining").mining, { kind: "manual" });
  assert.equal(config("--genesis", "g.json").genesisFile, "g.json");
});

test("--help wins over everything else; the usage documents every flag", () => {
  assert.deepEqual(parseNodeFlags(["--port", "1", "--help"]), { help: true });
  assert.deepEqual(parseNodeFlags(["-h"]), { help: true });
  for (const flag of [
    "--port",
    "--host",
    "--chain-id",
    "--accounts",
    "--balance",
    "--mnemonic",
    "--derivation-path",
    "--block-time",
    "--no-mining",
    "--gas-limit",
    "--base-fee",
    "--timestamp",
    "--datadir",
    "--state",
    "--load-state",
    "--dump-state",
    "--genesis",
    "--threads",
    "--allow-origin",
    "--rpc-max-body",
    "--rpc-max-batch",
    "--rpc-max-logs-range",
    "--rpc-max-logs",
    "--rpc-max-subscriptions",
    "--rpc-max-filters",
    "--silent",
    "--help",
  ]) {
    assert.ok(NODE_USAGE.includes(flag), `usage documents ${flag}`);
  }
});

test("-V/--version asks for the version (anvil's names); --help still wins", () => {
  assert.deepEqual(parseNodeFlags(["--version"]), { help: false, version: true });
  assert.deepEqual(parseNodeFlags(["--port", "1", "-V"]), { help: false, version: true });
  assert.deepEqual(parseNodeFlags(["-V", "-h"]), { help: true });
  assert.ok(NODE_USAGE.includes("-V, --version"));
});

test("unknown flags, stray arguments and malformed values are usage errors that name the problem", () => {
  for (const [argv, pattern] of [
    [["--frobnicate"], /Unknown option '--frobnicate'/],
    [["extra"], /unexpected argument 'extra'/],
    [["--port"], /--port/],
    [["--port", "65536"], /--port wants an integer from 0 to 65535/],
    [["--port", "12ab"], /--port wants an integer/],
    [["--chain-id", "0"], /--chain-id wants an integer from 1/],
    [["--accounts", "-1"], /accounts/],
    [["--balance", "1e5"], /--balance wants an amount of ether/],
    [["--balance", "0.1234567890123456789"], /--balance/],
    [["--block-time", "0"], /--block-time wants a positive number of seconds/],
    [["--block-time", "fast"], /--block-time wants seconds/],
    [["--block-time", "1", "--no-mining"], /exclude each other/],
    [["--gas-limit", "100"], /--gas-limit wants an integer from 21000/],
    [["--threads", "0"], /--threads/],
    [["--recover-threads", "0"], /--recover-threads/],
    [["--rpc-max-batch", "0"], /--rpc-max-batch/],
    [["--host", ""], /--host wants a value/],
    [["--genesis", "g.json", "--chain-id", "5"], /--chain-id conflicts with --genesis/],
    [["--no-mining=yes"], /no-mining/],
  ] as [string[], RegExp][]) {
    assert.throws(
      () => parseNodeFlags(argv),
      (e: unknown) => e instanceof UsageError && pattern.test(e.message),
      argv.join(" "),
    );
  }
});

test("--rpc-call-workers, --rpc-gas-cap and --rpc-call-timeout: geth's defaults, durations with units, 0 = none", () => {
  const d = config();
  assert.deepEqual([d.callWorkers, d.rpcGasCap, d.rpcCallTimeoutMs], [2, 50_000_000n, 5000]);
  const c = config("--rpc-call-workers", "4", "--rpc-gas-cap", "0", "--rpc-call-timeout", "300ms");
  assert.deepEqual([c.callWorkers, c.rpcGasCap, c.rpcCallTimeoutMs], [4, 0n, 300]);
  assert.equal(config("--rpc-call-timeout", "1.5s").rpcCallTimeoutMs, 1500);
  assert.equal(config("--rpc-call-timeout", "0").rpcCallTimeoutMs, 0);
  for (const [argv, pattern] of [
    [["--rpc-call-workers", "0"], /--rpc-call-workers wants an integer from 1 to 64/],
    [["--rpc-gas-cap", "lots"], /--rpc-gas-cap wants an integer/],
    [["--rpc-call-timeout", "5"], /--rpc-call-timeout wants a duration with its unit/],
    [["--rpc-call-timeout", "1.5ms"], /--rpc-call-timeout wants a duration/],
    [["--rpc-call-timeout", "9999999s"], /below 24 days/],
  ] as [string[], RegExp][]) {
    assert.throws(
      () => parseNodeFlags(argv),
      (e: unknown) => e instanceof UsageError && pattern.test(e.message),
      argv.join(" "),
    );
  }
});

test("the work and memory bounds: log filters, filters per client, state dumps, the pool", () => {
  const c = config(
    ...["--rpc-max-logs-addresses", "10", "--rpc-max-logs-topics", "20", "--rpc-logs-budget-ms", "30"],
    ...["--rpc-max-filters-per-client", "40", "--rpc-max-state-bytes", "50"],
    ...["--rpc-max-unsent-notifications", "90"],
    ...["--txpool-max-bytes", "60", "--txpool-max-txs", "70", "--txpool-max-per-sender", "80"],
    ...["--txpool-max-tx-bytes", "100", "--txpool-price-bump", "10"],
  );
  assert.deepEqual(c.limits, {
    maxLogsAddresses: 10,
    maxLogsTopicValues: 20,
    logsQueryBudgetMs: 30,
    maxFiltersPerClient: 40,
    maxStateDumpBytes: 50,
    maxUnsentNotificationBytes: 90,
  });
  assert.deepEqual(c.txpool, { maxBytes: 60, maxTotal: 70, maxPerSender: 80, maxTxBytes: 100, priceBump: 10 });
  assert.deepEqual(config().txpool, {});
  for (const flag of [
    "--rpc-max-logs-addresses",
    "--rpc-max-logs-topics",
    "--rpc-logs-budget-ms",
    "--rpc-max-filters-per-client",
    "--rpc-max-state-bytes",
    "--rpc-max-unsent-notifications",
    "--txpool-max-bytes",
    "--txpool-max-txs",
    "--txpool-max-per-sender",
    "--txpool-max-tx-bytes",
  ]) {
    assert.ok(NODE_USAGE.includes(flag), `usage documents ${flag}`);
    assert.throws(
      () => parseNodeFlags([flag, "0"]),
      (e: unknown) => e instanceof UsageError && e.message.startsWith(`${flag} wants an integer from 1`),
    );
    assert.throws(() => parseNodeFlags([flag, "1MB"]), UsageError);
  }
});

test("--txpool-price-bump: a whole percent from 0 (geth's rule, strictly higher caps) to 1000", () => {
  assert.ok(NODE_USAGE.includes("--txpool-price-bump <percent>"));
  assert.equal(config("--txpool-price-bump", "0").txpool.priceBump, 0);
  assert.equal(config("--txpool-price-bump", "1000").txpool.priceBump, 1000);
  for (const bad of ["1001", "-1", "10%", "1.5"]) {
    assert.throws(
      () => parseNodeFlags([`--txpool-price-bump=${bad}`]),
      (e: unknown) => e instanceof UsageError && e.message.startsWith("--txpool-price-bump wants an integer"),
    );
  }
});

test("--state loads where the file exists and always dumps; --load-state must exist; a folder means <folder>/state.json", () => {
  const dir = mkdtempSync(join(tmpdir(), "weft-flags-state-"));
  try {
    const file = join(dir, "s.json");
    assert.deepEqual(pick(config("--state", file)), { load: undefined, dump: file });
    writeFileSync(file, "{}");
    assert.deepEqual(pick(config("--state", file)), { load: file, dump: file });
    assert.deepEqual(pick(config("--state", dir)), { load: undefined, dump: join(dir, "state.json") });
    assert.deepEqual(pick(config("--load-state", file, "--dump-state", dir)), {
      load: file,
      dump: join(dir, "state.json"),
    });
    const refused: [string[], RegExp][] = [
      [["--state", file, "--load-state", file], /^--state is --load-state and --dump-state in one; give it alone$/],
      [["--state", file, "--dump-state", file], /^--state is --load-state and --dump-state in one/],
      [["--load-state", join(dir, "none.json")], /^--load-state: .*none\.json does not exist$/],
      [
        ["--dump-state", join(dir, "no", "s.json")],
        /^--dump-state: folder .*no does not exist \(the state is written to /,
      ],
      [["--state", join(dir, "no", "s.json")], /^--state: folder .*no does not exist/],
      [["--state", ""], /^--state wants a value/],
    ];
    for (const [argv, message] of refused) {
      assert.throws(
        () => parseNodeFlags(argv),
        (e: Error) => e instanceof UsageError && message.test(e.message),
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function pick(c: NodeConfig): { load: string | undefined; dump: string | undefined } {
  return { load: c.loadStateFile, dump: c.dumpStateFile };
}

test("recover threads: the flag, else a core short of all, else all with mining off (at most 8)", () => {
  assert.equal(recoverThreadsOf(config("--recover-threads", "6"), 2), 6);
  assert.equal(recoverThreadsOf(config(), 2), 1);
  assert.equal(recoverThreadsOf(config("--no-mining"), 2), 2);
  assert.equal(recoverThreadsOf(config("--block-time", "1"), 1), 1);
  assert.equal(recoverThreadsOf(config("--no-mining"), 32), 8);
});
