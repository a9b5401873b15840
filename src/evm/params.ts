// Cancun gas and limit parameters, one place for every EIP constant the interpreter and the
// transaction processor use (names follow ethereum/execution-specs).

export const GAS_JUMPDEST = 1;
export const GAS_BASE = 2;
export const GAS_VERY_LOW = 3;
export const GAS_LOW = 5;
export const GAS_MID = 8;
export const GAS_HIGH = 10;
export const GAS_EXPONENTIATION = 10;
export const GAS_EXPONENTIATION_PER_BYTE = 50;
export const GAS_MEMORY = 3;
export const GAS_KECCAK256 = 30;
export const GAS_KECCAK256_WORD = 6;
export const GAS_COPY = 3;
export const GAS_BLOCK_HASH = 20;
export const GAS_LOG = 375;
export const GAS_LOG_DATA = 8;
export const GAS_LOG_TOPIC = 375;
export const GAS_CREATE = 32000;
export const GAS_CODE_DEPOSIT = 200;
export const GAS_NEW_ACCOUNT = 25000;
export const GAS_CALL_VALUE = 9000;
export const GAS_CALL_STIPEND = 2300;
export const GAS_SELF_DESTRUCT = 5000;
export const GAS_SELF_DESTRUCT_NEW_ACCOUNT = 25000;
export const GAS_FAST_STEP = 5;
export const GAS_BLOBHASH_OPCODE = 3;

// EIP-2929 / EIP-2930 access lists.
export const GAS_WARM_ACCESS = 100;
export const GAS_COLD_SLOAD = 2100;
export const GAS_COLD_ACCOUNT_ACCESS = 2600;
export const TX_ACCESS_LIST_ADDRESS_COST = 2400;
export const TX_ACCESS_LIST_STORAGE_KEY_COST = 1900;

// EIP-2200 / EIP-3529 storage.
export const GAS_STORAGE_SET = 20000;
export const GAS_STORAGE_UPDATE = 5000;
export const GAS_STORAGE_CLEAR_REFUND = 4800;
/** EIP-3529: refund at most gasUsed / 5. */
export const MAX_REFUND_QUOTIENT = 5n;

// Transactions.
export const TX_BASE_COST = 21000;
export const TX_DATA_COST_PER_ZERO = 4;
export const TX_DATA_COST_PER_NON_ZERO = 16;
export const TX_CREATE_COST = 32000;

// EIP-170 / EIP-3860 code and initcode limits.
export const MAX_CODE_SIZE = 0x6000;
export const MAX_INIT_CODE_SIZE = 2 * MAX_CODE_SIZE;
export const GAS_INIT_CODE_WORD_COST = 2;

export const STACK_LIMIT = 1024;
export const CALL_DEPTH_LIMIT = 1024;
export const MAX_NONCE = 2n ** 64n - 1n;

// EIP-4844 blobs.
export const GAS_PER_BLOB = 131072n;
export const MAX_BLOB_GAS_PER_BLOCK = 786432n;
export const MIN_BLOB_GASPRICE = 1n;
export const BLOB_BASE_FEE_UPDATE_FRACTION = 3338477n;
export const VERSIONED_HASH_VERSION_KZG = 0x01;

export const PRECOMPILE_COUNT = 10;
const PRECOMPILE_LAST = BigInt(PRECOMPILE_COUNT);

/** Whether `address` is one of the precompiles 0x01-0x0a. */
export function isPrecompile(address: bigint): boolean {
  return address >= 1n && address <= PRECOMPILE_LAST;
}
