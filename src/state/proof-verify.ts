// Checks a Merkle-Patricia proof against a root: walks the nodes from the root along the key's
// nibbles. Independent of proof.ts's construction (it reads nodes as any client would), so tests
// hold one against the other.
import { bytesToBigint } from "../primitives/hex.js";
import { keccak256 } from "../primitives/keccak.js";
import { type RlpDecoded, rlpDecode } from "../primitives/rlp.js";

/**
 * The value stored under `key` (raw, as in the leaf), or undefined where the proof shows the key is
 * absent. Throws when the proof does not lead from `root` to an answer.
 */
export function verifyProof(root: bigint, key: Uint8Array, proof: readonly Uint8Array[]): Uint8Array | undefined {
  const nibbles: number[] = [];
  for (const b of key) nibbles.push(b >> 4, b & 15);
  let at = 0;
  let expected: bigint | undefined = root;
  let node: RlpDecoded | undefined;
  let index = 0;
  for (;;) {
    if (expected !== undefined) {
      const encoded = proof[index++];
      if (encoded === undefined) throw new Error("proof ends before the key is resolved");
      if (bytesToBigint(keccak256(encoded)) !== expected)
        throw new Error(`proof node ${index - 1} does not hash to its reference`);
      node = rlpDecode(encoded);
      expected = undefined;
    }
    if (!Array.isArray(node)) {
      // The empty trie: its root node is the empty string.
      if (node instanceof Uint8Array && node.length === 0) return undefined;
      throw new Error("malformed proof node");
    }
    let next: RlpDecoded;
    if (node.length === 17) {
      if (at === nibbles.length) {
        const value = node[16] as Uint8Array;
        return value.length === 0 ? undefined : value;
      }
      next = node[nibbles[at]!]!;
      at++;
    } else if (node.length === 2) {
      const path = node[0] as Uint8Array;
      const flag = path[0]! >> 4;
      const pathNibbles: number[] = [];
      if (flag & 1) pathNibbles.push(path[0]! & 15);
      for (const b of path.subarray(1)) pathNibbles.push(b >> 4, b & 15);
      const rest = nibbles.slice(at, at + pathNibbles.length);
      if (rest.length !== pathNibbles.length || rest.some((n, i) => n !== pathNibbles[i])) return undefined;
      at += pathNibbles.length;
      if (flag & 2) return at === nibbles.length ? (node[1] as Uint8Array) : undefined;
      next = node[1]!;
    } else throw new Error(`proof node with ${node.length} items`);
    if (next instanceof Uint8Array) {
      if (next.length === 0) return undefined;
      if (next.length !== 32) throw new Error("bad child reference");
      expected = bytesToBigint(next);
    } else node = next;
  }
}
