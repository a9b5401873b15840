import assert from "node:assert/strict";
import { test } from "node:test";
import { rlpEncode } from "../../primitives/rlp.js";
import {
  decodeNode,
  encodeExtensionOfKey,
  encodeLeafOfKey,
  hexPrefixLength,
  hexPrefixNibble,
  keyNibble,
} from "./node-codec.js";

/** The Yellow Paper's hex-prefix encoding of `nibbles`, written out plainly (the reference). */
function hexPrefix(nibbles: number[], leaf: boolean): Uint8Array {
  const odd = nibbles.length % 2;
  const flagged = [(leaf ? 2 : 0) + odd, ...(odd ? [] : [0]), ...nibbles];
  return Uint8Array.from({ length: flagged.length / 2 }, (_, i) => flagged[2 * i]! * 16 + flagged[2 * i + 1]!);
}

const key = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 0xff);
const nibblesOf = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => keyNibble(key, from + i));

test("leaves and extensions encode a key's nibbles as RLP of [hex-prefix, value] at every nibble offset", () => {
  const value = Uint8Array.from({ length: 40 }, (_, i) => i);
  const childRef = Uint8Array.from({ length: 33 }, (_, i) => 0xa0 + i);
  for (let from = 0; from <= 64; from++) {
    assert.deepEqual(encodeLeafOfKey(key, from, value), rlpEncode([hexPrefix(nibblesOf(from, 64), true), value]));
    for (let to = from + 1; to <= 64; to++) {
      const extension = encodeExtensionOfKey(key, from, to, childRef);
      // A hashed child reference is its RLP string as it stands (0xa0 ++ hash).
      assert.deepEqual(extension, rlpEncode([hexPrefix(nibblesOf(from, to), false), childRef.subarray(1)]));
    }
  }
});

test("a decoded leaf or extension gives back its nibbles through its hex-prefix", () => {
  const value = new Uint8Array([1, 2, 3]);
  const childRef = new Uint8Array(33).fill(0xa0);
  for (let from = 0; from <= 64; from++) {
    const leaf = decodeNode(encodeLeafOfKey(key, from, value));
    assert.equal(leaf.kind, "leaf");
    if (leaf.kind !== "leaf") continue;
    const n = hexPrefixLength(leaf.hp);
    assert.deepEqual(
      Array.from({ length: n }, (_, i) => hexPrefixNibble(leaf.hp, i)),
      nibblesOf(from, 64),
    );
    assert.deepEqual(leaf.value, value);
    if (from === 64) continue;
    const extension = decodeNode(encodeExtensionOfKey(key, from, 64, childRef));
    assert.equal(extension.kind, "extension");
    if (extension.kind !== "extension") continue;
    assert.equal(hexPrefixLength(extension.hp), 64 - from);
    assert.equal(hexPrefixNibble(extension.hp, 0), keyNibble(key, from));
  }
});
