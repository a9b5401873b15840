import type { RpcContext } from "../context.js";
import { expectParams, parseAddress, parseQuantity } from "../hex-codec.js";
import { devControl } from "./control.js";

/** anvil_setBalance / hardhat_setBalance. */
export async function anvilSetBalance(params: readonly unknown[], ctx: RpcContext): Promise<null> {
  expectParams(params, 2);
  await devControl(ctx).setAccount(parseAddress(params[0], "address"), {
    balance: parseQuantity(params[1], "balance"),
  });
  return null;
}
