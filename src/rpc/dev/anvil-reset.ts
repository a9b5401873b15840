import type { RpcContext } from "../context.js";
import { invalidParams } from "../errors.js";
import { expectParams, parseObject, parseQuantity } from "../hex-codec.js";
import { devControl } from "./control.js";

/**
 * anvil_reset / hardhat_reset: back to the first block (0, or a fork's block) and its state (every
 * later block, transaction and dev edit undone, durably, as evm_revert undoes them), with the pool,
 * every snapshot and every installed filter dropped, and a new instance id. Settings stay as anvil
 * keeps them (mining mode, clock, coinbase, gas limit, impersonation). `forking: {jsonRpcUrl,
 * blockNumber}` (on a node started with --fork-url) then forks again: that upstream (default: the
 * same) at that block (default: its latest).
 */
export async function anvilReset(params: readonly unknown[], ctx: RpcContext): Promise<null> {
  expectParams(params, 0, 1);
  let forking: { url?: string; blockNumber?: bigint } | undefined;
  if (params[0] !== undefined && params[0] !== null) {
    const options = parseObject(params[0], "options");
    const unknown = Object.keys(options).filter((key) => key !== "forking");
    if (unknown.length > 0) throw invalidParams(`anvil_reset: unsupported option(s) ${unknown.join(", ")}`);
    if (options.forking !== undefined && options.forking !== null) forking = forkingOf(options.forking);
  }
  await devControl(ctx).reset(forking);
  ctx.filters.close();
  return null;
}

function forkingOf(value: unknown): { url?: string; blockNumber?: bigint } {
  const o = parseObject(value, "forking");
  const unknown = Object.keys(o).filter((key) => key !== "jsonRpcUrl" && key !== "blockNumber");
  if (unknown.length > 0) throw invalidParams(`anvil_reset: unsupported forking option(s) ${unknown.join(", ")}`);
  const forking: { url?: string; blockNumber?: bigint } = {};
  if (o.jsonRpcUrl !== undefined && o.jsonRpcUrl !== null) {
    if (typeof o.jsonRpcUrl !== "string" || !/^https?:\/\//.test(o.jsonRpcUrl)) {
      throw invalidParams("forking.jsonRpcUrl: expected an http:// or https:// URL");
    }
    forking.url = o.jsonRpcUrl;
  }
  if (o.blockNumber !== undefined && o.blockNumber !== null) {
    forking.blockNumber = parseQuantity(o.blockNumber, "forking.blockNumber", (1n << 63n) - 1n);
  }
  return forking;
}
