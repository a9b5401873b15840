// The RWA benchmark suite's parameters and where its contracts land: no compiler, no viem, so the
// e2e signing workers can load it. The setup itself is in suite.ts.
import { createAddress } from "../../evm/opcodes/system.js";
import { concatBytes, hexToBytes } from "../../primitives/hex.js";
import { encodeWords } from "../abi.js";

/** The setup's accounts on the bench chain (benchAddress(0xda, i)): funded there, nobody holds their keys. */
export const RWA_BENCH_ADMIN = (0xdan << 152n) | 1n;
export const RWA_BENCH_KYC_ISSUER = (0xdan << 152n) | 2n;
export const RWA_BENCH_AML_ISSUER = (0xdan << 152n) | 3n;

/** Required claim topics. */
export const RWA_KYC = 1n;
export const RWA_AML = 2n;
/** The allow list (ISO-3166 numeric: US, FR, DE, IT, ES); investor i lives in country i mod 5. */
export const RWA_COUNTRIES: readonly number[] = [840, 250, 276, 380, 724];
export const RWA_DECIMALS = 6;
const UNIT = 10n ** BigInt(RWA_DECIMALS);
/** A sender's holding before the block: 1,000 tokens (the block sends 1 unit per transaction). */
export const RWA_SENDER_TOKENS = 1_000n * UNIT;
/** A receiver's holding before the block: 100 tokens, so that a transfer adds no investor. */
export const RWA_RECEIVER_TOKENS = 100n * UNIT;
/** MaxBalanceModule's cap per identity: far above any holding here, but checked on every transfer. */
export const RWA_MAX_BALANCE = 1_000_000n * UNIT;
/** MaxInvestorsModule's cap: above any run's investor count (it binds only a new investor). */
export const RWA_MAX_INVESTORS = 1_000_000_000n;
/** SupplyLimitModule's cap on the total supply. */
export const RWA_SUPPLY_LIMIT = 10n ** 12n * UNIT;

/** Where each contract of the suite is. */
export interface RwaSuite {
  identityRegistry: bigint;
  compliance: bigint;
  token: bigint;
  countryAllow: bigint;
  maxBalance: bigint;
  maxInvestors: bigint;
  supplyLimit: bigint;
  [name: string]: bigint;
}

/** The suite's addresses when `deployer` deploys it from nonce `nonce` (deployRwaSuite's order). */
export function rwaSuiteAddresses(deployer: bigint, nonce = 0n): RwaSuite {
  const at = (i: number) => createAddress(deployer, nonce + BigInt(i));
  return {
    identityRegistry: at(0),
    compliance: at(1),
    token: at(2),
    countryAllow: at(3),
    maxBalance: at(4),
    maxInvestors: at(5),
    supplyLimit: at(6),
  };
}

/** ERC-20 transfer(address,uint256) and balanceOf(address), as RegulatedToken has them. */
export const RWA_TRANSFER_SELECTOR = "a9059cbb";
export const RWA_BALANCE_OF_SELECTOR = "70a08231";
/** MaxBalanceModule.identityBalance(address,uint256) (compliance, identity id). */
export const RWA_IDENTITY_BALANCE_SELECTOR = "9d0ab108";
/** A transfer uses about 194k gas (every slot cold); the limit leaves room without wasting block space. */
export const RWA_TRANSFER_GAS = 250_000n;

/** Calldata of RegulatedToken.transfer(to, amount). */
export function rwaTransferData(to: bigint, amount: bigint): Uint8Array {
  return concatBytes(hexToBytes(RWA_TRANSFER_SELECTOR), encodeWords([to, amount]));
}
