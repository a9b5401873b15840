import assert from "node:assert/strict";
import { after, test } from "node:test";
import type { Host } from "../evm/host.js";
import { createAddress } from "../evm/opcodes/system.js";
import { InvalidTransactionError } from "../exec/types.js";
import { bigintToBytes } from "../primitives/hex.js";
import { EMPTY_CODE_HASH, keccak256Word } from "../primitives/keccak.js";
import type { LmdbState } from "../state/lmdb-state.js";
import { bloomIncludes } from "./bloom.js";
import { Chain } from "./chain.js";
import {
  ALICE,
  BOB,
  CAROL,
  DAVE,
  ETHER,
  GENESIS_TIME,
  GWEI,
  STORE_AND_LOG_RUNTIME,
  storeAndLogInitcode,
  TempDirs,
  testGenesis,
  tx,
} from "./chain-testkit.js";
import { nextBaseFee } from "./fees.js";
import { genesisHeader, genesisStateRoot } from "./genesis.js";
import { hashHeader } from "./header.js";
import { receiptsRoot, transactionsRoot } from "./roots.js";
import { encodeStateDump } from "./snapshot.js";
import type { DroppedBlock } from "./types.js";

const dirs = new TempDirs();
after(() => dirs.cleanup());

const word = (v: bigint) => bigintToBytes(v, 32);
const lmdbOf = (chain: Chain) => chain.state() as LmdbState;
const balance = (state: Host, a: bigint) => state.account(a)?.balance ?? 0n;

test("genesis: made on an empty datadir, resumed on reopen, refused for another chain id or genesis", async () => {
  const datadir = dirs.make();
  const genesis = testGenesis();
  let chain = await Chain.open({ datadir, genesis });
  const head = chain.head();
  assert.equal(head.header.number, 0n);
  assert.equal(head.hash, hashHeader(genesisHeader(genesis)));
  assert.equal(head.header.stateRoot, genesisStateRoot(genesis));
  assert.equal(lmdbOf(chain).stateRoot(), head.header.stateRoot);
  assert.equal(chain.chainId, 31337n);
  assert.equal(balance(chain.state(), ALICE), 10_000n * ETHER);
  assert.equal(chain.blockByHash(head.hash), head);
  assert.equal(chain.blockByNumber(1n), undefined);
  assert.deepEqual(chain.blockReceipts(0n), []);
  await chain.close();
  await assert.rejects(chain.mine([], { timestamp: GENESIS_TIME + 1n }), /closed/);

  chain = await Chain.open({ datadir, genesis });
  assert.equal(chain.head().hash, head.hash);
  await chain.close();
  await assert.rejects(Chain.open({ datadir, genesis: testGenesis({ chainId: 1n }) }), /chain id 31337, not 1/);
  await assert.rejects(Chain.open({ datadir, genesis: testGenesis({ balance: 1n }) }), /another genesis/);
  // The refusals left the datadir usable.
  chain = await Chain.open({ datadir, genesis });
  assert.equal(chain.head().hash, head.hash);
  await chain.close();
});

test("mine: transfers, receipts, header, indexes; all of it read back after a reopen", async () => {
  const datadir = dirs.make();
  const genesis = testGenesis();
  let chain = await Chain.open({ datadir, genesis });
  const genesisBlock = chain.head();
  const txs = [tx(ALICE, { nonce: 0n, to: BOB, value: ETHER }), tx(BOB, { nonce: 0n, to: CAROL, value: 2n * ETHER })];
  const env = chain.nextBlockEnv(GENESIS_TIME + 12n);
  const mined = await chain.mine(txs, { timestamp: GENESIS_TIME + 12n });
  const { block, receipts } = mined;
  assert.deepEqual(mined.rejected, []);
  assert.deepEqual(mined.deferred, []);
  assert.equal(chain.head(), block);

  const baseFee = nextBaseFee(genesisBlock.header);
  assert.equal(baseFee, 875_000_000n);
  const h = block.header;
  assert.equal(h.number, 1n);
  assert.equal(h.parentHash, genesisBlock.hash);
  assert.equal(h.timestamp, GENESIS_TIME + 12n);
  assert.equal(h.baseFeePerGas, baseFee);
  assert.equal(h.gasUsed, 42_000n);
  assert.equal(h.gasLimit, genesis.gasLimit);
  assert.equal(h.transactionsRoot, transactionsRoot(txs));
  assert.equal(h.receiptsRoot, receiptsRoot(receipts));
  assert.equal(h.stateRoot, lmdbOf(chain).stateRoot());
  assert.equal(block.hash, hashHeader(h));
  assert.deepEqual(
    block.transactions.map((t) => t.hash),
    txs.map((t) => t.hash),
  );

  const price = baseFee + GWEI;
  assert.deepEqual(
    receipts.map((r) => [r.status, r.gasUsed, r.cumulativeGasUsed, r.effectiveGasPrice, r.blockHash, r.from]),
    [
      [1, 21_000n, 21_000n, price, block.hash, ALICE],
      [1, 21_000n, 42_000n, price, block.hash, BOB],
    ],
  );
  assert.deepEqual(chain.blockEnvOf(block), env);
  const state = chain.state();
  assert.equal(balance(state, ALICE), 10_000n * ETHER - ETHER - 21_000n * price);
  assert.equal(balance(state, BOB), 10_000n * ETHER + ETHER - 2n * ETHER - 21_000n * price);
  assert.equal(balance(state, CAROL), 10_000n * ETHER + 2n * ETHER);
  assert.equal(balance(state, 0n), 2n * 21_000n * GWEI); // the tips, to the genesis coinbase
  assert.equal(state.account(ALICE)?.nonce, 1n);
  assert.equal(state.blockHash(1n), block.hash);

  const check = (c: Chain) => {
    assert.deepEqual(c.blockByNumber(1n), block);
    assert.deepEqual(c.blockByHash(block.hash), block);
    assert.deepEqual(c.blockReceipts(1n), receipts);
    assert.deepEqual(c.receipt(txs[1]!.hash), receipts[1]);
    const found = c.transaction(txs[1]!.hash);
    assert.deepEqual(found, { tx: txs[1], blockHash: block.hash, blockNumber: 1n, index: 1 });
    assert.equal(c.transaction(123n), undefined);
    assert.equal(c.receipt(123n), undefined);
    assert.equal(c.blockByHash(123n), undefined);
  };
  check(chain);
  await chain.close();
  chain = await Chain.open({ datadir, genesis });
  assert.deepEqual(chain.head(), block);
  check(chain);

  // An empty block: the base fee keeps falling, nothing else changes.
  const empty = await chain.mine([], { timestamp: GENESIS_TIME + 12n });
  assert.equal(empty.block.header.baseFeePerGas, nextBaseFee(h));
  assert.equal(empty.block.header.stateRoot, h.stateRoot);
  await assert.rejects(chain.mine([], { timestamp: GENESIS_TIME }), /before its parent/);
  await chain.close();
});

test("mine drops invalid transactions with their senders' later ones, and defers what does not fit", async () => {
  // Room for four transfers (84,000 gas of 100,000).
  const chain = await Chain.open({ datadir: dirs.make(), genesis: testGenesis({ gasLimit: 100_000n }) });
  const a0 = tx(ALICE, { nonce: 0n });
  const a1 = tx(ALICE, { nonce: 5n }); // gap
  const a2 = tx(ALICE, { nonce: 1n }); // after the gap's drop
  const b0 = tx(BOB, { nonce: 0n, value: 20_000n * ETHER }); // found invalid only by execution
  const b1 = tx(BOB, { nonce: 1n });
  const c0 = tx(CAROL, { nonce: 0n, gasLimit: 200_000n }); // over the whole block's gas
  const c1 = tx(CAROL, { nonce: 1n });
  const d = [0n, 1n, 2n, 3n].map((nonce) => tx(DAVE, { nonce }));
  const mined = await chain.mine([a0, a1, a2, b0, b1, c0, c1, ...d], { timestamp: GENESIS_TIME + 1n });
  assert.deepEqual(
    mined.block.transactions.map((t) => t.hash),
    [a0, d[0]!, d[1]!, d[2]!].map((t) => t.hash),
  );
  assert.deepEqual(
    mined.deferred.map((t) => t.hash),
    [d[3]!.hash],
  );
  const reasons = new Map(
    mined.rejected.map((r) => [r.tx.hash, r.error instanceof InvalidTransactionError ? r.error.reason : r.error]),
  );
  assert.deepEqual(
    reasons,
    new Map<bigint, string>([
      [a1.hash, "NONCE_TOO_HIGH"],
      [a2.hash, "NONCE_TOO_HIGH"],
      [c0.hash, "GAS_LIMIT_EXCEEDS_BLOCK"],
      [c1.hash, "NONCE_TOO_HIGH"],
      [b0.hash, "INSUFFICIENT_FUNDS"],
      [b1.hash, "NONCE_TOO_HIGH"],
    ]),
  );
  assert.equal(mined.block.header.gasUsed, 84_000n);
  // A stale nonce is dropped too; the deferred transaction goes into the next block.
  const next = await chain.mine([a0, d[3]!], { timestamp: GENESIS_TIME + 2n });
  assert.deepEqual(
    next.block.transactions.map((t) => t.hash),
    [d[3]!.hash],
  );
  assert.equal((next.rejected[0]!.error as InvalidTransactionError).reason, "NONCE_TOO_LOW");
  await chain.close();
});

test("a contract: creation, storage, logs with block-wide indexes, blooms", async () => {
  const chain = await Chain.open({ datadir: dirs.make(), genesis: testGenesis() });
  const contract = createAddress(ALICE, 0n);
  const txs = [
    tx(ALICE, { nonce: 0n, to: null, data: storeAndLogInitcode(), gasLimit: 200_000n }),
    tx(BOB, { nonce: 0n, to: contract, data: word(7n), gasLimit: 100_000n }),
    tx(CAROL, { nonce: 0n, to: contract, data: word(9n), gasLimit: 100_000n }),
  ];
  const { block, receipts } = await chain.mine(txs, { timestamp: GENESIS_TIME + 1n });
  assert.deepEqual(
    receipts.map((r) => [r.status, r.contractAddress, r.firstLogIndex, r.logs.length]),
    [
      [1, contract, 0, 0],
      [1, null, 0, 1],
      [1, null, 1, 1],
    ],
  );
  assert.deepEqual(receipts[2]!.logs[0], { address: contract, topics: [9n], data: new Uint8Array(0) });
  assert.ok(bloomIncludes(block.header.logsBloom, bigintToBytes(contract, 20)));
  assert.ok(bloomIncludes(block.header.logsBloom, word(7n)));
  assert.ok(bloomIncludes(receipts[1]!.logsBloom, word(7n)));
  assert.ok(!bloomIncludes(receipts[1]!.logsBloom, word(9n)));
  const state = chain.state();
  assert.deepEqual([...state.code(contract)], [...STORE_AND_LOG_RUNTIME]);
  assert.equal(state.storage(contract, 0n), 9n);
  const before = chain.stateAt(0n);
  assert.equal(before.account(contract), undefined);
  assert.equal(before.code(contract).length, 0);
  assert.equal(before.hasStorage(contract), false);
  assert.equal(chain.stateAt(1n).storage(contract, 0n), 9n);
  await chain.close();
});

test("stateAt: every past block's state (dev edits included), stable while the chain grows", async () => {
  const datadir = dirs.make();
  const genesis = testGenesis();
  let chain = await Chain.open({ datadir, genesis });
  const contract = createAddress(ALICE, 0n);
  await chain.mine([tx(ALICE, { nonce: 0n, to: null, data: storeAndLogInitcode(), gasLimit: 200_000n })], {
    timestamp: GENESIS_TIME + 1n,
  });
  const X = 0x1234n;
  const seen: { bob: bigint; carol: bigint; x: bigint | undefined; slot: bigint; nonce: bigint }[] = [];
  const record = (s: Host) =>
    seen.push({
      bob: balance(s, BOB),
      carol: balance(s, CAROL),
      x: s.account(X)?.balance,
      slot: s.storage(contract, 0n),
      nonce: s.account(ALICE)?.nonce ?? 0n,
    });
  // seen[n]: the state block n+1 is built on (block n, then the dev edits made while it was the head).
  record(chain.stateAt(0n));
  for (let i = 2n; i <= 6n; i++) {
    if (i === 3n) await chain.setAccount(CAROL, { balance: 5n });
    if (i === 4n) await chain.setAccount(X, { balance: 77n });
    if (i === 5n) await chain.setAccount(X, { balance: 0n }); // gone again: an empty account
    record(chain.state());
    await chain.mine(
      [
        tx(ALICE, { nonce: i - 1n, to: BOB, value: i * ETHER }),
        tx(BOB, { nonce: i - 2n, to: contract, data: word(i * 100n), gasLimit: 100_000n }),
      ],
      { timestamp: GENESIS_TIME + i },
    );
  }
  record(chain.state());
  const check = (c: Chain) => {
    for (let n = 0n; n <= 6n; n++) {
      const s = c.stateAt(n);
      const got = {
        bob: balance(s, BOB),
        carol: balance(s, CAROL),
        x: s.account(X)?.balance,
        slot: s.storage(contract, 0n),
        nonce: s.account(ALICE)?.nonce ?? 0n,
      };
      assert.deepEqual(got, seen[Number(n)], `block ${n}`);
      assert.equal(s.blockHash(n), c.blockByNumber(n)!.hash);
      assert.equal(s.blockHash(n + 1n), 0n);
    }
  };
  check(chain);
  assert.equal(seen[1]!.carol, 10_000n * ETHER);
  assert.equal(seen[2]!.carol, 5n); // the edit made while block 2 was the head
  assert.equal(seen[3]!.x, 77n);
  assert.equal(seen[4]!.x, undefined);
  assert.equal(seen[6]!.slot, 600n);

  // A state opened now keeps showing its block while more are mined (and while one is in flight).
  const at3 = chain.stateAt(3n);
  const atHead = chain.stateAt(6n);
  const pending = chain.mine([tx(ALICE, { nonce: 6n, to: BOB, value: ETHER })], { timestamp: GENESIS_TIME + 7n });
  await new Promise((resolve) => setImmediate(resolve)); // the block is executed; its commit is under way
  assert.equal(balance(atHead, BOB), seen[6]!.bob);
  await pending;
  await chain.setAccount(BOB, { balance: 1n });
  assert.equal(balance(at3, BOB), seen[3]!.bob);
  assert.equal(balance(atHead, BOB), seen[6]!.bob);
  assert.equal(at3.code(contract).length, STORE_AND_LOG_RUNTIME.length);
  assert.equal(at3.hasStorage(contract), true);
  assert.throws(() => chain.stateAt(8n), /not in the chain/);

  await chain.close();
  chain = await Chain.open({ datadir, genesis });
  check(chain);
  await chain.close();
});

test("setAccount: balance, nonce, code and storage; durable; the next block runs on it", async () => {
  const datadir = dirs.make();
  const genesis = testGenesis();
  let chain = await Chain.open({ datadir, genesis });
  const X = 0xabcdefn;
  await chain.setAccount(X, {
    balance: 3n,
    nonce: 4n,
    code: STORE_AND_LOG_RUNTIME,
    storage: new Map([
      [1n, 11n],
      [2n, 22n],
    ]),
  });
  await chain.setAccount(X, { storage: new Map([[2n, 0n]]) }); // clears one slot, keeps the rest
  await chain.close();
  chain = await Chain.open({ datadir, genesis });
  const state = chain.state();
  assert.deepEqual(state.account(X), { nonce: 4n, balance: 3n, codeHash: keccak256Word(STORE_AND_LOG_RUNTIME) });
  assert.equal(state.storage(X, 1n), 11n);
  assert.equal(state.storage(X, 2n), 0n);
  const { receipts } = await chain.mine([tx(ALICE, { nonce: 0n, to: X, data: word(5n), gasLimit: 100_000n })], {
    timestamp: GENESIS_TIME + 1n,
  });
  assert.equal(receipts[0]!.status, 1);
  assert.equal(chain.state().storage(X, 0n), 5n);
  await chain.setAccount(X, { code: new Uint8Array(0) });
  assert.equal(chain.state().account(X)?.codeHash, EMPTY_CODE_HASH);
  await assert.rejects(chain.setAccount(X, { nonce: 1n << 64n }), /nonce .* out of range/);
  await assert.rejects(chain.setAccount(1n << 160n, { balance: 1n }), /address .* out of range/);
  await chain.close();
});

test("snapshot and revert: blocks, transactions and state rewound, durably; ids are one-shot", async () => {
  const datadir = dirs.make();
  const genesis = testGenesis();
  let chain = await Chain.open({ datadir, genesis });
  await chain.mine([tx(ALICE, { nonce: 0n })], { timestamp: GENESIS_TIME + 1n });
  const base = chain.head();
  const baseRoot = lmdbOf(chain).stateRoot();
  const s0 = chain.snapshot();
  const t1 = tx(ALICE, { nonce: 1n, value: ETHER });
  const t2 = tx(ALICE, { nonce: 2n, to: null, data: storeAndLogInitcode(), gasLimit: 200_000n });
  const b2 = (await chain.mine([t1], { timestamp: GENESIS_TIME + 2n })).block;
  await chain.setAccount(CAROL, { balance: 1n, storage: new Map([[3n, 3n]]) });
  const s1 = chain.snapshot();
  const atB2 = chain.stateAt(2n);
  const b3 = (await chain.mine([t2], { timestamp: GENESIS_TIME + 3n })).block;
  const at3 = chain.stateAt(3n);
  assert.equal(chain.head().header.number, 3n);

  assert.equal(await chain.revert(s1), true);
  assert.equal(chain.head(), chain.blockByNumber(2n));
  assert.equal(chain.head().hash, b2.hash);
  assert.equal(balance(chain.state(), CAROL), 1n); // the edit came before s1
  assert.equal(chain.state().account(createAddress(ALICE, 2n)), undefined);
  assert.equal(chain.blockByHash(b3.hash), undefined);
  assert.equal(chain.transaction(t2.hash), undefined);
  assert.equal(chain.receipt(t2.hash), undefined);
  assert.throws(() => at3.account(ALICE), /reverted/);
  assert.equal(atB2.storage(CAROL, 3n), 3n); // block 2 is still there
  assert.equal(await chain.revert(s1), false); // one-shot

  const s2 = chain.snapshot();
  assert.equal(await chain.revert(s0), true);
  assert.equal(await chain.revert(s2), false); // later than s0: gone with it
  assert.equal(await chain.revert(999n), false);
  assert.deepEqual(chain.head(), base);
  assert.equal(lmdbOf(chain).stateRoot(), baseRoot);
  assert.equal(lmdbOf(chain).head()?.stateRoot, base.header.stateRoot);
  assert.equal(chain.state().storage(CAROL, 3n), 0n);
  assert.equal(chain.state().blockHash(2n), 0n);
  assert.equal(chain.transaction(t1.hash), undefined);

  // The chain goes on from there, and a reopen finds it as reverted.
  const again = await chain.mine([t1], { timestamp: GENESIS_TIME + 5n });
  assert.equal(again.block.header.stateRoot, lmdbOf(chain).stateRoot()); // the incremental root followed the revert
  assert.equal(again.block.header.number, 2n);
  assert.equal(again.block.header.parentHash, base.hash);
  await chain.close();
  chain = await Chain.open({ datadir, genesis });
  assert.deepEqual(chain.head(), again.block);
  assert.equal(chain.transaction(t1.hash)?.blockNumber, 2n);
  assert.equal(chain.blockByHash(b3.hash), undefined);
  assert.equal(balance(chain.stateAt(1n), CAROL), 10_000n * ETHER);
  await chain.close();
});

test("dumpState / loadState: anvil's format, gzip-hex or plain, and a load is undone by revert", async () => {
  const a = await Chain.open({ datadir: dirs.make(), genesis: testGenesis() });
  const contract = createAddress(ALICE, 0n);
  await a.mine(
    [
      tx(ALICE, { nonce: 0n, to: null, data: storeAndLogInitcode(), gasLimit: 200_000n }),
      tx(BOB, { nonce: 0n, to: contract, data: word(42n), gasLimit: 100_000n }),
    ],
    { timestamp: GENESIS_TIME + 1n },
  );
  const dump = a.dumpState();
  assert.equal(dump.best_block_number, 1);
  // What anvil's loader needs: the head's environment with its blob gas price, and the head block.
  const head = a.head();
  assert.deepEqual(dump.block, {
    number: "0x1",
    beneficiary: `0x${head.header.coinbase.toString(16).padStart(40, "0")}`,
    timestamp: `0x${(GENESIS_TIME + 1n).toString(16)}`,
    gas_limit: Number(head.header.gasLimit),
    basefee: Number(head.header.baseFeePerGas),
    difficulty: "0x0",
    prevrandao: `0x${head.header.mixHash.toString(16).padStart(64, "0")}`,
    blob_excess_gas_and_price: { excess_blob_gas: 0, blob_gasprice: 1 },
  });
  const [dumped] = dump.blocks as { header: Record<string, string>; transactions: unknown[] }[];
  assert.equal(dump.blocks?.length, 1);
  assert.equal(dumped!.header.number, "0x1");
  assert.equal(dumped!.header.parentHash, `0x${head.header.parentHash.toString(16).padStart(64, "0")}`);
  assert.deepEqual(dumped!.transactions, []);
  assert.deepEqual(dump.accounts[`0x${contract.toString(16).padStart(40, "0")}`], {
    nonce: 1,
    balance: "0x0",
    code: `0x${Buffer.from(STORE_AND_LOG_RUNTIME).toString("hex")}`,
    storage: { [`0x${"0".repeat(64)}`]: `0x${42n.toString(16).padStart(64, "0")}` },
  });

  const b = await Chain.open({ datadir: dirs.make(), genesis: testGenesis({ balance: 1n }) });
  const s = b.snapshot();
  await b.loadState(`0x${Buffer.from(encodeStateDump(dump)).toString("hex")}`);
  assert.equal(lmdbOf(b).stateRoot(), lmdbOf(a).stateRoot());
  assert.equal(b.state().storage(contract, 0n), 42n);
  assert.equal(await b.revert(s), true);
  assert.equal(b.state().account(contract), undefined);
  assert.equal(balance(b.state(), ALICE), 1n);
  await b.loadState(JSON.stringify(dump));
  assert.equal(lmdbOf(b).stateRoot(), lmdbOf(a).stateRoot());

  // As anvil writes it (its system contracts aside).
  await b.loadState({
    block: { number: "0x0", beneficiary: "0x0000000000000000000000000000000000000000", gas_limit: 30000000 },
    accounts: {
      "0x1000000000000000000000000000000000000001": {
        nonce: 0,
        balance: "0x0",
        code: "0x6001",
        storage: {
          "0x0000000000000000000000000000000000000000000000000000000000000001":
            "0x0000000000000000000000000000000000000000000000000000000000000005",
        },
      },
    },
    best_block_number: 0,
    blocks: [],
    transactions: [],
    historical_states: null,
  });
  const X = 0x1000000000000000000000000000000000000001n;
  assert.deepEqual([...b.state().code(X)], [0x60, 0x01]);
  assert.equal(b.state().storage(X, 1n), 5n);
  await assert.rejects(b.loadState("not json"), /not JSON/);
  await assert.rejects(b.loadState({ accounts: { "0x12": { nonce: -1 } } } as never), /nonce/);
  await Promise.all([a.close(), b.close()]);
});

test("the incremental state root equals a full recomputation after blocks, dev edits, reverts and loads", async () => {
  const chain = await Chain.open({ datadir: dirs.make(), genesis: testGenesis() });
  const check = (what: string) => assert.equal(chain.head().header.stateRoot, lmdbOf(chain).stateRoot(), what);
  const contract = createAddress(ALICE, 0n);
  let t = GENESIS_TIME;
  await chain.mine([tx(ALICE, { nonce: 0n, to: null, data: storeAndLogInitcode(), gasLimit: 200_000n })], {
    timestamp: ++t,
  });
  check("creation");
  const snap = chain.snapshot();
  await chain.mine(
    [tx(BOB, { nonce: 0n, to: contract, data: word(7n), gasLimit: 100_000n }), tx(CAROL, { nonce: 0n, value: ETHER })],
    { timestamp: ++t },
  );
  check("storage write and transfer");
  await chain.setAccount(DAVE, { balance: 5n, nonce: 9n, storage: new Map([[1n, 2n]]) });
  await chain.mine([tx(BOB, { nonce: 1n, to: contract, data: word(0n), gasLimit: 100_000n })], { timestamp: ++t });
  check("a dev edit, then a slot cleared");
  await chain.setAccount(DAVE, { balance: 0n, nonce: 0n, storage: new Map([[1n, 0n]]) });
  await chain.mine([], { timestamp: ++t });
  check("an account emptied by a dev edit");
  assert.equal(await chain.revert(snap), true);
  await chain.mine([tx(CAROL, { nonce: 0n, value: 2n * ETHER })], { timestamp: ++t });
  check("after a revert");
  await chain.loadState(chain.dumpState());
  await chain.mine([], { timestamp: ++t });
  check("after a load");
  await chain.close();
});

/** from, from + 1, ..., to - 1 as bigints. */
const nonces = (from: number, to: number): bigint[] => Array.from({ length: to - from }, (_, k) => BigInt(from + k));

test("threads: Block-STM on workers reading LMDB mines the very blocks one thread mines", async () => {
  const contract = createAddress(ALICE, 0n);
  const blocks = [
    [
      tx(ALICE, { nonce: 0n, to: null, data: storeAndLogInitcode(), gasLimit: 200_000n }),
      ...[BOB, CAROL, DAVE].flatMap((from, i) =>
        nonces(0, 10).map((nonce) =>
          tx(from, { nonce, to: contract, data: word(BigInt(i * 100) + nonce), gasLimit: 100_000n }),
        ),
      ),
      ...[1n, 2n, 3n].map((nonce) => tx(ALICE, { nonce, to: BOB, value: ETHER, gasLimit: 21_000n })),
    ],
    [
      ...[BOB, CAROL, DAVE].flatMap((from, i) =>
        nonces(10, 20).map((nonce) =>
          tx(from, { nonce, to: contract, data: word(BigInt(i) + nonce), gasLimit: 100_000n }),
        ),
      ),
      ...[4n, 5n, 6n].map((nonce) => tx(ALICE, { nonce, to: CAROL, value: 5n, gasLimit: 21_000n })),
    ],
  ];
  const hashes: bigint[][] = [];
  for (const threads of [1, 2]) {
    // "parallel": Block-STM on every block, however little work "auto" would judge it.
    const chain = await Chain.open({ datadir: dirs.make(), genesis: testGenesis(), threads, executorMode: "parallel" });
    const mined: bigint[] = [];
    for (const [i, txs] of blocks.entries()) {
      const { block, rejected } = await chain.mine(txs, { timestamp: GENESIS_TIME + 1n + BigInt(i) });
      assert.equal(rejected.length, 0);
      assert.equal(block.transactions.length, txs.length);
      mined.push(block.hash);
    }
    hashes.push(mined);
    assert.equal(chain.metrics.parallelBlocks, threads > 1 ? 2 : 0);
    await chain.close();
  }
  // The header commits to the state root, receipts root, logs bloom and gas used: equal hashes, equal blocks.
  assert.deepEqual(hashes[1], hashes[0]);
});

test("revert and reset tell onDropped the dropped blocks once, oldest first, with their receipts", async () => {
  const chain = await Chain.open({ datadir: dirs.make(), genesis: testGenesis() });
  const deploy = tx(ALICE, { nonce: 0n, to: null, data: storeAndLogInitcode(), gasLimit: 200_000n });
  await chain.mine([deploy], { timestamp: GENESIS_TIME + 1n });
  const contract = createAddress(ALICE, 0n);
  const call = (nonce: bigint) => tx(ALICE, { nonce, to: contract, data: word(nonce), gasLimit: 100_000n });
  const seen: DroppedBlock[][] = [];
  const onDropped = (dropped: DroppedBlock[]) => seen.push(dropped);

  const s0 = chain.snapshot();
  const b2 = (await chain.mine([call(1n), call(2n)], { timestamp: GENESIS_TIME + 2n })).block;
  const b3 = (await chain.mine([call(3n)], { timestamp: GENESIS_TIME + 3n })).block;
  assert.equal(await chain.revert(s0, onDropped), true);
  assert.equal(seen.length, 1, "once per rewind");
  assert.deepEqual(
    seen[0]!.map((d) => d.block.hash),
    [b2.hash, b3.hash],
  );
  assert.deepEqual(
    seen[0]!.map((d) => d.receipts.flatMap((r) => r.logs.map((l) => l.topics[0]))),
    [[1n, 2n], [3n]],
  );
  assert.equal(seen[0]![0]!.receipts[1]!.firstLogIndex, 1);

  // A revert over dev edits alone drops no block: nothing to tell.
  const s1 = chain.snapshot();
  await chain.setAccount(CAROL, { balance: 7n });
  assert.equal(await chain.revert(s1, onDropped), true);
  assert.equal(seen.length, 1);

  await chain.mine([call(1n)], { timestamp: GENESIS_TIME + 4n });
  await chain.reset(onDropped);
  assert.equal(seen.length, 2);
  assert.deepEqual(
    seen[1]!.map((d) => d.block.header.number),
    [1n, 2n],
  );
  await chain.close();
});
