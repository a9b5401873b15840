import type { RpcContext } from "../context.js";
import { expectParams, parseQuantity } from "../hex-codec.js";
import { devControl } from "./control.js";

/** evm_setNextBlockTimestamp: the next block's timestamp (above the head's); the clock runs on from it. */
export function evmSetNextBlockTimestamp(params: readonly unknown[], ctx: RpcContext): null {
  expectParams(params, 1);
  devControl(ctx).setNextBlockTimestamp(parseQuantity(params[0], "timestamp", (1n << 63n) - 1n));
  return null;
}
