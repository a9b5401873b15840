import type { SignedTransaction } from "../../chain/types.js";
import type { RpcContext } from "../context.js";
import { METHOD_NOT_FOUND, RpcError } from "../errors.js";
import { address } from "../hex-codec.js";

export interface PoolContent {
  pending: Map<bigint, SignedTransaction[]>;
  queued: Map<bigint, SignedTransaction[]>;
}

/** The pool's transactions by sender, pending and queued apart; an error where the pool cannot list them. */
export function poolContent(ctx: RpcContext, method: string): PoolContent {
  if (ctx.pool.content === undefined) throw new RpcError(METHOD_NOT_FOUND, `${method} is not available on this node`);
  return ctx.pool.content();
}

/** `{ sender: { nonce: format(tx) } }`, as geth and anvil key them: lowercase address, decimal nonce. */
export function bySenderAndNonce<T>(
  txs: Map<bigint, SignedTransaction[]>,
  format: (tx: SignedTransaction) => T,
): Record<string, Record<string, T>> {
  const out: Record<string, Record<string, T>> = {};
  for (const [sender, list] of txs) out[address(sender)] = byNonce(list, format);
  return out;
}

/** `{ nonce: format(tx) }` for one sender's transactions. */
export function byNonce<T>(
  list: readonly SignedTransaction[],
  format: (tx: SignedTransaction) => T,
): Record<string, T> {
  const out: Record<string, T> = {};
  for (const tx of list) out[tx.nonce.toString()] = format(tx);
  return out;
}
