// Building a block from candidate transactions: which of them go in (executeBlock rejects a whole
// block for one invalid transaction, so an invalid one is dropped and the rest run again), their
// receipts, and the header around a state root the caller computes once the writes are applied.
import type { BlockEnv, Host } from "../evm/host.js";
import { MAX_BLOB_GAS_PER_BLOCK } from "../evm/params.js";
import { blobGasPrice, totalBlobGas } from "../exec/blob-gas.js";
import { executeBlockInSlices } from "../exec/block/execute-block.js";
import type { BaseSource } from "../exec/block/pool/base-state.js";
import type { ExecuteBlockOptions, ValidBlock } from "../exec/block/types.js";
import { InvalidTransactionError } from "../exec/types.js";
import { EMPTY_TRIE_ROOT } from "../primitives/keccak.js";
import type { Slices } from "../primitives/slices.js";
import { unionBlooms } from "./bloom.js";
import { fullReceipt, type StoredReceipt } from "./chain-store.js";
import { effectiveGasPrice } from "./fees.js";
import { EMPTY_OMMERS_HASH } from "./header.js";
import { receiptsRoot, transactionsRoot } from "./roots.js";
import type { Block, BlockHeader, SignedTransaction, TransactionReceipt } from "./types.js";

export interface Rejected {
  tx: SignedTransaction;
  error: Error;
}

export interface BuiltBlock {
  /** The transactions the block includes, in order. */
  transactions: SignedTransaction[];
  result: ValidBlock;
  /** Invalid on this state (or after an invalid transaction of the same sender): never included. */
  rejected: Rejected[];
  /** Valid as far as known, but the block was full: for a later block, in their order. */
  deferred: SignedTransaction[];
}

/**
 * Executes `candidates` (in the order given) as block `env` on `state`. A transaction that proves
 * invalid is dropped with its sender's later ones, and the rest run again; once one no longer fits
 * the block's gas (or blob gas), it and all after it are deferred. Nonces are checked up front, so
 * the usual invalid transactions (stale or gapped nonces) cost no re-execution.
 */
export async function buildBlock(
  candidates: readonly SignedTransaction[],
  env: BlockEnv,
  state: Host,
  /** Where a sequential execution pauses (executeBlockInSlices): the node serves requests meanwhile. */
  slices: Slices,
  threads = 1,
  /** With threads above 1: how the workers open `state` (see ExecuteBlockOptions.base). */
  base?: BaseSource,
  /** With threads above 1: executeBlock's mode ("auto", or "parallel" to force Block-STM). */
  mode: "auto" | "parallel" = "auto",
): Promise<BuiltBlock> {
  const rejected: Rejected[] = [];
  const deferred: SignedTransaction[] = [];
  const dropped = new Set<bigint>();
  const nextNonce = new Map<bigint, bigint>();
  let list: SignedTransaction[] = [];
  for (const tx of candidates) {
    if (dropped.has(tx.sender)) {
      rejected.push({ tx, error: afterDropped(tx) });
      continue;
    }
    const error = precheck(tx, env, nextNonce.get(tx.sender) ?? state.account(tx.sender)?.nonce ?? 0n);
    if (error !== undefined) {
      rejected.push({ tx, error });
      dropped.add(tx.sender);
      continue;
    }
    nextNonce.set(tx.sender, tx.nonce + 1n);
    list.push(tx);
  }

  const options: ExecuteBlockOptions = threads > 1 ? { mode, threads, ...(base ? { base } : {}) } : {};
  for (;;) {
    const result = await executeBlockInSlices(list, env, state, options, slices);
    if (result.valid) return { transactions: list, result, rejected, deferred };
    const i = result.txIndex;
    const reason = result.error.reason;
    if (reason === "GAS_LIMIT_EXCEEDS_BLOCK" || reason === "BLOB_GAS_EXCEEDS_BLOCK") {
      // Only the gas left can be short here: a transaction over the whole block's was rejected above.
      deferred.unshift(...list.slice(i));
      list = list.slice(0, i);
      continue;
    }
    const bad = list[i]!;
    rejected.push({ tx: bad, error: result.error });
    const kept = list.slice(0, i);
    for (const tx of list.slice(i + 1)) {
      if (tx.sender === bad.sender) rejected.push({ tx, error: afterDropped(tx) });
      else kept.push(tx);
    }
    list = kept;
  }
}

/** The checks that need no execution: nonce in sequence, gas and blob gas within a whole block. */
function precheck(tx: SignedTransaction, env: BlockEnv, expectedNonce: bigint): Error | undefined {
  if (tx.nonce < expectedNonce) {
    return new InvalidTransactionError("NONCE_TOO_LOW", `nonce ${tx.nonce}, account has ${expectedNonce}`);
  }
  if (tx.nonce > expectedNonce) {
    return new InvalidTransactionError("NONCE_TOO_HIGH", `nonce ${tx.nonce}, account has ${expectedNonce}`);
  }
  if (tx.gasLimit > env.gasLimit) {
    return new InvalidTransactionError(
      "GAS_LIMIT_EXCEEDS_BLOCK",
      `gas limit ${tx.gasLimit} > block gas limit ${env.gasLimit}`,
    );
  }
  if (totalBlobGas(tx.blobVersionedHashes?.length ?? 0) > MAX_BLOB_GAS_PER_BLOCK) {
    return new InvalidTransactionError("BLOB_TX_TOO_MANY_BLOBS", "blob gas exceeds a whole block's");
  }
  return undefined;
}

function afterDropped(tx: SignedTransaction): Error {
  return new InvalidTransactionError(
    "NONCE_TOO_HIGH",
    `nonce ${tx.nonce}: an earlier transaction of the same sender was dropped from this block`,
  );
}

/** The block's receipts; blockHash is 0n until the header exists (the receipts root does not cover it). */
export function blockReceipts(
  txs: readonly SignedTransaction[],
  result: ValidBlock,
  env: BlockEnv,
): TransactionReceipt[] {
  let logIndex = 0;
  return txs.map((tx, i) => {
    const r = result.receipts[i]!;
    const stored: StoredReceipt = {
      status: r.status,
      cumulativeGasUsed: r.cumulativeGasUsed,
      gasUsed: r.gasUsed,
      effectiveGasPrice: effectiveGasPrice(tx, env.baseFee),
      contractAddress: r.createdAddress ?? null,
      logs: r.logs,
    };
    if (tx.type === 3) {
      stored.blobGasUsed = totalBlobGas(tx.blobVersionedHashes?.length ?? 0);
      stored.blobGasPrice = blobGasPrice(env.excessBlobGas);
    }
    const receipt = fullReceipt(stored, { tx, blockHash: 0n, blockNumber: env.number, index: i }, logIndex);
    logIndex += r.logs.length;
    return receipt;
  });
}

/** The header of a block built on `parent` (post-merge: no ommers, no difficulty, no withdrawals). */
export function blockHeader(
  parent: Block,
  env: BlockEnv,
  built: Pick<BuiltBlock, "transactions" | "result">,
  receipts: readonly TransactionReceipt[],
  stateRoot: bigint,
): BlockHeader {
  return {
    parentHash: parent.hash,
    ommersHash: EMPTY_OMMERS_HASH,
    coinbase: env.coinbase,
    stateRoot,
    transactionsRoot: transactionsRoot(built.transactions),
    receiptsRoot: receiptsRoot(receipts),
    logsBloom: unionBlooms(receipts.map((r) => r.logsBloom)),
    difficulty: 0n,
    number: env.number,
    gasLimit: env.gasLimit,
    gasUsed: built.result.gasUsed,
    timestamp: env.timestamp,
    extraData: new Uint8Array(0),
    mixHash: env.prevRandao,
    nonce: 0n,
    baseFeePerGas: env.baseFee,
    withdrawalsRoot: EMPTY_TRIE_ROOT,
    blobGasUsed: built.result.blobGasUsed,
    excessBlobGas: env.excessBlobGas,
    parentBeaconBlockRoot: 0n,
  };
}
