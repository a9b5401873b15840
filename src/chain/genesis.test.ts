import assert from "node:assert/strict";
import { test } from "node:test";
import { bytesToBigint, hexToBytes } from "../primitives/hex.js";
import { type RlpDecoded, rlpDecode, rlpEncode } from "../primitives/rlp.js";
import { GenesisError } from "./errors.js";
import {
  allocAddress,
  allocAddressBytes,
  DEFAULT_BASE_FEE,
  DEFAULT_GAS_LIMIT,
  devGenesis,
  genesisHeader,
  genesisStateRoot,
  parseGenesis,
} from "./genesis.js";
import { decodeHeader, hashHeader } from "./header.js";
import { GENESIS_HASH, GENESIS_JSON, GENESIS_RLP, GENESIS_STATE_ROOT } from "./testdata/cancun-blob-block.js";

test("a geth-style genesis gives geth's state root and genesis block hash (ethereum/tests Cancun vector)", () => {
  const spec = parseGenesis(GENESIS_JSON);
  assert.equal(spec.chainId, 1n);
  assert.equal(spec.alloc.size, 2);
  assert.equal(spec.alloc.get(0x095e7baea6a6c7c4c2dfeb977efac326af552d87n)?.code.length, 7);
  assert.equal(genesisStateRoot(spec), GENESIS_STATE_ROOT);
  const header = genesisHeader(spec);
  const expected = decodeHeader(rlpEncode((rlpDecode(hexToBytes(GENESIS_RLP)) as RlpDecoded[])[0]!));
  assert.deepEqual(header, expected);
  assert.equal(hashHeader(header), GENESIS_HASH);
});

test("storage, decimal quantities, addresses without 0x, defaults", () => {
  const spec = parseGenesis({
    config: { chainId: "0x7a69" },
    alloc: {
      "1111111111111111111111111111111111111111": {
        balance: "1000000000000000000000",
        nonce: 3,
        storage: { "0x01": "0x2a", "0x02": "0x00" },
      },
    },
  });
  assert.equal(spec.chainId, 31337n);
  const a = spec.alloc.get(0x1111111111111111111111111111111111111111n)!;
  assert.equal(a.balance, 10n ** 21n);
  assert.equal(a.nonce, 3n);
  assert.deepEqual([...a.storage], [[1n, 42n]]); // zero slots dropped
  assert.equal(spec.gasLimit, DEFAULT_GAS_LIMIT);
  assert.equal(spec.baseFeePerGas, DEFAULT_BASE_FEE);
  assert.equal(spec.timestamp, 0n);
  assert.equal(spec.difficulty, 0n);
  // Storage changes the root; a zero slot does not.
  const without = parseGenesis({
    config: { chainId: 1 },
    alloc: { "1111111111111111111111111111111111111111": { balance: "1000000000000000000000", nonce: 3 } },
  });
  assert.notEqual(genesisStateRoot(spec), genesisStateRoot(without));
});

test("clear errors for bad or unsupported genesis files", () => {
  const bad = (json: unknown, pattern: RegExp) =>
    assert.throws(
      () => parseGenesis(json),
      (e: unknown) => e instanceof GenesisError && pattern.test(e.message),
    );
  bad(null, /JSON object/);
  bad({}, /config/);
  bad({ config: {} }, /chainId is missing/);
  bad({ config: { chainId: 1 }, foo: 1 }, /unknown field "foo"/);
  bad({ config: { chainId: 1, cancunTime: 100 } }, /cancunTime = 100/);
  bad({ config: { chainId: 1, londonBlock: 5 } }, /londonBlock/);
  bad({ config: { chainId: 1, pragueTime: 0 } }, /pragueTime.*no later fork/);
  bad({ config: { chainId: 1 }, number: "0x5" }, /genesis is block 0/);
  bad({ config: { chainId: 1 }, gasLimit: "lots" }, /gasLimit: expected a hex/);
  bad({ config: { chainId: 1 }, gasLimit: 1.5 }, /gasLimit/);
  bad({ config: { chainId: 1 }, extraData: `0x${"00".repeat(33)}` }, /extraData: 33 bytes/);
  bad({ config: { chainId: 1 }, alloc: { "0x12": {} } }, /not a 20-byte address/);
  bad({ config: { chainId: 1 }, alloc: { [`0x${"11".repeat(20)}`]: { balance: "-1" } } }, /balance/);
  bad({ config: { chainId: 1 }, alloc: { [`0x${"11".repeat(20)}`]: { wei: "1" } } }, /unknown field "wei"/);
  bad({ config: { chainId: 1 }, alloc: { [`0x${"11".repeat(20)}`]: { code: "0x123" } } }, /code: expected hex bytes/);
  bad(
    { config: { chainId: 1 }, alloc: { [`0x${"11".repeat(20)}`]: { storage: { [`0x${"11".repeat(33)}`]: "0x1" } } } },
    /longer than 32 bytes/,
  );
  bad(
    { config: { chainId: 1 }, alloc: { [`0x${"aa".repeat(20)}`]: {}, [`0x${"AA".repeat(20)}`]: {} } },
    /appears twice/,
  );
});

test("devGenesis funds the accounts with anvil's defaults", () => {
  const spec = devGenesis({ chainId: 31337n, accounts: [1n, 2n], balance: 10n ** 22n, timestamp: 5n });
  assert.equal(spec.alloc.get(2n)?.balance, 10n ** 22n);
  assert.equal(spec.gasLimit, 30_000_000n);
  assert.equal(spec.baseFeePerGas, 1_000_000_000n);
  assert.equal(genesisHeader(spec).timestamp, 5n);
});

test("an alloc key read as bytes is the address allocAddress reads, and the same keys are refused with the same message", () => {
  const hex = "00a1B2c3D4e5F60718293a4b5c6d7e8f90a1b2c3";
  for (const key of [hex, `0x${hex}`, `0X${hex}`, "f".repeat(40)]) {
    assert.equal(bytesToBigint(allocAddressBytes(key)), allocAddress(key), key);
  }
  for (const key of [
    "",
    "0x",
    hex.slice(1),
    `${hex}0`,
    `0x0${hex}`,
    `0y${hex}`,
    `${hex.slice(0, 39)}g`,
    `1x${hex}`,
    `0x${hex.slice(0, 38)}é1`,
  ]) {
    assert.throws(() => allocAddress(key), GenesisError, key);
    assert.throws(
      () => allocAddressBytes(key),
      { message: `invalid genesis: alloc: "${key}" is not a 20-byte address` },
      key,
    );
  }
});
