import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { blake2bCompress, blake2f } from "./09-blake2f.js";
import { blake2bCompressReference } from "./09-blake2f-reference.js";
import { ROUNDS_PER_CALL } from "./09-blake2f-wasm.js";
import { call, FAILURE } from "./testkit.js";

// EIP-152 test vectors 4-7 share h, m ("abc") and t; they differ in rounds and the final flag.
const H =
  "48c9bdf267e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5d182e6ad7f520e511f6c3e2b8c68059b6bbd41fbabd9831f79217e1319cde05b";
const M = `616263${"00".repeat(125)}`;
const T = `03${"00".repeat(15)}`;

function input(rounds: number, final: string): string {
  return rounds.toString(16).padStart(8, "0") + H + M + T + final;
}

/** BLAKE2b-512 of `message` (unkeyed) built from F, to check against node's implementation. */
function blake2b512(message: Uint8Array): string {
  // IV with the parameter block for a 64-byte digest, no key, fanout 1, depth 1 xored into h[0]
  const h = Buffer.from(H, "hex");
  const blocks = Math.max(1, Math.ceil(message.length / 128));
  for (let i = 0; i < blocks; i++) {
    const block = Buffer.alloc(128);
    block.set(message.subarray(i * 128, (i + 1) * 128));
    const last = i === blocks - 1;
    const t = Buffer.alloc(16);
    t.writeBigUInt64LE(BigInt(last ? message.length : (i + 1) * 128));
    const data = Buffer.concat([Buffer.from("0000000c", "hex"), h, block, t, Buffer.of(last ? 1 : 0)]);
    const result = call(blake2f, data.toString("hex"));
    assert.notEqual(result, FAILURE);
    Buffer.from((result as [number, string])[1], "hex").copy(h);
  }
  return h.toString("hex");
}

describe("blake2f (0x09)", () => {
  it("EIP-152 vector 4: 0 rounds", () => {
    assert.deepEqual(call(blake2f, input(0, "01")), [
      0,
      "08c9bcf367e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5d282e6ad7f520e511f6c3e2b8c68059b9442be0454267ce079217e1319cde05b",
    ]);
  });

  it("EIP-152 vector 5: 12 rounds is BLAKE2b-512('abc')", () => {
    assert.deepEqual(call(blake2f, input(12, "01")), [
      12,
      "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923",
    ]);
  });

  it("EIP-152 vector 6: final flag 0", () => {
    assert.deepEqual(call(blake2f, input(12, "00")), [
      12,
      "75ab69d3190a562c51aef8d88f1c2775876944407270c42c9844252c26d2875298743e7f6d5ea2f2d3e8d226039cd31b4e426ac4f2d3d666a610c2116fde4735",
    ]);
  });

  it("EIP-152 vector 7: 1 round", () => {
    assert.deepEqual(call(blake2f, input(1, "01")), [
      1,
      "b63a380cb2897d521994a85234ee2c181b5f844d2c624c002677e9703449d2fba551b3a8333bcdf5f2f7e08993d53923de3d64fcc68c034e717b9293fed7a421",
    ]);
  });

  it("matches node's BLAKE2b-512 over one and several blocks", () => {
    for (const length of [0, 1, 3, 127, 128, 129, 255, 256, 300, 1000]) {
      const message = Buffer.alloc(length);
      for (let i = 0; i < length; i++) message[i] = (i * 31 + 7) & 0xff;
      assert.equal(blake2b512(message), createHash("blake2b512").update(message).digest("hex"), `length ${length}`);
    }
  });

  it("runs more rounds than the schedule length (wraps SIGMA)", () => {
    const result = call(blake2f, input(25, "01"));
    assert.notEqual(result, FAILURE);
    assert.equal((result as [number, string])[0], 25);
  });

  it("EIP-152 vectors 0-3: fails for bad length or final flag", () => {
    assert.equal(call(blake2f, ""), FAILURE);
    assert.equal(call(blake2f, input(12, "01").slice(2)), FAILURE); // 212 bytes
    assert.equal(call(blake2f, `${input(12, "01")}00`), FAILURE); // 214 bytes
    assert.equal(call(blake2f, input(12, "02")), FAILURE);
  });

  it("fails when the rounds exceed the gas limit, before computing", () => {
    assert.equal(call(blake2f, input(12, "01"), 11), FAILURE);
    // 2^32 - 1 rounds (EIP-152 vector 8) would take minutes if it ran
    assert.equal(call(blake2f, input(0xffffffff, "01"), 30_000_000), FAILURE);
  });

  it("matches the clear reference implementation on random inputs", () => {
    const roundCounts = [0, 1, 2, 3, 9, 10, 11, 12, 19, 20, 21, 25, 99, 100, 1001];
    // Long runs are split into wasm calls of ROUNDS_PER_CALL rounds: cover the boundaries.
    roundCounts.push(ROUNDS_PER_CALL - 1, ROUNDS_PER_CALL, ROUNDS_PER_CALL + 1, 2 * ROUNDS_PER_CALL + 13);
    for (const rounds of roundCounts) {
      for (const final of [false, true]) {
        const data = randomBytes(213);
        const expected = Buffer.from(blake2bCompressReference(data, rounds, final)).toString("hex");
        const actual = Buffer.from(blake2bCompress(data, rounds, final)).toString("hex");
        assert.equal(actual, expected, `rounds ${rounds}, final ${final}, input ${data.toString("hex")}`);
      }
    }
  });

  it("matches the reference for all-zero and all-ones words (carries, rotations)", () => {
    for (const fill of [0x00, 0xff]) {
      const data = Buffer.alloc(213, fill);
      for (const rounds of [1, 12, 37]) {
        const expected = Buffer.from(blake2bCompressReference(data, rounds, true)).toString("hex");
        assert.equal(Buffer.from(blake2bCompress(data, rounds, true)).toString("hex"), expected, `fill ${fill}`);
      }
    }
  });
});
