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
  node                             the node itself (not yet: arrives with a later issue)
  help                             this text

Run 'weft <command> --help' for a command's options.`;

const NODE_NOT_YET = `weft node: the node (chain, transaction pool, JSON-RPC) arrives with a later issue.

What works now:
  weft statetest <path> [--json]   run GeneralStateTests fixtures, e.g.
                                   weft statetest ../shared/fixtures/ethereum-tests/GeneralStateTests --json
  weft bench evm                   the sequential EVM benchmark (npm run bench)
  weft bench exec --workload erc20 --txs 2000 --threads 1,2
                                   one block, sequential executor against Block-STM`;

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
      case "statetest": {
        const { statetestCommand } = await import("./statetest.js");
        return await statetestCommand(args);
      }
      case "bench": {
        const { benchCommand } = await import("./bench.js");
        return await benchCommand(args);
      }
      case "node":
        if (args.length > 0) return usageError(`node: unknown argument '${args[0]}' (it takes none yet)`);
        console.log(NODE_NOT_YET);
        return 0;
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
