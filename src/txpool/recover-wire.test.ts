import assert from "node:assert/strict";
import { test } from "node:test";
import { TxDecodeError } from "../chain/errors.js";
import { decodeTransaction } from "../chain/transaction.js";
import { encodedTx, writeTxInput } from "../exec/tx-wire.js";
import { ByteWriter } from "../threads/byte-codec.js";
import { isRecoverFailure, packRaws, readResults, unpackRaws, writeFailure, writeRecovered } from "./recover-wire.js";
import { variety } from "./testkit.js";

test("packed raw transactions unpack to the same bytes, views into one buffer", () => {
  const raws = [new Uint8Array([1, 2, 3]), new Uint8Array(0), new Uint8Array(300).fill(9)];
  const unpacked = unpackRaws(packRaws(raws));
  assert.deepEqual(unpacked, raws);
  assert.equal(unpacked[0]!.buffer, unpacked[2]!.buffer);
  assert.deepEqual(unpackRaws(packRaws([])), []);
});

test("recovered transactions cross as their fields and come back equal to the decoder's", () => {
  const txs = variety();
  const w = new ByteWriter();
  for (const tx of txs) writeRecovered(w, decodeTransaction(tx.raw));
  writeFailure(w, { code: "SIGNATURE", message: "invalid signature: ünïcode" });
  const raws = [...txs.map((t) => t.raw), new Uint8Array([1])];
  const out = readResults(w.view8(), raws);
  for (let i = 0; i < txs.length; i++) {
    const r = out[i]!;
    assert.ok(!isRecoverFailure(r));
    assert.deepEqual(r, decodeTransaction(txs[i]!.raw));
    assert.deepEqual(r, txs[i]);
    assert.equal(r.raw, raws[i], "the caller's raw bytes, not a copy");
    // The bytes it crossed in are its encoding for the block workers, equal to a fresh one.
    const fresh = new ByteWriter();
    writeTxInput(fresh, decodeTransaction(txs[i]!.raw));
    assert.deepEqual(encodedTx(r), fresh.view8());
  }
  assert.deepEqual(out[txs.length], { code: "SIGNATURE", message: "invalid signature: ünïcode" });
  assert.ok(isRecoverFailure(out[txs.length]!));
  assert.throws(() => decodeTransaction(new Uint8Array([1])), TxDecodeError);
});
