import { stateFor } from "../block-ref.js";
import type { RpcContext } from "../context.js";
import { expectParams, hash, parseAddress, parseBlockRef, parseSlot } from "../hex-codec.js";

/** eth_getStorageAt(address, slot, block): the slot's value as a 32-byte word. */
export function ethGetStorageAt(params: readonly unknown[], ctx: RpcContext): string {
  expectParams(params, 2, 3);
  const address = parseAddress(params[0], "address");
  const slot = parseSlot(params[1], "slot");
  return hash(stateFor(ctx, parseBlockRef(params[2])).storage(address, slot));
}
