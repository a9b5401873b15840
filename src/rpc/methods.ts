// The method table: every JSON-RPC method the server answers, by name.
//
// HOW TO ADD A METHOD (H5 debug_*, H6 evm_/anvil_/hardhat_*, anyone later):
//   1. Write one file per method under src/rpc/<namespace>/, exporting a handler of type RpcHandler
//      (handler.ts): `(params: readonly unknown[], ctx: RpcContext, call: CallInfo) => unknown`
//      (may be async). Parse params with hex-codec.ts (expectParams, parseQuantity, parseAddress,
//      parseBlockRef, ...: they throw -32602 with a clear message), resolve blocks with
//      block-ref.ts (resolveBlock / stateFor / blockEnvFor), format results with hex-codec.ts. Throw
//      RpcError (errors.ts) for a specific code; revertError(output) for code 3 with revert data.
//      See eth/chain-id.ts (minimal) or eth/get-balance.ts (block tag + state).
//   2. Add ONE import line and ONE table line in your namespace's block below (blocks are kept apart
//      so several people can append without touching the same lines). An alias (hardhat_mine for
//      anvil_mine) is just a second line naming the same handler.
//   The node passes `methods` (or a table extended with `{ ...methods, x_y: handler }`) to
//   startRpcServer; tests may pass their own table the same way.
//
// What a handler gets in `ctx` (context.ts): chain, pool, miner, events, accounts, impersonated,
// config, limits, filters. Dev methods that change what the chain serves (setBalance, mine, revert)
// need nothing from the RPC layer beyond that: filters and subscriptions follow ctx.events.

// --- debug_ (H5): imports here ---
import { debugTraceBlockByHash } from "./debug/trace-block-by-hash.js";
import { debugTraceBlockByNumber } from "./debug/trace-block-by-number.js";
import { debugTraceCall } from "./debug/trace-call.js";
import { debugTraceTransaction } from "./debug/trace-transaction.js";
// --- evm_, anvil_, hardhat_ (H6): imports here ---
import { anvilAutoImpersonateAccount } from "./dev/anvil-auto-impersonate-account.js";
import { anvilDropAllTransactions } from "./dev/anvil-drop-all-transactions.js";
import { anvilDropTransaction } from "./dev/anvil-drop-transaction.js";
import { anvilDumpState } from "./dev/anvil-dump-state.js";
import { anvilGetAutomine } from "./dev/anvil-get-automine.js";
import { anvilImpersonateAccount } from "./dev/anvil-impersonate-account.js";
import { anvilLoadState } from "./dev/anvil-load-state.js";
import { anvilMetadata } from "./dev/anvil-metadata.js";
import { anvilMine } from "./dev/anvil-mine.js";
import { anvilNodeInfo } from "./dev/anvil-node-info.js";
import { anvilRemoveBlockTimestampInterval } from "./dev/anvil-remove-block-timestamp-interval.js";
import { anvilReset } from "./dev/anvil-reset.js";
import { anvilSetBalance } from "./dev/anvil-set-balance.js";
import { anvilSetBlockTimestampInterval } from "./dev/anvil-set-block-timestamp-interval.js";
import { anvilSetCode } from "./dev/anvil-set-code.js";
import { anvilSetCoinbase } from "./dev/anvil-set-coinbase.js";
import { anvilSetIntervalMining } from "./dev/anvil-set-interval-mining.js";
import { anvilSetNextBlockBaseFeePerGas } from "./dev/anvil-set-next-block-base-fee-per-gas.js";
import { anvilSetNonce } from "./dev/anvil-set-nonce.js";
import { anvilSetStorageAt } from "./dev/anvil-set-storage-at.js";
import { anvilStopImpersonatingAccount } from "./dev/anvil-stop-impersonating-account.js";
import { evmIncreaseTime } from "./dev/evm-increase-time.js";
import { evmMine } from "./dev/evm-mine.js";
import { evmRevert } from "./dev/evm-revert.js";
import { evmSetAutomine } from "./dev/evm-set-automine.js";
import { evmSetBlockGasLimit } from "./dev/evm-set-block-gas-limit.js";
import { evmSetNextBlockTimestamp } from "./dev/evm-set-next-block-timestamp.js";
import { evmSnapshot } from "./dev/evm-snapshot.js";
// --- eth_, net_, web3_ (H4) ---
import { ethAccounts } from "./eth/accounts.js";
import { ethBlobBaseFee } from "./eth/blob-base-fee.js";
import { ethBlockNumber } from "./eth/block-number.js";
import { ethCall } from "./eth/call.js";
import { ethChainId } from "./eth/chain-id.js";
import { ethCoinbase } from "./eth/coinbase.js";
import { ethCreateAccessList } from "./eth/create-access-list.js";
import { ethEstimateGas } from "./eth/estimate-gas.js";
import { ethFeeHistory } from "./eth/fee-history.js";
import { ethGasPrice } from "./eth/gas-price.js";
import { ethGetBalance } from "./eth/get-balance.js";
import { ethGetBlockByHash } from "./eth/get-block-by-hash.js";
import { ethGetBlockByNumber } from "./eth/get-block-by-number.js";
import { ethGetBlockReceipts } from "./eth/get-block-receipts.js";
import {
  ethGetBlockTransactionCountByHash,
  ethGetBlockTransactionCountByNumber,
} from "./eth/get-block-transaction-count.js";
import { ethGetCode } from "./eth/get-code.js";
import { ethGetLogs } from "./eth/get-logs.js";
import { ethGetProof } from "./eth/get-proof.js";
import { ethGetStorageAt } from "./eth/get-storage-at.js";
import {
  ethGetTransactionByBlockHashAndIndex,
  ethGetTransactionByBlockNumberAndIndex,
} from "./eth/get-transaction-by-block-and-index.js";
import { ethGetTransactionByHash } from "./eth/get-transaction-by-hash.js";
import { ethGetTransactionCount } from "./eth/get-transaction-count.js";
import { ethGetTransactionReceipt } from "./eth/get-transaction-receipt.js";
import {
  ethGetUncleByBlockHashAndIndex,
  ethGetUncleByBlockNumberAndIndex,
} from "./eth/get-uncle-by-block-and-index.js";
import { ethGetUncleCountByBlockHash, ethGetUncleCountByBlockNumber } from "./eth/get-uncle-count.js";
import { ethHashrate } from "./eth/hashrate.js";
import { ethMaxPriorityFeePerGas } from "./eth/max-priority-fee-per-gas.js";
import { ethMining } from "./eth/mining.js";
import { ethSendRawTransaction } from "./eth/send-raw-transaction.js";
import { ethSendTransaction } from "./eth/send-transaction.js";
import { ethSign, personalSign } from "./eth/sign.js";
import { ethSignTransaction } from "./eth/sign-transaction.js";
import { ethSignTypedDataV4 } from "./eth/sign-typed-data.js";
import { ethSimulateV1 } from "./eth/simulate-v1.js";
import { ethSyncing } from "./eth/syncing.js";
import { ethGetFilterChanges, ethGetFilterLogs, ethUninstallFilter } from "./filters/filter-changes.js";
import { ethNewBlockFilter, ethNewFilter, ethNewPendingTransactionFilter } from "./filters/new-filter.js";
import type { MethodTable } from "./handler.js";
import { netListening } from "./net/listening.js";
import { netPeerCount } from "./net/peer-count.js";
import { netVersion } from "./net/version.js";
import { ethSubscribe, ethUnsubscribe } from "./subscriptions/subscribe.js";
import { txpoolContent } from "./txpool/content.js";
import { txpoolContentFrom } from "./txpool/content-from.js";
import { txpoolInspect } from "./txpool/inspect.js";
import { txpoolStatus } from "./txpool/status.js";
import { web3ClientVersion } from "./web3/client-version.js";
import { web3Sha3 } from "./web3/sha3.js";
import { weftMetrics } from "./weft/metrics.js";

export const methods: MethodTable = {
  // --- eth_, net_, web3_ (H4) ---
  eth_accounts: ethAccounts,
  eth_blobBaseFee: ethBlobBaseFee,
  eth_blockNumber: ethBlockNumber,
  eth_call: ethCall,
  eth_chainId: ethChainId,
  eth_coinbase: ethCoinbase,
  eth_createAccessList: ethCreateAccessList,
  eth_estimateGas: ethEstimateGas,
  eth_feeHistory: ethFeeHistory,
  eth_gasPrice: ethGasPrice,
  eth_getBalance: ethGetBalance,
  eth_getBlockByHash: ethGetBlockByHash,
  eth_getBlockByNumber: ethGetBlockByNumber,
  eth_getBlockReceipts: ethGetBlockReceipts,
  eth_getBlockTransactionCountByHash: ethGetBlockTransactionCountByHash,
  eth_getBlockTransactionCountByNumber: ethGetBlockTransactionCountByNumber,
  eth_getCode: ethGetCode,
  eth_getFilterChanges: ethGetFilterChanges,
  eth_getFilterLogs: ethGetFilterLogs,
  eth_getLogs: ethGetLogs,
  eth_getProof: ethGetProof,
  eth_getStorageAt: ethGetStorageAt,
  eth_getTransactionByBlockHashAndIndex: ethGetTransactionByBlockHashAndIndex,
  eth_getTransactionByBlockNumberAndIndex: ethGetTransactionByBlockNumberAndIndex,
  eth_getTransactionByHash: ethGetTransactionByHash,
  eth_getTransactionCount: ethGetTransactionCount,
  eth_getTransactionReceipt: ethGetTransactionReceipt,
  eth_hashrate: ethHashrate,
  eth_maxPriorityFeePerGas: ethMaxPriorityFeePerGas,
  eth_mining: ethMining,
  eth_newBlockFilter: ethNewBlockFilter,
  eth_newFilter: ethNewFilter,
  eth_newPendingTransactionFilter: ethNewPendingTransactionFilter,
  eth_sendRawTransaction: ethSendRawTransaction,
  eth_sendTransaction: ethSendTransaction,
  eth_sign: ethSign,
  eth_signTransaction: ethSignTransaction,
  eth_signTypedData_v4: ethSignTypedDataV4,
  eth_simulateV1: ethSimulateV1,
  eth_subscribe: ethSubscribe,
  eth_syncing: ethSyncing,
  eth_uninstallFilter: ethUninstallFilter,
  eth_unsubscribe: ethUnsubscribe,
  net_listening: netListening,
  net_peerCount: netPeerCount,
  net_version: netVersion,
  personal_sign: personalSign,
  txpool_content: txpoolContent,
  txpool_contentFrom: txpoolContentFrom,
  txpool_inspect: txpoolInspect,
  txpool_status: txpoolStatus,
  web3_clientVersion: web3ClientVersion,
  web3_sha3: web3Sha3,
  weft_metrics: weftMetrics,

  // --- debug_ (H5): table lines here ---
  debug_traceBlockByHash: debugTraceBlockByHash,
  debug_traceBlockByNumber: debugTraceBlockByNumber,
  debug_traceCall: debugTraceCall,
  debug_traceTransaction: debugTraceTransaction,

  // --- evm_, anvil_, hardhat_ (H6): table lines here ---
  evm_mine: evmMine,
  evm_snapshot: evmSnapshot,
  evm_revert: evmRevert,
  evm_increaseTime: evmIncreaseTime,
  evm_setNextBlockTimestamp: evmSetNextBlockTimestamp,
  evm_setAutomine: evmSetAutomine,
  evm_setIntervalMining: anvilSetIntervalMining,
  anvil_mine: anvilMine,
  anvil_snapshot: evmSnapshot,
  anvil_revert: evmRevert,
  anvil_increaseTime: evmIncreaseTime,
  anvil_setNextBlockTimestamp: evmSetNextBlockTimestamp,
  anvil_setAutomine: evmSetAutomine,
  anvil_getAutomine: anvilGetAutomine,
  anvil_setIntervalMining: anvilSetIntervalMining,
  anvil_setBalance: anvilSetBalance,
  anvil_setCode: anvilSetCode,
  anvil_setNonce: anvilSetNonce,
  anvil_setStorageAt: anvilSetStorageAt,
  anvil_impersonateAccount: anvilImpersonateAccount,
  anvil_stopImpersonatingAccount: anvilStopImpersonatingAccount,
  anvil_dumpState: anvilDumpState,
  anvil_loadState: anvilLoadState,
  hardhat_mine: anvilMine,
  hardhat_getAutomine: anvilGetAutomine,
  hardhat_setBalance: anvilSetBalance,
  hardhat_setCode: anvilSetCode,
  hardhat_setNonce: anvilSetNonce,
  hardhat_setStorageAt: anvilSetStorageAt,
  hardhat_impersonateAccount: anvilImpersonateAccount,
  hardhat_stopImpersonatingAccount: anvilStopImpersonatingAccount,
  evm_setBlockGasLimit: evmSetBlockGasLimit,
  anvil_dropTransaction: anvilDropTransaction,
  anvil_dropAllTransactions: anvilDropAllTransactions,
  anvil_setCoinbase: anvilSetCoinbase,
  anvil_setNextBlockBaseFeePerGas: anvilSetNextBlockBaseFeePerGas,
  anvil_setBlockTimestampInterval: anvilSetBlockTimestampInterval,
  anvil_removeBlockTimestampInterval: anvilRemoveBlockTimestampInterval,
  anvil_autoImpersonateAccount: anvilAutoImpersonateAccount,
  anvil_nodeInfo: anvilNodeInfo,
  anvil_metadata: anvilMetadata,
  anvil_reset: anvilReset,
  hardhat_dropTransaction: anvilDropTransaction,
  hardhat_setCoinbase: anvilSetCoinbase,
  hardhat_setNextBlockBaseFeePerGas: anvilSetNextBlockBaseFeePerGas,
  hardhat_metadata: anvilMetadata,
  hardhat_reset: anvilReset,
  eth_getUncleCountByBlockHash: ethGetUncleCountByBlockHash,
  eth_getUncleCountByBlockNumber: ethGetUncleCountByBlockNumber,
  eth_getUncleByBlockHashAndIndex: ethGetUncleByBlockHashAndIndex,
  eth_getUncleByBlockNumberAndIndex: ethGetUncleByBlockNumberAndIndex,
};
