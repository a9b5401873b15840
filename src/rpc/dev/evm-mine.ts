import type { RpcContext } from "../context.js";
import type { CallInfo } from "../handler.js";
import { expectParams, parseIndex, parseObject, parseQuantity } from "../hex-codec.js";
import { devControl, type MineRequest } from "./control.js";
import { mineBlocks } from "./mine-blocks.js";

/**
 * evm_mine: mines one block with the pending transactions; optional parameter: its timestamp, or
 * anvil's `{ timestamp?, blocks? }` (mined as anvil_mine's, mine-blocks.ts). Returns "0x0" as anvil and
 * hardhat do.
 */
export async function evmMine(params: readonly unknown[], ctx: RpcContext, call: CallInfo = {}): Promise<string> {
  expectParams(params, 0, 1);
  const arg = params[0];
  const request: MineRequest = {};
  if (arg !== undefined && arg !== null) {
    if (typeof arg === "object") {
      const o = parseObject(arg, "options");
      if (o.timestamp !== undefined && o.timestamp !== null)
        request.timestamp = parseQuantity(o.timestamp, "timestamp");
      if (o.blocks !== undefined && o.blocks !== null) request.blocks = parseIndex(o.blocks, "blocks");
    } else {
      request.timestamp = parseQuantity(arg, "timestamp");
    }
  }
  await mineBlocks(devControl(ctx), request, call.signal);
  return "0x0";
}
