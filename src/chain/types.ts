// The chain layer's data types, shared by chain, txpool, rpc and node. Words, addresses and hashes are
// bigints (as in the EVM); bytes are Uint8Array; hex appears only at the RPC edge.
import type { Log } from "../evm/host.js";
import type { TxInput } from "../exec/types.js";

/** A decoded, signature-checked transaction: what the executor needs plus what the chain keeps. */
export interface SignedTransaction extends TxInput {
  /** keccak256 of `raw`. */
  hash: bigint;
  /** The network encoding (RLP for legacy; type byte ++ RLP for typed): what eth_sendRawTransaction carries. */
  raw: Uint8Array;
  /** yParity (0 or 1) for typed transactions; v (27/28, or chainId * 2 + 35/36) for legacy. */
  v: bigint;
  r: bigint;
  s: bigint;
}

/** A Cancun execution-layer header (the fields hashed, in their RLP order). */
export interface BlockHeader {
  parentHash: bigint;
  ommersHash: bigint;
  coinbase: bigint;
  stateRoot: bigint;
  transactionsRoot: bigint;
  receiptsRoot: bigint;
  /** 256 bytes. */
  logsBloom: Uint8Array;
  difficulty: bigint;
  number: bigint;
  gasLimit: bigint;
  gasUsed: bigint;
  timestamp: bigint;
  extraData: Uint8Array;
  /** PREVRANDAO after the merge. */
  mixHash: bigint;
  /** 8 bytes, 0 after the merge. */
  nonce: bigint;
  baseFeePerGas: bigint;
  withdrawalsRoot: bigint;
  blobGasUsed: bigint;
  excessBlobGas: bigint;
  parentBeaconBlockRoot: bigint;
}

export interface Block {
  header: BlockHeader;
  /** keccak256 of the header's RLP. */
  hash: bigint;
  transactions: SignedTransaction[];
}

/** A block a rewind (evm_revert, anvil_reset) removed from the chain, with its receipts read before deletion. */
export interface DroppedBlock {
  block: Block;
  receipts: TransactionReceipt[];
}

/** A receipt as the node stores and serves it (consensus fields plus where the transaction sits). */
export interface TransactionReceipt {
  transactionHash: bigint;
  transactionIndex: number;
  blockHash: bigint;
  blockNumber: bigint;
  from: bigint;
  to: bigint | null;
  type: 0 | 1 | 2 | 3;
  status: 0 | 1;
  cumulativeGasUsed: bigint;
  gasUsed: bigint;
  effectiveGasPrice: bigint;
  contractAddress: bigint | null;
  logs: Log[];
  /** 256 bytes. */
  logsBloom: Uint8Array;
  /** Block-wide index of `logs[0]`: log i has logIndex firstLogIndex + i. */
  firstLogIndex: number;
  /** Type 3 only. */
  blobGasUsed?: bigint;
  blobGasPrice?: bigint;
}

/** How RPC names a block. */
export type BlockTag = bigint | "latest" | "pending" | "earliest" | "safe" | "finalized";
