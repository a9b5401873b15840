import type { RpcContext } from "../context.js";
import { invalidParams } from "../errors.js";
import { expectParams, parseObject } from "../hex-codec.js";
import { devControl } from "./control.js";

/**
 * anvil_reset / hardhat_reset, without forking: back to block 0 and the genesis state of the node's
 * config (every later block, transaction and dev edit undone, durably, as evm_revert undoes them),
 * with the pool, every snapshot and every installed filter dropped, and a new instance id. Settings
 * stay as anvil keeps them (mining mode, clock, coinbase, gas limit, impersonation). A `forking`
 * option is -32602: Weft does not fork a remote chain.
 */
export async function anvilReset(params: readonly unknown[], ctx: RpcContext): Promise<null> {
  expectParams(params, 0, 1);
  if (params[0] !== undefined && params[0] !== null) {
    const options = parseObject(params[0], "options");
    if (options.forking !== undefined && options.forking !== null) {
      throw invalidParams(
        "anvil_reset: forking is unsupported (Weft does not fork a remote chain); call it without `forking` to reset to genesis",
      );
    }
    const unknown = Object.keys(options).filter((key) => key !== "forking");
    if (unknown.length > 0) throw invalidParams(`anvil_reset: unsupported option(s) ${unknown.join(", ")}`);
  }
  await devControl(ctx).reset();
  ctx.filters.close();
  return null;
}
