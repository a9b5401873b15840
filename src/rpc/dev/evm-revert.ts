import type { RpcContext } from "../context.js";
import { expectParams, parseQuantity } from "../hex-codec.js";
import { devControl } from "./control.js";

/** evm_revert: back to a snapshot; true if it existed. The id and every later one are used up. */
export async function evmRevert(params: readonly unknown[], ctx: RpcContext): Promise<boolean> {
  expectParams(params, 1);
  return await devControl(ctx).revert(parseQuantity(params[0], "snapshot id"));
}
