// The `weft` command line. Subcommands load their modules on demand, so `weft help` stays instant and
// one subcommand's heavy dependencies (solc for the benchmark) never load for another.

export const USAGE = `Usage: weft <command> [options]

Commands:
  statetest <file-or-dir> [--json] [--workers N]
                                   run ethereum/tests GeneralStateTests (Cancun cases)
  bench evm [--json] [--iterations N]
                                   sequential EVM benchmark (ERC20 transfers, keccak and bignum loops)
  bench exec --workload <name> [--txs N] [--threads 1,2,...] [--json]
                                   block execution benchmark: sequential executor vs Block-STM
  bench evm --vs-anvil [--json]    the same EVM code on anvil and Weft, side by side
  node [--port N] [--datadir DIR] [--rwa] [...]
                                   run a development node (anvil-compatible JSON-RPC; a fresh chain
                                   each start, --datadir keeps one on disk);
                                   --rwa: with the RWA suite deployed at fixed addresses
  db check <datadir>               check a node's chain store for damage (read-only)
  rwa deploy [--rpc URL] [--key HEX] [--json]
                                   deploy the tokenized real-world-asset suite on a running node
  rwa demo [--rpc URL] [--key HEX] [--json]
                                   the RWA suite's story end to end: issue, onboard, subscribe, trade,
                                   settle, distribute, freeze and recover
  help                             this text
  -V, --version                    print Weft's version

Run 'weft <command> --help' for a command's options.`;

export { benchExecRelaunchFlags } from "./executor-flags.js";

/** Runs the command line `argv` (without node and script); resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case undefined:
      case "help":
      case "--help":
      case "-h":
        if (args.length > 0) return usageError(`'${command ?? ""}' takes no arguments`);
        console.log(USAGE);
        return 0;
      case "--version":
      case "-V": {
        if (args.length > 0) return usageError(`'${command}' takes no arguments`);
        const { WEFT_VERSION } = await import("../rpc/version.js");
        console.log(`weft ${WEFT_VERSION}`);
        return 0;
      }
      case "statetest": {
        const { statetestCommand } = await import("./statetest.js");
        return await statetestCommand(args);
      }
      case "bench": {
        const { benchCommand } = await import("./bench.js");
        return await benchCommand(args);
      }
      case "node": {
        const { nodeCommand } = await import("./node.js");
        return await nodeCommand(args);
      }
      case "db": {
        const { dbCommand } = await import("./db.js");
        return await dbCommand(args);
      }
      case "rwa": {
        const { rwaCommand } = await import("./rwa.js");
        return await rwaCommand(args);
      }
      default:
        return usageError(command.startsWith("-") ? `unknown option '${command}'` : `unknown command '${command}'`);
    }
  } catch (err) {
    console.error(`weft ${command}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return 1;
  }
}

function usageError(message: string): number {
  console.error(`weft: ${message}\n\n${USAGE}`);
  return 2;
}
