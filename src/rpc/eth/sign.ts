import { personalMessageHash, signatureToBytes, signHash } from "../../chain/sign.js";
import type { RpcContext } from "../context.js";
import { data, expectParams, parseAddress, parseData } from "../hex-codec.js";
import { signerFor } from "./signer.js";

function signMessage(ctx: RpcContext, address: bigint, message: Uint8Array): string {
  const key = signerFor(ctx, address).privateKey;
  return data(signatureToBytes(signHash(personalMessageHash(message), key)));
}

/** eth_sign(address, message): the EIP-191 personal signature (r ++ s ++ v, v = 27/28). */
export function ethSign(params: readonly unknown[], ctx: RpcContext): string {
  expectParams(params, 2);
  return signMessage(ctx, parseAddress(params[0], "address"), parseData(params[1], "message"));
}

/** personal_sign(message, address): eth_sign with the parameters the other way round. */
export function personalSign(params: readonly unknown[], ctx: RpcContext): string {
  expectParams(params, 2, 3);
  return signMessage(ctx, parseAddress(params[1], "address"), parseData(params[0], "message"));
}
