import { effectiveGasPrice } from "../../chain/fees.js";
import type { Block } from "../../chain/types.js";
import { MAX_BLOB_GAS_PER_BLOCK } from "../../evm/params.js";
import { blobGasPrice } from "../../exec/blob-gas.js";
import { nextTimestamp, resolveBlock } from "../block-ref.js";
import type { RpcContext } from "../context.js";
import { invalidParams } from "../errors.js";
import { expectParams, parseBlockNumberOrTag, parseIndex, quantity } from "../hex-codec.js";

/** geth's cap on blockCount. */
const MAX_BLOCKS = 1024;

/**
 * eth_feeHistory(blockCount, newestBlock, rewardPercentiles): base fees (one more than blocks: the
 * next block's), gas used ratios, blob fees, and per block the tip at each percentile of gas used.
 */
export function ethFeeHistory(params: readonly unknown[], ctx: RpcContext): unknown {
  expectParams(params, 2, 3);
  let count = parseIndex(params[0], "blockCount");
  if (count > MAX_BLOCKS) count = MAX_BLOCKS;
  const ref = parseBlockNumberOrTag(params[1], "newestBlock");
  const percentiles = parsePercentiles(params[2]);
  const newest = resolveBlock(ctx, ref.kind === "tag" && ref.tag === "pending" ? { kind: "tag", tag: "latest" } : ref);
  const newestNumber = newest.header.number;
  if (count === 0)
    return { oldestBlock: "0x0", baseFeePerGas: [], gasUsedRatio: [], baseFeePerBlobGas: [], blobGasUsedRatio: [] };
  const oldest = newestNumber - BigInt(count) + 1n > 0n ? newestNumber - BigInt(count) + 1n : 0n;

  const baseFees: string[] = [];
  const blobFees: string[] = [];
  const ratios: number[] = [];
  const blobRatios: number[] = [];
  const rewards: string[][] = [];
  for (let n = oldest; n <= newestNumber; n++) {
    const block = n === newestNumber ? newest : ctx.chain.blockByNumber(n);
    if (block === undefined) throw new Error(`block ${n} missing from the chain`);
    const h = block.header;
    baseFees.push(quantity(h.baseFeePerGas));
    blobFees.push(quantity(blobGasPrice(h.excessBlobGas)));
    ratios.push(h.gasLimit === 0n ? 0 : Number(h.gasUsed) / Number(h.gasLimit));
    blobRatios.push(Number(h.blobGasUsed) / Number(MAX_BLOB_GAS_PER_BLOCK));
    if (percentiles !== undefined) rewards.push(blockRewards(ctx, block, percentiles).map(quantity));
  }
  // The fees of the block after the newest: stored when it exists, else what the next block will carry.
  const after = ctx.chain.blockByNumber(newestNumber + 1n);
  if (after !== undefined) {
    baseFees.push(quantity(after.header.baseFeePerGas));
    blobFees.push(quantity(blobGasPrice(after.header.excessBlobGas)));
  } else {
    const env = ctx.chain.nextBlockEnv(nextTimestamp(ctx));
    baseFees.push(quantity(env.baseFee));
    blobFees.push(quantity(blobGasPrice(env.excessBlobGas)));
  }
  const out: Record<string, unknown> = {
    oldestBlock: quantity(oldest),
    baseFeePerGas: baseFees,
    gasUsedRatio: ratios,
    baseFeePerBlobGas: blobFees,
    blobGasUsedRatio: blobRatios,
  };
  if (percentiles !== undefined) out.reward = rewards;
  return out;
}

function parsePercentiles(value: unknown): number[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw invalidParams("rewardPercentiles: expected an array of numbers");
  if (value.length > 100) throw invalidParams("rewardPercentiles: at most 100 entries");
  let previous = -1;
  return value.map((p, i) => {
    if (typeof p !== "number" || !(p >= 0 && p <= 100) || p < previous) {
      throw invalidParams(`rewardPercentiles[${i}]: expected a number in 0..100, not below the one before`);
    }
    previous = p;
    return p;
  });
}

/** The effective tip at each percentile, weighting each transaction by the gas it used (geth's method). */
function blockRewards(ctx: RpcContext, block: Block, percentiles: number[]): bigint[] {
  if (block.transactions.length === 0) return percentiles.map(() => 0n);
  const receipts = ctx.chain.blockReceipts(block.header.number);
  const baseFee = block.header.baseFeePerGas;
  const tips = block.transactions
    .map((tx, i) => ({ tip: effectiveGasPrice(tx, baseFee) - baseFee, gas: receipts[i]?.gasUsed ?? 0n }))
    .sort((a, b) => (a.tip < b.tip ? -1 : a.tip > b.tip ? 1 : 0));
  const total = Number(block.header.gasUsed);
  const out: bigint[] = [];
  let i = 0;
  let sum = Number(tips[0]!.gas);
  for (const p of percentiles) {
    const threshold = (total * p) / 100;
    while (sum < threshold && i < tips.length - 1) {
      i++;
      sum += Number(tips[i]!.gas);
    }
    out.push(tips[i]!.tip);
  }
  return out;
}
