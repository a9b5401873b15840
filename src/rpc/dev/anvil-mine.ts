import type { RpcContext } from "../context.js";
import { expectParams, parseIndex, parseQuantity } from "../hex-codec.js";
import { devControl, type MineRequest } from "./control.js";

/** anvil_mine / hardhat_mine: mines `blocks` blocks (default 1), `interval` seconds apart (default: the clock's). */
export async function anvilMine(params: readonly unknown[], ctx: RpcContext): Promise<null> {
  expectParams(params, 0, 2);
  const request: MineRequest = {};
  if (params[0] !== undefined && params[0] !== null) request.blocks = parseIndex(params[0], "blocks");
  if (params[1] !== undefined && params[1] !== null) request.interval = parseQuantity(params[1], "interval");
  await devControl(ctx).mine(request);
  return null;
}
