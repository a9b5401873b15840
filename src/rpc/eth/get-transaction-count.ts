import { stateFor } from "../block-ref.js";
import type { RpcContext } from "../context.js";
import { expectParams, parseAddress, parseBlockRef, quantity } from "../hex-codec.js";
import { poolNonce } from "./pool-nonce.js";

/** eth_getTransactionCount(address, block): the account's nonce; "pending" counts pooled transactions too. */
export function ethGetTransactionCount(params: readonly unknown[], ctx: RpcContext): string {
  expectParams(params, 1, 2);
  const address = parseAddress(params[0], "address");
  const ref = parseBlockRef(params[1]);
  if (ref.kind === "tag" && ref.tag === "pending") return quantity(poolNonce(ctx, address));
  return quantity(stateFor(ctx, ref).account(address)?.nonce ?? 0n);
}
