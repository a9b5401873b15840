import type { RpcContext } from "../context.js";
import { expectParams, parseAddress } from "../hex-codec.js";

/** anvil_stopImpersonatingAccount / hardhat_stopImpersonatingAccount. */
export function anvilStopImpersonatingAccount(params: readonly unknown[], ctx: RpcContext): null {
  expectParams(params, 1);
  ctx.impersonated.delete(parseAddress(params[0], "address"));
  return null;
}
