import { type AccountProof, isProvable, proveAccount } from "../../state/proof.js";
import { resolveBlock, stateFor } from "../block-ref.js";
import type { RpcContext } from "../context.js";
import { invalidParams, RpcError } from "../errors.js";
import {
  address,
  type BlockRef,
  data,
  expectParams,
  hash,
  parseAddress,
  parseBlockRef,
  parseSlot,
  quantity,
} from "../hex-codec.js";

/**
 * eth_getProof(address, storageKeys, block): EIP-1186 account and storage proofs against the block's
 * state root. The head's come from the stored trie, along the key's path; an older block's are built
 * from its whole state, which costs a state-root computation.
 */
export async function ethGetProof(params: readonly unknown[], ctx: RpcContext): Promise<unknown> {
  expectParams(params, 2, 3);
  const account = parseAddress(params[0], "address");
  if (!Array.isArray(params[1])) throw invalidParams("storageKeys: expected an array");
  const slots = params[1].map((k, i) => parseSlot(k, `storageKeys[${i}]`));
  const ref = parseBlockRef(params[2]);
  const atHead = resolveBlock(ctx, ref).header.number === ctx.chain.head().header.number;
  const p =
    atHead && ctx.chain.proveLatest
      ? await ctx.chain.proveLatest(account, slots)
      : proveFromState(ctx, ref, account, slots);
  return {
    address: address(p.address),
    balance: quantity(p.account.balance),
    nonce: quantity(p.account.nonce),
    codeHash: hash(p.account.codeHash),
    storageHash: hash(p.storageHash),
    accountProof: p.accountProof.map(data),
    storageProof: p.storageProof.map((s) => ({
      key: quantity(s.key),
      value: quantity(s.value),
      proof: s.proof.map(data),
    })),
  };
}

function proveFromState(ctx: RpcContext, ref: BlockRef, account: bigint, slots: readonly bigint[]): AccountProof {
  const state = stateFor(ctx, ref);
  if (!isProvable(state)) {
    throw new RpcError(-32000, "eth_getProof is not available for this block's state (it cannot be enumerated)");
  }
  return proveAccount(state, account, slots);
}
