import { BLOB_BASE_FEE_UPDATE_FRACTION, GAS_PER_BLOB, MIN_BLOB_GASPRICE } from "../evm/params.js";

/** EIP-4844 fake_exponential: factor * e^(numerator / denominator), in integers. */
export function fakeExponential(factor: bigint, numerator: bigint, denominator: bigint): bigint {
  let i = 1n;
  let output = 0n;
  let accumulator = factor * denominator;
  while (accumulator > 0n) {
    output += accumulator;
    accumulator = (accumulator * numerator) / (denominator * i);
    i += 1n;
  }
  return output / denominator;
}

export function blobGasPrice(excessBlobGas: bigint): bigint {
  return fakeExponential(MIN_BLOB_GASPRICE, excessBlobGas, BLOB_BASE_FEE_UPDATE_FRACTION);
}

export function totalBlobGas(blobCount: number): bigint {
  return GAS_PER_BLOB * BigInt(blobCount);
}
