// Writes a kept-chain datadir holding N token holders straight into LMDB (no JSON parsed): the chain's
// genesis.json (streamed out) and genesis-additions.json as `weft node --genesis` stores them,
// dev-accounts.json, and the chain store with the state, its trie and block 0, so that
// `weft node --datadir` resumes it. Also the geth-style genesis.json alone, for `--vs-anvil`.
import { closeSync, mkdirSync, openSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { ChainStore } from "../../chain/chain-store.js";
import { type DevAccount, devAccounts } from "../../chain/dev-accounts.js";
import { devGenesis, type GenesisAccount, type GenesisSpec, genesisHeader } from "../../chain/genesis.js";
import { hashHeader } from "../../chain/header.js";
import { defaultConfig, type NodeConfig } from "../../node/config.js";
import { devAccountsRecord, storeDevAccountsRecord } from "../../node/dev-accounts-record.js";
import { GENESIS_FILE, genesisToJson, resolveGenesis, storeGenesisAdditions } from "../../node/genesis-file.js";
import { addressToHex, bigintToHex, bytesToHex } from "../../primitives/hex.js";
import { LmdbState } from "../../state/lmdb-state.js";
import { StateBulkLoader } from "../../state/trie/bulk-load.js";
import { balanceSlot, HOLDER_ETHER, HOLDER_TOKENS, holderAddress, TOKEN_ADDRESS } from "./holders.js";

export interface WrittenDatadir {
  stateRoot: bigint;
  seconds: number;
}

/** Accounts per flat-state write batch (bounds the writer's memory). */
const BATCH = 50_000;

/** Writes the datadir `dir` (a new folder) with `holders` holders and the token; `code` is the token's. */
export async function writeStateDatadir(dir: string, holders: number, code: Uint8Array): Promise<WrittenDatadir> {
  const started = performance.now();
  mkdirSync(dir, { recursive: true });
  const config: NodeConfig & { datadir: string } = { ...defaultConfig(), datadir: dir };
  const devs: DevAccount[] = devAccounts(config.mnemonic, config.accounts, config.derivationPath);
  const spec = resolveGenesis(config, [...devs.map((d) => d.address)], () =>
    BigInt(Math.floor(Date.now() / 1000)),
  ).spec;
  const genesisFile = new GenesisFileWriter(join(dir, GENESIS_FILE), spec);
  const lmdb = LmdbState.open(join(dir, "chain"));
  try {
    const loader = new StateBulkLoader(lmdb, { writeFlatState: true, batch: BATCH });
    for (const [address, a] of spec.alloc) {
      loader.addAccount(address, { nonce: a.nonce, balance: a.balance, code: a.code }, a.storage);
      genesisFile.account(address, a);
    }
    forEachBenchAccount(holders, code, (address, account) => {
      loader.addAccount(address, account, account.storage);
      genesisFile.account(address, account);
    });
    genesisFile.close();
    const stateRoot = loader.finish();
    const header = genesisHeader(spec, stateRoot);
    const genesis = { header, hash: hashHeader(header), transactions: [] };
    const store = new ChainStore(lmdb);
    await lmdb.commit(new Map(), undefined, () => {
      store.putGenesis(genesis.hash, spec.chainId);
      store.putBlock(genesis, []);
      return { number: 0n, hash: genesis.hash, stateRoot };
    });
    storeGenesisAdditions(dir, spec);
    storeDevAccountsRecord(dir, devAccountsRecord(config));
    return { stateRoot, seconds: (performance.now() - started) / 1000 };
  } finally {
    await lmdb.close();
  }
}

/**
 * Writes a geth-style genesis.json of `holders` holders and the token (chain id 31337, as anvil's),
 * as `weft node --genesis` and `anvil --init` read it; returns its size in bytes.
 */
export function writeBenchGenesisFile(path: string, holders: number, code: Uint8Array): number {
  const spec = devGenesis({ chainId: 31337n, accounts: [], balance: 0n, timestamp: 0n });
  const file = new GenesisFileWriter(path, spec);
  forEachBenchAccount(holders, code, (address, account) => file.account(address, account));
  file.close();
  return statSync(path).size;
}

/** The benchmark's accounts: the holders, each with ether, then the token holding their balances. */
function forEachBenchAccount(
  holders: number,
  code: Uint8Array,
  visit: (address: bigint, account: GenesisAccount) => void,
): void {
  let supply = 0n;
  const tokenStorage = new Map<bigint, bigint>();
  const none = new Uint8Array(0);
  for (let i = 0; i < holders; i++) {
    const holder = holderAddress(i);
    visit(holder, { nonce: 0n, balance: HOLDER_ETHER, code: none, storage: new Map() });
    tokenStorage.set(balanceSlot(holder), HOLDER_TOKENS);
    supply += HOLDER_TOKENS;
  }
  tokenStorage.set(2n, supply); // _totalSupply
  visit(TOKEN_ADDRESS, { nonce: 1n, balance: 0n, code, storage: tokenStorage });
}

/** genesis.json written an account at a time (a million accounts make a file of hundreds of MB). */
class GenesisFileWriter {
  private readonly fd: number;
  private first = true;
  private chunk = "";

  constructor(path: string, spec: GenesisSpec) {
    this.fd = openSync(path, "w");
    const head = JSON.stringify({ ...genesisToJson({ ...spec, alloc: new Map() }), alloc: undefined });
    this.chunk = `${head.slice(0, -1)},"alloc":{`;
  }

  account(address: bigint, { nonce, balance, code, storage }: GenesisAccount) {
    let entry = `${this.first ? "" : ","}"${addressToHex(address)}":{"balance":"${bigintToHex(balance)}"`;
    this.first = false;
    if (nonce !== 0n) entry += `,"nonce":"${bigintToHex(nonce)}"`;
    if (code.length > 0) entry += `,"code":"${bytesToHex(code)}"`;
    if (storage.size > 0) {
      entry += `,"storage":{`;
      let firstSlot = true;
      for (const [slot, value] of storage) {
        entry += `${firstSlot ? "" : ","}"${word(slot)}":"${word(value)}"`;
        firstSlot = false;
        if (entry.length > 1 << 20) {
          this.write(entry);
          entry = "";
        }
      }
      entry += "}";
    }
    this.write(`${entry}}`);
  }

  close(): void {
    this.write("}}\n");
    this.flush();
    closeSync(this.fd);
  }

  private write(text: string): void {
    this.chunk += text;
    if (this.chunk.length > 1 << 20) this.flush();
  }

  private flush(): void {
    writeSync(this.fd, this.chunk);
    this.chunk = "";
  }
}

function word(value: bigint): string {
  return `0x${value.toString(16).padStart(64, "0")}`;
}
