// The one transaction-processing function, shared by the sequential and the parallel executor:
// validate, buy gas, run the message, refund, pay the coinbase. It reads state only through the Host
// and returns the transaction's writes; applying them is the executor's business.

import { Evm, type MessageResult } from "../evm/evm.js";
import { ExceptionalHalt } from "../evm/frame.js";
import type { BlockEnv, Host } from "../evm/host.js";
import { Journal } from "../evm/journal.js";
import { createAddress } from "../evm/opcodes/system.js";
import {
  isPrecompile,
  MAX_BLOB_GAS_PER_BLOCK,
  MAX_INIT_CODE_SIZE,
  MAX_NONCE,
  MAX_REFUND_QUOTIENT,
  VERSIONED_HASH_VERSION_KZG,
} from "../evm/params.js";
import { haltMessage } from "../evm/tracing/errors.js";
import { ERR_COLLISION } from "../evm/tracing/messages.js";
import { precompileFailure } from "../evm/tracing/precompile-failure.js";
import { TracedEvm } from "../evm/tracing/traced-evm.js";
import { EMPTY_CODE_HASH } from "../primitives/keccak.js";
import { MAX_U256, safeNumber, wordOfNumber } from "../primitives/word-view.js";
import { blobGasPrice, totalBlobGas } from "./blob-gas.js";
import { intrinsicGas } from "./intrinsic-gas.js";
import { InvalidTransactionError, type ProcessOptions, type TxInput, type TxOutcome } from "./types.js";

const EMPTY = new Uint8Array(0);
/** A creation whose address is taken: it fails at once, as geth's does. */
const COLLISION = new ExceptionalHalt(ERR_COLLISION);
const MAX_FRAME_GAS = BigInt(Number.MAX_SAFE_INTEGER);
/** A transaction without blobs (shared: nothing writes to it). */
const NO_BLOB_HASHES: readonly bigint[] = [];

function invalid(reason: InvalidTransactionError["reason"], details: string): TxOutcome {
  return { valid: false, error: new InvalidTransactionError(reason, details) };
}

const MAX_U64 = (1n << 64n) - 1n;

/** Absent, or a value RLP can carry as a 256-bit integer. */
function isWord(value: bigint | undefined): boolean {
  return value === undefined || (value >= 0n && value <= MAX_U256);
}

/** Fields a transaction's encoding cannot hold: RLP carries at most 256-bit integers, gas at most 64. */
function outOfRange(tx: TxInput): string | undefined {
  if (!isWord(tx.value)) return "value";
  if (!isWord(tx.gasPrice)) return "gasPrice";
  if (!isWord(tx.maxFeePerGas)) return "maxFeePerGas";
  if (!isWord(tx.maxPriorityFeePerGas)) return "maxPriorityFeePerGas";
  if (!isWord(tx.maxFeePerBlobGas)) return "maxFeePerBlobGas";
  if (tx.gasLimit < 0n || tx.gasLimit > MAX_U64) return "gasLimit";
  if (tx.nonce < 0n || tx.nonce > MAX_U64) return "nonce";
  return undefined;
}

export function processTransaction(tx: TxInput, block: BlockEnv, host: Host, options: ProcessOptions = {}): TxOutcome {
  // --- validation that needs no state ---
  const badField = outOfRange(tx);
  if (badField !== undefined) return invalid("VALUE_OVERFLOW", `${badField} does not fit its encoding`);
  const intrinsic = intrinsicGas(tx);
  if (intrinsic > tx.gasLimit)
    return invalid("INTRINSIC_GAS_TOO_LOW", `intrinsic gas ${intrinsic} > limit ${tx.gasLimit}`);
  if (tx.nonce >= MAX_NONCE) return invalid("NONCE_MAX", "nonce at or above 2^64-1 (EIP-2681)");
  if (tx.to === null && tx.data.length > MAX_INIT_CODE_SIZE) {
    return invalid("INITCODE_TOO_LARGE", `initcode of ${tx.data.length} bytes (EIP-3860)`);
  }
  if (tx.chainId !== undefined && tx.chainId !== block.chainId) {
    return invalid("WRONG_CHAIN_ID", `chain id ${tx.chainId}, expected ${block.chainId}`);
  }
  if (tx.gasLimit > block.gasLimit) return invalid("GAS_LIMIT_EXCEEDS_BLOCK", `gas limit ${tx.gasLimit} > block's`);

  let effectiveGasPrice: bigint;
  /** The part of the gas price above the base fee: what the coinbase earns per unit of gas. */
  let priorityPrice: bigint;
  let maxGasFee: bigint;
  if (tx.type >= 2) {
    const maxFee = tx.maxFeePerGas ?? 0n;
    const maxPriority = tx.maxPriorityFeePerGas ?? 0n;
    if (maxFee < maxPriority) return invalid("PRIORITY_FEE_ABOVE_FEE_CAP", "max priority fee above max fee");
    if (maxFee < block.baseFee)
      return invalid("FEE_CAP_BELOW_BASE_FEE", `max fee ${maxFee} < base fee ${block.baseFee}`);
    const headroom = maxFee - block.baseFee;
    priorityPrice = maxPriority < headroom ? maxPriority : headroom;
    effectiveGasPrice = priorityPrice + block.baseFee;
    maxGasFee = tx.gasLimit * maxFee;
  } else {
    const price = tx.gasPrice ?? 0n;
    if (price < block.baseFee)
      return invalid("FEE_CAP_BELOW_BASE_FEE", `gas price ${price} < base fee ${block.baseFee}`);
    effectiveGasPrice = price;
    priorityPrice = price - block.baseFee;
    maxGasFee = tx.gasLimit * price;
  }

  let blobFee = 0n;
  const blobBaseFee = blobGasPrice(block.excessBlobGas);
  const blobHashes = tx.blobVersionedHashes ?? NO_BLOB_HASHES;
  if (tx.type === 3) {
    if (tx.to === null) return invalid("BLOB_TX_CREATE", "a blob transaction cannot create a contract");
    if (blobHashes.length === 0) return invalid("BLOB_TX_NO_BLOBS", "a blob transaction needs at least one blob");
    if (totalBlobGas(blobHashes.length) > MAX_BLOB_GAS_PER_BLOCK) {
      return invalid("BLOB_TX_TOO_MANY_BLOBS", `${blobHashes.length} blobs exceed the block's blob gas`);
    }
    for (const hash of blobHashes) {
      if (hash >> 248n !== BigInt(VERSIONED_HASH_VERSION_KZG))
        return invalid("BLOB_HASH_VERSION", "a blob versioned hash does not start with 0x01");
    }
    const maxBlobFee = tx.maxFeePerBlobGas ?? 0n;
    if (maxBlobFee < blobBaseFee) return invalid("BLOB_FEE_CAP_TOO_LOW", `max blob fee ${maxBlobFee} < ${blobBaseFee}`);
    maxGasFee += totalBlobGas(blobHashes.length) * maxBlobFee;
    blobFee = totalBlobGas(blobHashes.length) * blobBaseFee;
  }

  // --- validation against the sender's account ---
  const journal = new Journal(host);
  const sender = journal.account(tx.sender);
  if (sender.nonce > tx.nonce) return invalid("NONCE_TOO_LOW", `nonce ${tx.nonce}, account has ${sender.nonce}`);
  if (sender.nonce < tx.nonce) return invalid("NONCE_TOO_HIGH", `nonce ${tx.nonce}, account has ${sender.nonce}`);
  if (sender.balance < maxGasFee + tx.value) {
    return invalid("INSUFFICIENT_FUNDS", `balance ${sender.balance} < ${maxGasFee + tx.value}`);
  }
  if (sender.codeHash !== EMPTY_CODE_HASH && !options.allowContractSender) {
    return invalid("SENDER_NOT_EOA", "sender has code (EIP-3607)");
  }

  // --- buy gas, warm the access list ---
  const gas = tx.gasLimit - intrinsic;
  journal.incrementNonce(sender);
  const gasCost = tx.gasLimit * effectiveGasPrice;
  journal.setBalance(sender, sender.balance - (blobFee === 0n ? gasCost : gasCost + blobFee));
  journal.warmAddress(tx.sender);
  journal.warmAddress(block.coinbase);
  for (const entry of tx.accessList) {
    journal.warmAddress(entry.address);
    if (entry.storageKeys.length > 0) {
      const account = journal.account(entry.address);
      for (const key of entry.storageKeys) journal.warmSlotKey(account, key);
    }
  }

  const evm =
    options.tracer === undefined
      ? new Evm(journal, block, tx.sender, effectiveGasPrice, blobHashes, blobBaseFee)
      : new TracedEvm(options.tracer, journal, block, tx.sender, effectiveGasPrice, blobHashes, blobBaseFee);
  // Frames count gas in doubles. Gas above 2^53 cannot be spent in any real run, so the frame gets
  // 2^53-1 and the unspendable excess is added back afterwards: gas used stays exact.
  const frameGas = gas > MAX_FRAME_GAS ? MAX_FRAME_GAS : gas;
  const unspendable = gas > MAX_FRAME_GAS ? gas - frameGas : 0n;
  let result: MessageResult;
  let createdAddress: bigint | undefined;
  if (tx.to === null) {
    const address = createAddress(tx.sender, tx.nonce);
    journal.warmAddress(address);
    const target = journal.account(address);
    if (target.nonce !== 0n || target.codeHash !== EMPTY_CODE_HASH || journal.hasStorage(target)) {
      result = { success: false, gasLeft: 0, output: EMPTY, halt: COLLISION };
    } else {
      result = evm.executeCreate(tx.sender, address, tx.value, tx.data, safeNumber(frameGas), 0);
      if (result.success) createdAddress = address;
    }
  } else {
    journal.warmAddress(tx.to);
    result = evm.executeCall(tx.sender, tx.to, tx.to, tx.value, true, tx.data, safeNumber(frameGas), false, 0);
  }

  // --- refund and fees ---
  if (!result.success) journal.refund = 0;
  // An exceptional halt consumes everything, the unspendable excess included.
  const gasLeft =
    result.gasLeft === 0 && !result.success
      ? 0n
      : unspendable === 0n
        ? wordOfNumber(result.gasLeft)
        : wordOfNumber(result.gasLeft) + unspendable;
  const gasUsedBeforeRefund = tx.gasLimit - gasLeft;
  let gasUsed = gasUsedBeforeRefund;
  if (journal.refund > 0) {
    const refundCap = gasUsedBeforeRefund / MAX_REFUND_QUOTIENT;
    const refund = wordOfNumber(journal.refund);
    gasUsed -= refund < refundCap ? refund : refundCap;
  }
  journal.setBalance(sender, sender.balance + (tx.gasLimit - gasUsed) * effectiveGasPrice);
  const fee = gasUsed * priorityPrice;
  // Deferred only while the transaction never loaded the coinbase: once it has, its own view of the
  // coinbase is exact (the executor made it so) and crediting here keeps every edge case as before.
  let coinbaseFee: bigint | undefined;
  if (options.deferCoinbaseFee === true && !journal.accounts.has(block.coinbase)) coinbaseFee = fee;
  else {
    const coinbase = journal.account(block.coinbase);
    if (coinbase.balance + fee !== 0n) journal.setBalance(coinbase, coinbase.balance + fee);
    else if (coinbase.exists && coinbase.isEmpty()) journal.destroy(coinbase);
  }

  // The receipt keeps the logs: an array of their exact number (the journal's, grown by push, has room
  // for 16 more).
  const logs = result.success ? journal.logs.slice() : [];
  if (result.success && journal.anySelfDestructed) {
    for (const account of journal.accounts.values()) if (account.selfDestructed) journal.destroy(account);
  }

  const outcome: TxOutcome = {
    valid: true,
    status: result.success ? 1 : 0,
    gasUsed,
    logs,
    output: result.output,
    writes: journal.writes(),
  };
  if (createdAddress !== undefined) outcome.createdAddress = createdAddress;
  const halt = result.success ? undefined : topHalt(tx, result, safeNumber(frameGas));
  if (halt !== undefined) outcome.halt = halt;
  if (coinbaseFee !== undefined) outcome.coinbaseFee = coinbaseFee;
  return outcome;
}

/** geth's message for why the transaction's own frame failed other than by REVERT; undefined if it did not. */
function topHalt(tx: TxInput, result: MessageResult, frameGas: number): string | undefined {
  if (result.success) return undefined;
  if (result.halt !== undefined) return haltMessage(result.halt, undefined);
  // A precompile called directly fails without a halt of its own.
  if (tx.to !== null && isPrecompile(tx.to)) return precompileFailure(Number(tx.to), tx.data, frameGas);
  return undefined;
}
