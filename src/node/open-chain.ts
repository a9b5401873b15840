// Which chain a node runs on. As anvil, a fresh one by default: in a temporary folder of its own,
// removed when the node stops, so every start deploys to the same addresses. With --datadir the
// chain is kept there and resumed on the next start, with the genesis and dev accounts it was made
// with (genesis-file.ts, dev-accounts-record.ts). A state file (--load-state, --state) is loaded
// on top, as anvil_loadState would.
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { Chain } from "../chain/chain.js";
import { type DevAccount, devAccounts } from "../chain/dev-accounts.js";
import type { ForkRequest } from "../chain/fork.js";
import { collectGarbage } from "./collect-garbage.js";
import type { NodeConfig } from "./config.js";
import { DatadirLock } from "./datadir-lock.js";
import {
  applyDevAccountsRecord,
  checkUnrecordedDevAccounts,
  devAccountsRecord,
  readDevAccountsRecord,
  storeDevAccountsRecord,
} from "./dev-accounts-record.js";
import { forkRequest } from "./fork-start.js";
import { FileAllocSource, GenesisFileCopy, resolveGenesis, storeGenesis } from "./genesis-file.js";
import { readStateFile } from "./state-file.js";

export interface OpenedChain {
  chain: Chain;
  /** The settings in force: a kept chain's recorded dev accounts where the flags left them out. */
  config: NodeConfig & { datadir: string };
  accounts: DevAccount[];
  /** True for the temporary folder of a fresh chain, which `release` removes. */
  temporary: boolean;
  /** Releases the datadir (after the chain is closed): its lock, and a temporary folder itself. */
  release(): void;
}

export async function openChain(given: NodeConfig, now: () => bigint): Promise<OpenedChain> {
  const temporary = given.datadir === undefined;
  const datadir = given.datadir ?? mkdtempSync(join(tmpdir(), "weft-chain-"));
  const removeTemporary = () => {
    if (temporary) rmSync(datadir, { recursive: true, force: true });
  };
  // One process per datadir, for the node's whole life: taken before anything in it is read or written.
  let lock: DatadirLock;
  try {
    lock = DatadirLock.acquire(datadir);
  } catch (error) {
    removeTemporary();
    throw error;
  }
  const release = () => {
    lock.release();
    removeTemporary();
  };
  let chain: Chain | undefined;
  let fork: ForkRequest | undefined;
  let copying: GenesisFileCopy | undefined;
  try {
    const record = readDevAccountsRecord(datadir);
    const config = record === undefined ? { ...given, datadir } : applyDevAccountsRecord({ ...given, datadir }, record);
    const accounts = devAccounts(config.mnemonic, config.accounts, config.derivationPath);
    const devAddresses = accounts.map((a) => a.address);
    fork = forkRequest(config, datadir);
    // A kept chain's accounts are in its store: genesis.json's allocation is read only where a check
    // needs it (no dev-accounts record to check against, or a fork, whose reset funds them again).
    const storedAlloc = record === undefined || config.fork !== undefined;
    const genesis = resolveGenesis(config, [...devAddresses, ...config.fundAtGenesis], now, { storedAlloc });
    if (genesis.existing && record === undefined) checkUnrecordedDevAccounts(datadir, genesis.spec, devAddresses);
    // Recorded before the chain exists: a crash in between leaves a genesis.json the restart reuses.
    // A --genesis file is copied once its state is in: a bad entry found on the way leaves no
    // genesis.json, and the next start discards the cut-short load (the file is read the same again).
    const storeAfter = !genesis.existing && genesis.spec.allocSource !== undefined;
    if (!genesis.existing && !storeAfter) storeGenesis(datadir, genesis.spec);
    if (record === undefined && !storeAfter) storeDevAccountsRecord(datadir, devAccountsRecord(config));
    const { allocSource } = genesis.spec;
    if (storeAfter && allocSource instanceof FileAllocSource) {
      copying = new GenesisFileCopy(datadir, { ...genesis.spec, allocSource });
    }
    chain = await Chain.open({
      datadir,
      genesis: genesis.spec,
      // A fork's state reads may go upstream, which only the main thread's client does: one thread.
      // Block-STM pays on threads (it falls back to sequential by itself where a block does not): one per core.
      threads: fork === undefined ? (config.threads ?? availableParallelism()) : 1,
      resume: genesis.existing,
      // Block roots beside the main thread's work (a forked chain's stay on it: Chain.open).
      stateRootWorker: true,
      ...(fork === undefined ? {} : { fork }),
      ...(config.stateCacheMb === undefined ? {} : { stateCacheBytes: config.stateCacheMb * 2 ** 20 }),
      log: (line) => console.error(line),
    });
    if (storeAfter) {
      if (copying !== undefined) await copying.finish();
      else storeGenesis(datadir, genesis.spec);
      if (record === undefined) storeDevAccountsRecord(datadir, devAccountsRecord(config));
      // What the load no longer needs goes now, not at a major collection a node at rest may never reach.
      collectGarbage();
    }
    if (config.loadStateFile !== undefined) await loadStateFile(chain, config.loadStateFile);
    return { chain, config, accounts, temporary, release };
  } catch (error) {
    await copying?.discard();
    await (chain?.close() ?? fork?.client.close());
    release();
    throw error;
  }
}

async function loadStateFile(chain: Chain, path: string): Promise<void> {
  try {
    await chain.loadState(readStateFile(path));
  } catch (error) {
    const message = (error as Error).message;
    // The decoder's messages start "state dump: ..."; say which file.
    throw new Error(message.startsWith("state dump:") ? `${path}: ${message}` : message);
  }
}
