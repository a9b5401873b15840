import { addressToHex } from "../../primitives/hex.js";
import type { DevAccount, RpcContext } from "../context.js";
import { RpcError } from "../errors.js";

/** The dev account holding `address`'s key, or an error naming the address. */
export function signerFor(ctx: RpcContext, address: bigint): DevAccount {
  const account = ctx.accounts.find((a) => a.address === address);
  if (account === undefined) {
    throw new RpcError(-32000, `no signer for ${addressToHex(address)}: not one of the node's accounts (eth_accounts)`);
  }
  return account;
}
