import type { RpcContext } from "../context.js";
import { expectParams, hash, quantity } from "../hex-codec.js";
import { devControl } from "./control.js";

/**
 * anvil_metadata / hardhat_metadata: the client, chain id, an instance id (random; the same until
 * anvil_reset, which draws a new one, as anvil and hardhat do), the head, no forked network, and the
 * live snapshots as anvil lists them (id -> [block number, block hash]).
 */
export function anvilMetadata(params: readonly unknown[], ctx: RpcContext): Record<string, unknown> {
  expectParams(params, 0);
  const miner = devControl(ctx);
  const head = ctx.chain.head();
  const semver = /\/v?([^/]+)$/.exec(ctx.config.clientVersion)?.[1];
  const snapshots: Record<string, [number, string]> = {};
  for (const s of miner.snapshotHeads()) snapshots[quantity(s.id)] = [Number(s.number), hash(s.hash)];
  return {
    clientVersion: ctx.config.clientVersion,
    ...(semver === undefined ? {} : { clientSemver: semver }),
    chainId: Number(ctx.chain.chainId),
    instanceId: hash(miner.instanceId),
    latestBlockNumber: Number(head.header.number),
    latestBlockHash: hash(head.hash),
    forkedNetwork: null,
    snapshots,
  };
}
