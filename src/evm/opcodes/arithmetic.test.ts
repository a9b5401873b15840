import assert from "node:assert/strict";
import { randomBytes, randomInt } from "node:crypto";
import { test } from "node:test";
import { addModWords, mulModWords } from "./arithmetic.js";
import { MAX_U256 } from "./types.js";

// ADDMOD and MULMOD against the yellow paper's definition, computed without wrapping in plain BigInt.
const addModReference = (a: bigint, b: bigint, n: bigint) => (n === 0n ? 0n : (a + b) % n);
const mulModReference = (a: bigint, b: bigint, n: bigint) => (n === 0n ? 0n : (a * b) % n);

/** A random word of 1 to 256 bits (every size alike, so small and full-width values both come up). */
function randomWord(): bigint {
  const word = BigInt(`0x${randomBytes(32).toString("hex")}`);
  return word >> BigInt(randomInt(0, 256));
}

const BN254_Q = 0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47n;
const SECP256K1_P = 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2fn;
const MODULI = [0n, 1n, 2n, 3n, 1n << 128n, 1n << 255n, BN254_Q, SECP256K1_P, MAX_U256 - 1n, MAX_U256];
const OPERANDS = [0n, 1n, 2n, (1n << 128n) - 1n, BN254_Q - 1n, BN254_Q, BN254_Q + 1n, SECP256K1_P - 1n, MAX_U256];

function check(a: bigint, b: bigint, n: bigint): void {
  const label = `a=0x${a.toString(16)} b=0x${b.toString(16)} n=0x${n.toString(16)}`;
  assert.equal(addModWords(a, b, n), addModReference(a, b, n), `ADDMOD ${label}`);
  assert.equal(mulModWords(a, b, n), mulModReference(a, b, n), `MULMOD ${label}`);
}

test("ADDMOD and MULMOD on edge cases: n 0, 1, a power of two, the maximum; operands at, below and above n", () => {
  for (const n of MODULI) {
    for (const a of [...OPERANDS, n, n - 1n, n + 1n]) {
      for (const b of [...OPERANDS, n, n - 1n, n + 1n]) {
        if (a >= 0n && b >= 0n && a <= MAX_U256 && b <= MAX_U256) check(a, b, n);
      }
    }
  }
  assert.equal(addModWords(MAX_U256, MAX_U256, MAX_U256), 0n);
  assert.equal(addModWords(MAX_U256, 1n, 0n), 0n);
  assert.equal(addModWords(MAX_U256, MAX_U256, 1n << 255n), (2n * MAX_U256) % (1n << 255n));
  assert.equal(mulModWords(MAX_U256, MAX_U256, 12n), (MAX_U256 * MAX_U256) % 12n);
});

test("ADDMOD and MULMOD on random operands, reduced and not, against BigInt", () => {
  for (let i = 0; i < 5000; i++) {
    const n = randomWord();
    const reduced = n > 0n && i % 2 === 0;
    const a = reduced ? randomWord() % n : randomWord();
    const b = reduced ? randomWord() % n : randomWord();
    check(a, b, n);
    check(a, b, BN254_Q);
  }
});
