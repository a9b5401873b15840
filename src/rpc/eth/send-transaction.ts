import { impersonatedTransaction, signTransaction } from "../../chain/transaction.js";
import type { SignedTransaction } from "../../chain/types.js";
import { addressToHex } from "../../primitives/hex.js";
import type { RpcContext } from "../context.js";
import { RpcError } from "../errors.js";
import { expectParams, hash } from "../hex-codec.js";
import { parseCallRequest } from "./call-request.js";
import { fillTransaction } from "./fill-transaction.js";

/**
 * eth_sendTransaction(transaction): fills in what is missing, signs with the dev account's key (or,
 * for an impersonated account, sends without a signature) and pools it; returns the hash, after it is
 * mined when the miner automines.
 */
export async function ethSendTransaction(params: readonly unknown[], ctx: RpcContext): Promise<string> {
  expectParams(params, 1);
  const { from, ...unsigned } = fillTransaction(ctx, parseCallRequest(params[0]));
  const account = ctx.accounts.find((a) => a.address === from);
  let tx: SignedTransaction;
  // Auto-impersonation covers the addresses the node has no key for; its own accounts still sign.
  const impersonated = ctx.impersonated.has(from) || (ctx.autoImpersonate === true && account === undefined);
  if (impersonated) tx = impersonatedTransaction(unsigned, from);
  else if (account !== undefined) tx = signTransaction(unsigned, account.privateKey);
  else {
    throw new RpcError(
      -32000,
      `no signer for ${addressToHex(from)}: not one of the node's accounts and not impersonated (anvil_impersonateAccount)`,
    );
  }
  const txHash = ctx.pool.add(tx);
  await ctx.miner.afterSubmit?.(txHash);
  return hash(txHash);
}
