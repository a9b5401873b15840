import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Worker } from "node:worker_threads";
import { bn254 } from "@noble/curves/bn254.js";
import { loadFastBn254 } from "./bn254-load.js";
import { loadNativeBn254 } from "./bn254-native.js";
import { nobleBn254 } from "./bn254-noble.js";
import { BN254_TEST_BACKENDS } from "./bn254-test-backends.js";

const skip = BN254_TEST_BACKENDS.find(({ name }) => name === "native arkworks")!.skip;

const hex = (bytes: Uint8Array | undefined): string | undefined => bytes && Buffer.from(bytes).toString("hex");
const word = (value: bigint): string => value.toString(16).padStart(64, "0");
const G1 = word(1n) + word(2n);
const { x, y } = bn254.G2.Point.BASE.toAffine();
const G2 = word(x.c1) + word(x.c0) + word(y.c1) + word(y.c0);
const NEG_G1 = word(1n) + word(bn254.fields.Fp.ORDER - 2n);

describe("bn254 native backend (weft-bn254-native)", { skip }, () => {
  it("is what PRECOMPILES runs once built", async () => {
    const native = loadNativeBn254();
    assert.notEqual(native, undefined, "the addon is not built");
    assert.equal(await loadFastBn254(), native);
  });

  it("reads input that is a view into a larger buffer at an offset", () => {
    const native = loadNativeBn254()!;
    const input = Buffer.from(`ff${G1}${G1}${word(7n)}ff`, "hex");
    const view = input.subarray(1, 129);
    assert.equal(hex(native.add(view)), hex(nobleBn254.add(view)));
    assert.equal(hex(native.mul(input.subarray(1, 97))), hex(nobleBn254.mul(input.subarray(1, 97))));
    const pairs = Buffer.from(`00${G1}${G2}${NEG_G1}${G2}`, "hex").subarray(1);
    assert.equal(native.pairingCheck(pairs), true);
  });

  it("reports short or ragged input as invalid rather than crashing", () => {
    const native = loadNativeBn254()!;
    assert.equal(native.add(new Uint8Array(127)), undefined);
    assert.equal(native.mul(new Uint8Array(95)), undefined);
    assert.equal(native.pairingCheck(new Uint8Array(191)), undefined);
  });

  it("loads and answers in worker threads, as block execution runs it", async () => {
    const moduleUrl = new URL("./bn254-native.js", import.meta.url).href;
    const source = `
      const { parentPort } = require("node:worker_threads");
      import(${JSON.stringify(moduleUrl)}).then(({ loadNativeBn254 }) => {
        const input = Buffer.from(${JSON.stringify(G1 + G2 + NEG_G1 + G2)}, "hex");
        parentPort.postMessage(loadNativeBn254().pairingCheck(input));
      });`;
    for (let i = 0; i < 2; i++) {
      const worker = new Worker(source, { eval: true });
      try {
        assert.equal(
          await new Promise((resolve, reject) => worker.once("message", resolve).once("error", reject)),
          true,
        );
      } finally {
        await worker.terminate();
      }
    }
  });
});
