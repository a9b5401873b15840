import type { RpcContext } from "../context.js";
import { invalidParams } from "../errors.js";
import { expectParams } from "../hex-codec.js";
import { devControl } from "./control.js";

/** evm_setAutomine / anvil_setAutomine: one block per arriving transaction, or none until asked. */
export function evmSetAutomine(params: readonly unknown[], ctx: RpcContext): null {
  expectParams(params, 1);
  const enabled = params[0];
  if (typeof enabled !== "boolean") throw invalidParams("enabled: expected true or false");
  devControl(ctx).setAutomine(enabled);
  return null;
}
