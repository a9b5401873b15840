// Shared by the chain store's tests and its crash child only: temp datadirs, a dev genesis, signed
// transactions from the default dev accounts, and a small contract with storage and a log.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { concatBytes, hexToBytes } from "../primitives/hex.js";
import { DEFAULT_MNEMONIC, devAccounts } from "./dev-accounts.js";
import { devGenesis, type GenesisSpec } from "./genesis.js";
import { signTransaction, type UnsignedTransaction } from "./transaction.js";
import type { SignedTransaction } from "./types.js";

export const KEYS = devAccounts(DEFAULT_MNEMONIC, 4);
export const [ALICE, BOB, CAROL, DAVE] = KEYS.map((k) => k.address) as [bigint, bigint, bigint, bigint];
export const ETHER = 10n ** 18n;
export const GENESIS_TIME = 1_700_000_000n;
export const CHAIN_ID = 31337n;
export const GWEI = 10n ** 9n;

export function testGenesis(o: { gasLimit?: bigint; chainId?: bigint; balance?: bigint } = {}): GenesisSpec {
  return devGenesis({
    chainId: o.chainId ?? CHAIN_ID,
    accounts: KEYS.map((k) => k.address),
    balance: o.balance ?? 10_000n * ETHER,
    timestamp: GENESIS_TIME,
    gasLimit: o.gasLimit,
  });
}

/** Temp directories removed by `cleanup` (call it from `after`). */
export class TempDirs {
  private readonly dirs: string[] = [];

  make(): string {
    const dir = mkdtempSync(join(tmpdir(), "weft-chain-"));
    this.dirs.push(dir);
    return dir;
  }

  cleanup(): void {
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
  }
}

function keyOf(sender: bigint): Uint8Array {
  const k = KEYS.find((a) => a.address === sender);
  if (k === undefined) throw new Error(`no test key for 0x${sender.toString(16)}`);
  return k.privateKey;
}

export interface TxFields {
  nonce: bigint;
  to?: bigint | null;
  value?: bigint;
  data?: Uint8Array;
  gasLimit?: bigint;
  maxFeePerGas?: bigint;
  maxPriorityFeePerGas?: bigint;
}

/** A signed EIP-1559 transaction from a test account. */
export function tx(from: bigint, f: TxFields): SignedTransaction {
  const unsigned: UnsignedTransaction = {
    type: 2,
    chainId: CHAIN_ID,
    nonce: f.nonce,
    gasLimit: f.gasLimit ?? 21_000n,
    maxFeePerGas: f.maxFeePerGas ?? 10n * GWEI,
    maxPriorityFeePerGas: f.maxPriorityFeePerGas ?? GWEI,
    to: f.to === undefined ? BOB : f.to,
    value: f.value ?? 0n,
    data: f.data ?? new Uint8Array(0),
    accessList: [],
  };
  return signTransaction(unsigned, keyOf(from));
}

/** Runtime: SSTORE(0, cd[0]); LOG1(topic cd[0], no data); STOP. */
export const STORE_AND_LOG_RUNTIME = hexToBytes("0x60003560005560003560006000a100");

/** Initcode that deploys STORE_AND_LOG_RUNTIME. */
export function storeAndLogInitcode(): Uint8Array {
  const n = STORE_AND_LOG_RUNTIME.length.toString(16).padStart(2, "0");
  // CODECOPY(0, 12, n); RETURN(0, n)
  return concatBytes(hexToBytes(`0x60${n}600c60003960${n}6000f3`), STORE_AND_LOG_RUNTIME);
}
