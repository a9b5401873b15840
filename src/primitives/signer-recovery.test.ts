import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import secp256k1 from "secp256k1";
import { bigintToBytes, bytesToHex, concatBytes } from "./hex.js";
import { keccak256 } from "./keccak.js";
import { NATIVE_ADDON_PACKAGE } from "./native-addon.js";
import { signerRecovery } from "./signer-recovery.js";
import { ADDRESS_SIZE, RECOVERY_RECORD_SIZE, type SignerRecovery } from "./signer-recovery-backend.js";
import { loadNativeSignerRecovery } from "./signer-recovery-native.js";
import { npmSignerRecovery } from "./signer-recovery-npm.js";

const native = loadNativeSignerRecovery();
// Under CI=true a missing addon fails these tests instead of skipping them, as the bn254 ones do.
const skip =
  native === undefined && process.env.CI !== "true"
    ? `${NATIVE_ADDON_PACKAGE} is not built (npm builds it with cargo; see native/bn254)`
    : false;

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const word = (value: bigint): Uint8Array => bigintToBytes(value, 32);

interface Case {
  name: string;
  hash: Uint8Array;
  signature: Uint8Array;
  recoveryId: number;
}

/** A fresh signature by a random key, and the key's address. */
function randomSigned(): Case & { signer: string } {
  const key = randomBytes(32);
  const hash = randomBytes(32);
  const { signature, recid } = secp256k1.ecdsaSign(hash, key);
  const signer = bytesToHex(keccak256(secp256k1.publicKeyCreate(key, false).subarray(1)).subarray(12));
  return { name: "random", hash, signature, recoveryId: recid, signer };
}

/** One valid signature turned invalid in each way libsecp256k1 rejects, plus edge cases it accepts. */
function edgeCases(): Case[] {
  const { hash, signature, recoveryId } = randomSigned();
  const r = signature.subarray(0, 32);
  const s = signature.subarray(32);
  const sValue = BigInt(bytesToHex(s));
  const cases: Case[] = [
    { name: "r zero", hash, signature: concatBytes(word(0n), s), recoveryId },
    { name: "s zero", hash, signature: concatBytes(r, word(0n)), recoveryId },
    { name: "r = n", hash, signature: concatBytes(word(N), s), recoveryId },
    { name: "s = n", hash, signature: concatBytes(r, word(N)), recoveryId },
    { name: "r above n", hash, signature: concatBytes(new Uint8Array(32).fill(0xff), s), recoveryId },
    { name: "s above n", hash, signature: concatBytes(r, new Uint8Array(32).fill(0xff)), recoveryId },
    // 5^3 + 7 is not a square mod p: no point has x = 5.
    { name: "r not an x-coordinate", hash, signature: concatBytes(word(5n), s), recoveryId },
    { name: "high s (recovers another key)", hash, signature: concatBytes(r, word(N - sValue)), recoveryId },
    { name: "zero hash", hash: new Uint8Array(32), signature, recoveryId },
    { name: "short signature", hash, signature: signature.subarray(0, 63), recoveryId },
    { name: "short hash", hash: hash.subarray(0, 31), signature, recoveryId },
  ];
  for (const id of [2, 3, 4, -1, 1.5, 256]) {
    // Small r: x = r + n is below p, so ids 2 and 3 name a real candidate point. The npm package
    // truncates 1.5 to 1 rather than refusing it; the native backend must answer the same.
    cases.push({ name: `recovery id ${id}, small r`, hash, signature: concatBytes(word(3n), s), recoveryId: id });
    cases.push({ name: `recovery id ${id}`, hash, signature, recoveryId: id });
  }
  return cases;
}

/** The backend's answer as a comparable value: the address in hex, or "none". */
function answer(backend: SignerRecovery, c: Case): string {
  const output = new Uint8Array(ADDRESS_SIZE);
  return backend.recoverAddress(c.hash, c.signature, c.recoveryId, output) ? bytesToHex(output) : "none";
}

function batchOf(cases: readonly Case[]): Uint8Array {
  const records = new Uint8Array(cases.length * RECOVERY_RECORD_SIZE);
  cases.forEach((c, i) => {
    records.set(c.hash, i * RECOVERY_RECORD_SIZE);
    records.set(c.signature, i * RECOVERY_RECORD_SIZE + 32);
    records[(i + 1) * RECOVERY_RECORD_SIZE - 1] = c.recoveryId;
  });
  return records;
}

/** The batch's answers in the form of `answer`. */
function batchAnswers(backend: SignerRecovery, records: Uint8Array): string[] {
  const count = records.length / RECOVERY_RECORD_SIZE;
  const output = new Uint8Array(count * ADDRESS_SIZE);
  const recovered = new Uint8Array(count);
  backend.recoverAddresses(records, output, recovered);
  return Array.from(recovered, (flag, i) =>
    flag === 1 ? bytesToHex(output.subarray(i * ADDRESS_SIZE, (i + 1) * ADDRESS_SIZE)) : "none",
  );
}

describe("signer recovery: the npm secp256k1 package (reference and fallback)", () => {
  it("recovers the signer of random signatures", () => {
    for (let i = 0; i < 20; i++) {
      const c = randomSigned();
      assert.equal(answer(npmSignerRecovery, c), c.signer);
    }
  });

  it("recovers nothing from r or s zero or not below n, an off-curve r, or a bad recovery id", () => {
    for (const c of edgeCases()) {
      if (/^(r|s) (zero|= n|above n)$|x-coordinate|short|id (4|-1|256)/.test(c.name)) {
        assert.equal(answer(npmSignerRecovery, c), "none", c.name);
      }
    }
  });

  it("answers a batch as it answers one by one", () => {
    const cases = [
      randomSigned(),
      ...edgeCases().filter(
        (c) => c.recoveryId >= 0 && c.recoveryId <= 3 && c.hash.length === 32 && c.signature.length === 64,
      ),
      randomSigned(),
    ];
    assert.deepEqual(
      batchAnswers(npmSignerRecovery, batchOf(cases)),
      cases.map((c) => answer(npmSignerRecovery, c)),
    );
  });
});

describe("signer recovery: the native addon against the npm package", { skip }, () => {
  const backend = (): SignerRecovery => {
    assert.ok(native, `${NATIVE_ADDON_PACKAGE} is not built`);
    return native;
  };

  it("is what signerRecovery runs once built", () => {
    assert.equal(signerRecovery === npmSignerRecovery, false);
  });

  it("recovers the same address from random signatures", () => {
    for (let i = 0; i < 200; i++) {
      const c = randomSigned();
      assert.equal(answer(backend(), c), c.signer);
    }
  });

  it("gives the same answer on every invalid and edge input", () => {
    for (const c of edgeCases()) assert.equal(answer(backend(), c), answer(npmSignerRecovery, c), c.name);
  });

  it("leaves the output as it was when nothing recovers", () => {
    const output = new Uint8Array(ADDRESS_SIZE).fill(7);
    const c = edgeCases().find(({ name }) => name === "r not an x-coordinate")!;
    assert.equal(backend().recoverAddress(c.hash, c.signature, c.recoveryId, output), false);
    assert.deepEqual(output, new Uint8Array(ADDRESS_SIZE).fill(7));
  });

  it("answers a mixed batch as the npm package does one by one", () => {
    const valid = (c: Case): boolean =>
      c.hash.length === 32 &&
      c.signature.length === 64 &&
      c.recoveryId >= 0 &&
      c.recoveryId <= 255 &&
      Number.isInteger(c.recoveryId);
    const cases = [randomSigned(), ...edgeCases().filter(valid), randomSigned(), randomSigned()];
    assert.deepEqual(
      batchAnswers(backend(), batchOf(cases)),
      cases.map((c) => answer(npmSignerRecovery, c)),
    );
  });

  it("answers an empty batch", () => {
    assert.deepEqual(batchAnswers(backend(), new Uint8Array(0)), []);
  });

  it("rejects batch buffers that disagree on the count", () => {
    const records = batchOf([randomSigned(), randomSigned()]);
    for (const b of [backend(), npmSignerRecovery]) {
      assert.throws(() => b.recoverAddresses(records, new Uint8Array(20), new Uint8Array(2)), /do not match/);
      assert.throws(
        () => b.recoverAddresses(records.subarray(1), new Uint8Array(40), new Uint8Array(2)),
        /do not match/,
      );
    }
  });
});
