// Development accounts derived from a BIP-39 mnemonic along BIP-44 m/44'/60'/0'/0/i, as anvil and
// hardhat derive theirs: the default mnemonic gives the same well-known accounts.
import { pbkdf2Sync } from "node:crypto";
import { HDKey } from "@scure/bip32";
import { validateMnemonic } from "@scure/bip39";
import { wordlist } from "@scure/bip39/wordlists/english.js";
import { privateKeyToAddress } from "./sign.js";

export const DEFAULT_MNEMONIC = "test test test test test test test test test test test junk";
/** Account i is this path followed by i. */
export const DEFAULT_DERIVATION_PATH = "m/44'/60'/0'/0/";

export interface DevAccount {
  address: bigint;
  privateKey: Uint8Array;
}

/**
 * BIP-39's seed: PBKDF2-HMAC-SHA512 of the phrase, salt "mnemonic" (no passphrase), 2,048 rounds, by
 * node:crypto (OpenSSL): 1-2 ms, against 65 ms for @scure/bip39's JavaScript at every node start.
 */
function seedOf(phrase: string): Uint8Array {
  return pbkdf2Sync(phrase.normalize("NFKD"), "mnemonic", 2048, 64, "sha512");
}

export function devAccounts(
  mnemonic: string,
  count: number,
  derivationPath: string = DEFAULT_DERIVATION_PATH,
): DevAccount[] {
  if (!Number.isInteger(count) || count < 0)
    throw new Error(`account count must be a non-negative integer, got ${count}`);
  const phrase = mnemonic.trim().split(/\s+/).join(" ");
  if (!validateMnemonic(phrase, wordlist))
    throw new Error("invalid mnemonic: not a BIP-39 English phrase with a valid checksum");
  const base = derivationPath.endsWith("/") ? derivationPath.slice(0, -1) : derivationPath;
  let parent: HDKey;
  try {
    parent = HDKey.fromMasterSeed(seedOf(phrase)).derive(base);
  } catch (e) {
    throw new Error(`invalid derivation path "${derivationPath}": ${(e as Error).message}`);
  }
  const accounts: DevAccount[] = [];
  for (let i = 0; i < count; i++) {
    const privateKey = parent.deriveChild(i).privateKey;
    if (privateKey === null) throw new Error(`no private key at ${base}/${i}`);
    accounts.push({ address: privateKeyToAddress(privateKey), privateKey });
  }
  return accounts;
}
