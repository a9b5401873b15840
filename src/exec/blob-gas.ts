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

// Every transaction of a block asks for the same block's price: the last answer is kept (a loop of
// BigInt divisions otherwise, per transaction).
let lastExcess = -1n;
let lastPrice = 0n;

export function blobGasPrice(excessBlobGas: bigint): bigint {
  if (excessBlobGas !== lastExcess) {
    lastPrice = fakeExponential(MIN_BLOB_GASPRICE, excessBlobGas, BLOB_BASE_FEE_UPDATE_FRACTION);
    lastExcess = excessBlobGas;
  }
  return lastPrice;
}

export function totalBlobGas(blobCount: number): bigint {
  return GAS_PER_BLOB * BigInt(blobCount);
}
