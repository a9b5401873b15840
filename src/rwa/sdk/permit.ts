// ERC-2612 permits: the owner signs an allowance off chain (EIP-712), anyone submits it.
import { type Address, type Hex, parseSignature } from "viem";
import { type RwaClient, read, send, signer } from "./client.js";
import { regulatedTokenAbi as abi } from "./core-abi.js";

export interface SignedPermit {
  owner: Address;
  spender: Address;
  value: bigint;
  nonce: bigint;
  deadline: bigint;
  signature: Hex;
  v: number;
  r: Hex;
  s: Hex;
}

/** Signs a permit as `client`'s account. The EIP-712 domain is read from the token (ERC-5267), so
 * it matches whatever name, version and chain the token uses; the nonce is the owner's current one
 * unless given. */
export async function signPermit(
  client: RwaClient,
  token: Address,
  permit: { spender: Address; value: bigint; deadline: bigint; nonce?: bigint },
): Promise<SignedPermit> {
  const owner = signer(client);
  const [, name, version, chainId, verifyingContract] = await read(client, {
    address: token,
    abi,
    functionName: "eip712Domain",
    args: [],
  });
  const nonce = permit.nonce ?? (await read(client, { address: token, abi, functionName: "nonces", args: [owner] }));
  const signature = await client.walletClient.signTypedData({
    account: client.walletClient.account,
    domain: { name, version, chainId, verifyingContract },
    types: {
      Permit: [
        { name: "owner", type: "address" },
        { name: "spender", type: "address" },
        { name: "value", type: "uint256" },
        { name: "nonce", type: "uint256" },
        { name: "deadline", type: "uint256" },
      ],
    },
    primaryType: "Permit",
    message: { owner, spender: permit.spender, value: permit.value, nonce, deadline: permit.deadline },
  });
  const { r, s, v, yParity } = parseSignature(signature);
  return {
    owner,
    spender: permit.spender,
    value: permit.value,
    nonce,
    deadline: permit.deadline,
    signature,
    v: v !== undefined ? Number(v) : yParity + 27,
    r,
    s,
  };
}

/** Submits a signed permit (from any account). */
export function submitPermit(client: RwaClient, token: Address, p: SignedPermit) {
  return send(client, {
    address: token,
    abi,
    functionName: "permit",
    args: [p.owner, p.spender, p.value, p.deadline, p.v, p.r, p.s],
  });
}
