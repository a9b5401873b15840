import assert from "node:assert/strict";
import { test } from "node:test";
import { bloomIncludes, logsBloom } from "../../chain/bloom.js";
import { bigintToBytes } from "../../primitives/hex.js";
import { BloomProbe } from "./bloom-probe.js";

const address = (n: number) => bigintToBytes(BigInt(n) * 0x1000001n + 7n, 20);

test("BloomProbe agrees with bloomIncludes for short and bucketed (long) lists", () => {
  const bloom = logsBloom([
    { address: BigInt(`0x${Buffer.from(address(3)).toString("hex")}`), topics: [5n], data: new Uint8Array() },
  ]);
  for (const count of [1, 15, 16, 5000]) {
    const values = Array.from({ length: count }, (_, i) => address(i + 10));
    const expected = values.some((v) => bloomIncludes(bloom, v));
    assert.equal(new BloomProbe(values).mayHoldAny(bloom), expected, `${count} values`);
    // With the logged address among them: surely a maybe.
    assert.equal(new BloomProbe([...values, address(3)]).mayHoldAny(bloom), true, `${count} values + the logged one`);
  }
  assert.equal(
    new BloomProbe(Array.from({ length: 100 }, (_, i) => address(i))).mayHoldAny(new Uint8Array(256)),
    false,
  );
  assert.equal(new BloomProbe([]).mayHoldAny(bloom), false);
});
