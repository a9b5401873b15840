// Completes a transaction request from eth_sendTransaction / eth_signTransaction the way anvil does:
// the pool's nonce, the chain id, EIP-1559 fees from the next base fee, and an estimated gas limit.
import type { UnsignedTransaction } from "../../chain/transaction.js";
import { callSiteFor } from "../block-ref.js";
import type { RpcContext } from "../context.js";
import { invalidParams } from "../errors.js";
import { type CallRequest, prepareCall } from "./call-request.js";
import { estimate } from "./estimate-gas.js";
import { suggestedTip } from "./max-priority-fee-per-gas.js";
import { poolNonce } from "./pool-nonce.js";

export function fillTransaction(ctx: RpcContext, req: CallRequest): UnsignedTransaction & { from: bigint } {
  if (req.from === undefined) throw invalidParams("transaction.from is required");
  if (req.type === 3 || req.blobVersionedHashes !== undefined) {
    throw invalidParams("blob transactions need their blobs: sign them yourself and use eth_sendRawTransaction");
  }
  const site = callSiteFor(ctx, { kind: "tag", tag: "pending" });
  const baseFee = site.env.baseFee;
  const legacy = req.gasPrice !== undefined || req.type === 0 || req.type === 1;
  const type: 0 | 1 | 2 = legacy ? (req.type === 1 || req.accessList !== undefined ? 1 : 0) : 2;
  const filled: CallRequest = { ...req, type, nonce: req.nonce ?? poolNonce(ctx, req.from) };
  if (type === 2) {
    let tip = req.maxPriorityFeePerGas ?? suggestedTip(ctx);
    if (req.maxFeePerGas !== undefined && tip > req.maxFeePerGas) tip = req.maxFeePerGas;
    filled.maxPriorityFeePerGas = tip;
    filled.maxFeePerGas = req.maxFeePerGas ?? baseFee * 2n + tip;
  } else {
    filled.gasPrice = req.gasPrice ?? baseFee + suggestedTip(ctx);
  }
  if (filled.gas === undefined) filled.gas = estimate(prepareCall(ctx, filled, site));
  const tx: UnsignedTransaction & { from: bigint } = {
    from: req.from,
    type,
    chainId: ctx.chain.chainId,
    nonce: filled.nonce!,
    gasLimit: filled.gas,
    to: req.to,
    value: req.value ?? 0n,
    data: req.data,
    accessList: req.accessList ?? [],
  };
  if (type === 2) {
    tx.maxFeePerGas = filled.maxFeePerGas!;
    tx.maxPriorityFeePerGas = filled.maxPriorityFeePerGas!;
  } else tx.gasPrice = filled.gasPrice!;
  return tx;
}
