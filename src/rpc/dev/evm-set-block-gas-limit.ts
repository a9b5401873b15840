import type { RpcContext } from "../context.js";
import { expectParams, parseQuantity } from "../hex-codec.js";
import { devControl } from "./control.js";

const MAX_U64 = (1n << 64n) - 1n;

/** evm_setBlockGasLimit: every later block's gas limit (and the pool's limit per transaction); true, as anvil. */
export function evmSetBlockGasLimit(params: readonly unknown[], ctx: RpcContext): boolean {
  expectParams(params, 1);
  devControl(ctx).setBlockGasLimit(parseQuantity(params[0], "gas limit", MAX_U64));
  return true;
}
