import type { RpcContext } from "../context.js";
import { expectParams, parseAddress, parseData } from "../hex-codec.js";
import { devControl } from "./control.js";

/** anvil_setCode / hardhat_setCode: replaces the account's code (storage stays). */
export async function anvilSetCode(params: readonly unknown[], ctx: RpcContext): Promise<null> {
  expectParams(params, 2);
  await devControl(ctx).setAccount(parseAddress(params[0], "address"), { code: parseData(params[1], "code") });
  return null;
}
