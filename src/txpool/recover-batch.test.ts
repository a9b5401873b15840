import assert from "node:assert/strict";
import { test } from "node:test";
import { SECP256K1_N } from "../chain/sign.js";
import { decodeTransaction, encodeTransaction } from "../chain/transaction.js";
import type { SignedTransaction } from "../chain/types.js";
import { decodeAndRecover } from "./recover-batch.js";
import type { Recovered } from "./recover-wire.js";
import { CHAIN_ID, signed, testKey, variety } from "./testkit.js";

/** decodeTransaction's answer for one transaction: the transaction, or its error's code and message. */
function oneByOne(raw: Uint8Array): Recovered {
  try {
    return decodeTransaction(raw, { chainId: CHAIN_ID });
  } catch (e) {
    const d = e as { code: string; message: string };
    return { code: d.code, message: d.message };
  }
}

test("decodeAndRecover: a mixed batch gets decodeTransaction's answers, in order", () => {
  const good = variety();
  const tx = good[0]!;
  const raws = [
    ...good.map((t) => t.raw),
    // 5 is no x-coordinate on secp256k1: the fields are fine, no key recovers.
    encodeTransaction({ ...tx, r: 5n }),
    encodeTransaction({ ...tx, s: SECP256K1_N - tx.s, v: 1n - tx.v }),
    new Uint8Array([0xc0]),
    new Uint8Array([5, 0xc0]),
    signed(testKey(1), { chainId: 1n }).raw,
    signed(testKey(2), { nonce: 7n }).raw,
  ];
  const out = decodeAndRecover(raws, { chainId: CHAIN_ID });
  assert.deepEqual(out, raws.map(oneByOne));
  const codes = out.slice(good.length).map((r) => (r as { code?: string }).code);
  assert.deepEqual(codes, ["SIGNATURE", "SIGNATURE", "FIELDS", "TYPE", "CHAIN_ID", undefined]);
  assert.match((out[good.length] as { message: string }).message, /no public key recovers/);
  assert.equal((out.at(-1) as SignedTransaction).nonce, 7n);
});

test("decodeAndRecover: an empty batch and a batch with nothing to recover", () => {
  assert.deepEqual(decodeAndRecover([]), []);
  assert.deepEqual(decodeAndRecover([new Uint8Array([0xc0])]), [oneByOne(new Uint8Array([0xc0]))]);
});
