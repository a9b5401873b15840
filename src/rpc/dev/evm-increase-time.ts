import type { RpcContext } from "../context.js";
import { expectParams, parseQuantity } from "../hex-codec.js";
import { devControl } from "./control.js";

/** evm_increaseTime: moves the next blocks' clock forward; returns the total offset in seconds (a number, as anvil). */
export function evmIncreaseTime(params: readonly unknown[], ctx: RpcContext): number {
  expectParams(params, 1);
  const offset = devControl(ctx).increaseTime(parseQuantity(params[0], "seconds", BigInt(Number.MAX_SAFE_INTEGER)));
  return Number(offset);
}
