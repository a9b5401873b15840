// Signing and sender recovery on secp256k1 through the native `secp256k1` binding (libsecp256k1):
// recovery is the per-transaction cost of accepting a raw transaction, so it must not be pure JS.
import secp256k1 from "secp256k1";
import { bigintToBytes, bytesToBigint, concatBytes } from "../primitives/hex.js";
import { keccak256, keccak256Word } from "../primitives/keccak.js";

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

/**
 * The address that signed `hash`, or undefined where the signature is not valid: r or s out of
 * [1, n-1], s above n/2 (EIP-2), or no point recovers.
 */
export function recoverAddress(hash: bigint, r: bigint, s: bigint, yParity: number): bigint | undefined {
  if (r <= 0n || r >= SECP256K1_N || s <= 0n || s > SECP256K1_HALF_N) return undefined;
  if (yParity !== 0 && yParity !== 1) return undefined;
  const signature = new Uint8Array(64);
  signature.set(bigintToBytes(r, 32), 0);
  signature.set(bigintToBytes(s, 32), 32);
  try {
    return publicKeyToAddress(secp256k1.ecdsaRecover(signature, yParity, bigintToBytes(hash, 32), false));
  } catch {
    return undefined;
  }
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
