// EIP-4844 blob transactions as wallets send them: viem signs a type-3 transaction with its sidecar
// (blobs, KZG commitments and proofs: the network form) and eth_sendRawTransaction takes it. The node
// checks the sidecar, keeps the canonical form and mines it with its blob gas. A sidecar that does not
// match (a wrong proof, a commitment of another blob) is refused, on Weft and on anvil alike.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  type BlobSidecar,
  blobsToCommitments,
  blobsToProofs,
  commitmentsToVersionedHashes,
  createPublicClient,
  type Hex,
  http,
  type Kzg,
  type PublicClient,
  parseGwei,
  toBlobSidecars,
  toBlobs,
  toHex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { blobCommitmentAndProof } from "../../src/chain/kzg.js";
import { bytesToHex, hexToBytes } from "../../src/primitives/hex.js";
import { CHAIN_ID, DEV, rpcRaw, startTarget, TARGET, type Target } from "./harness.js";

/** viem's KZG interface over Weft's (micro-eth-signer): bytes in, bytes out; each blob's pair computed once. */
const pairs = new Map<string, { commitment: string; proof: string }>();
const pairOf = (blob: Uint8Array) => {
  const hex = bytesToHex(blob);
  let pair = pairs.get(hex);
  if (pair === undefined) pairs.set(hex, (pair = blobCommitmentAndProof(hex)));
  return pair;
};
const kzg: Kzg = {
  blobToKzgCommitment: (blob) => hexToBytes(pairOf(blob).commitment),
  computeBlobKzgProof: (blob) => hexToBytes(pairOf(blob).proof),
};

const account = privateKeyToAccount(DEV[3].key);
let node: Target;
let client: PublicClient;
let nonce = 0;

before(async () => {
  node = await startTarget();
  client = createPublicClient({ chain: foundry, transport: http(node.url) });
});
after(() => node?.stop());

/** viem's sidecars for `blobs`: each blob with its KZG commitment and proof. */
function sidecarsOf(blobs: Hex[]): BlobSidecar<Hex>[] {
  const commitments = blobsToCommitments({ blobs, kzg, to: "hex" });
  const proofs = blobsToProofs({ blobs, commitments, kzg, to: "hex" });
  return toBlobSidecars({ blobs, commitments, proofs, to: "hex" });
}

/** A signed type-3 transaction carrying `blobs` (a sidecar given explicitly, or viem's own). */
async function signBlobTx(blobs: Hex[], sidecars?: readonly BlobSidecar<Hex>[]): Promise<Hex> {
  const commitments = blobsToCommitments({ blobs, kzg, to: "hex" });
  return account.signTransaction({
    type: "eip4844",
    chainId: CHAIN_ID,
    nonce: nonce,
    to: DEV[1].address,
    value: 1n,
    gas: 21_000n,
    maxFeePerGas: parseGwei("20"),
    maxPriorityFeePerGas: parseGwei("1"),
    maxFeePerBlobGas: parseGwei("1"),
    blobVersionedHashes: commitmentsToVersionedHashes({ commitments, to: "hex" }),
    sidecars: sidecars ?? sidecarsOf(blobs),
  });
}

test("a blob transaction in network form is taken, mined with its blob gas and served with its hashes", async () => {
  const blobs = [...toBlobs({ data: toHex("weft blob transaction e2e") })];
  const raw = await signBlobTx(blobs);
  const hash = await client.sendRawTransaction({ serializedTransaction: raw });
  nonce++;
  const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 50 });
  assert.equal(receipt.status, "success");
  assert.equal(receipt.type, "eip4844");
  assert.equal(receipt.blobGasUsed, 131_072n);
  assert.ok((receipt.blobGasPrice ?? 0n) >= 1n);

  const tx = await client.getTransaction({ hash });
  assert.equal(tx.type, "eip4844");
  const commitments = blobsToCommitments({ blobs, kzg, to: "hex" });
  assert.deepEqual(tx.blobVersionedHashes, commitmentsToVersionedHashes({ commitments, to: "hex" }));
  const block = await client.getBlock({ blockNumber: receipt.blockNumber });
  assert.equal(block.blobGasUsed, 131_072n);
});

test("a sidecar whose proof or commitment does not match is refused", async () => {
  const blobs = [...toBlobs({ data: toHex("the right blob") })];
  const other = [...toBlobs({ data: toHex("another blob") })];
  const commitments = blobsToCommitments({ blobs, kzg, to: "hex" });
  const otherCommitments = blobsToCommitments({ blobs: other, kzg, to: "hex" });

  // The proof of another blob: the hashes match the commitments, the KZG check fails.
  const wrongProof = await signBlobTx(blobs, [
    {
      blob: blobs[0]!,
      commitment: commitments[0]!,
      proof: blobsToProofs({ blobs: other, commitments: otherCommitments, kzg, to: "hex" })[0]!,
    },
  ]);
  const refused = await rpcRaw(node.url, "eth_sendRawTransaction", [wrongProof]);
  assert.ok(refused.error, "a wrong KZG proof is refused");
  if (TARGET === "weft") assert.match(refused.error.message, /^invalid blob transaction: a KZG proof does not verify/);

  // Another blob's commitment and proof: the versioned hash is not the commitment's.
  const wrongCommitment = await signBlobTx(blobs, sidecarsOf(other));
  const refused2 = await rpcRaw(node.url, "eth_sendRawTransaction", [wrongCommitment]);
  assert.ok(refused2.error, "a commitment that does not hash to the versioned hash is refused");
  if (TARGET === "weft") {
    assert.match(
      refused2.error.message,
      /^invalid blob transaction: blobVersionedHashes\[0\] is not the hash of commitments\[0\]/,
    );
  }

  // Nothing of either entered the pool: the same nonce still goes through.
  const good = await client.sendRawTransaction({ serializedTransaction: await signBlobTx(blobs) });
  nonce++;
  assert.equal((await client.waitForTransactionReceipt({ hash: good, pollingInterval: 50 })).status, "success");
});
