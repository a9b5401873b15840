import type { RpcContext } from "../context.js";
import { expectParams, parseAddress } from "../hex-codec.js";

/** anvil_impersonateAccount / hardhat_impersonateAccount: eth_sendTransaction from `address` without its key. */
export function anvilImpersonateAccount(params: readonly unknown[], ctx: RpcContext): null {
  expectParams(params, 1);
  ctx.impersonated.add(parseAddress(params[0], "address"));
  return null;
}
