// What a kept chain's dev accounts were made with, recorded beside its genesis.json in
// <datadir>/dev-accounts.json: how many, the derivation path, the ether each got at genesis, and
// account 0's address, which stands for the mnemonic (the mnemonic itself is a secret and is not
// written down). A restart takes the recorded count and balance where the flags leave them out, and
// refuses a flag that differs: half-applied, it would unlock accounts the genesis never funded.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { devAccounts } from "../chain/dev-accounts.js";
import type { GenesisSpec } from "../chain/genesis.js";
import { addressToHex, bigintToHex } from "../primitives/hex.js";
import type { NodeConfig } from "./config.js";

export const DEV_ACCOUNTS_FILE = "dev-accounts.json";

export interface DevAccountsRecord {
  accounts: number;
  derivationPath: string;
  /** Account 0 of the mnemonic at the derivation path: which mnemonic it was. */
  firstAccount: string;
  /** Wei each dev account got at genesis, as hex. */
  balance: string;
}

/** The record of a chain made with `config`. */
export function devAccountsRecord(config: NodeConfig): DevAccountsRecord {
  return {
    accounts: config.accounts,
    derivationPath: config.derivationPath,
    firstAccount: firstAccount(config),
    balance: bigintToHex(config.balance),
  };
}

/** Writes the record (write-then-rename, as genesis.json). */
export function storeDevAccountsRecord(datadir: string, record: DevAccountsRecord): void {
  const path = join(datadir, DEV_ACCOUNTS_FILE);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(tmp, path);
}

/** The record of the chain in `datadir`; undefined where it has none (a new folder, or a chain made
 * before records were kept). */
export function readDevAccountsRecord(datadir: string): DevAccountsRecord | undefined {
  const path = join(datadir, DEV_ACCOUNTS_FILE);
  if (!existsSync(path)) return undefined;
  let record: Partial<DevAccountsRecord>;
  try {
    record = JSON.parse(readFileSync(path, "utf8")) as Partial<DevAccountsRecord>;
  } catch (e) {
    throw new Error(`${path} is damaged (${(e as Error).message}); restore it or use another --datadir`);
  }
  const valid =
    Number.isSafeInteger(record.accounts) &&
    typeof record.derivationPath === "string" &&
    typeof record.firstAccount === "string" &&
    typeof record.balance === "string" &&
    /^0x[0-9a-f]+$/.test(record.balance);
  if (!valid)
    throw new Error(`${path} is damaged (a field is missing or malformed); restore it or use another --datadir`);
  return record as DevAccountsRecord;
}

/**
 * `config` for the kept chain `record` describes: the recorded count and balance where the flags
 * did not give them; an Error (one line, naming the flag) where a flag given, or the mnemonic in use,
 * differs from what the chain was made with.
 */
export function applyDevAccountsRecord<C extends NodeConfig & { datadir: string }>(
  config: C,
  record: DevAccountsRecord,
): C {
  const refuse = (what: string) =>
    new Error(
      `${config.datadir} holds a chain made with ${what}; give the same, leave the flag out, or use another --datadir`,
    );
  if (config.given.has("accounts") && config.accounts !== record.accounts) {
    throw refuse(`--accounts ${record.accounts}, not ${config.accounts}`);
  }
  if (config.given.has("derivation-path") && config.derivationPath !== record.derivationPath) {
    throw refuse(`--derivation-path ${record.derivationPath}, not ${config.derivationPath}`);
  }
  const balance = BigInt(record.balance);
  if (config.given.has("balance") && config.balance !== balance) {
    throw refuse(`--balance of ${balance} wei, not ${config.balance}`);
  }
  const resolved = { ...config, accounts: record.accounts, derivationPath: record.derivationPath, balance };
  const first = firstAccount(resolved);
  if (first !== record.firstAccount) {
    const which = config.given.has("mnemonic") ? "another --mnemonic" : "a --mnemonic (not the default one)";
    throw refuse(`${which}: its account 0 is ${record.firstAccount}, this one's ${first}`);
  }
  return resolved;
}

/**
 * For a kept chain made before records were kept: every dev account must have been funded at genesis
 * (else an Error naming the first that was not), as the chain's own genesis says.
 */
export function checkUnrecordedDevAccounts(datadir: string, genesis: GenesisSpec, addresses: readonly bigint[]): void {
  const missing = addresses.findIndex((a) => !genesis.alloc.has(a));
  if (missing < 0) return;
  throw new Error(
    `${datadir} holds a chain whose genesis did not fund dev account (${missing}) ${addressToHex(addresses[missing]!)}: ` +
      "it was made with fewer --accounts or another --mnemonic; give those, or use another --datadir",
  );
}

function firstAccount(config: Pick<NodeConfig, "mnemonic" | "derivationPath">): string {
  return addressToHex(devAccounts(config.mnemonic, 1, config.derivationPath)[0]!.address);
}
