import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { processTransaction } from "../../exec/process-transaction.js";
import type { TxInput, ValidTxOutcome } from "../../exec/types.js";
import { addressToHex, bigintToHex, bytesToBigint, bytesToHex, wordToHex } from "../../primitives/hex.js";
import { keccak256Word } from "../../primitives/keccak.js";
import type { Host } from "../host.js";
import { createAddress } from "../opcodes/system.js";
import { FourByteTracer } from "./four-byte-tracer.js";
import {
  type PrestateDiffJson,
  type PrestateJson,
  PrestateTracer,
  type PrestateTracerConfig,
} from "./prestate-tracer.js";
import { asm, mapHost, SENDER, TEST_BLOCK } from "./testkit.js";
import type { TxTracer } from "./types.js";

const CONTRACT = 0xc0c0n;
const COINBASE = TEST_BLOCK.coinbase;
const NOBODY = 0xdeadn;
const GAS_PRICE = 2n;

// Deploys 0x5b (a JUMPDEST) after writing 1 to its slot 0.
const CHILD_INIT = asm("PUSH1 1 PUSH1 0 SSTORE PUSH1 0x5b PUSH1 0 MSTORE8 PUSH1 1 PUSH1 0 RETURN");
const CHILD_CODE = new Uint8Array([0x5b]);

/**
 * slot1 = slot0 + msg.value; slot0 = 0; reads slot2 (9) and slot3 (0) without changing them; BALANCE
 * of an account that does not exist; CREATE of the child.
 */
const CONTRACT_CODE = asm(`
  PUSH1 0 SLOAD CALLVALUE ADD PUSH1 1 SSTORE
  PUSH1 0 PUSH1 0 SSTORE
  PUSH1 2 SLOAD POP PUSH1 3 SLOAD POP
  PUSH2 ${NOBODY} BALANCE POP
  PUSH32 ${bytesToBigint(CHILD_INIT) << BigInt(8 * (32 - CHILD_INIT.length))} PUSH1 0 MSTORE
  PUSH1 ${CHILD_INIT.length} PUSH1 0 PUSH1 0 CREATE POP
  STOP`);
const CHILD = createAddress(CONTRACT, 1n);

function state(): Host {
  return mapHost(
    new Map([
      [SENDER, { balance: 10n ** 18n }],
      [COINBASE, { balance: 1000n }],
      [
        CONTRACT,
        {
          balance: 50n,
          nonce: 1n,
          code: CONTRACT_CODE,
          storage: new Map([
            [0n, 5n],
            [2n, 9n],
          ]),
        },
      ],
    ]),
  );
}

function tx(to: bigint | null, value: bigint, data: Uint8Array = new Uint8Array(0), gasLimit = 300_000n): TxInput {
  return { type: 0, sender: SENDER, nonce: 0n, gasLimit, gasPrice: GAS_PRICE, to, value, data, accessList: [] };
}

/** Runs `input` under `tracer` as debug_trace* does: start with the state, end with the writes. */
function trace(tracer: TxTracer, input: TxInput, host = state()): ValidTxOutcome {
  const creation = input.to === null;
  const to = input.to ?? createAddress(input.sender, input.nonce);
  tracer.onTxStart(input.gasLimit, { state: host, sender: input.sender, to, creation, coinbase: COINBASE });
  const outcome = processTransaction(input, TEST_BLOCK, host, { tracer });
  assert.ok(outcome.valid);
  tracer.onTxEnd(outcome.gasUsed, outcome.writes);
  return outcome;
}

function prestate(input: TxInput, config: PrestateTracerConfig = {}): { result: unknown; gasUsed: bigint } {
  const tracer = new PrestateTracer(config);
  const outcome = trace(tracer, input);
  return { result: tracer.result(), gasUsed: outcome.gasUsed };
}

const w = wordToHex;
const CONTRACT_HEX = addressToHex(CONTRACT);
const CONTRACT_HASH = w(keccak256Word(CONTRACT_CODE));

describe("prestateTracer", () => {
  it("lists every touched account as it was before: sender, recipient, coinbase, slots read or written", () => {
    const { result } = prestate(tx(CONTRACT, 7n));
    assert.deepEqual(result, {
      [addressToHex(SENDER)]: { balance: bigintToHex(10n ** 18n) },
      [CONTRACT_HEX]: {
        balance: "0x32",
        code: bytesToHex(CONTRACT_CODE),
        codeHash: CONTRACT_HASH,
        nonce: 1,
        storage: { [w(0n)]: w(5n), [w(1n)]: w(0n), [w(2n)]: w(9n), [w(3n)]: w(0n) },
      },
      // The child and NOBODY did not exist before: geth leaves such accounts out.
      [addressToHex(COINBASE)]: { balance: "0x3e8" },
    } satisfies PrestateJson);
    const keys = Object.keys(result as PrestateJson);
    assert.deepEqual(keys, [...keys].sort(), "addresses ascending, as geth's JSON sorts them");
  });

  it("diffMode: only what changed, before and after; new accounts only after", () => {
    const { result, gasUsed } = prestate(tx(CONTRACT, 7n), { diffMode: true });
    const fee = gasUsed * GAS_PRICE;
    assert.deepEqual(result, {
      post: {
        [addressToHex(SENDER)]: { balance: bigintToHex(10n ** 18n - 7n - fee), nonce: 1 },
        // slot0 went to zero: in pre, not in post; slots 2 and 3 did not change: in neither.
        [CONTRACT_HEX]: { balance: "0x39", nonce: 2, storage: { [w(1n)]: w(12n) } },
        [addressToHex(COINBASE)]: { balance: bigintToHex(1000n + fee) },
        [addressToHex(CHILD)]: {
          code: bytesToHex(CHILD_CODE),
          codeHash: w(keccak256Word(CHILD_CODE)),
          nonce: 1,
          storage: { [w(0n)]: w(1n) },
        },
      },
      pre: {
        [addressToHex(SENDER)]: { balance: bigintToHex(10n ** 18n) },
        [CONTRACT_HEX]: {
          balance: "0x32",
          code: bytesToHex(CONTRACT_CODE),
          codeHash: CONTRACT_HASH,
          nonce: 1,
          storage: { [w(0n)]: w(5n) },
        },
        [addressToHex(COINBASE)]: { balance: "0x3e8" },
      },
    } satisfies PrestateDiffJson);
  });

  it("a creation: the new contract is only in post; disableCode keeps codeHash, disableStorage drops slots", () => {
    const created = createAddress(SENDER, 0n);
    const { result, gasUsed } = prestate(tx(null, 3n, CHILD_INIT, 100_000n), {
      diffMode: true,
      disableCode: true,
      disableStorage: true,
    });
    const fee = gasUsed * GAS_PRICE;
    assert.deepEqual(result, {
      post: {
        [addressToHex(SENDER)]: { balance: bigintToHex(10n ** 18n - 3n - fee), nonce: 1 },
        [addressToHex(COINBASE)]: { balance: bigintToHex(1000n + fee) },
        [addressToHex(created)]: { balance: "0x3", codeHash: w(keccak256Word(CHILD_CODE)), nonce: 1 },
      },
      pre: {
        [addressToHex(SENDER)]: { balance: bigintToHex(10n ** 18n) },
        [addressToHex(COINBASE)]: { balance: "0x3e8" },
      },
    } satisfies PrestateDiffJson);

    const plain = prestate(tx(CONTRACT, 0n), { disableCode: true, disableStorage: true }).result as PrestateJson;
    assert.deepEqual(plain[CONTRACT_HEX], { balance: "0x32", codeHash: CONTRACT_HASH, nonce: 1 });
  });

  it("includeEmpty keeps the accounts that did not exist", () => {
    const result = prestate(tx(CONTRACT, 7n), { includeEmpty: true }).result as PrestateJson;
    assert.deepEqual(result[addressToHex(NOBODY)], { balance: "0x0" });
    // The child's constructor wrote its slot 0: as it was before, zero.
    assert.deepEqual(result[addressToHex(CHILD)], { balance: "0x0", storage: { [w(0n)]: w(0n) } });
    assert.throws(() => new PrestateTracer({ diffMode: true, includeEmpty: true }), /diffMode with includeEmpty/);
  });

  it("leaves out what an opcode that ran out of gas before running would have touched, as geth does", () => {
    // SLOAD of a cold slot (2,100 gas) with 100 gas left: the frame halts before the load.
    const code = asm("PUSH1 7 SLOAD STOP");
    const host = mapHost(
      new Map([
        [SENDER, { balance: 10n ** 18n }],
        [CONTRACT, { code, storage: new Map([[7n, 1n]]) }],
      ]),
    );
    const tracer = new PrestateTracer();
    const outcome = trace(tracer, tx(CONTRACT, 0n, new Uint8Array(0), 21_100n), host);
    assert.equal(outcome.status, 0);
    assert.equal((tracer.result() as PrestateJson)[CONTRACT_HEX]?.storage, undefined);
  });
});

describe("4byteTracer", () => {
  it("counts selector-size ids of calls, the transaction's own included; not creations, not precompiles", () => {
    // Calls NOBODY with 4+2 bytes, twice, and the sha256 precompile with 4+28 bytes.
    const code = asm(`
      PUSH4 0x12345678 PUSH1 0 MSTORE
      PUSH1 0 PUSH1 0 PUSH1 6 PUSH1 28 PUSH1 0 PUSH2 ${NOBODY} GAS CALL POP
      PUSH1 0 PUSH1 0 PUSH1 6 PUSH1 28 PUSH2 ${NOBODY} GAS STATICCALL POP
      PUSH1 0 PUSH1 0 PUSH1 32 PUSH1 0 PUSH1 2 GAS STATICCALL POP
      STOP`);
    const host = mapHost(
      new Map([
        [SENDER, { balance: 10n ** 18n }],
        [CONTRACT, { code }],
      ]),
    );
    const tracer = new FourByteTracer();
    trace(tracer, tx(CONTRACT, 0n, new Uint8Array([0xaa, 0xbb, 0xcc, 0xdd, 1, 2, 3])), host);
    assert.deepEqual(tracer.result(), { "0x12345678-2": 2, "0xaabbccdd-3": 1 });
  });
});
