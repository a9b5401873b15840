import type { RpcContext } from "../context.js";
import { expectParams, parseQuantity } from "../hex-codec.js";
import { devControl } from "./control.js";

/**
 * anvil_setBlockTimestampInterval(seconds): each later block's timestamp is its parent's plus
 * `seconds` (evm_setNextBlockTimestamp still wins for one block). 0 is -32602: Weft's timestamps
 * strictly increase (anvil would repeat the parent's).
 */
export function anvilSetBlockTimestampInterval(params: readonly unknown[], ctx: RpcContext): null {
  expectParams(params, 1);
  const seconds = parseQuantity(params[0], "seconds", BigInt(Number.MAX_SAFE_INTEGER));
  devControl(ctx).setBlockTimestampInterval(seconds);
  return null;
}
