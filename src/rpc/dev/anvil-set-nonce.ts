import type { RpcContext } from "../context.js";
import { expectParams, parseAddress, parseQuantity } from "../hex-codec.js";
import { devControl } from "./control.js";

/** anvil_setNonce / hardhat_setNonce. */
export async function anvilSetNonce(params: readonly unknown[], ctx: RpcContext): Promise<null> {
  expectParams(params, 2);
  const nonce = parseQuantity(params[1], "nonce", (1n << 64n) - 1n);
  await devControl(ctx).setAccount(parseAddress(params[0], "address"), { nonce });
  return null;
}
