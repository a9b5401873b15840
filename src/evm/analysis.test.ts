import assert from "node:assert/strict";
import { test } from "node:test";
import { hexToBytes } from "../primitives/hex.js";
import { analyze } from "./analysis.js";
import { STACK_LIMIT } from "./params.js";

test("basic blocks end at a jump, a halt or a gas read, and start at each JUMPDEST", () => {
  // 0: PUSH1 1, 2: PUSH1 2, 4: ADD | 5: JUMPDEST, 6: PUSH1 5, 8: GAS | 9: POP, 10: JUMP | 11: STOP
  const { blocks } = analyze(hexToBytes("0x6001600201 5b60055a 5056 00".replaceAll(" ", "")));
  const starts = [...blocks.at.entries()].filter(([, b]) => b > 0).map(([pc, b]) => [pc, b - 1]);
  assert.deepEqual(starts, [
    [0, 0],
    [5, 1],
    [9, 2],
    [11, 3],
  ]);
  assert.deepEqual([...blocks.ops], [3, 3, 2, 1]);
  assert.deepEqual([...blocks.gas], [3 + 3 + 3, 1 + 3 + 2, 2 + 8, 0]);
  // POP then JUMP: entry needs 2 (POP takes one, JUMP the next).
  assert.deepEqual([...blocks.minStack], [0, 0, 2, 0]);
  // PUSH, PUSH: the second push happens one higher; GAS after a push likewise.
  assert.deepEqual([...blocks.maxStack], [STACK_LIMIT - 2, STACK_LIMIT - 2, STACK_LIMIT, STACK_LIMIT]);
});

test("PUSH data is never a block start, and code may end inside a PUSH", () => {
  // PUSH2 0x5b5b (the data looks like JUMPDESTs), then PUSH32 cut short by the end of the code.
  const { blocks } = analyze(hexToBytes("0x615b5b7f01"));
  const starts = [...blocks.at.entries()].filter(([, b]) => b > 0).map(([pc]) => pc);
  assert.deepEqual(starts, [0]);
  assert.deepEqual([...blocks.ops], [2]);
});
