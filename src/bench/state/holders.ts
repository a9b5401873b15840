// The accounts `weft bench state` writes: N holders, each funded with ether and holding a balance of
// one OpenZeppelin ERC-20 token, whose `_balances` mapping sits in storage slot 0, so a holder's
// balance is at keccak256(pad32(holder) ++ pad32(0)).
import { bigintToBytes, bytesToBigint } from "../../primitives/hex.js";
import { keccak256 } from "../../primitives/keccak.js";

/** Where the token lives (a fixed address, as a genesis would put it). */
export const TOKEN_ADDRESS = 0x7070000000000000000000000000000000000001n;
/** Ether each holder starts with (1,000 ether). */
export const HOLDER_ETHER = 10n ** 21n;
/** Token units each holder starts with. */
export const HOLDER_TOKENS = 10n ** 20n;

/** Holder `i`: the last 20 bytes of keccak256("holder" ++ i), so holders are spread as real addresses are. */
export function holderAddress(i: number): bigint {
  const seed = new Uint8Array(14);
  seed.set([0x68, 0x6f, 0x6c, 0x64, 0x65, 0x72]); // "holder"
  new DataView(seed.buffer).setBigUint64(6, BigInt(i));
  return bytesToBigint(keccak256(seed).subarray(12));
}

/** The token storage slot of `holder`'s balance (OpenZeppelin ERC20: `_balances` at slot 0). */
export function balanceSlot(holder: bigint): bigint {
  const preimage = new Uint8Array(64);
  preimage.set(bigintToBytes(holder, 32), 0);
  return bytesToBigint(keccak256(preimage));
}
