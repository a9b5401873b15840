import type { RpcContext } from "../context.js";
import { expectParams, quantity } from "../hex-codec.js";
import { devControl } from "./control.js";

/** evm_snapshot: an id evm_revert can return to (blocks, state and the dev clock). */
export async function evmSnapshot(params: readonly unknown[], ctx: RpcContext): Promise<string> {
  expectParams(params, 0);
  return quantity(await devControl(ctx).snapshot());
}
