import assert from "node:assert/strict";
import { test } from "node:test";
import { processTransaction } from "../exec/process-transaction.js";
import { dynamicFeeTx, TEST_BLOCK } from "../exec/testkit.js";
import { hexToBytes } from "../primitives/hex.js";
import { keccak256Word } from "../primitives/keccak.js";
import { MemoryState } from "../state/memory-state.js";
import { analyzeCached } from "./analysis.js";
import { DEFAULT_COMPILE_POLICY, setCompilePolicy } from "./block-compiler.js";
import { OPCODES } from "./opcodes/index.js";

const SENDER = 0xa94f5374fce5edbc8e2a8697c15331677e6ebf0bn;
const CONTRACT = 0xc0den;

/** Bytecode from mnemonics: "PUSH2 0x0102", "ADD", ... */
function asm(...lines: string[]): string {
  let hex = "0x";
  for (const line of lines) {
    const [name, immediate] = line.split(" ");
    const def = OPCODES.find((d) => d.name === name);
    assert.ok(def !== undefined, `unknown opcode ${name}`);
    hex += def.opcode.toString(16).padStart(2, "0");
    const width = def.opcode >= 0x60 && def.opcode <= 0x7f ? def.opcode - 0x5f : 0;
    if (width > 0)
      hex += BigInt(immediate!)
        .toString(16)
        .padStart(2 * width, "0");
  }
  return hex;
}

const MAX = `0x${"ff".repeat(32)}`;
const TOP_BIT = `0x80${"00".repeat(31)}`;

// Each program stores what it computed, so the storage written shows every inline opcode's result.
const PROGRAMS: Record<string, string> = {
  "ADD, SUB and MUL wrap modulo 2^256": asm(
    ...["PUSH1 2", `PUSH32 ${MAX}`, "ADD", "PUSH1 0", "SSTORE"],
    ...["PUSH1 2", "PUSH1 1", "SUB", "PUSH1 1", "SSTORE"],
    ...[`PUSH32 ${TOP_BIT}`, "PUSH1 4", "MUL", "PUSH1 2", "SSTORE"],
    ...[`PUSH32 ${MAX}`, `PUSH32 ${MAX}`, "MUL", "PUSH1 3", "SSTORE"],
  ),
  "shifts, NOT and comparisons": asm(
    ...["PUSH1 1", "PUSH1 255", "SHL", "PUSH1 0", "SSTORE"],
    ...["PUSH1 1", "PUSH2 256", "SHL", "PUSH1 7", "ADD", "PUSH1 1", "SSTORE"],
    ...["PUSH1 255", "PUSH1 4", "SHR", "PUSH1 2", "SSTORE"],
    ...["PUSH1 0", "NOT", "PUSH1 3", "SSTORE"],
    ...["PUSH1 2", "PUSH1 1", "LT", "PUSH1 4", "SSTORE"],
    ...["PUSH1 2", "PUSH1 1", "GT", "PUSH1 9", "ADD", "PUSH1 5", "SSTORE"],
    ...["PUSH1 1", "PUSH1 1", "EQ", "PUSH1 6", "SSTORE"],
    ...["PUSH1 0", "ISZERO", "PUSH1 7", "SSTORE"],
  ),
  "DUP, SWAP, AND, OR, XOR, PUSH0": asm(
    ...["PUSH1 0x0f", "PUSH1 0xf0", "DUP2", "DUP2", "OR", "PUSH1 0", "SSTORE"],
    ...["SWAP1", "DUP2", "XOR", "PUSH1 1", "SSTORE"],
    ...["PUSH1 0xff", "AND", "PUSH1 2", "SSTORE"],
    ...["PUSH0", "PUSH1 9", "ADD", "PUSH1 3", "SSTORE"],
  ),
  // ADDRESS and CALLER are values the compiler cannot fold: these run the inline arithmetic itself.
  "operands known only at run time": asm(
    ...["CALLER", "ADDRESS", "ADD", "PUSH1 0", "SSTORE"],
    ...["ADDRESS", "PUSH1 200", "SHL", "ADDRESS", "MUL", "PUSH1 1", "SSTORE"],
    ...["ADDRESS", "CALLER", "SUB", "PUSH1 2", "SSTORE"],
    ...["CALLER", "ADDRESS", "MSTORE", "ADDRESS", "MLOAD", "PUSH1 3", "SSTORE"],
    ...["CALLER", "PUSH1 0", "MSTORE", "PUSH1 0", "MLOAD", "ADDRESS", "XOR", "PUSH1 4", "SSTORE"],
    ...[`PUSH32 ${TOP_BIT}`, "PUSH1 7", "ADD", "PUSH1 64", "MSTORE", "PUSH1 60", "MLOAD", "PUSH1 5", "SSTORE"],
  ),
  "modular, signed, byte and sign-extension opcodes, at run time and folded": asm(
    ...["PUSH1 7", "CALLER", "ADDRESS", "ADDMOD", "PUSH1 0", "SSTORE"],
    ...["ADDRESS", "CALLER", "CALLER", "MULMOD", "PUSH1 1", "SSTORE"],
    ...["ADDRESS", "ADDRESS", "NOT", "SLT", "PUSH1 2", "SSTORE"],
    ...["ADDRESS", "ADDRESS", "NOT", "SGT", "PUSH1 3", "SSTORE"],
    ...["CALLER", "PUSH1 31", "BYTE", "PUSH1 4", "SSTORE"],
    ...["ADDRESS", "NOT", "PUSH1 4", "SAR", "PUSH1 5", "SSTORE"],
    ...["ADDRESS", "PUSH1 0", "SIGNEXTEND", "PUSH1 6", "SSTORE"],
    ...["PUSH1 0xde", "PUSH1 0", "SIGNEXTEND", "PUSH1 1", "PUSH1 0", "NOT", "SLT", "ADD", "PUSH1 7", "SSTORE"],
    ...[`PUSH32 ${TOP_BIT}`, "PUSH1 200", "SAR", "PUSH1 0x12", "PUSH1 30", "BYTE", "ADD", "PUSH1 8", "SSTORE"],
    ...["PUSH1 2", "PUSH1 3", "EXP", "PUSH2 0x0100", "PUSH1 3", "EXP", "ADD", "PUSH1 9", "SSTORE"],
  ),
  "AND with a low mask, where the value fits it and where it does not": asm(
    ...["CALLER", `PUSH20 0x${"ff".repeat(20)}`, "AND", "PUSH1 0", "SSTORE"],
    ...["PUSH1 0", "NOT", `PUSH20 0x${"ff".repeat(20)}`, "AND", "PUSH1 1", "SSTORE"],
    ...["PUSH1 0xff", "ADDRESS", "AND", "PUSH1 2", "SSTORE"],
    ...["PUSH1 0x0f", "PUSH1 0x0f", "AND", "PUSH1 0x0e", "CALLER", "AND", "ADD", "PUSH1 3", "SSTORE"],
  ),
  "call data words: the top bits alone, whole, near and past the end": asm(
    ...["PUSH0", "CALLDATALOAD", "PUSH1 0xe0", "SHR", "PUSH1 0", "SSTORE"],
    ...["PUSH1 2", "CALLDATALOAD", "PUSH1 200", "SHR", "PUSH1 1", "SSTORE"],
    ...["PUSH1 1", "CALLDATALOAD", "PUSH1 0xc0", "SHR", "PUSH1 2", "SSTORE"],
    ...["PUSH1 0", "CALLDATALOAD", "DUP1", "PUSH1 0xe0", "SHR", "PUSH1 3", "SSTORE", "PUSH1 4", "SSTORE"],
    ...["PUSH1 34", "CALLDATALOAD", "PUSH1 0xe0", "SHR", "PUSH1 5", "SSTORE"],
    ...["PUSH1 100", "CALLDATALOAD", "PUSH1 0xe0", "SHR", "PUSH1 9", "ADD", "PUSH1 6", "SSTORE"],
    ...[
      "PUSH1 4",
      "CALLDATALOAD",
      "POP",
      "PUSH1 4",
      "CALLDATALOAD",
      "PUSH1 1",
      "SWAP1",
      "PUSH1 7",
      "SSTORE",
      "PUSH1 8",
      "SSTORE",
    ],
    ...["PUSH1 4", "CALLDATALOAD", "PUSH1 0x10", "SHR", "PUSH1 9", "SSTORE"],
  ),
  "GAS, MSIZE and RETURNDATASIZE": asm(
    ...["GAS", "PUSH1 0", "SSTORE", "PUSH1 1", "PUSH1 0x40", "MSTORE", "MSIZE", "PUSH1 1", "SSTORE"],
    ...["RETURNDATASIZE", "PUSH1 7", "ADD", "PUSH1 2", "SSTORE"],
  ),
  // GAS and MSIZE last: the compiled KECCAK256 must charge the handler's memory and word gas.
  "KECCAK256 of constant ranges, of a range known at run time and of none": asm(
    ...["CALLER", "PUSH1 0", "MSTORE", "ADDRESS", "PUSH1 0x20", "MSTORE"],
    ...["PUSH1 0x40", "PUSH1 0", "KECCAK256", "PUSH1 0", "SSTORE"],
    ...[
      "PUSH1 0x40",
      "PUSH1 0",
      "KECCAK256",
      "PUSH1 0x20",
      "MSTORE",
      "PUSH1 0x40",
      "PUSH1 0",
      "KECCAK256",
      "PUSH1 1",
      "SSTORE",
    ],
    ...["PUSH1 0x21", "PUSH1 0x4f", "KECCAK256", "PUSH1 2", "SSTORE"],
    ...["PUSH1 0x41", "PUSH1 0x7f", "KECCAK256", "PUSH1 3", "SSTORE"],
    ...["PUSH1 0x20", "RETURNDATASIZE", "KECCAK256", "PUSH1 4", "SSTORE"],
    ...["PUSH1 0", "PUSH1 0xff", "KECCAK256", "PUSH1 5", "SSTORE"],
    ...["PUSH2 0x0400", "PUSH1 0", "KECCAK256", "PUSH1 6", "SSTORE"],
    ...["MSIZE", "PUSH1 7", "SSTORE", "GAS", "PUSH1 8", "SSTORE"],
  ),
  "a loop through a JUMP back to its head": asm(
    ...["PUSH1 0", "PUSH1 10", "JUMPDEST", "DUP1", "ISZERO", "PUSH1 21", "JUMPI"],
    ...["DUP1", "SWAP2", "ADD", "SWAP1", "PUSH1 1", "SWAP1", "SUB", "PUSH1 4", "JUMP"],
    ...["JUMPDEST", "POP", "PUSH1 0", "SSTORE", "STOP"],
  ),
  "a loop through JUMPI": asm(
    ...["PUSH1 0", "PUSH1 10", "JUMPDEST", "DUP1", "SWAP2", "ADD", "SWAP1"],
    ...["PUSH1 1", "SWAP1", "SUB", "DUP1", "PUSH1 4", "JUMPI"],
    ...["POP", "PUSH1 0", "SSTORE", "STOP"],
  ),
};

/** Call data every program gets: a selector, then a word. */
const DATA = hexToBytes(`0xa9059cbb${"00".repeat(12)}${"5e".repeat(20)}`);

function run(code: string): Map<bigint, bigint> | undefined {
  const state = new MemoryState();
  state.setAccount(SENDER, { nonce: 0n, balance: 10n ** 18n });
  state.setAccount(CONTRACT, { nonce: 1n, balance: 0n, code: hexToBytes(code) });
  const out = processTransaction(
    dynamicFeeTx({ sender: SENDER, maxPriorityFeePerGas: 2n, to: CONTRACT, gasLimit: 1_000_000n, data: DATA }),
    TEST_BLOCK,
    state,
  );
  assert.ok(out.valid);
  assert.equal(out.status, 1, "the program runs to its end");
  return out.writes.get(CONTRACT)?.storage;
}

test("compiled blocks write exactly what the interpreter loop writes", () => {
  try {
    for (const [name, code] of Object.entries(PROGRAMS)) {
      // Analyses are cached by code hash: each run gets code of its own (trailing STOPs, never reached).
      setCompilePolicy({ threshold: 0, budget: 0 });
      const plain = run(`${code}00`);
      setCompilePolicy({ threshold: 1, budget: Number.POSITIVE_INFINITY });
      const compiledCode = `${code}0000`;
      const compiled = run(compiledCode);
      assert.ok(plain !== undefined && plain.size > 0, `${name}: stores something`);
      assert.deepEqual(compiled, plain, name);
      const bytes = hexToBytes(compiledCode);
      const blocks = analyzeCached(keccak256Word(bytes), bytes).blocks;
      const ran = [...blocks.runs.keys()].filter((i) => blocks.runs[i]! > 0);
      assert.ok(ran.length > 0, `${name}: blocks ran`);
      for (const i of ran) assert.ok(blocks.compiled[i] !== undefined, `${name}: block ${i} ran compiled`);
    }
  } finally {
    setCompilePolicy(DEFAULT_COMPILE_POLICY);
  }
});

test("the loop's sum is the one the program computes", () => {
  assert.equal(run(PROGRAMS["a loop through JUMPI"]!)?.get(0n), 55n);
  assert.equal(run(PROGRAMS["a loop through a JUMP back to its head"]!)?.get(0n), 55n);
});

test("a selector read alone is the top four bytes of the call data", () => {
  assert.equal(
    run(PROGRAMS["call data words: the top bits alone, whole, near and past the end"]!)?.get(0n),
    0xa9059cbbn,
  );
});

test("a compiled KECCAK256 runs out of gas where the handler does, for its memory or its words", () => {
  const code = asm("PUSH2 0x2000", "PUSH1 0", "KECCAK256", "PUSH1 0", "MSTORE", "STOP");
  const outcome = (suffix: string, gasLimit: bigint) => {
    const state = new MemoryState();
    state.setAccount(SENDER, { nonce: 0n, balance: 10n ** 18n });
    state.setAccount(CONTRACT, { nonce: 1n, balance: 0n, code: hexToBytes(`${code}${suffix}`) });
    const tx = dynamicFeeTx({ sender: SENDER, maxPriorityFeePerGas: 2n, to: CONTRACT, gasLimit, data: DATA });
    const out = processTransaction(tx, TEST_BLOCK, state);
    assert.ok(out.valid);
    return { status: out.status, gasUsed: out.gasUsed };
  };
  try {
    const statuses = new Set<number>();
    // Intrinsic gas with DATA's call data is about 21,500; memory costs 896 and the words 1,536.
    for (let gasLimit = 21_500n; gasLimit <= 25_000n; gasLimit += 50n) {
      setCompilePolicy({ threshold: 0, budget: 0 });
      const plain = outcome("00", gasLimit);
      setCompilePolicy({ threshold: 1, budget: Number.POSITIVE_INFINITY });
      assert.deepEqual(outcome("0000", gasLimit), plain, `gas limit ${gasLimit}`);
      statuses.add(plain.status);
    }
    assert.deepEqual([...statuses].sort(), [0, 1], "some limits fail and some succeed");
    const bytes = hexToBytes(`${code}0000`);
    assert.ok(analyzeCached(keccak256Word(bytes), bytes).blocks.compiled[0] !== undefined, "the block ran compiled");
  } finally {
    setCompilePolicy(DEFAULT_COMPILE_POLICY);
  }
});
