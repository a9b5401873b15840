// The start-up text, laid out as anvil's (accounts, keys, wallet, chain id, base fee, gas limit,
// genesis timestamp, "Listening on host:port"): scripts that read anvil's banner read this one.
import { bytesToHex } from "../primitives/hex.js";
import { keccak256 } from "../primitives/keccak.js";
import { isLoopbackAddress } from "../rpc/http-guards.js";

/** EIP-55 mixed-case checksum address. */
export function checksumAddress(address: bigint): string {
  const hex = address.toString(16).padStart(40, "0");
  const hash = bytesToHex(keccak256(new TextEncoder().encode(hex))).slice(2);
  let out = "0x";
  for (let i = 0; i < 40; i++) out += Number.parseInt(hash[i]!, 16) >= 8 ? hex[i]!.toUpperCase() : hex[i];
  return out;
}

/** Wei as ether with 18 decimals, as anvil prints balances. */
export function formatEther(wei: bigint): string {
  const whole = wei / 10n ** 18n;
  const fraction = (wei % 10n ** 18n).toString().padStart(18, "0");
  return `${whole}.${fraction}`;
}

export interface BannerInfo {
  version: string;
  accounts: { address: bigint; privateKey: Uint8Array; balance: bigint }[];
  mnemonic: string;
  derivationPath: string;
  chainId: bigint;
  baseFee: bigint;
  gasLimit: bigint;
  genesisTimestamp: bigint;
  datadir: string;
  /** A fresh chain in a temporary folder, removed at exit (no --datadir). */
  temporary: boolean;
  /** Head block number when an existing chain was resumed; undefined for a new chain. */
  resumedAt: bigint | undefined;
  /** The state file loaded at start, if any (--load-state, --state). */
  loadedState: string | undefined;
  /** The state file written at exit, if any (--dump-state, --state). */
  dumpState: string | undefined;
  mining: string;
}

function section(title: string, body: string): string {
  return `${title}\n==================\n\n${body}\n`;
}

export function banner(info: BannerInfo): string {
  const accounts = info.accounts
    .map((a, i) => `(${i}) ${checksumAddress(a.address)} (${formatEther(a.balance)} ETH)`)
    .join("\n");
  const keys = info.accounts.map((a, i) => `(${i}) ${bytesToHex(a.privateKey)}`).join("\n");
  const chain = info.temporary
    ? `${info.datadir} (fresh chain, removed at exit; --datadir <path> keeps one)`
    : info.resumedAt === undefined
      ? `${info.datadir} (new chain, kept)`
      : `${info.datadir} (resumed at block ${info.resumedAt})`;
  const state = [
    ...(info.loadedState === undefined ? [] : [`loaded from ${info.loadedState}`]),
    ...(info.dumpState === undefined ? [] : [`written to ${info.dumpState} at exit`]),
  ];
  return [
    `\nWeft ${info.version}: a parallel EVM development node\n`,
    section("Available Accounts", accounts || "(none)"),
    section("Private Keys", keys || "(none)"),
    `Wallet\n==================\nMnemonic:          ${info.mnemonic}\nDerivation path:   ${info.derivationPath}\n`,
    section("Chain ID", info.chainId.toString()),
    section("Base Fee", info.baseFee.toString()),
    section("Gas Limit", info.gasLimit.toString()),
    section("Genesis Timestamp", info.genesisTimestamp.toString()),
    section("Data Directory", chain),
    ...(state.length === 0 ? [] : [section("State File", state.join("\n"))]),
    section("Mining", info.mining),
  ].join("\n");
}

/**
 * The warning printed (on stderr, even with --silent) when the node listens on an address other
 * machines reach; undefined on loopback. Dev keys sign for anyone who asks and dev methods rewrite
 * the chain, so whoever reaches the port owns the node unless a token guards it.
 */
export function exposureWarning(info: {
  host: string;
  port: number;
  accounts: number;
  authToken: boolean;
}): string | undefined {
  if (isLoopbackAddress(info.host)) return undefined;
  const where = `${info.host.includes(":") ? `[${info.host}]` : info.host}:${info.port}`;
  if (info.authToken) {
    return `weft node: listening on ${where}, reachable from other machines; requests need the --auth-token, which travels unencrypted (use a trusted network, or TLS in front)`;
  }
  const keys =
    info.accounts > 0
      ? `the private keys of ${info.accounts} funded dev accounts (eth_sendTransaction signs for anyone), `
      : "";
  return [
    "",
    `!!! WARNING: weft node is listening on ${where}, which other machines can reach, with no --auth-token.`,
    `!!! Anyone who reaches this port can use ${keys}and the dev methods`,
    "!!! (anvil_setBalance, anvil_setCode, evm_revert, anvil_reset, ...) that rewrite the chain.",
    "!!! Protect it: --auth-token <token> (or --auth-token-file <path>), and a firewall;",
    "!!! or bind to 127.0.0.1 (the default).",
    "",
  ].join("\n");
}
