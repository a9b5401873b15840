import type { RpcContext } from "../context.js";
import type { CallInfo } from "../handler.js";
import { expectParams, parseIndex, parseQuantity } from "../hex-codec.js";
import { devControl, type MineRequest } from "./control.js";
import { mineBlocks } from "./mine-blocks.js";

/**
 * anvil_mine / hardhat_mine: mines `blocks` blocks (default 1), `interval` seconds apart (default: the
 * clock's); one at a time, stopping if the client goes away (mine-blocks.ts).
 */
export async function anvilMine(params: readonly unknown[], ctx: RpcContext, call: CallInfo = {}): Promise<null> {
  expectParams(params, 0, 2);
  const request: MineRequest = {};
  if (params[0] !== undefined && params[0] !== null) request.blocks = parseIndex(params[0], "blocks");
  if (params[1] !== undefined && params[1] !== null) request.interval = parseQuantity(params[1], "interval");
  await mineBlocks(devControl(ctx), request, call.signal);
  return null;
}
