// What `--fork-url` asks of the chain: a client of the upstream and the block to fork at. A new
// chain takes the upstream's chain id unless --chain-id names one (a kept chain has its own in its
// genesis.json); asking for it is also the start's check that the upstream answers.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { type ForkRequest, upstreamChainId } from "../chain/fork.js";
import { UpstreamClient } from "../state/fork/upstream-client.js";
import type { NodeConfig } from "./config.js";
import { GENESIS_FILE } from "./genesis-file.js";

/** The fork request of `config` (undefined without --fork-url); sets `config.chainId` for a new forked chain. */
export function forkRequest(config: NodeConfig, datadir: string): ForkRequest | undefined {
  if (config.fork === undefined) return undefined;
  const client = new UpstreamClient(config.fork.url);
  try {
    if (!config.given.has("chain-id") && !existsSync(join(datadir, GENESIS_FILE))) {
      config.chainId = upstreamChainId(client);
    }
  } catch (error) {
    void client.close();
    throw error;
  }
  return config.fork.blockNumber === undefined ? { client } : { client, blockNumber: config.fork.blockNumber };
}
