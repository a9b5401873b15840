import { blobGasPrice } from "../../exec/blob-gas.js";
import { nextTimestamp } from "../block-ref.js";
import type { RpcContext } from "../context.js";
import { expectParams, quantity } from "../hex-codec.js";

/** eth_blobBaseFee: the blob gas price of the next block. */
export function ethBlobBaseFee(params: readonly unknown[], ctx: RpcContext): string {
  expectParams(params, 0);
  return quantity(blobGasPrice(ctx.chain.nextBlockEnv(nextTimestamp(ctx)).excessBlobGas));
}
