import type { RpcContext } from "../context.js";
import { expectParams, parseBool } from "../hex-codec.js";

/** anvil_autoImpersonateAccount(enabled): eth_sendTransaction from any address without its key, while on. */
export function anvilAutoImpersonateAccount(params: readonly unknown[], ctx: RpcContext): null {
  expectParams(params, 1);
  ctx.autoImpersonate = parseBool(params[0], "enabled");
  return null;
}
