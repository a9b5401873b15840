import assert from "node:assert/strict";
import { test } from "node:test";
import { Wallet } from "ethers";
import { hashMessage, recoverMessageAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { addressToHex, bytesToHex, hexToBigint, hexToBytes, wordToHex } from "../primitives/hex.js";
import {
  personalMessageHash,
  privateKeyToAddress,
  recoverAddress,
  SECP256K1_HALF_N,
  SECP256K1_N,
  signatureToBytes,
  signHash,
} from "./sign.js";

const KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
const ADDRESS = 0x70997970c51812dc3a010c7d01b50e0d17dc79c8n;

test("privateKeyToAddress", () => {
  assert.equal(privateKeyToAddress(hexToBytes(KEY)), ADDRESS);
  assert.throws(() => privateKeyToAddress(new Uint8Array(32)), /invalid private key/);
  assert.throws(() => privateKeyToAddress(new Uint8Array(31).fill(1)), /invalid private key/);
});

test("personal_sign: our hash and signature equal viem's and ethers'", async () => {
  const message = new TextEncoder().encode("hello weft");
  const hash = personalMessageHash(message);
  assert.equal(wordToHex(hash), hashMessage({ raw: message }));
  const signature = bytesToHex(signatureToBytes(signHash(hash, hexToBytes(KEY))));
  assert.equal(signature, await privateKeyToAccount(KEY).signMessage({ message: { raw: message } }));
  assert.equal(signature, await new Wallet(KEY).signMessage(message));
  assert.equal(
    (await recoverMessageAddress({ message: { raw: message }, signature: signature as `0x${string}` })).toLowerCase(),
    addressToHex(ADDRESS),
  );
  // Empty and long messages count their length in decimal.
  assert.equal(wordToHex(personalMessageHash(new Uint8Array(0))), hashMessage({ raw: new Uint8Array(0) }));
  const long = new Uint8Array(1000).fill(7);
  assert.equal(wordToHex(personalMessageHash(long)), hashMessage({ raw: long }));
});

test("signHash gives low s and recovers; recoverAddress refuses bad signatures", () => {
  for (let i = 1n; i <= 20n; i++) {
    const hash = hexToBigint(hashMessage(String(i)));
    const sig = signHash(hash, hexToBytes(KEY));
    assert.ok(sig.s <= SECP256K1_HALF_N);
    assert.equal(recoverAddress(hash, sig.r, sig.s, sig.yParity), ADDRESS);
    assert.notEqual(recoverAddress(hash, sig.r, sig.s, 1 - sig.yParity), ADDRESS);
    assert.equal(recoverAddress(hash, sig.r, SECP256K1_N - sig.s, 1 - sig.yParity), undefined); // high s
  }
  assert.equal(recoverAddress(1n, 0n, 1n, 0), undefined);
  assert.equal(recoverAddress(1n, SECP256K1_N, 1n, 0), undefined);
  assert.equal(recoverAddress(1n, 1n, 1n, 2), undefined);
});
