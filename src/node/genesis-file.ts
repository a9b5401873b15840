// Which genesis the node starts from. A new data folder gets the genesis the flags (or --genesis)
// describe, written to <datadir>/genesis.json; a restart reads that file back, so the chain resumes
// from exactly the genesis it was made with (the dev genesis carries the first start's time).
// A flag that contradicts the stored genesis is an error, not silently ignored.
//
// A --genesis file is never parsed whole (it may hold millions of accounts): its top level is read
// without the alloc, and the alloc is streamed entry by entry into the store (FileAllocSource). The
// file is then copied into the datadir as it is; beside it, genesis-additions.json holds its top
// level with the node's additions (dev accounts, the CREATE2 deployer) as the alloc, which is all a
// restart reads.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { copyFile } from "node:fs/promises";
import { join } from "node:path";
import { addCreate2Deployer } from "../chain/create2-deployer.js";
import { GenesisError } from "../chain/errors.js";
import {
  allocAddressBytes,
  devGenesis,
  type GenesisAllocSource,
  type GenesisSpec,
  parseAllocEntry,
  parseGenesis,
  type StreamedGenesisAccount,
} from "../chain/genesis.js";
import { parsePlainAccount } from "../chain/genesis-entry-bytes.js";
import { bigintToHex, bytesToHex } from "../primitives/hex.js";
import type { NodeConfig } from "./config.js";
import { filesEqual } from "./genesis-compare.js";
import { genesisWithoutAlloc, scanGenesisFile } from "./genesis-header.js";

export const GENESIS_FILE = "genesis.json";
/** Beside a copied --genesis file: its top level, with the node's additions to its alloc as the alloc. */
export const GENESIS_ADDITIONS_FILE = "genesis-additions.json";

/** The alloc of a genesis file, streamed: each pass re-reads the file. */
export class FileAllocSource implements GenesisAllocSource {
  constructor(readonly path: string) {}

  forEach(visit: (address: bigint | Uint8Array, account: StreamedGenesisAccount) => void): void {
    scanGenesisFile(this.path, (key, valueJson) => {
      const plain = parsePlainAccount(valueJson);
      if (plain !== undefined) {
        visit(allocAddressBytes(key), plain);
        return;
      }
      let value: unknown;
      try {
        value = JSON.parse(valueJson.toString("utf8"));
      } catch (e) {
        throw new GenesisError(`alloc[${key}]: not JSON: ${(e as Error).message}`);
      }
      const [address, account] = parseAllocEntry(key, value);
      visit(address, account);
    });
  }

  keyAt(n: number): string {
    let i = 0;
    let found = "";
    scanGenesisFile(this.path, (key) => {
      if (i++ === n) found = key;
    });
    return found;
  }
}

/** A GenesisSpec as geth-style JSON that parseGenesis reads back to the same spec. */
export function genesisToJson(spec: GenesisSpec): Record<string, unknown> {
  const alloc: Record<string, unknown> = {};
  for (const [address, a] of spec.alloc) {
    const entry: Record<string, unknown> = { balance: bigintToHex(a.balance) };
    if (a.nonce !== 0n) entry.nonce = bigintToHex(a.nonce);
    if (a.code.length > 0) entry.code = bytesToHex(a.code);
    if (a.storage.size > 0) {
      entry.storage = Object.fromEntries(
        [...a.storage].map(([k, v]) => [
          `0x${k.toString(16).padStart(64, "0")}`,
          `0x${v.toString(16).padStart(64, "0")}`,
        ]),
      );
    }
    alloc[`0x${address.toString(16).padStart(40, "0")}`] = entry;
  }
  return {
    config: {
      chainId: Number(spec.chainId) <= Number.MAX_SAFE_INTEGER ? Number(spec.chainId) : spec.chainId.toString(),
    },
    nonce: bigintToHex(spec.nonce),
    timestamp: bigintToHex(spec.timestamp),
    extraData: bytesToHex(spec.extraData),
    gasLimit: bigintToHex(spec.gasLimit),
    difficulty: bigintToHex(spec.difficulty),
    mixHash: `0x${spec.mixHash.toString(16).padStart(64, "0")}`,
    coinbase: `0x${spec.coinbase.toString(16).padStart(40, "0")}`,
    baseFeePerGas: bigintToHex(spec.baseFeePerGas),
    excessBlobGas: bigintToHex(spec.excessBlobGas),
    blobGasUsed: bigintToHex(spec.blobGasUsed),
    alloc,
  };
}

export interface ResolvedGenesis {
  spec: GenesisSpec;
  /** True when the data folder already held a chain (its stored genesis was used). */
  existing: boolean;
}

/**
 * The genesis for `config`: the stored one for an existing data folder (checked against the flags
 * given; a chain made before the CREATE2 deployer was placed keeps its genesis), else one built from
 * --genesis or the flags, with the dev accounts funded and the CREATE2 deployer placed, as anvil does
 * with and without --init.
 */
export function resolveGenesis(
  config: NodeConfig & { datadir: string },
  devAddresses: readonly bigint[],
  now: () => bigint,
  options: { storedAlloc?: boolean } = {},
): ResolvedGenesis {
  const stored = join(config.datadir, GENESIS_FILE);
  if (existsSync(stored)) {
    const additions = join(config.datadir, GENESIS_ADDITIONS_FILE);
    if (existsSync(additions)) {
      // A copied --genesis file: its accounts are in the store; the additions file is small.
      const spec: GenesisSpec = { ...parseGenesis(readJson(additions)), allocOmitted: true };
      spec.allocSource = new FileAllocSource(stored);
      if (config.genesisFile !== undefined && !filesEqual(config.genesisFile, stored)) {
        throw new Error(
          `${config.datadir} holds a chain made from another genesis than ${config.genesisFile}; use another --datadir, or leave the flag out`,
        );
      }
      checkAgainstStored({ ...config, genesisFile: undefined }, spec, devAddresses);
      return { spec, existing: true };
    }
    // The allocation is in the store already: read only where a check below needs it.
    const withAlloc = options.storedAlloc !== false || config.genesisFile !== undefined || config.given.has("balance");
    const spec = withAlloc ? parseGenesis(readJson(stored)) : storedGenesisHeader(stored);
    // Where the store must be written again (a genesis load cut short), the file holds the alloc.
    if (!withAlloc) spec.allocSource = new FileAllocSource(stored);
    checkAgainstStored(config, spec, devAddresses);
    return { spec, existing: true };
  }
  let spec: GenesisSpec;
  if (config.genesisFile !== undefined) {
    spec = storedGenesisHeader(config.genesisFile);
    spec.allocSource = new FileAllocSource(config.genesisFile);
    // Dev accounts are funded, so eth_sendTransaction works out of the box (the file's entry for one wins).
    for (const a of devAddresses) {
      spec.alloc.set(a, { balance: config.balance, nonce: 0n, code: new Uint8Array(0), storage: new Map() });
    }
  } else {
    spec = devGenesis({
      chainId: config.chainId,
      accounts: devAddresses,
      balance: config.balance,
      timestamp: config.timestamp ?? now(),
      gasLimit: config.gasLimit,
      baseFeePerGas: config.baseFee,
    });
  }
  addCreate2Deployer(spec);
  return { spec, existing: false };
}

/**
 * Records the genesis of a new chain (write-then-rename: a crash leaves the old state or the whole
 * file): a --genesis file is copied as it is, after its additions; a genesis built from flags is written out.
 */
export function storeGenesis(datadir: string, spec: GenesisSpec): void {
  mkdirSync(datadir, { recursive: true });
  const path = join(datadir, GENESIS_FILE);
  const tmp = `${path}.${process.pid}.tmp`;
  if (spec.allocSource instanceof FileAllocSource) {
    storeGenesisAdditions(datadir, spec);
    copyFileSync(spec.allocSource.path, tmp);
  } else writeFileSync(tmp, `${JSON.stringify(genesisToJson(spec), null, 2)}\n`);
  renameSync(tmp, path);
}

/**
 * storeGenesis of a --genesis file, its copy started at once on libuv's threads (`finish` completes
 * it): a copy of hundreds of MB then runs while the load reads the same file, not after it.
 */
export class GenesisFileCopy {
  private readonly tmp: string;
  private readonly copied: Promise<void>;

  constructor(
    private readonly datadir: string,
    private readonly spec: GenesisSpec & { allocSource: FileAllocSource },
  ) {
    mkdirSync(datadir, { recursive: true });
    // A copy a killed load left behind (the datadir's lock is held: no other process writes here).
    for (const name of readdirSync(datadir)) {
      if (name.startsWith(`${GENESIS_FILE}.`) && name.endsWith(".tmp")) rmSync(join(datadir, name), { force: true });
    }
    this.tmp = join(datadir, `${GENESIS_FILE}.${process.pid}.tmp`);
    this.copied = copyFile(spec.allocSource.path, this.tmp);
    // Awaited by `finish` or `discard`; unobserved until then.
    this.copied.catch(() => undefined);
  }

  /** After the load: as storeGenesis (additions first, then the file renamed into place). */
  async finish(): Promise<void> {
    await this.copied;
    storeGenesisAdditions(this.datadir, this.spec);
    renameSync(this.tmp, join(this.datadir, GENESIS_FILE));
  }

  /** The load failed: no genesis.json is left. */
  async discard(): Promise<void> {
    await this.copied.catch(() => undefined);
    rmSync(this.tmp, { force: true });
  }
}

/** Writes genesis-additions.json: `spec`'s top level and its `alloc` (the additions to a genesis file's). */
export function storeGenesisAdditions(datadir: string, spec: GenesisSpec): void {
  const path = join(datadir, GENESIS_ADDITIONS_FILE);
  writeFileSync(`${path}.${process.pid}.tmp`, `${JSON.stringify(genesisToJson(spec), null, 2)}\n`);
  renameSync(`${path}.${process.pid}.tmp`, path);
}

/** The genesis in the file at `path` without its allocation (`allocOmitted`), read without parsing the alloc. */
function storedGenesisHeader(path: string): GenesisSpec {
  const header = genesisWithoutAlloc(path);
  let json: unknown;
  try {
    json = JSON.parse(header);
  } catch (e) {
    throw new Error(`genesis file ${path} is not JSON: ${(e as Error).message}`);
  }
  return { ...parseGenesis(json), allocOmitted: true };
}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new Error(`cannot read genesis file ${path}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`genesis file ${path} is not JSON: ${(e as Error).message}`);
  }
}

function checkAgainstStored(
  config: NodeConfig & { datadir: string },
  spec: GenesisSpec,
  devAddresses: readonly bigint[],
): void {
  const where = `${config.datadir} holds a chain`;
  const fix = "use another --datadir, or leave the flag out";
  if (config.genesisFile !== undefined) {
    const given = genesisToJson(parseGenesis(readJson(config.genesisFile)));
    const mine = genesisToJson(spec);
    // The stored genesis may fund dev accounts the file does not name: compare what the file says.
    const sameTop = JSON.stringify({ ...given, alloc: undefined }) === JSON.stringify({ ...mine, alloc: undefined });
    const allocOk = Object.entries(given.alloc as Record<string, unknown>).every(
      ([k, v]) => JSON.stringify((mine.alloc as Record<string, unknown>)[k]) === JSON.stringify(v),
    );
    if (!sameTop || !allocOk) throw new Error(`${where} made from another genesis than ${config.genesisFile}; ${fix}`);
  }
  const differs = (flag: string, given: bigint, stored: bigint) => {
    if (given !== stored) throw new Error(`${where} with ${flag} ${stored}, not ${given}; ${fix}`);
  };
  if (config.given.has("chain-id")) differs("--chain-id", config.chainId, spec.chainId);
  if (config.given.has("gas-limit")) differs("--gas-limit", config.gasLimit, spec.gasLimit);
  if (config.given.has("base-fee")) differs("--base-fee (genesis)", config.baseFee, spec.baseFeePerGas);
  if (config.given.has("timestamp") && config.timestamp !== undefined) {
    differs("--timestamp", config.timestamp, spec.timestamp);
  }
  if (config.given.has("balance") && devAddresses.length > 0) {
    const first = spec.alloc.get(devAddresses[0]!);
    if (first !== undefined) differs("--balance (wei, at genesis)", config.balance, first.balance);
  }
}
