import type { RpcContext } from "../context.js";
import { expectParams, parseQuantity } from "../hex-codec.js";
import { devControl } from "./control.js";

const MAX_U64 = (1n << 64n) - 1n;

/**
 * anvil_setNextBlockBaseFeePerGas / hardhat_setNextBlockBaseFeePerGas: the next block's base fee;
 * the blocks after it follow EIP-1559 from it. Above 64 bits is -32602 (anvil panics there).
 */
export function anvilSetNextBlockBaseFeePerGas(params: readonly unknown[], ctx: RpcContext): null {
  expectParams(params, 1);
  devControl(ctx).setNextBlockBaseFee(parseQuantity(params[0], "base fee", MAX_U64));
  return null;
}
