// Shared by the pool's tests: funded senders with real keys on a MemoryState head, a pool over it
// whose base fee and gas limit a test can move, and a signer that fills in the fields a test does
// not care about.
import { privateKeyToAddress } from "../chain/sign.js";
import { signTransaction, type UnsignedTransaction } from "../chain/transaction.js";
import type { SignedTransaction } from "../chain/types.js";
import { MemoryState } from "../state/memory-state.js";
import { TxPool, type TxPoolOptions } from "./tx-pool.js";

export const CHAIN_ID = 31337n;
export const ETHER = 10n ** 18n;
export const GWEI = 10n ** 9n;

export interface TestKey {
  key: Uint8Array;
  address: bigint;
}

/** The n-th test key: 0x00..0(n+1). */
export function testKey(n: number): TestKey {
  const key = new Uint8Array(32);
  key[31] = n + 1;
  key[30] = 0xaa;
  return { key, address: privateKeyToAddress(key) };
}

export interface Head {
  state: MemoryState;
  baseFee: bigint;
  gasLimit: bigint;
}

/** A head whose first `senders` test keys hold 100 ether each, nonce 0. Base fee 1 gwei, 30M gas. */
export function testHead(senders = 4): Head {
  const state = new MemoryState();
  for (let i = 0; i < senders; i++) state.setAccount(testKey(i).address, { nonce: 0n, balance: 100n * ETHER });
  return { state, baseFee: GWEI, gasLimit: 30_000_000n };
}

export function testPool(head: Head, options: Partial<TxPoolOptions> = {}): TxPool {
  return new TxPool({
    chainId: CHAIN_ID,
    state: () => head.state,
    baseFee: () => head.baseFee,
    blockGasLimit: () => head.gasLimit,
    ...options,
  });
}

/**
 * Signs a transfer from `from` (type 2 by default: 2 gwei fee cap, 1 gwei tip, 21000 gas, to 0x1234),
 * with `fields` overriding any of it. Legacy (type 0) and type 1 get gasPrice 2 gwei.
 */
export function signed(from: TestKey, fields: Partial<UnsignedTransaction> = {}): SignedTransaction {
  const type = fields.type ?? 2;
  const tx: UnsignedTransaction = {
    type,
    chainId: CHAIN_ID,
    nonce: 0n,
    gasLimit: 21_000n,
    to: 0x1234n,
    value: 0n,
    data: new Uint8Array(0),
    accessList: [],
    ...(type >= 2 ? { maxFeePerGas: 2n * GWEI, maxPriorityFeePerGas: GWEI } : { gasPrice: 2n * GWEI }),
    ...(type === 3 ? { maxFeePerBlobGas: 1n, blobVersionedHashes: [1n << 248n] } : {}),
    ...fields,
  };
  return signTransaction(tx, from.key);
}

/** What a block including `txs` does to their senders' accounts: the nonce moves past, `spent` wei is paid. */
export function applyBlock(head: Head, txs: readonly SignedTransaction[], spentPerTx = 21_000n * GWEI): void {
  for (const tx of txs) {
    const account = head.state.account(tx.sender)!;
    head.state.setAccount(tx.sender, { nonce: tx.nonce + 1n, balance: account.balance - spentPerTx - tx.value });
  }
}

/** One transaction of each shape: every type, a creation, an access list, blobs, a pre-EIP-155 legacy one. */
export function variety(): SignedTransaction[] {
  const alice = testKey(0);
  return [
    signed(alice),
    signed(alice, { type: 0, nonce: 1n }),
    signed(alice, { type: 0, chainId: undefined, nonce: 2n, gasPrice: 3n * GWEI }),
    signed(alice, {
      type: 1,
      nonce: 3n,
      to: null,
      gasLimit: 200_000n,
      data: new Uint8Array([0x60, 0x00, 0x60, 0x00, 0xf3]),
      accessList: [{ address: 0xabcn, storageKeys: [0n, 2n ** 256n - 1n] }],
    }),
    signed(alice, { type: 3, nonce: 4n, value: 10n ** 30n, blobVersionedHashes: [1n << 248n, (1n << 248n) | 7n] }),
  ];
}
