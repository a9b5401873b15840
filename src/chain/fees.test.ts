import assert from "node:assert/strict";
import { test } from "node:test";
import { effectiveGasPrice, effectiveTip, nextBaseFee, nextExcessBlobGas, TARGET_BLOB_GAS_PER_BLOCK } from "./fees.js";

test("EIP-1559 base fee: unchanged at target, up to +12.5% when full, down to -12.5% when empty", () => {
  const parent = { gasLimit: 30_000_000n, baseFeePerGas: 1_000_000_000n };
  assert.equal(nextBaseFee({ ...parent, gasUsed: 15_000_000n }), 1_000_000_000n);
  assert.equal(nextBaseFee({ ...parent, gasUsed: 30_000_000n }), 1_125_000_000n);
  assert.equal(nextBaseFee({ ...parent, gasUsed: 0n }), 875_000_000n);
  assert.equal(nextBaseFee({ ...parent, gasUsed: 20_000_000n }), 1_041_666_666n);
  // An increase is at least 1 wei; a decrease can reach 0 and stays there.
  assert.equal(nextBaseFee({ gasLimit: 30_000_000n, baseFeePerGas: 7n, gasUsed: 15_000_001n }), 8n);
  assert.equal(nextBaseFee({ gasLimit: 30_000_000n, baseFeePerGas: 7n, gasUsed: 0n }), 7n); // 7 - 7/8 (= 0)
  assert.equal(nextBaseFee({ gasLimit: 30_000_000n, baseFeePerGas: 8n, gasUsed: 0n }), 7n);
  assert.equal(nextBaseFee({ gasLimit: 30_000_000n, baseFeePerGas: 0n, gasUsed: 0n }), 0n);
  // The ethereum/tests London vector (bcEIP1559/transType: base 0x36b, gasUsed 0xf618 of 0x2540be400 -> 0x2fe).
  assert.equal(nextBaseFee({ gasLimit: 0x2540be400n, baseFeePerGas: 0x36bn, gasUsed: 0xf618n }), 0x2fen);
});

test("EIP-4844 excess blob gas", () => {
  assert.equal(nextExcessBlobGas({ excessBlobGas: 0n, blobGasUsed: 0n }), 0n);
  assert.equal(nextExcessBlobGas({ excessBlobGas: 0n, blobGasUsed: TARGET_BLOB_GAS_PER_BLOCK }), 0n);
  assert.equal(nextExcessBlobGas({ excessBlobGas: 0n, blobGasUsed: 786432n }), 393216n);
  assert.equal(nextExcessBlobGas({ excessBlobGas: 100n, blobGasUsed: 393216n }), 100n);
  assert.equal(nextExcessBlobGas({ excessBlobGas: 100n, blobGasUsed: 131072n }), 0n);
});

test("effective gas price and tip", () => {
  assert.equal(effectiveGasPrice({ type: 0, gasPrice: 50n }, 10n), 50n);
  assert.equal(effectiveGasPrice({ type: 1, gasPrice: 50n }, 10n), 50n);
  const dyn = { type: 2 as const, maxFeePerGas: 100n, maxPriorityFeePerGas: 5n };
  assert.equal(effectiveGasPrice(dyn, 10n), 15n);
  assert.equal(effectiveGasPrice(dyn, 98n), 100n);
  assert.equal(effectiveTip(dyn, 10n), 5n);
  assert.equal(effectiveTip(dyn, 98n), 2n);
  assert.equal(effectiveTip(dyn, 120n), -20n);
  assert.equal(effectiveTip({ type: 0, gasPrice: 50n }, 10n), 40n);
  assert.throws(() => effectiveGasPrice({ type: 2 }, 1n), /maxFeePerGas/);
  assert.throws(() => effectiveGasPrice({ type: 0 }, 1n), /gasPrice/);
});
