import type { SignedTransaction } from "../../chain/types.js";
import type { RpcContext } from "../context.js";
import { address, expectParams } from "../hex-codec.js";
import { bySenderAndNonce, poolContent } from "./pool-content.js";

/**
 * txpool_inspect: every pooled transaction as one line, keyed by sender then nonce, in geth's and
 * anvil's words: "0xto: 1000 wei + 21000 gas × 2000000000 wei" ("contract creation: ..." for a
 * creation); the price is a dynamic-fee transaction's fee cap.
 */
export function txpoolInspect(params: readonly unknown[], ctx: RpcContext): unknown {
  expectParams(params, 0);
  const content = poolContent(ctx, "txpool_inspect");
  return { pending: bySenderAndNonce(content.pending, summary), queued: bySenderAndNonce(content.queued, summary) };
}

function summary(tx: SignedTransaction): string {
  const to = tx.to === null ? "contract creation" : address(tx.to);
  const price = tx.type >= 2 ? tx.maxFeePerGas! : tx.gasPrice!;
  return `${to}: ${tx.value} wei + ${tx.gasLimit} gas × ${price} wei`;
}
