import type { RpcContext } from "../context.js";
import { expectParams, parseAddress } from "../hex-codec.js";
import { devControl } from "./control.js";

/** anvil_setCoinbase / hardhat_setCoinbase: later blocks' beneficiary (their fees go there) and eth_coinbase. */
export function anvilSetCoinbase(params: readonly unknown[], ctx: RpcContext): null {
  expectParams(params, 1);
  const coinbase = parseAddress(params[0], "address");
  devControl(ctx).setCoinbase(coinbase);
  ctx.config.coinbase = coinbase;
  return null;
}
