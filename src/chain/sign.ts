// Signing on secp256k1 through the native `secp256k1` binding (libsecp256k1), and sender recovery
// through signer-recovery (Weft's native addon where built): recovery is the per-transaction cost of
// accepting a raw transaction, so it must not be pure JS.
import secp256k1 from "secp256k1";
import { bigintToBytes, bytesToBigint, concatBytes } from "../primitives/hex.js";
import { keccak256, keccak256Word } from "../primitives/keccak.js";
import { signerRecovery } from "../primitives/signer-recovery.js";
import { ADDRESS_SIZE, HASH_SIZE, SIGNATURE_SIZE } from "../primitives/signer-recovery-backend.js";
import { writeWordAt } from "../primitives/word-view.js";

/** secp256k1 group order. */
export const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
/** The largest s a signature may carry (EIP-2: s in the lower half of the order). */
export const SECP256K1_HALF_N = SECP256K1_N >> 1n;

export interface Signature {
  r: bigint;
  s: bigint;
  yParity: 0 | 1;
}

function checkPrivateKey(privateKey: Uint8Array): void {
  if (privateKey.length !== 32 || !secp256k1.privateKeyVerify(privateKey)) {
    throw new Error("invalid private key: expected 32 bytes in [1, n-1]");
  }
}

/** Signs a 32-byte hash. libsecp256k1 signs deterministically (RFC 6979) and always returns low s. */
export function signHash(hash: bigint, privateKey: Uint8Array): Signature {
  checkPrivateKey(privateKey);
  const { signature, recid } = secp256k1.ecdsaSign(bigintToBytes(hash, 32), privateKey);
  return {
    r: bytesToBigint(signature.subarray(0, 32)),
    s: bytesToBigint(signature.subarray(32, 64)),
    yParity: recid as 0 | 1,
  };
}

/** The address of an uncompressed public key (65 bytes, 0x04 ++ x ++ y): the last 20 bytes of keccak256(x ++ y). */
export function publicKeyToAddress(publicKey: Uint8Array): bigint {
  const hash = keccak256(publicKey.subarray(1, 65));
  return bytesToBigint(hash.subarray(12, 32));
}

export function privateKeyToAddress(privateKey: Uint8Array): bigint {
  checkPrivateKey(privateKey);
  return publicKeyToAddress(secp256k1.publicKeyCreate(privateKey, false));
}

// Scratch for recoverAddress (one thread, no reentry): hash ++ r ++ s, then the address.
const RECOVERY_INPUT = new Uint8Array(HASH_SIZE + SIGNATURE_SIZE);
const RECOVERY_VIEW = new DataView(RECOVERY_INPUT.buffer);
const RECOVERY_HASH = RECOVERY_INPUT.subarray(0, HASH_SIZE);
const RECOVERY_SIGNATURE = RECOVERY_INPUT.subarray(HASH_SIZE);
const RECOVERY_ADDRESS = new Uint8Array(ADDRESS_SIZE);

/**
 * The address that signed `hash`, or undefined where the signature is not valid: r or s out of
 * [1, n-1], s above n/2 (EIP-2), or no point recovers.
 */
export function recoverAddress(hash: bigint, r: bigint, s: bigint, yParity: number): bigint | undefined {
  if (r <= 0n || r >= SECP256K1_N || s <= 0n || s > SECP256K1_HALF_N) return undefined;
  if (yParity !== 0 && yParity !== 1) return undefined;
  writeWordAt(RECOVERY_VIEW, 0, hash);
  writeWordAt(RECOVERY_VIEW, HASH_SIZE, r);
  writeWordAt(RECOVERY_VIEW, HASH_SIZE + SIGNATURE_SIZE / 2, s);
  return signerRecovery.recoverAddress(RECOVERY_HASH, RECOVERY_SIGNATURE, yParity, RECOVERY_ADDRESS)
    ? bytesToBigint(RECOVERY_ADDRESS)
    : undefined;
}

const PERSONAL_PREFIX = new TextEncoder().encode("\x19Ethereum Signed Message:\n");

/** EIP-191 version 0x45 (personal_sign / eth_sign): keccak256("\x19Ethereum Signed Message:\n" ++ len ++ message). */
export function personalMessageHash(message: Uint8Array): bigint {
  const length = new TextEncoder().encode(String(message.length));
  return keccak256Word(concatBytes(PERSONAL_PREFIX, length, message));
}

/** The 65-byte r ++ s ++ v form (v = 27 + yParity) that eth_sign and personal_sign return. */
export function signatureToBytes(signature: Signature): Uint8Array {
  const out = new Uint8Array(65);
  out.set(bigintToBytes(signature.r, 32), 0);
  out.set(bigintToBytes(signature.s, 32), 32);
  out[64] = 27 + signature.yParity;
  return out;
}
