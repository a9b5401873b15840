import type { BlockHeader } from "../../chain/types.js";
import type { Host } from "../../evm/host.js";
import { BlockOverlay } from "../../exec/block/overlay.js";
import { addressToHex, bigintToHex, bytesToHex, wordToHex } from "../../primitives/hex.js";
import { callSiteFor } from "../block-ref.js";
import type { RpcContext } from "../context.js";
import { invalidParams, RpcError } from "../errors.js";
import { formatTransaction } from "../format.js";
import { expectParams, formatLog, nonce8, parseBlockRef } from "../hex-codec.js";
import { type SimulatedBlock, SimulationGasBudget, type SimulationScope, simulateBlock } from "./simulate-block.js";
import { MAX_SIMULATE_BLOCKS, placeSimulatedBlocks } from "./simulate-chain.js";
import { SIM_CLIENT_LIMIT } from "./simulate-errors.js";
import { parseSimulatePayload } from "./simulate-params.js";

/**
 * eth_simulateV1(payload, block): runs blocks of calls on top of `block` (default latest), each call
 * on the state the ones before it left, and returns one simulated block per blockStateCall (and per
 * number skipped), each with its calls' status, return data, gas used, logs and error. Nothing is
 * written. The node's gas cap is a budget for all the calls together, as geth's (SimulationGasBudget).
 * Numbers, times, errors and fees follow geth's simulate.go; the block object has the fields
 * anvil's has (no state root: zero, as anvil's).
 */
export function ethSimulateV1(params: readonly unknown[], ctx: RpcContext): unknown[] {
  expectParams(params, 1, 2);
  const payload = parseSimulatePayload(params[0]);
  if (payload.blocks.length === 0) throw invalidParams("payload.blockStateCalls: empty input");
  if (BigInt(payload.blocks.length) > MAX_SIMULATE_BLOCKS) {
    throw new RpcError(SIM_CLIENT_LIMIT, `too many blocks: ${payload.blocks.length} > ${MAX_SIMULATE_BLOCKS}`);
  }
  const site = callSiteFor(ctx, parseBlockRef(params[1]));
  const base = site.block;
  const blocks = placeSimulatedBlocks(base.header, payload.blocks);

  const overlay = new BlockOverlay(site.state);
  const simulatedHashes = new Map<bigint, bigint>();
  const scope: SimulationScope = {
    chainId: ctx.chain.chainId,
    validation: payload.validation,
    traceTransfers: payload.traceTransfers,
    overlay,
    host: withSimulatedHashes(overlay, base.header.number, simulatedHashes),
    gasBudget: new SimulationGasBudget(ctx.config.callGasCap ?? 0n),
  };
  let parent: { header: BlockHeader; hash: bigint } = { header: base.header, hash: base.hash };
  const out: unknown[] = [];
  blocks.forEach((block, i) => {
    const simulated = simulateBlock(scope, i, block, parent);
    simulatedHashes.set(simulated.header.number, simulated.hash);
    out.push(formatSimulatedBlock(simulated, payload.returnFullTransactions));
    parent = simulated;
  });
  return out;
}

/** BLOCKHASH of a simulated block's number: the hash it was simulated with (0 for one not yet built). */
function withSimulatedHashes(state: Host, baseNumber: bigint, hashes: ReadonlyMap<bigint, bigint>): Host {
  return {
    account: (address) => state.account(address),
    code: (address) => state.code(address),
    storage: (address, slot) => state.storage(address, slot),
    hasStorage: (address) => state.hasStorage(address),
    blockHash: (number) => (number > baseNumber ? (hashes.get(number) ?? 0n) : state.blockHash(number)),
  };
}

/** The block as anvil shapes a simulated one (geth's block fields less size, withdrawals and blob fields), with `calls`. */
function formatSimulatedBlock(block: SimulatedBlock, fullTransactions: boolean): Record<string, unknown> {
  const h = block.header;
  const at = { blockHash: block.hash, blockNumber: h.number, baseFee: h.baseFeePerGas, timestamp: h.timestamp };
  return {
    hash: wordToHex(block.hash),
    parentHash: wordToHex(h.parentHash),
    sha3Uncles: wordToHex(h.ommersHash),
    miner: addressToHex(h.coinbase),
    stateRoot: wordToHex(h.stateRoot),
    transactionsRoot: wordToHex(h.transactionsRoot),
    receiptsRoot: wordToHex(h.receiptsRoot),
    logsBloom: bytesToHex(h.logsBloom),
    difficulty: bigintToHex(h.difficulty),
    number: bigintToHex(h.number),
    gasLimit: bigintToHex(h.gasLimit),
    gasUsed: bigintToHex(h.gasUsed),
    timestamp: bigintToHex(h.timestamp),
    extraData: bytesToHex(h.extraData),
    mixHash: wordToHex(h.mixHash),
    nonce: nonce8(h.nonce),
    baseFeePerGas: bigintToHex(h.baseFeePerGas),
    uncles: [],
    transactions: block.transactions.map((tx, index) =>
      fullTransactions ? formatTransaction(tx, { ...at, index }) : wordToHex(tx.hash),
    ),
    calls: block.calls.map((call, index) => {
      const tx = block.transactions[index]!;
      const out: Record<string, unknown> = {
        returnData: bytesToHex(call.returnData),
        logs: call.logs.map((log, i) =>
          formatLog(log, {
            blockHash: block.hash,
            blockNumber: h.number,
            blockTimestamp: h.timestamp,
            transactionHash: tx.hash,
            transactionIndex: index,
            logIndex: call.firstLogIndex + i,
          }),
        ),
        gasUsed: bigintToHex(call.gasUsed),
        status: bigintToHex(BigInt(call.status)),
      };
      if (call.error !== undefined) out.error = call.error;
      return out;
    }),
  };
}
