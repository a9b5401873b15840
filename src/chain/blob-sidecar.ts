// EIP-4844's network form of a blob transaction: 0x03 || rlp([tx_payload_body, blobs, commitments,
// proofs]). That is what wallets (viem's sendTransaction with `blobs`, cast send --blob) hand to
// eth_sendRawTransaction. The pool keeps the canonical form, 0x03 || rlp(tx_payload_body), whose hash
// is the transaction hash; the sidecar is checked here first: one blob, commitment and proof per
// versioned hash, each hash the commitment's, and every KZG proof valid.
import { createHash } from "node:crypto";
import { GAS_PER_BLOB, MAX_BLOB_GAS_PER_BLOCK, VERSIONED_HASH_VERSION_KZG } from "../evm/params.js";
import { bytesToBigint, bytesToHex, concatBytes } from "../primitives/hex.js";
import { type RlpDecoded, rlpDecode, rlpEncode } from "../primitives/rlp.js";
import { TxDecodeError } from "./errors.js";
import { verifyBlobKzgProofs } from "./kzg.js";

/** EIP-4844: 4096 field elements of 32 bytes. */
export const BYTES_PER_BLOB = 131_072;
const BYTES_PER_COMMITMENT = 48;
const BYTES_PER_PROOF = 48;
/** Most blobs one transaction can carry: a whole block's blob gas (Cancun: 6). */
export const MAX_BLOBS_PER_TX = Number(MAX_BLOB_GAS_PER_BLOCK / GAS_PER_BLOB);

export interface BlobSidecar {
  blobs: Uint8Array[];
  commitments: Uint8Array[];
  proofs: Uint8Array[];
}

export interface BlobNetworkForm {
  /** 0x03 || rlp(tx_payload_body): what the pool decodes, hashes and mines. */
  canonical: Uint8Array;
  sidecar: BlobSidecar;
}

/**
 * Splits a type-3 transaction in network form into its canonical encoding and its sidecar; undefined
 * for anything else (another type, or the canonical form, whose first list item is not a list).
 * Throws TxDecodeError (RLP, FIELDS) for a network form whose sidecar is malformed.
 */
export function splitBlobNetworkForm(raw: Uint8Array): BlobNetworkForm | undefined {
  if (raw.length < 2 || raw[0] !== 3) return undefined;
  let items: RlpDecoded;
  try {
    items = rlpDecode(raw.subarray(1));
  } catch {
    return undefined; // the decoder proper says what is wrong
  }
  if (!Array.isArray(items) || !Array.isArray(items[0])) return undefined;
  if (items.length === 5) {
    // EIP-7594's form: [body, wrapper_version, blobs, commitments, cell_proofs] (cast send --blob's default).
    throw new TxDecodeError(
      "FIELDS",
      "blob transaction in EIP-7594 (PeerDAS, Osaka) network form: this chain runs Cancun; send the EIP-4844 form (e.g. cast send --blob --eip4844)",
    );
  }
  if (items.length !== 4) {
    throw new TxDecodeError("FIELDS", `blob transaction network form: ${items.length} items, expected 4`);
  }
  const sidecar: BlobSidecar = {
    blobs: fixedList(items[1], "blobs", BYTES_PER_BLOB),
    commitments: fixedList(items[2], "commitments", BYTES_PER_COMMITMENT),
    proofs: fixedList(items[3], "proofs", BYTES_PER_PROOF),
  };
  const canonical = concatBytes(Uint8Array.of(3), rlpEncode(items[0]));
  return { canonical, sidecar };
}

function fixedList(item: RlpDecoded | undefined, name: string, length: number): Uint8Array[] {
  if (!Array.isArray(item)) throw new TxDecodeError("FIELDS", `blob sidecar: ${name} is not a list`);
  return item.map((entry, i) => {
    if (!(entry instanceof Uint8Array) || entry.length !== length) {
      const size = entry instanceof Uint8Array ? `${entry.length} bytes` : "a list";
      throw new TxDecodeError("FIELDS", `blob sidecar: ${name}[${i}] is ${size}, expected ${length} bytes`);
    }
    return entry;
  });
}

/** EIP-4844's kzg_to_versioned_hash: 0x01 || sha256(commitment)[1:]. */
export function commitmentToVersionedHash(commitment: Uint8Array): bigint {
  const digest = createHash("sha256").update(commitment).digest();
  digest[0] = VERSIONED_HASH_VERSION_KZG;
  return bytesToBigint(digest);
}

/**
 * Checks a sidecar against the transaction's versioned hashes (EIP-4844's validate_blob_transaction_wrapper).
 * Throws TxDecodeError("BLOB") saying which check failed.
 */
export function verifyBlobSidecar(versionedHashes: readonly bigint[], sidecar: BlobSidecar): void {
  const { blobs, commitments, proofs } = sidecar;
  const n = versionedHashes.length;
  if (blobs.length !== n || commitments.length !== n || proofs.length !== n) {
    throw new TxDecodeError(
      "BLOB",
      `sidecar holds ${blobs.length} blobs, ${commitments.length} commitments and ${proofs.length} proofs for ${n} versioned hashes`,
    );
  }
  for (let i = 0; i < n; i++) {
    if (commitmentToVersionedHash(commitments[i]!) !== versionedHashes[i]) {
      throw new TxDecodeError("BLOB", `blobVersionedHashes[${i}] is not the hash of commitments[${i}]`);
    }
  }
  if (!verifyBlobKzgProofs(blobs.map(bytesToHex), commitments.map(bytesToHex), proofs.map(bytesToHex))) {
    throw new TxDecodeError("BLOB", "a KZG proof does not verify against its blob and commitment");
  }
}
