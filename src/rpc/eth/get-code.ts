import { stateFor } from "../block-ref.js";
import type { RpcContext } from "../context.js";
import { data, expectParams, parseAddress, parseBlockRef } from "../hex-codec.js";

/** eth_getCode(address, block): the account's code ("0x" for none). */
export function ethGetCode(params: readonly unknown[], ctx: RpcContext): string {
  expectParams(params, 1, 2);
  const address = parseAddress(params[0], "address");
  return data(stateFor(ctx, parseBlockRef(params[1])).code(address));
}
