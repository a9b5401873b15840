import type { RpcContext } from "../context.js";
import { address, expectParams } from "../hex-codec.js";

/** eth_accounts: the dev accounts the node holds keys for. */
export function ethAccounts(params: readonly unknown[], ctx: RpcContext): string[] {
  expectParams(params, 0);
  return ctx.accounts.map((a) => address(a.address));
}
