import { stateFor } from "../block-ref.js";
import type { RpcContext } from "../context.js";
import { expectParams, parseAddress, parseBlockRef, quantity } from "../hex-codec.js";

/** eth_getBalance(address, block): the account's balance in wei after `block`. */
export function ethGetBalance(params: readonly unknown[], ctx: RpcContext): string {
  expectParams(params, 1, 2);
  const address = parseAddress(params[0], "address");
  const state = stateFor(ctx, parseBlockRef(params[1]));
  return quantity(state.account(address)?.balance ?? 0n);
}
