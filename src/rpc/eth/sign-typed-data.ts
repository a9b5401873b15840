import { signatureToBytes, signHash } from "../../chain/sign.js";
import type { RpcContext } from "../context.js";
import { invalidParams } from "../errors.js";
import { data, expectParams, parseAddress } from "../hex-codec.js";
import { signerFor } from "./signer.js";

/**
 * eth_signTypedData_v4(address, typedData): the EIP-712 signature of the typed data (an object or its
 * JSON text). Hashing is viem's hashTypedData, loaded on first use.
 */
export async function ethSignTypedDataV4(params: readonly unknown[], ctx: RpcContext): Promise<string> {
  expectParams(params, 2);
  const address = parseAddress(params[0], "address");
  const key = signerFor(ctx, address).privateKey;
  let typed = params[1];
  if (typeof typed === "string") {
    try {
      typed = JSON.parse(typed);
    } catch (error) {
      throw invalidParams(`typedData: not JSON: ${(error as Error).message}`);
    }
  }
  if (typeof typed !== "object" || typed === null) throw invalidParams("typedData: expected an object");
  const t = typed as Record<string, unknown>;
  if (typeof t.types !== "object" || t.types === null || typeof t.primaryType !== "string") {
    throw invalidParams("typedData: needs types, primaryType, domain and message");
  }
  const { hashTypedData } = await import("viem");
  let digest: `0x${string}`;
  try {
    // The JSON's shape is checked by viem at run time; its static types cannot describe untrusted input.
    const args = { domain: t.domain ?? {}, types: t.types, primaryType: t.primaryType, message: t.message ?? {} };
    digest = hashTypedData(args as Parameters<typeof hashTypedData>[0]);
  } catch (error) {
    throw invalidParams(`typedData: ${(error as Error).message.split("\n")[0]}`);
  }
  return data(signatureToBytes(signHash(BigInt(digest), key)));
}
