// One simulated block of eth_simulateV1: its state overrides, then its calls one after another through
// processTransaction on the simulation's overlay (each call's writes stay for the next), and the block
// built around them (header, unsigned transactions, receipts root, logs) with each call's result.
import { logsBloom } from "../../chain/bloom.js";
import { nextBaseFee, nextExcessBlobGas } from "../../chain/fees.js";
import { EMPTY_OMMERS_HASH, hashHeader } from "../../chain/header.js";
import { encodeReceipt } from "../../chain/receipt.js";
import { orderedTrieRoot, transactionsRoot } from "../../chain/roots.js";
import { encodeTransaction } from "../../chain/transaction.js";
import type { BlockHeader, SignedTransaction } from "../../chain/types.js";
import type { BlockEnv, Host, Log } from "../../evm/host.js";
import { totalBlobGas } from "../../exec/blob-gas.js";
import type { BlockOverlay } from "../../exec/block/overlay.js";
import { processTransaction } from "../../exec/process-transaction.js";
import type { TxInput } from "../../exec/types.js";
import { EMPTY_TRIE_ROOT, keccak256Word } from "../../primitives/keccak.js";
import { EXECUTION_REVERTED, INTERNAL_ERROR, INVALID_INPUT, RpcError, revertError } from "../errors.js";
import type { CallRequest } from "./call-request.js";
import type { PlacedSimBlock } from "./simulate-chain.js";
import { invalidSimulatedCall, SIM_BLOCK_GAS_LIMIT, SIM_VM_ERROR } from "./simulate-errors.js";
import { applyStateOverrides } from "./simulate-state-overrides.js";
import { SimulationTracer } from "./simulate-tracer.js";

export interface SimCallResult {
  status: 0 | 1;
  returnData: Uint8Array;
  gasUsed: bigint;
  /** In block order; `logIndex` is the block-wide index of logs[0]. */
  logs: Log[];
  firstLogIndex: number;
  error?: { code: number; message: string; data?: string };
}

export interface SimulatedBlock {
  header: BlockHeader;
  hash: bigint;
  transactions: SignedTransaction[];
  calls: SimCallResult[];
}

export interface SimulationScope {
  chainId: bigint;
  validation: boolean;
  traceTransfers: boolean;
  /** The simulation's state: the base block's, with every earlier block's and call's writes. */
  overlay: BlockOverlay;
  /** Reads through the overlay; BLOCKHASH of a simulated block gives its simulated hash. */
  host: Host;
  /** The node's gas cap shared by all the simulation's calls, less what they used (geth's gas pool). */
  gasBudget: SimulationGasBudget;
}

/**
 * geth's eth_simulateV1 gas pool: --rpc-gas-cap is a budget for the whole simulation, not per call.
 * A call may ask for at most what is left (more runs with what is left); only the gas it uses is
 * taken; once nothing is left, the next call is refused with geth's "gas limit reached" (-32603).
 */
export class SimulationGasBudget {
  /** Gas left; undefined: no cap (a cap of 0). */
  private left: bigint | undefined;

  constructor(cap: bigint) {
    this.left = cap > 0n ? cap : undefined;
  }

  /** The gas call `callIndex` of block `blockIndex` runs with, asking `gas`. */
  allot(gas: bigint, blockIndex: number, callIndex: number): bigint {
    if (this.left === undefined) return gas;
    // geth caps a call at the pool only while the pool holds gas; an empty pool refuses any call.
    if (this.left === 0n && gas > 0n) {
      throw new RpcError(INTERNAL_ERROR, `block ${blockIndex}, call ${callIndex}: gas limit reached`);
    }
    return gas > this.left ? this.left : gas;
  }

  /** Takes the gas a call used. */
  charge(gasUsed: bigint): void {
    if (this.left !== undefined) this.left = gasUsed > this.left ? 0n : this.left - gasUsed;
  }
}

/** Simulates `block` on top of `parent` (the base block's header or the previous simulated one). */
export function simulateBlock(
  scope: SimulationScope,
  index: number,
  block: PlacedSimBlock,
  parent: { header: BlockHeader; hash: bigint },
): SimulatedBlock {
  const o = block.blockOverrides;
  const p = parent.header;
  // geth: without validation a block's base fee is 0 unless overridden (no call is charged below it).
  const baseFee = o.baseFeePerGas ?? (scope.validation ? nextBaseFee(p) : 0n);
  const env: BlockEnv = {
    chainId: scope.chainId,
    number: block.number,
    coinbase: o.feeRecipient ?? p.coinbase,
    timestamp: block.time,
    gasLimit: o.gasLimit ?? p.gasLimit,
    baseFee,
    prevRandao: o.prevRandao ?? 0n,
    excessBlobGas: nextExcessBlobGas(p),
  };
  applyStateOverrides(scope.overlay, block.stateOverrides);

  const transactions: SignedTransaction[] = [];
  const calls: SimCallResult[] = [];
  const receipts: Uint8Array[] = [];
  const blockLogs: Log[] = [];
  let gasUsed = 0n;
  let blobGasUsed = 0n;
  let logIndex = 0;
  block.calls.forEach((req, i) => {
    const { tx, execution, callEnv } = simulatedTransaction(scope, env, req, gasUsed, index, i);
    const tracer = new SimulationTracer(scope.traceTransfers);
    const outcome = processTransaction(execution, callEnv, scope.host, { allowContractSender: true, tracer });
    if (!outcome.valid) throw invalidSimulatedCall(index, i, outcome.error.reason, outcome.error.message);
    scope.overlay.apply(outcome.writes);
    scope.gasBudget.charge(outcome.gasUsed);
    gasUsed += outcome.gasUsed;
    blobGasUsed += totalBlobGas(tx.blobVersionedHashes?.length ?? 0);
    transactions.push(tx);
    const logs = scope.traceTransfers ? tracer.logs : outcome.logs;
    const result: SimCallResult = {
      status: outcome.status,
      returnData: outcome.output,
      gasUsed: outcome.gasUsed,
      logs,
      firstLogIndex: logIndex,
    };
    if (outcome.status === 0) result.error = callError(tracer.topError, outcome.output);
    calls.push(result);
    logIndex += logs.length;
    // The bloom covers the logs returned, pseudo-logs included (as anvil's); receipts hold the EVM's.
    blockLogs.push(...logs);
    receipts.push(
      encodeReceipt({
        type: tx.type,
        status: outcome.status,
        cumulativeGasUsed: gasUsed,
        logsBloom: logsBloom(outcome.logs),
        logs: outcome.logs,
      }),
    );
  });

  const header: BlockHeader = {
    parentHash: parent.hash,
    ommersHash: EMPTY_OMMERS_HASH,
    coinbase: env.coinbase,
    // As anvil: no state root for a simulated block (its state is an overlay, never a trie).
    stateRoot: 0n,
    transactionsRoot: transactionsRoot(transactions),
    receiptsRoot: orderedTrieRoot(receipts),
    logsBloom: logsBloom(blockLogs),
    difficulty: 0n,
    number: env.number,
    gasLimit: env.gasLimit,
    gasUsed,
    timestamp: env.timestamp,
    extraData: new Uint8Array(0),
    mixHash: env.prevRandao,
    nonce: 0n,
    baseFeePerGas: baseFee,
    withdrawalsRoot: EMPTY_TRIE_ROOT,
    blobGasUsed,
    excessBlobGas: env.excessBlobGas,
    parentBeaconBlockRoot: 0n,
  };
  return { header, hash: hashHeader(header), transactions, calls };
}

/** The error object of a failed call: code 3 with the revert data, or -32015 with the VM's error. */
function callError(topError: string | undefined, output: Uint8Array): SimCallResult["error"] {
  if (topError === undefined || topError === "execution reverted") {
    const e = revertError(output);
    return { code: EXECUTION_REVERTED, message: e.message, data: e.data as string };
  }
  return { code: SIM_VM_ERROR, message: topError };
}

/**
 * The call as a transaction: the unsigned type-2 (type-3 with blob hashes) transaction the block lists
 * (geth's ToTransaction), its nonce taken from the simulated state when missing and its gas from what
 * the block has left; and what processTransaction runs. Without validation the nonce check is skipped
 * (the state's nonce runs) and a call that offers no fee runs with base fee 0, as geth's NoBaseFee.
 */
function simulatedTransaction(
  scope: SimulationScope,
  env: BlockEnv,
  req: CallRequest,
  gasUsed: bigint,
  blockIndex: number,
  callIndex: number,
): { tx: SignedTransaction; execution: TxInput; callEnv: BlockEnv } {
  if (req.chainId !== undefined && req.chainId !== scope.chainId) {
    throw new RpcError(
      INVALID_INPUT,
      `block ${blockIndex}, call ${callIndex}: chain id ${req.chainId}, the node's is ${scope.chainId}`,
    );
  }
  const sender = req.from ?? 0n;
  const stateNonce = scope.overlay.account(sender)?.nonce ?? 0n;
  const gasLeft = env.gasLimit - gasUsed;
  const asked = req.gas ?? gasLeft;
  if (asked > gasLeft) {
    throw new RpcError(
      SIM_BLOCK_GAS_LIMIT,
      `block ${blockIndex}, call ${callIndex}: block gas limit reached: ${gasUsed} + ${asked} > ${env.gasLimit}`,
    );
  }
  // As geth: the block's limit is checked with the gas asked, the transaction lists the gas allotted.
  const gas = scope.gasBudget.allot(asked, blockIndex, callIndex);
  const maxFeePerGas = req.maxFeePerGas ?? req.gasPrice ?? 0n;
  const maxPriorityFeePerGas = req.maxPriorityFeePerGas ?? req.gasPrice ?? 0n;
  const blob = req.blobVersionedHashes !== undefined;
  const fields: TxInput = {
    type: blob ? 3 : 2,
    chainId: scope.chainId,
    sender,
    nonce: req.nonce ?? stateNonce,
    gasLimit: gas,
    maxFeePerGas,
    maxPriorityFeePerGas,
    to: req.to,
    value: req.value ?? 0n,
    data: req.data,
    accessList: req.accessList ?? [],
  };
  if (blob) {
    fields.blobVersionedHashes = req.blobVersionedHashes;
    fields.maxFeePerBlobGas = req.maxFeePerBlobGas ?? 0n;
  }
  // geth checks the nonce before the fees: so does a validated simulation.
  if (scope.validation && fields.nonce !== stateNonce) {
    const reason = fields.nonce < stateNonce ? "NONCE_TOO_LOW" : "NONCE_TOO_HIGH";
    throw invalidSimulatedCall(blockIndex, callIndex, reason, `nonce ${fields.nonce}, account has ${stateNonce}`);
  }
  const unsigned: SignedTransaction = { ...fields, hash: 0n, raw: new Uint8Array(0), v: 0n, r: 0n, s: 0n };
  const raw = encodeTransaction(unsigned);
  const tx: SignedTransaction = { ...unsigned, raw, hash: keccak256Word(raw) };

  const callEnv = { ...env };
  const execution = scope.validation ? fields : { ...fields, nonce: stateNonce };
  if (!scope.validation) {
    if (maxFeePerGas === 0n && maxPriorityFeePerGas === 0n) callEnv.baseFee = 0n;
    if (blob && fields.maxFeePerBlobGas === 0n) callEnv.excessBlobGas = 0n;
  }
  return { tx, execution, callEnv };
}
