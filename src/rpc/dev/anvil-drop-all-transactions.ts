import type { RpcContext } from "../context.js";
import { expectParams } from "../hex-codec.js";
import { devControl } from "./control.js";

/** anvil_dropAllTransactions: empties the pool, pending and queued. */
export function anvilDropAllTransactions(params: readonly unknown[], ctx: RpcContext): null {
  expectParams(params, 0);
  devControl(ctx).dropAllTransactions();
  return null;
}
