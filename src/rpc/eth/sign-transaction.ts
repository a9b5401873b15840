import { signTransaction } from "../../chain/transaction.js";
import type { RpcContext } from "../context.js";
import { data, expectParams } from "../hex-codec.js";
import { parseCallRequest } from "./call-request.js";
import { fillTransaction } from "./fill-transaction.js";
import { signerFor } from "./signer.js";

/** eth_signTransaction(transaction): the filled-in transaction signed by a dev account, as raw bytes (not sent). */
export function ethSignTransaction(params: readonly unknown[], ctx: RpcContext): string {
  expectParams(params, 1);
  const { from, ...unsigned } = fillTransaction(ctx, parseCallRequest(params[0]));
  return data(signTransaction(unsigned, signerFor(ctx, from).privateKey).raw);
}
