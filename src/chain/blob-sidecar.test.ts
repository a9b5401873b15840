import assert from "node:assert/strict";
import { test } from "node:test";
import { concatBytes } from "../primitives/hex.js";
import { rlpEncode } from "../primitives/rlp.js";
import {
  BYTES_PER_BLOB,
  commitmentToVersionedHash,
  MAX_BLOBS_PER_TX,
  splitBlobNetworkForm,
  verifyBlobSidecar,
} from "./blob-sidecar.js";
import { TxDecodeError } from "./errors.js";

// The zero blob's commitment is the point at infinity (compressed: 0xc0 then zeros), its proof too.
const zeroBlob = new Uint8Array(BYTES_PER_BLOB);
const infinity = concatBytes(Uint8Array.of(0xc0), new Uint8Array(47));
const body = [new Uint8Array([1]), new Uint8Array(0)]; // any list: the split does not read the body

const throwsDecode = (fn: () => unknown, code: string, message: RegExp) =>
  assert.throws(fn, (e: unknown) => e instanceof TxDecodeError && e.code === code && message.test(e.message));

test("split: the canonical form is 0x03 || rlp(body); other types and the canonical form are not split", () => {
  const raw = concatBytes(Uint8Array.of(3), rlpEncode([body, [zeroBlob], [infinity], [infinity]]));
  const split = splitBlobNetworkForm(raw)!;
  assert.deepEqual(split.canonical, concatBytes(Uint8Array.of(3), rlpEncode(body)));
  assert.equal(split.sidecar.blobs.length, 1);
  assert.equal(splitBlobNetworkForm(concatBytes(Uint8Array.of(3), rlpEncode(body))), undefined);
  assert.equal(splitBlobNetworkForm(concatBytes(Uint8Array.of(2), rlpEncode([body, [], [], []]))), undefined);
  assert.equal(MAX_BLOBS_PER_TX, 6);
});

test("split: a malformed sidecar is a FIELDS error naming the item", () => {
  const wrap = (items: unknown[]) => concatBytes(Uint8Array.of(3), rlpEncode(items as never));
  throwsDecode(() => splitBlobNetworkForm(wrap([body, [], []])), "FIELDS", /3 items, expected 4/);
  throwsDecode(() => splitBlobNetworkForm(wrap([body, Uint8Array.of(1), [], [], []])), "FIELDS", /EIP-7594.*--eip4844/);
  throwsDecode(
    () => splitBlobNetworkForm(wrap([body, [new Uint8Array(10)], [], []])),
    "FIELDS",
    /blobs\[0\] is 10 bytes/,
  );
  throwsDecode(() => splitBlobNetworkForm(wrap([body, [], [infinity.subarray(1)], []])), "FIELDS", /commitments\[0\]/);
  throwsDecode(() => splitBlobNetworkForm(wrap([body, [], [], new Uint8Array(48)])), "FIELDS", /proofs is not a list/);
});

test("verify: counts, versioned hashes and KZG proofs each have their error", () => {
  const hash = commitmentToVersionedHash(infinity);
  assert.equal(hash >> 248n, 1n, "version byte 0x01");
  const sidecar = { blobs: [zeroBlob], commitments: [infinity], proofs: [infinity] };
  verifyBlobSidecar([hash], sidecar); // the zero blob, its commitment and proof: valid
  throwsDecode(() => verifyBlobSidecar([hash, hash], sidecar), "BLOB", /1 blobs, 1 commitments and 1 proofs for 2/);
  throwsDecode(() => verifyBlobSidecar([hash ^ 1n], sidecar), "BLOB", /not the hash of commitments\[0\]/);
  const nonZero = zeroBlob.slice();
  nonZero[31] = 1;
  throwsDecode(() => verifyBlobSidecar([hash], { ...sidecar, blobs: [nonZero] }), "BLOB", /KZG proof does not verify/);
  // A field element not below the BLS modulus makes the blob invalid, not the node crash.
  const overModulus = zeroBlob.slice();
  overModulus.fill(0xff, 0, 32);
  throwsDecode(() => verifyBlobSidecar([hash], { ...sidecar, blobs: [overModulus] }), "BLOB", /KZG/);
});
