// Signer recovery as a started node uses it (Weft's native addon where built, the npm secp256k1 package
// elsewhere): the ecrecover precompile through eth_call, and a sender signature from which no key
// recovers through eth_sendRawTransaction. Runs on anvil too: the answers are Ethereum's.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { concat, type Hex, keccak256, numberToHex, pad, serializeTransaction, toHex } from "viem";
import { privateKeyToAccount, sign } from "viem/accounts";
import { DEV, devTransfer, rpc, rpcRaw, startTarget, type Target } from "./harness.js";

const ECRECOVER = "0x0000000000000000000000000000000000000001";
// 5^3 + 7 is not a square mod p: no point of secp256k1 has x = 5, so no key recovers from r = 5.
const NO_X_COORDINATE = 5n;

let node: Target;

before(async () => {
  node = await startTarget();
});
after(() => node?.stop());

function ecrecoverInput(hash: Hex, v: bigint, r: Hex, s: Hex): Hex {
  return concat([hash, pad(numberToHex(v)), pad(r), pad(s)]);
}

async function callEcrecover(data: Hex): Promise<Hex> {
  return rpc<Hex>(node.url, "eth_call", [{ to: ECRECOVER, data }, "latest"]);
}

test("ecrecover (0x01) in eth_call: the signer of each hash, and empty output where no key recovers", async () => {
  for (const [i, dev] of DEV.slice(0, 3).entries()) {
    const hash = keccak256(toHex(`weft signer recovery ${i}`));
    const { r, s, yParity } = await sign({ hash, privateKey: dev.key });
    if (yParity === undefined) assert.fail("viem's signature has no yParity");
    const output = await callEcrecover(ecrecoverInput(hash, 27n + BigInt(yParity), r, s));
    assert.equal(output, pad(dev.address.toLowerCase() as Hex), `signer ${i}`);
    const offCurve = await callEcrecover(ecrecoverInput(hash, 27n + BigInt(yParity), toHex(NO_X_COORDINATE), s));
    assert.equal(offCurve, "0x", `signer ${i}, r = 5`);
  }
});

test("eth_sendRawTransaction: a signature from which no key recovers is rejected", async () => {
  const sender = privateKeyToAccount(DEV[0].key);
  const nonce = Number(await rpc<Hex>(node.url, "eth_getTransactionCount", [sender.address, "latest"]));
  const valid = await sender.signTransaction(devTransfer(nonce));
  // r and s in range and s low: only the recovery itself fails.
  const raw = serializeTransaction(devTransfer(nonce), { r: toHex(NO_X_COORDINATE), s: "0x1", yParity: 0 });
  const reply = await rpcRaw(node.url, "eth_sendRawTransaction", [raw]);
  assert.ok(reply.error, `expected a rejection, got ${JSON.stringify(reply.result)}`);
  assert.match(reply.error.message, /invalid (sender|signature)|recover the signer/i);
  // The valid transaction of the same nonce still goes in.
  assert.match(await rpc<Hex>(node.url, "eth_sendRawTransaction", [valid]), /^0x[0-9a-f]{64}$/);
});
