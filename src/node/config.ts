// The node's settings after the command line is read: every value resolved, anvil's defaults where
// the user gave none. `given` records which genesis-shaping flags were typed, so a restart on an
// existing data folder can tell a conflicting flag from a default.
import { DEFAULT_DERIVATION_PATH, DEFAULT_MNEMONIC } from "../chain/dev-accounts.js";
import type { RpcLimits } from "../rpc/context.js";

/** How blocks are produced. */
export type MiningMode =
  | { kind: "auto" } // one block as soon as transactions arrive (anvil's default)
  | { kind: "interval"; ms: number } // one block every `ms`, empty or not (--block-time)
  | { kind: "manual" }; // only evm_mine / anvil_mine (--no-mining)

export interface NodeConfig {
  host: string;
  /** 0 picks a free port (the banner shows which). */
  port: number;
  chainId: bigint;
  /** Dev accounts derived from the mnemonic (keys held by the node). */
  accounts: number;
  /** Wei each dev account holds at genesis. */
  balance: bigint;
  mnemonic: string;
  derivationPath: string;
  mining: MiningMode;
  gasLimit: bigint;
  baseFee: bigint;
  /** Genesis timestamp (seconds); undefined = the time of the first start. */
  timestamp: bigint | undefined;
  datadir: string;
  /** A geth-style genesis file; undefined = a dev genesis from the flags. */
  genesisFile: string | undefined;
  /** Block execution threads (undefined: the chain's default). */
  threads: number | undefined;
  /** Signature-recovery worker threads (undefined: the pool's default). */
  recoverThreads: number | undefined;
  limits: Partial<RpcLimits>;
  /** Access-Control-Allow-Origin. */
  allowOrigin: string;
  /** Addresses funded at genesis (with `balance`) besides the dev accounts. */
  fundAtGenesis: readonly bigint[];
  /** Deploy the RWA suite at its fixed addresses on start (`weft node --rwa`: src/rwa/predeploy.ts,
   * run by the CLI before it announces the node). */
  rwa: boolean;
  /** No banner, no per-block lines. */
  silent: boolean;
  /** Flags the user typed that shape a new chain's genesis (checked against an existing data folder). */
  given: ReadonlySet<GenesisFlag>;
}

export type GenesisFlag = "chain-id" | "balance" | "gas-limit" | "base-fee" | "timestamp";

const ETH = 10n ** 18n;

/** anvil's defaults (datadir: Weft keeps its chain on disk, in ./.weft). */
export function defaultConfig(): NodeConfig {
  return {
    host: "127.0.0.1",
    port: 8545,
    chainId: 31337n,
    accounts: 10,
    balance: 10_000n * ETH,
    mnemonic: DEFAULT_MNEMONIC,
    derivationPath: DEFAULT_DERIVATION_PATH,
    mining: { kind: "auto" },
    gasLimit: 30_000_000n,
    baseFee: 1_000_000_000n,
    timestamp: undefined,
    datadir: ".weft",
    genesisFile: undefined,
    threads: undefined,
    recoverThreads: undefined,
    limits: {},
    allowOrigin: "*",
    fundAtGenesis: [],
    rwa: false,
    silent: false,
    given: new Set(),
  };
}
