import type { RpcContext } from "../context.js";
import { expectParams, hash, parseHash } from "../hex-codec.js";
import { devControl } from "./control.js";

/**
 * anvil_dropTransaction / hardhat_dropTransaction: removes a pooled transaction (the sender's later
 * ones wait for its nonce again); the hash, or null where the pool does not hold it (as anvil).
 */
export function anvilDropTransaction(params: readonly unknown[], ctx: RpcContext): string | null {
  expectParams(params, 1);
  const txHash = parseHash(params[0], "transaction hash");
  return devControl(ctx).dropTransaction(txHash) ? hash(txHash) : null;
}
