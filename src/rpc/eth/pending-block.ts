import { EMPTY_OMMERS_HASH } from "../../chain/header.js";
import type { Block } from "../../chain/types.js";
import { nextTimestamp } from "../block-ref.js";
import type { RpcContext } from "../context.js";

/**
 * The block "pending" names: the next block's header fields (number, base fee, gas limit, time) over
 * the pool's executable transactions, without execution results (roots and gas used are unknown
 * until mined, so they are zero) and without a hash.
 */
export function pendingBlock(ctx: RpcContext): Block {
  const head = ctx.chain.head();
  const env = ctx.chain.nextBlockEnv(nextTimestamp(ctx, head));
  const transactions = [];
  let gas = 0n;
  for (const tx of ctx.pool.candidates?.() ?? ctx.pool.pending()) {
    if (gas + tx.gasLimit > env.gasLimit) break;
    gas += tx.gasLimit;
    transactions.push(tx);
  }
  return {
    hash: 0n,
    transactions,
    header: {
      ...head.header,
      parentHash: head.hash,
      ommersHash: EMPTY_OMMERS_HASH,
      coinbase: env.coinbase,
      number: env.number,
      gasLimit: env.gasLimit,
      gasUsed: 0n,
      timestamp: env.timestamp,
      baseFeePerGas: env.baseFee,
      mixHash: env.prevRandao,
      excessBlobGas: env.excessBlobGas,
      blobGasUsed: 0n,
      logsBloom: new Uint8Array(256),
    },
  };
}
