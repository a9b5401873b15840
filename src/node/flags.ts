// `weft node`'s command line: anvil's flag names and defaults, every flag documented in NODE_USAGE,
// anything unknown or malformed a UsageError (exit 2), never ignored.
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { AccessListError, type AccessPolicy, parseHostList, parseOriginList } from "../rpc/http-guards.js";
import { RWA_DEPLOYER_ADDRESS } from "../rwa/predeploy-addresses.js";
import { defaultConfig, type GenesisFlag, type NodeConfig } from "./config.js";
import { DEFAULT_LOG_LEVEL, isLogLevel, LOG_LEVELS, type LogLevel, verbosityLevel } from "./log-level.js";

export const NODE_USAGE = `Usage: weft node [options]

Runs a development node (anvil-compatible JSON-RPC over HTTP and WebSocket on one port). As anvil,
each start is a fresh chain (in a temporary folder, removed at exit); --datadir keeps the chain on
disk, and a restart on the same --datadir continues it.

Options:
  -p, --port <n>                 port to listen on; 0 picks a free one               (default 8545)
      --host <ip>                address to listen on                                (default 127.0.0.1)
      --chain-id <n>             chain id                                            (default 31337)
  -a, --accounts <n>             dev accounts to derive and fund                     (default 10)
      --balance <eth>            ether each dev account holds at genesis             (default 10000)
  -m, --mnemonic <words>         BIP-39 mnemonic the dev accounts derive from
                                 (default "test test test test test test test test test test test junk")
      --derivation-path <path>   BIP-32 path prefix of the dev accounts              (default m/44'/60'/0'/0/)
  -b, --block-time <seconds>     mine a block every <seconds> (decimals allowed) instead of one per
                                 transaction
      --no-mining                mine only on evm_mine / anvil_mine (no automine, no interval)
      --gas-limit <n>            block gas limit                                     (default 30000000)
      --base-fee <wei>           base fee of the genesis block                       (default 1000000000)
      --timestamp <seconds>      genesis timestamp                                   (default: now)
      --datadir <path>           keep the chain in <path>: a restart resumes it, and refuses
                                 --accounts, --mnemonic, --balance, --chain-id other than it was
                                 made with                                           (default: none, a fresh chain)
      --state <path>             anvil's --state: load the state file at start if it exists, write
                                 the state there at exit (a folder: <path>/state.json)
      --load-state <path>        load a state file (anvil's dump JSON, gzip or not) at start
      --dump-state <path>        write the state (anvil's dump JSON) at exit (a folder: <path>/state.json)
      --fork-url <url>           fork the chain at this JSON-RPC URL: state not changed here is read
                                 from it (at the fork block) and cached in the datadir; blocks go on
                                 from the fork block; chain id the upstream's unless --chain-id;
                                 blocks run on one thread and calls on the main thread
      --fork-block-number <n>    the block to fork at                                (default: the upstream's latest)
      --genesis <file>           start from a geth-style genesis.json (chain id, alloc, gas limit,
                                 base fee, timestamp come from the file; dev accounts not in its
                                 alloc are funded with --balance); read as a stream, any size,
                                 and copied as it is into the datadir
      --threads <n>              block execution threads: Block-STM above 1          (default: cores)
      --recover-threads <n>      signature-recovery worker threads: one core is left to mining
                                 (default: cores - 1, every core with --no-mining; at most 8)
      --state-cache-mb <n>       MiB of state trie nodes kept in memory (the trie itself is on disk,
                                 in the datadir; 0 keeps none)                       (default 256)
      --allow-origin <origins>   web pages (comma-separated origins, e.g. https://app.example.org,
                                 or *) allowed besides pages on localhost: CORS answers and
                                 WebSocket Origin checks                             (default: localhost pages)
      --allowed-hosts <names>    Host header names served besides localhost and IP addresses
                                 (comma-separated, or *), against DNS rebinding      (default: none)
      --auth-token <token>       require 'Authorization: Bearer <token>' on every HTTP request and
                                 WebSocket upgrade (or ?token=<token> on the WebSocket URL)
      --auth-token-file <path>   the same, the token read from a file (trimmed; not in ps output)
      --rpc-max-body <bytes>     largest HTTP body / WebSocket message               (default 5242880)
      --rpc-max-batch <n>        most requests in one JSON-RPC batch                 (default 1000)
      --rpc-max-logs-range <n>   most blocks one eth_getLogs may span                (default 10000)
      --rpc-max-logs <n>         most logs one eth_getLogs may return                (default 10000)
      --rpc-max-logs-addresses <n>
                                 most addresses one log filter may list              (default 1000)
      --rpc-max-logs-topics <n>  most alternatives per topic position of a log filter (default 1000)
      --rpc-logs-budget-ms <ms>  most milliseconds of work one eth_getLogs may take  (default 10000)
      --rpc-max-subscriptions <n>
                                 most eth_subscribe subscriptions per WebSocket      (default 1000)
      --rpc-max-filters <n>      most installed eth_new*Filter filters; past it the least recently
                                 polled filter is removed                            (default 10000)
      --rpc-max-filters-per-client <n>
                                 most filters one WebSocket or HTTP remote address may hold
                                                                                     (default 1000)
      --rpc-max-state-bytes <bytes>
                                 largest anvil_loadState dump once inflated          (default 268435456)
      --rpc-max-unsent-notifications <bytes>
                                 most bytes of eth_subscribe notifications a WebSocket may leave
                                 unread; past it the node closes it (1008)           (default 16777216)
      --rpc-call-workers <n>     threads that run eth_call, eth_estimateGas, eth_createAccessList,
                                 eth_simulateV1 and debug_trace* beside the main thread  (default 2)
      --rpc-gas-cap <n>          most gas one of those may use (one eth_simulateV1: all its calls
                                 together); 0 = no cap                               (default 50000000)
      --rpc-call-timeout <time>  wall-clock limit of one of those (e.g. 5s, 1.5s, 300ms); past it
                                 the call is stopped and answered with an error; 0 = none  (default 5s).
                                 A trace config's "timeout" replaces it, up to 1m or this if longer
      --txpool-max-bytes <bytes> most bytes the pool's transactions hold (encoded, and calldata
                                 kept decoded beside it)                             (default 268435456)
      --txpool-max-txs <n>       most transactions the pool holds; bounds its memory (a transfer
                                 holds about 1.7 KB; anvil has no cap, geth 6144)    (default 262144)
      --txpool-max-per-sender <n>
                                 most transactions one sender may have in the pool (geth keeps 16
                                 executable and 64 queued)                           (default: no cap, as anvil)
      --txpool-max-tx-bytes <bytes>
                                 largest transaction taken, encoded (geth: 131072)   (default: no cap, as anvil)
      --txpool-price-bump <percent>
                                 geth's replacement rule: a transaction replaces the one at its nonce
                                 only with both fee caps this much higher (geth: 10) (default: anvil's
                                 rule, any higher maxFeePerGas)
      --rwa                      start with the RWA suite (regulated token, identity registry, fund
                                 vault, AMM, DvP, ...) deployed at fixed addresses (README.md lists
                                 them) from the funded key keccak256("weft rwa deployer")
      --silent                   print nothing but errors (no banner, no block lines); = --log-level error
      --log-level <level>        error, warn, info, debug (adds a line per JSON-RPC request) or trace
                                 (adds their params, cut short)                      (default info)
  -v, --verbose                  one level more than info per v: -v debug, -vv trace
      --log-json                 log one JSON object per line on stdout (level, time, msg and fields)
                                 instead of text
  -h, --help                     this text
  -V, --version                  print Weft's version

Stop it with Ctrl-C (SIGINT) or SIGTERM: it writes the --state / --dump-state file (whole, or not at
all), then closes the server and the database cleanly. With --datadir every block it reported is on
disk before it was reported, so even kill -9 loses none (but kill -9 writes no state file).`;

/** A command line the node does not accept (main exits 2 and prints the usage). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

const OPTIONS = {
  port: { type: "string", short: "p" },
  host: { type: "string" },
  "chain-id": { type: "string" },
  accounts: { type: "string", short: "a" },
  balance: { type: "string" },
  mnemonic: { type: "string", short: "m" },
  "derivation-path": { type: "string" },
  "block-time": { type: "string", short: "b" },
  "no-mining": { type: "boolean" },
  "gas-limit": { type: "string" },
  "base-fee": { type: "string" },
  timestamp: { type: "string" },
  datadir: { type: "string" },
  state: { type: "string" },
  "load-state": { type: "string" },
  "dump-state": { type: "string" },
  genesis: { type: "string" },
  "fork-url": { type: "string" },
  "fork-block-number": { type: "string" },
  threads: { type: "string" },
  "recover-threads": { type: "string" },
  "state-cache-mb": { type: "string" },
  "allow-origin": { type: "string" },
  "allowed-hosts": { type: "string" },
  "auth-token": { type: "string" },
  "auth-token-file": { type: "string" },
  "rpc-max-body": { type: "string" },
  "rpc-max-batch": { type: "string" },
  "rpc-max-logs-range": { type: "string" },
  "rpc-max-logs": { type: "string" },
  "rpc-max-subscriptions": { type: "string" },
  "rpc-max-filters": { type: "string" },
  "rpc-max-logs-addresses": { type: "string" },
  "rpc-max-logs-topics": { type: "string" },
  "rpc-logs-budget-ms": { type: "string" },
  "rpc-max-filters-per-client": { type: "string" },
  "rpc-max-state-bytes": { type: "string" },
  "rpc-max-unsent-notifications": { type: "string" },
  "rpc-call-workers": { type: "string" },
  "rpc-gas-cap": { type: "string" },
  "rpc-call-timeout": { type: "string" },
  "txpool-max-bytes": { type: "string" },
  "txpool-max-txs": { type: "string" },
  "txpool-max-per-sender": { type: "string" },
  "txpool-max-tx-bytes": { type: "string" },
  "txpool-price-bump": { type: "string" },
  rwa: { type: "boolean" },
  silent: { type: "boolean" },
  "log-level": { type: "string" },
  verbose: { type: "boolean", short: "v", multiple: true },
  "log-json": { type: "boolean" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "V" },
} as const;

/** The command line read: `help` for -h/--help, `version` for -V/--version (nothing else is checked then). */
export type NodeCommandLine =
  | { help: true }
  | { help: false; version: true }
  | { help: false; version?: false; config: NodeConfig };

export function parseNodeFlags(argv: readonly string[]): NodeCommandLine {
  let values: Record<string, string | boolean | boolean[] | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: true }));
  } catch (err) {
    // node's messages name the flag ("Unknown option '--frob'"), which is what the user needs.
    throw new UsageError((err as Error).message);
  }
  if (values.help) return { help: true };
  if (values.version) return { help: false, version: true };
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);

  const c = defaultConfig();
  const given = new Set<GenesisFlag>();
  const str = (name: keyof typeof OPTIONS) => values[name] as string | undefined;

  if (str("port") !== undefined) c.port = integer("--port", str("port")!, 0, 65535);
  if (str("host") !== undefined) c.host = nonEmpty("--host", str("host")!);
  if (str("chain-id") !== undefined) {
    c.chainId = bigInteger("--chain-id", str("chain-id")!, 1n, (1n << 64n) - 1n);
    given.add("chain-id");
  }
  if (str("accounts") !== undefined) {
    c.accounts = integer("--accounts", str("accounts")!, 0, 100_000);
    given.add("accounts");
  }
  if (str("balance") !== undefined) {
    c.balance = ether("--balance", str("balance")!);
    given.add("balance");
  }
  if (str("mnemonic") !== undefined) {
    c.mnemonic = nonEmpty("--mnemonic", str("mnemonic")!);
    given.add("mnemonic");
  }
  if (str("derivation-path") !== undefined) {
    c.derivationPath = nonEmpty("--derivation-path", str("derivation-path")!);
    given.add("derivation-path");
  }
  if (str("block-time") !== undefined) {
    if (values["no-mining"]) throw new UsageError("--block-time and --no-mining exclude each other");
    c.mining = { kind: "interval", ms: milliseconds("--block-time", str("block-time")!) };
  } else if (values["no-mining"]) {
    c.mining = { kind: "manual" };
  }
  if (str("gas-limit") !== undefined) {
    c.gasLimit = bigInteger("--gas-limit", str("gas-limit")!, 21_000n, (1n << 63n) - 1n);
    given.add("gas-limit");
  }
  if (str("base-fee") !== undefined) {
    c.baseFee = bigInteger("--base-fee", str("base-fee")!, 0n, (1n << 256n) - 1n);
    given.add("base-fee");
  }
  if (str("timestamp") !== undefined) {
    c.timestamp = bigInteger("--timestamp", str("timestamp")!, 0n, (1n << 63n) - 1n);
    given.add("timestamp");
  }
  if (str("datadir") !== undefined) c.datadir = nonEmpty("--datadir", str("datadir")!);
  ({ load: c.loadStateFile, dump: c.dumpStateFile } = stateFiles(str("state"), str("load-state"), str("dump-state")));
  if (str("genesis") !== undefined) {
    c.genesisFile = nonEmpty("--genesis", str("genesis")!);
    for (const flag of ["chain-id", "gas-limit", "base-fee", "timestamp"] as const) {
      if (given.has(flag)) throw new UsageError(`--${flag} conflicts with --genesis: set it in the genesis file`);
    }
  }
  c.fork = forkFlags(str("fork-url"), str("fork-block-number"), c.genesisFile);
  if (str("threads") !== undefined) c.threads = integer("--threads", str("threads")!, 1, 1024);
  if (str("state-cache-mb") !== undefined) {
    c.stateCacheMb = integer("--state-cache-mb", str("state-cache-mb")!, 0, 1_048_576);
  }
  if (str("recover-threads") !== undefined) {
    c.recoverThreads = integer("--recover-threads", str("recover-threads")!, 1, 256);
  }
  c.access = accessPolicy(str("allow-origin"), str("allowed-hosts"), str("auth-token"), str("auth-token-file"));
  const limit = (flag: keyof typeof OPTIONS) =>
    str(flag) === undefined ? undefined : integer(`--${flag}`, str(flag)!, 1, Number.MAX_SAFE_INTEGER);
  const range = str("rpc-max-logs-range");
  c.limits = definedOnly({
    maxBodyBytes: limit("rpc-max-body"),
    maxBatchLength: limit("rpc-max-batch"),
    maxLogsBlockRange:
      range === undefined ? undefined : bigInteger("--rpc-max-logs-range", range, 1n, (1n << 63n) - 1n),
    maxLogsResults: limit("rpc-max-logs"),
    maxSubscriptionsPerConnection: limit("rpc-max-subscriptions"),
    maxFilters: limit("rpc-max-filters"),
    maxLogsAddresses: limit("rpc-max-logs-addresses"),
    maxLogsTopicValues: limit("rpc-max-logs-topics"),
    logsQueryBudgetMs: limit("rpc-logs-budget-ms"),
    maxFiltersPerClient: limit("rpc-max-filters-per-client"),
    maxStateDumpBytes: limit("rpc-max-state-bytes"),
    maxUnsentNotificationBytes: limit("rpc-max-unsent-notifications"),
  });
  const bump = str("txpool-price-bump");
  c.txpool = definedOnly({
    maxBytes: limit("txpool-max-bytes"),
    maxTotal: limit("txpool-max-txs"),
    maxPerSender: limit("txpool-max-per-sender"),
    maxTxBytes: limit("txpool-max-tx-bytes"),
    priceBump: bump === undefined ? undefined : integer("--txpool-price-bump", bump, 0, 1000),
  });
  if (str("rpc-call-workers") !== undefined) {
    c.callWorkers = integer("--rpc-call-workers", str("rpc-call-workers")!, 1, 64);
  }
  if (str("rpc-gas-cap") !== undefined) {
    c.rpcGasCap = bigInteger("--rpc-gas-cap", str("rpc-gas-cap")!, 0n, (1n << 64n) - 1n);
  }
  if (str("rpc-call-timeout") !== undefined) {
    c.rpcCallTimeoutMs = duration("--rpc-call-timeout", str("rpc-call-timeout")!);
  }
  if (values.rwa === true) {
    c.rwa = true;
    c.fundAtGenesis = [BigInt(RWA_DEPLOYER_ADDRESS)];
  }
  c.silent = values.silent === true;
  c.logLevel = logLevel(c.silent, str("log-level"), (values.verbose as boolean[] | undefined)?.length ?? 0);
  c.logJson = values["log-json"] === true;
  c.given = given;
  return { help: false, config: c };
}

/** --allow-origin, --allowed-hosts and the token (given inline or in a file, not both). */
function accessPolicy(
  origins: string | undefined,
  hosts: string | undefined,
  token: string | undefined,
  tokenFile: string | undefined,
): AccessPolicy {
  const list = (flag: string, value: string | undefined, parse: (v: string) => string[]): string[] => {
    try {
      return value === undefined ? [] : parse(value);
    } catch (err) {
      if (!(err instanceof AccessListError)) throw err;
      throw new UsageError(`${flag}: ${err.message}`);
    }
  };
  if (token !== undefined && tokenFile !== undefined) {
    throw new UsageError("--auth-token and --auth-token-file exclude each other");
  }
  let authToken = token === undefined ? undefined : nonEmpty("--auth-token", token);
  if (tokenFile !== undefined) {
    try {
      authToken = readFileSync(nonEmpty("--auth-token-file", tokenFile), "utf8").trim();
    } catch (err) {
      throw new UsageError(`--auth-token-file: cannot read '${tokenFile}' (${(err as NodeJS.ErrnoException).code})`);
    }
    if (authToken === "") throw new UsageError(`--auth-token-file: '${tokenFile}' is empty`);
  }
  if (authToken !== undefined && !/^[\x21-\x7e]+$/.test(authToken)) {
    throw new UsageError("the auth token must be printable ASCII without spaces (it goes in an HTTP header)");
  }
  return {
    allowedOrigins: list("--allow-origin", origins, parseOriginList),
    allowedHosts: list("--allowed-hosts", hosts, parseHostList),
    ...(authToken === undefined ? {} : { authToken }),
  };
}

/**
 * --state (anvil's: both ways, loaded only where the file exists), --load-state, --dump-state; a
 * folder stands for <folder>/state.json, as in anvil. What can be checked before the chain starts is:
 * a file to load must be readable, a file to write must have an existing folder.
 */
function stateFiles(
  state: string | undefined,
  load: string | undefined,
  dump: string | undefined,
): { load: string | undefined; dump: string | undefined } {
  if (state !== undefined && (load !== undefined || dump !== undefined)) {
    throw new UsageError("--state is --load-state and --dump-state in one; give it alone");
  }
  if (state !== undefined) {
    const path = stateFilePath("--state", state);
    return { load: existsSync(path) ? path : undefined, dump: writableStatePath("--state", path) };
  }
  const loadPath = load === undefined ? undefined : stateFilePath("--load-state", load);
  if (loadPath !== undefined && !existsSync(loadPath)) throw new UsageError(`--load-state: ${loadPath} does not exist`);
  const dumpPath =
    dump === undefined ? undefined : writableStatePath("--dump-state", stateFilePath("--dump-state", dump));
  return { load: loadPath, dump: dumpPath };
}

/** The state file a flag names: the path, or <path>/state.json for a folder. */
function stateFilePath(flag: string, value: string): string {
  const path = nonEmpty(flag, value);
  return existsSync(path) && statSync(path).isDirectory() ? join(path, "state.json") : path;
}

function writableStatePath(flag: string, path: string): string {
  const folder = dirname(path);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new UsageError(`${flag}: folder ${folder} does not exist (the state is written to ${path} at exit)`);
  }
  return path;
}

/** --log-level, -v (counted), or --silent: one of them at most. */
function logLevel(silent: boolean, level: string | undefined, verbosity: number): LogLevel {
  const given = [silent && "--silent", level !== undefined && "--log-level", verbosity > 0 && "-v"].filter(Boolean);
  if (given.length > 1) throw new UsageError(`${given.join(" and ")} exclude each other: give one`);
  if (silent) return "error";
  if (verbosity > 0) return verbosityLevel(verbosity);
  if (level === undefined) return DEFAULT_LOG_LEVEL;
  if (!isLogLevel(level)) throw new UsageError(`--log-level wants one of ${LOG_LEVELS.join(", ")}, got '${level}'`);
  return level;
}

/** --fork-url (http or https) and --fork-block-number (only with it); a fork has no --genesis. */
function forkFlags(
  url: string | undefined,
  block: string | undefined,
  genesisFile: string | undefined,
): NodeConfig["fork"] {
  if (url === undefined) {
    if (block !== undefined) throw new UsageError("--fork-block-number needs --fork-url");
    return undefined;
  }
  let parsed: URL;
  try {
    parsed = new URL(nonEmpty("--fork-url", url));
  } catch {
    throw new UsageError(`--fork-url wants an http:// or https:// URL, got '${url}'`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new UsageError(`--fork-url wants an http:// or https:// URL, got '${url}'`);
  }
  if (genesisFile !== undefined)
    throw new UsageError("--fork-url conflicts with --genesis: a fork starts from the upstream");
  const blockNumber = block === undefined ? undefined : bigInteger("--fork-block-number", block, 0n, (1n << 63n) - 1n);
  return { url, blockNumber };
}

/** The fields that were given (flags not typed leave their key out, so defaults apply). */
function definedOnly<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function nonEmpty(flag: string, v: string): string {
  if (v.trim() === "") throw new UsageError(`${flag} wants a value, got an empty string`);
  return v;
}

function integer(flag: string, v: string, min: number, max: number): number {
  if (!/^[0-9]+$/.test(v)) throw new UsageError(`${flag} wants an integer, got '${v}'`);
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`${flag} wants an integer from ${min} to ${max}, got '${v}'`);
  }
  return n;
}

/** Decimal or 0x-hex, as anvil accepts both for chain ids, gas and fees. */
function bigInteger(flag: string, v: string, min: bigint, max: bigint): bigint {
  if (!/^([0-9]+|0x[0-9a-fA-F]+)$/.test(v)) throw new UsageError(`${flag} wants an integer, got '${v}'`);
  const n = BigInt(v);
  if (n < min || n > max) throw new UsageError(`${flag} wants an integer from ${min} to ${max}, got '${v}'`);
  return n;
}

/** Ether as a decimal ("10000", "0.5"), to wei; more than 18 decimals is an error, not a rounding. */
function ether(flag: string, v: string): bigint {
  const m = /^([0-9]+)(?:\.([0-9]{1,18}))?$/.exec(v);
  if (!m) throw new UsageError(`${flag} wants an amount of ether (e.g. 10000 or 0.5), got '${v}'`);
  const wei = BigInt(m[1]) * 10n ** 18n + BigInt((m[2] ?? "").padEnd(18, "0"));
  if (wei >= 1n << 256n) throw new UsageError(`${flag}: ${v} ether does not fit in 256 bits`);
  return wei;
}

/** A duration with its unit ("5s", "1.5s", "300ms") or "0", to whole milliseconds. */
function duration(flag: string, v: string): number {
  const m = /^(?:([0-9]+)ms|([0-9]+)(?:\.([0-9]{1,3}))?s|0)$/.exec(v);
  if (!m) {
    throw new UsageError(`${flag} wants a duration with its unit (e.g. 5s, 1.5s or 300ms; 0 for none), got '${v}'`);
  }
  let ms = 0;
  if (m[1] !== undefined) ms = Number(m[1]);
  else if (m[2] !== undefined) ms = Number(m[2]) * 1000 + Number((m[3] ?? "").padEnd(3, "0"));
  if (!Number.isSafeInteger(ms) || ms > 2 ** 31 - 1) {
    throw new UsageError(`${flag} wants a duration below 24 days, got '${v}'`);
  }
  return ms;
}

/** Seconds (decimals allowed) to whole milliseconds, at least 1. */
function milliseconds(flag: string, v: string): number {
  const m = /^([0-9]+)(?:\.([0-9]{1,3}))?$/.exec(v);
  if (!m) throw new UsageError(`${flag} wants seconds (e.g. 2 or 0.5, at most 3 decimals), got '${v}'`);
  const ms = Number(m[1]) * 1000 + Number((m[2] ?? "").padEnd(3, "0"));
  if (!Number.isSafeInteger(ms) || ms < 1 || ms > 2 ** 31 - 1) {
    throw new UsageError(`${flag} wants a positive number of seconds below 24 days, got '${v}'`);
  }
  return ms;
}
