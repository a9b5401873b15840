import type { RpcContext } from "../context.js";
import { expectParams, parseAddress, parseSlot } from "../hex-codec.js";
import { devControl } from "./control.js";

/** anvil_setStorageAt / hardhat_setStorageAt: one slot (value 0 deletes it); true as anvil answers. */
export async function anvilSetStorageAt(params: readonly unknown[], ctx: RpcContext): Promise<boolean> {
  expectParams(params, 3);
  const slot = parseSlot(params[1], "slot");
  const value = parseSlot(params[2], "value");
  await devControl(ctx).setAccount(parseAddress(params[0], "address"), { storage: new Map([[slot, value]]) });
  return true;
}
