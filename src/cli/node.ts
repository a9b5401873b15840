// `weft node`: reads the flags, starts the node, prints anvil's banner and a line per block, and runs
// until SIGINT or SIGTERM, then closes the server and the database cleanly (a second signal exits at
// once). Exit codes as main's: 0 after a clean stop, 1 when the node fails, 2 for a bad command line.
import type { NodeConfig } from "../node/config.js";
import type { Miner } from "../node/miner.js";

export async function nodeCommand(args: string[]): Promise<number> {
  const { NODE_USAGE, parseNodeFlags, UsageError } = await import("../node/flags.js");
  let parsed: ReturnType<typeof parseNodeFlags>;
  try {
    parsed = parseNodeFlags(args);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`weft node: ${err.message}\n\n${NODE_USAGE}`);
    return 2;
  }
  if (parsed.help) {
    console.log(NODE_USAGE);
    return 0;
  }
  if (parsed.version) {
    const { WEFT_VERSION } = await import("../rpc/version.js");
    console.log(`weft ${WEFT_VERSION}`);
    return 0;
  }
  const config = parsed.config;

  // Loaded only now: --help and usage errors need none of the node.
  const { startNode } = await import("../node/node.js");
  const { banner, exposureWarning } = await import("../node/banner.js");
  const { CLIENT_VERSION } = await import("../rpc/create-context.js");
  const { createLogger } = await import("../node/log.js");
  const { logMinedBlock } = await import("../node/block-log.js");
  const { StoreDamagedError } = await import("../state/store-errors.js");
  const { repairAdvice } = await import("./db.js");
  // Every line the node prints goes through it (text or --log-json; --log-level, -v, --silent).
  const log = createLogger({ level: config.logLevel, json: config.logJson });
  const nodeLog = log.child({ component: "weft node" });
  const say = (line: string) => log.info(line);
  // --rwa's deployment mines some forty blocks before the banner: they are summed up, not listed.
  let quietBlocks = false;

  let node: Awaited<ReturnType<typeof startNode>>;
  try {
    node = await startNode(config, {
      onBlock: (mined) => {
        if (!quietBlocks) logMinedBlock(log, mined);
      },
      log,
    });
  } catch (err) {
    // Start-up failures are mostly the user's setup (data folder of another chain, port taken, bad
    // genesis file): the message says it. Programming errors keep their stack.
    const e = err as Error;
    const bug = e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError;
    const advice =
      e instanceof StoreDamagedError && config.datadir !== undefined ? `. ${repairAdvice(config.datadir)}` : "";
    nodeLog.error(`cannot start: ${bug ? (e.stack ?? e.message) : e.message}${advice}`);
    return 1;
  }

  let rwaLines: string | undefined;
  if (config.rwa) {
    quietBlocks = true;
    try {
      rwaLines = await predeploy(node);
    } catch (err) {
      await node.close();
      nodeLog.error((err as Error).message);
      return 1;
    } finally {
      quietBlocks = false;
    }
  }

  // The handlers go in before "Listening on" is printed: whoever waits for that line may signal at once,
  // and a SIGINT that beats the handler would kill the process with Node's default action.
  const stopRequested = new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        nodeLog.error(`${signal} again, exiting without waiting`);
        process.exit(130);
      }
      stopping = true;
      say(`\n${signal}: shutting down...`);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });

  const head = node.chain.head();
  const genesis = node.chain.firstBlock();
  const state = node.chain.state();
  const mining =
    config.mining.kind === "auto"
      ? "automine (a block per transaction)"
      : config.mining.kind === "interval"
        ? `a block every ${config.mining.ms / 1000} s`
        : "manual (evm_mine / anvil_mine)";
  say(
    banner({
      version: CLIENT_VERSION,
      accounts: node.accounts.map((a) => ({ ...a, balance: state.account(a.address)?.balance ?? 0n })),
      mnemonic: config.mnemonic,
      derivationPath: node.config.derivationPath,
      chainId: node.chain.chainId,
      baseFee: genesis.header.baseFeePerGas,
      gasLimit: head.header.gasLimit,
      genesisTimestamp: genesis.header.timestamp,
      datadir: node.config.datadir,
      temporary: node.temporary,
      loadedState: config.loadStateFile,
      dumpState: config.dumpStateFile,
      resumedAt: node.resumed ? head.header.number : undefined,
      mining,
    }),
  );
  if (rwaLines !== undefined) say(rwaLines);
  // A security warning is not silenced by --silent.
  const warning = exposureWarning({
    host: config.host,
    port: node.server.port,
    accounts: node.accounts.length,
    authToken: config.access.authToken !== undefined,
  });
  if (warning !== undefined) console.error(warning);
  const shownHost = config.host.includes(":") ? `[${config.host}]` : config.host;
  say(`Listening on ${shownHost}:${node.server.port}`);

  await stopRequested;
  try {
    await node.close();
  } catch (err) {
    nodeLog.error((err as Error).message);
    return 1;
  }
  if (config.dumpStateFile !== undefined) say(`State written to ${config.dumpStateFile}.`);
  say(node.temporary ? "Stopped; the chain was temporary and is removed." : "Stopped; every mined block is on disk.");
  return 0;
}

/** `--rwa`: deploys the RWA suite through the node's own JSON-RPC (automining meanwhile, whatever the
 * mining mode) unless the chain has it; resolves to the banner's section listing its addresses. */
async function predeploy(node: { server: { url: string }; miner: Miner; config: NodeConfig }): Promise<string> {
  const { predeployRwa, RWA_DEPLOYER_ADDRESS, RWA_DEPLOYER_KEY } = await import("../rwa/predeploy.js");
  const { RWA_SUITE_CONTRACTS } = await import("../rwa/suite.js");
  // The server listens on the configured host; a wildcard one is reached on loopback.
  const url = node.server.url.replace("//0.0.0.0:", "//127.0.0.1:").replace("//[::]:", "//[::1]:");
  const mining = node.config.mining;
  if (mining.kind !== "auto") node.miner.setAutomine(true);
  let result: Awaited<ReturnType<typeof predeployRwa>>;
  try {
    const token = node.config.access.authToken;
    result = await predeployRwa(url, token === undefined ? {} : { authorization: `Bearer ${token}` });
  } finally {
    if (mining.kind === "interval") node.miner.setIntervalMining(mining.ms);
    else if (mining.kind === "manual") node.miner.setAutomine(false);
  }
  const width = Math.max(...RWA_SUITE_CONTRACTS.map(({ key }) => key.length));
  const rows = RWA_SUITE_CONTRACTS.map(({ key, what }) => `${key.padEnd(width)}  ${result.suite[key]}  ${what}`);
  return [
    "RWA Suite",
    "==================",
    "",
    `${result.deployed ? "Deployed now" : "Already on this chain"}, by ${RWA_DEPLOYER_ADDRESS}`,
    `(key ${RWA_DEPLOYER_KEY}: admin, agent, KYC issuer, fund manager and oracle of all)`,
    "",
    ...rows,
    "",
  ].join("\n");
}
