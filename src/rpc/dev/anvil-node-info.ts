import { nextTimestamp } from "../block-ref.js";
import type { RpcContext } from "../context.js";
import { suggestedTip } from "../eth/max-priority-fee-per-gas.js";
import { expectParams, hash, quantity } from "../hex-codec.js";
import { devControl } from "./control.js";

/** How blocks are produced (a Weft field: anvil's nodeInfo does not say). */
export type MiningModeName = "auto" | "interval" | "manual";

/**
 * anvil_nodeInfo: the head, the hard fork, and the next block's environment, in anvil's shape
 * (block number and environment quantities as hex, timestamp and chain id as numbers); Weft never
 * forks, so forkConfig is all null. Adds `miningMode`, which anvil's has not.
 */
export function anvilNodeInfo(params: readonly unknown[], ctx: RpcContext): Record<string, unknown> {
  expectParams(params, 0);
  const miner = devControl(ctx);
  const head = ctx.chain.head();
  const env = ctx.chain.nextBlockEnv(nextTimestamp(ctx, head));
  const miningMode: MiningModeName = miner.automine ? "auto" : miner.intervalMs !== undefined ? "interval" : "manual";
  return {
    currentBlockNumber: quantity(head.header.number),
    currentBlockTimestamp: Number(head.header.timestamp),
    currentBlockHash: hash(head.hash),
    hardFork: "Cancun",
    transactionOrder: "fees",
    environment: {
      baseFee: quantity(env.baseFee),
      chainId: Number(ctx.chain.chainId),
      gasLimit: quantity(env.gasLimit),
      gasPrice: quantity(env.baseFee + suggestedTip(ctx)),
    },
    forkConfig: { forkUrl: null, forkBlockNumber: null, forkRetryBackoff: null },
    miningMode,
  };
}
