// Deferred coinbase fees. Under `deferCoinbaseFee` a transaction that never loads the coinbase leaves
// its fee to the executor, which credits it exactly as processTransaction would have.
import type { AccountInfo, Host } from "../../evm/host.js";
import { EMPTY_CODE_HASH } from "../../primitives/keccak.js";

/**
 * The coinbase after crediting `fee`. processTransaction's own rule also deletes an existing empty
 * coinbase when the fee is 0 (EIP-161 touch); `canDeferFees` keeps that case out, so none is needed.
 */
export function creditFee(info: AccountInfo | undefined, fee: bigint): AccountInfo | undefined {
  if (fee === 0n) return info;
  if (info === undefined) return { nonce: 0n, balance: fee, codeHash: EMPTY_CODE_HASH };
  return { nonce: info.nonce, balance: info.balance + fee, codeHash: info.codeHash };
}

/**
 * Whether deferred fees are exact on `base`. Only an existing empty coinbase breaks them (a zero
 * fee would delete it, storage included). No transaction ever leaves an account existing and empty
 * (the journal destroys it), so only the base state can hold one.
 */
export function canDeferFees(base: Host, coinbase: bigint): boolean {
  const info = base.account(coinbase);
  return info === undefined || info.nonce !== 0n || info.balance !== 0n || info.codeHash !== EMPTY_CODE_HASH;
}
