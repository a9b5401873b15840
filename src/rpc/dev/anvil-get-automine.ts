import type { RpcContext } from "../context.js";
import { expectParams } from "../hex-codec.js";
import { devControl } from "./control.js";

/** anvil_getAutomine / hardhat_getAutomine. */
export function anvilGetAutomine(params: readonly unknown[], ctx: RpcContext): boolean {
  expectParams(params, 0);
  return devControl(ctx).automine;
}
