// Resolving a block parameter (tag, number, EIP-1898 hash) to a block, its state and its environment.
import type { Block } from "../chain/types.js";
import type { BlockEnv, Host } from "../evm/host.js";
import type { RpcContext } from "./context.js";
import { RpcError } from "./errors.js";
import { type BlockRef, hash as hashHex } from "./hex-codec.js";

/** geth's message and code for a block the node does not have. */
export function headerNotFound(what: string): RpcError {
  return new RpcError(-32000, `header not found: ${what}`);
}

/** The block a reference names; undefined when the node has none ("pending" gives the head). */
export function findBlock(ctx: RpcContext, ref: BlockRef): Block | undefined {
  switch (ref.kind) {
    case "tag":
      // A dev chain finalizes at once: safe and finalized are the head, as anvil answers.
      return ref.tag === "earliest" ? ctx.chain.blockByNumber(0n) : ctx.chain.head();
    case "number":
      return ctx.chain.blockByNumber(ref.number);
    case "hash": {
      const block = ctx.chain.blockByHash(ref.hash);
      // Every stored block is canonical here (evm_revert drops the rest), so requireCanonical holds.
      return block;
    }
  }
}

/** Like findBlock, but a missing block is an error (for methods that read state). */
export function resolveBlock(ctx: RpcContext, ref: BlockRef): Block {
  const block = findBlock(ctx, ref);
  if (block !== undefined) return block;
  if (ref.kind === "hash") throw headerNotFound(`block ${hashHex(ref.hash)}`);
  if (ref.kind === "number") throw headerNotFound(`block ${ref.number} (head is ${ctx.chain.head().header.number})`);
  throw headerNotFound(ref.tag);
}

/** The state after the named block ("pending": the head's, as anvil serves it). */
export function stateFor(ctx: RpcContext, ref: BlockRef): Host {
  const block = resolveBlock(ctx, ref);
  if (block.header.number === ctx.chain.head().header.number) return ctx.chain.state();
  return ctx.chain.stateAt(block.header.number);
}

/** The environment a call "in" block `block` runs with: that block's own header values. */
export function blockEnvOf(ctx: RpcContext, block: Block): BlockEnv {
  const h = block.header;
  return {
    chainId: ctx.chain.chainId,
    number: h.number,
    coinbase: h.coinbase,
    timestamp: h.timestamp,
    gasLimit: h.gasLimit,
    baseFee: h.baseFeePerGas,
    prevRandao: h.mixHash,
    excessBlobGas: h.excessBlobGas,
  };
}

/** Environment and state for executing a call at `ref`: "pending" runs on the head in the next block's environment. */
export function callSiteFor(ctx: RpcContext, ref: BlockRef): { env: BlockEnv; state: Host; block: Block } {
  if (ref.kind === "tag" && ref.tag === "pending") {
    const head = ctx.chain.head();
    return { env: ctx.chain.nextBlockEnv(nextTimestamp(ctx, head)), state: ctx.chain.state(), block: head };
  }
  const block = resolveBlock(ctx, ref);
  return { env: blockEnvOf(ctx, block), state: stateFor(ctx, ref), block };
}

/** The next block's timestamp: the miner's when it says, else now (never before the head's + 1). */
export function nextTimestamp(ctx: RpcContext, head: Block = ctx.chain.head()): bigint {
  const planned = ctx.miner.nextTimestamp?.();
  if (planned !== undefined) return planned;
  const now = BigInt(Math.floor(Date.now() / 1000));
  return now > head.header.timestamp ? now : head.header.timestamp + 1n;
}
