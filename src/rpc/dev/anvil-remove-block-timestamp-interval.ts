import type { RpcContext } from "../context.js";
import { expectParams } from "../hex-codec.js";
import { devControl } from "./control.js";

/** anvil_removeBlockTimestampInterval: timestamps follow the clock again; true, as anvil (set or not). */
export function anvilRemoveBlockTimestampInterval(params: readonly unknown[], ctx: RpcContext): boolean {
  expectParams(params, 0);
  devControl(ctx).setBlockTimestampInterval(undefined);
  return true;
}
