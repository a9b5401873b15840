// Writes a kept-chain datadir holding N token holders straight into LMDB (no JSON parsed): the chain's
// genesis.json (streamed out, as `weft node --genesis` would have stored it), dev-accounts.json, and
// the chain store with the state, its trie and block 0, so that `weft node --datadir` resumes it.
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { ChainStore } from "../../chain/chain-store.js";
import { type DevAccount, devAccounts } from "../../chain/dev-accounts.js";
import { type GenesisSpec, genesisHeader } from "../../chain/genesis.js";
import { hashHeader } from "../../chain/header.js";
import { defaultConfig, type NodeConfig } from "../../node/config.js";
import { devAccountsRecord, storeDevAccountsRecord } from "../../node/dev-accounts-record.js";
import { GENESIS_FILE, genesisToJson, resolveGenesis } from "../../node/genesis-file.js";
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
      genesisFile.account(address, a.nonce, a.balance, a.code, a.storage);
    }
    let supply = 0n;
    const tokenStorage = new Map<bigint, bigint>();
    for (let i = 0; i < holders; i++) {
      const holder = holderAddress(i);
      loader.addAccount(holder, { nonce: 0n, balance: HOLDER_ETHER }, []);
      genesisFile.account(holder, 0n, HOLDER_ETHER, new Uint8Array(0), new Map());
      tokenStorage.set(balanceSlot(holder), HOLDER_TOKENS);
      supply += HOLDER_TOKENS;
    }
    tokenStorage.set(2n, supply); // _totalSupply
    loader.addAccount(TOKEN_ADDRESS, { nonce: 1n, balance: 0n, code }, tokenStorage);
    genesisFile.account(TOKEN_ADDRESS, 1n, 0n, code, tokenStorage);
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
    storeDevAccountsRecord(dir, devAccountsRecord(config));
    return { stateRoot, seconds: (performance.now() - started) / 1000 };
  } finally {
    await lmdb.close();
  }
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

  account(address: bigint, nonce: bigint, balance: bigint, code: Uint8Array, storage: ReadonlyMap<bigint, bigint>) {
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
