// `weft rwa deploy` and `weft rwa demo`: the RWA suite against any running node (Weft, anvil, ...).
// Exit codes as main's: 0 ok, 1 when the node, the account or a transaction fails (the reason said,
// reverts decoded), 2 for a bad command line.
import { parseArgs } from "node:util";
import type { Hex } from "viem";

export const RWA_USAGE = `Usage: weft rwa <deploy|demo> [options]

  deploy [--rpc URL] [--key HEX] [--json]
      Deploys the whole RWA suite (identity registry, ERC-3643 token, compliance and its modules,
      TestUSD, documents, distributions, ballots, NAV oracle and fund vault, DvP settlement,
      permissioned AMM, price oracle and lending market) from --key's account and prints the
      addresses; --json prints one JSON object instead (the token under "token", the identity
      registry under "identityRegistry").
  demo [--rpc URL] [--key HEX] [--json]
      Tells the suite's story on the node, one step at a time: issue a fund, onboard investors from
      two countries, subscribe at NAV through the vault, trade on the AMM, settle a DvP, pay a
      distribution, freeze and recover a wallet. --json prints the steps as one JSON object.

Options:
  --rpc <url>   the node's JSON-RPC URL                     (default http://127.0.0.1:8545)
  --key <hex>   private key of the deploying / issuing account (default: the first dev account of
                "test test test test test test test test test test test junk")
  --json        machine-readable output
  -h, --help    this text

The deploying account becomes admin, agent, KYC issuer, fund manager and oracle of everything.
'weft node --rwa' starts a chain with the suite already deployed at fixed addresses.`;

class UsageError extends Error {}

interface RwaArgs {
  rpc: string;
  key: Hex;
  json: boolean;
}

export async function rwaCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === "help" || sub === "--help" || sub === "-h") {
    if (sub === undefined) return usage("missing a subcommand (deploy or demo)");
    console.log(RWA_USAGE);
    return 0;
  }
  if (sub !== "deploy" && sub !== "demo") return usage(`unknown subcommand '${sub}' (deploy or demo)`);
  let args: RwaArgs | "help";
  try {
    args = await parse(rest);
  } catch (e) {
    if (e instanceof UsageError) return usage(e.message, sub);
    throw e;
  }
  if (args === "help") {
    console.log(RWA_USAGE);
    return 0;
  }
  return sub === "deploy" ? await deploy(args) : await demo(args);
}

function usage(message: string, sub?: string): number {
  console.error(`weft rwa${sub ? ` ${sub}` : ""}: ${message}\n\n${RWA_USAGE}`);
  return 2;
}

async function parse(argv: string[]): Promise<RwaArgs | "help"> {
  let values: { rpc?: string; key?: string; json?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: {
        rpc: { type: "string" },
        key: { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: true,
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (values.help) return "help";
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const { DEFAULT_RPC, DEV_ACCOUNT_0_KEY } = await import("../rwa/connect.js");
  const rpc = values.rpc ?? DEFAULT_RPC;
  if (!/^(https?):\/\/\S+$/.test(rpc)) throw new UsageError(`--rpc wants an http(s):// URL, got '${rpc}'`);
  let key = values.key ?? DEV_ACCOUNT_0_KEY;
  if (!key.startsWith("0x")) key = `0x${key}`;
  if (!/^0x[0-9a-fA-F]{64}$/.test(key)) throw new UsageError("--key wants a private key: 32 bytes of hex");
  return { rpc, key: key as Hex, json: values.json === true };
}

/** RwaConnectError and RwaError messages are for people; anything else keeps its stack. */
function failure(command: string, e: unknown): number {
  const known = e instanceof Error && (e.name === "RwaConnectError" || e.name === "RwaError");
  console.error(`weft rwa ${command}: ${known ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  return 1;
}

async function deploy(args: RwaArgs): Promise<number> {
  const { connectRwa, ether } = await import("../rwa/connect.js");
  const { deployRwaSuite, RWA_SUITE_CONTRACTS } = await import("../rwa/suite.js");
  try {
    const { client, chainId, balance } = await connectRwa(args.rpc, args.key);
    const from = client.walletClient.account.address;
    if (!args.json)
      console.log(`Deploying the RWA suite on chain ${chainId} at ${args.rpc} from ${from} (${ether(balance)})`);
    const suite = await deployRwaSuite(client, {
      onStage: (stage) => {
        if (!args.json) console.log(`  ${stage}: done`);
      },
    });
    if (args.json) {
      console.log(JSON.stringify(suite));
      return 0;
    }
    const width = Math.max(...RWA_SUITE_CONTRACTS.map(({ key }) => key.length));
    console.log("");
    for (const { key, what } of RWA_SUITE_CONTRACTS) console.log(`${key.padEnd(width)}  ${suite[key]}  ${what}`);
    return 0;
  } catch (e) {
    return failure("deploy", e);
  }
}

async function demo(args: RwaArgs): Promise<number> {
  const { runRwaDemo } = await import("../rwa/demo.js");
  let result: Awaited<ReturnType<typeof runRwaDemo>>;
  try {
    result = await runRwaDemo({
      rpc: args.rpc,
      key: args.key,
      onStep: (step, i) => {
        if (args.json) return;
        console.log(`${i + 1}. ${step.title}`);
        for (const line of step.lines) console.log(`   ${line}`);
      },
      onFailure: (title, message, i) => {
        if (!args.json) console.error(`${i + 1}. ${title}: FAILED\n   ${message}`);
      },
    });
  } catch (e) {
    return failure("demo", e);
  }
  if (args.json) console.log(JSON.stringify(result));
  else if (result.ok) console.log(`\nThe story completed: ${result.steps.length} steps.`);
  return result.ok ? 0 : 1;
}
