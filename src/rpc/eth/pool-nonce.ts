import type { RpcContext } from "../context.js";

/** The nonce `address`'s next transaction needs: the head's nonce, past any executable pooled ones. */
export function poolNonce(ctx: RpcContext, address: bigint): bigint {
  if (ctx.pool.nonce !== undefined) return ctx.pool.nonce(address);
  let next = ctx.chain.state().account(address)?.nonce ?? 0n;
  // pending() holds each sender's transactions in nonce order, without gaps.
  for (const tx of ctx.pool.pending()) if (tx.sender === address && tx.nonce === next) next++;
  return next;
}
