// The miner over a real Chain (LMDB in a temp folder) and a real TxPool, with a pinned clock.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { Chain } from "../chain/chain.js";
import { DEFAULT_MNEMONIC, devAccounts } from "../chain/dev-accounts.js";
import { devGenesis } from "../chain/genesis.js";
import { signTransaction } from "../chain/transaction.js";
import type { SignedTransaction } from "../chain/types.js";
import { RpcError } from "../rpc/errors.js";
import { StoreWriteError } from "../state/store-errors.js";
import { TxPool } from "../txpool/tx-pool.js";
import type { MiningMode } from "./config.js";
import { type MinedBlock, Miner, type MinerChain, type MinerPool } from "./miner.js";

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const [alice, bob] = devAccounts(DEFAULT_MNEMONIC, 2);
const GENESIS_TIME = 1_700_000_000n;
const ETHER = 10n ** 18n;

interface Rig {
  chain: Chain;
  pool: TxPool;
  miner: Miner;
  blocks: MinedBlock[];
  clock: { now: bigint };
  close(): Promise<void>;
}

interface RigOptions {
  /** The pool's listener tells the miner (default true, as the node wires it). */
  wire?: boolean;
  /** What the miner sees of the pool and the chain (default: the real ones). */
  pool?: (pool: TxPool) => MinerPool;
  chain?: (chain: Chain) => MinerChain;
  onWriteStatus?: (failure: StoreWriteError | undefined) => void;
}

async function rig(mode: MiningMode, o: RigOptions = {}): Promise<Rig> {
  const datadir = mkdtempSync(join(tmpdir(), "weft-miner-"));
  dirs.push(datadir);
  const genesis = devGenesis({
    chainId: 31337n,
    accounts: [alice!.address, bob!.address],
    balance: 100n * ETHER,
    timestamp: GENESIS_TIME,
  });
  const chain = await Chain.open({ datadir, genesis });
  const pool = new TxPool({
    chainId: 31337n,
    state: () => chain.state(),
    // As the node wires it: the next block's, on the tip.
    baseFee: () => chain.nextBaseFee(),
    blockGasLimit: () => chain.nextGasLimit(),
    recoverThreads: 0,
  });
  const clock = { now: GENESIS_TIME + 100n };
  const blocks: MinedBlock[] = [];
  const miner = new Miner({
    chain: o.chain?.(chain) ?? chain,
    pool: o.pool?.(pool) ?? pool,
    mode,
    now: () => clock.now,
    onBlock: (m) => blocks.push(m),
    ...(o.onWriteStatus === undefined ? {} : { onWriteStatus: o.onWriteStatus }),
  });
  if (o.wire ?? true) pool.onPending(() => miner.onPendingTx());
  return {
    chain,
    pool,
    miner,
    blocks,
    clock,
    close: async () => {
      await miner.close();
      await pool.close();
      await chain.close();
    },
  };
}

function transfer(nonce: bigint, value = 1n, from = alice!, tip = 10n ** 9n): SignedTransaction {
  return signTransaction(
    {
      type: 2,
      chainId: 31337n,
      nonce,
      gasLimit: 21_000n,
      maxFeePerGas: 10n ** 10n,
      maxPriorityFeePerGas: tip,
      to: bob!.address,
      value,
      data: new Uint8Array(0),
      accessList: [],
    },
    from.privateKey,
  );
}

test("automine: a block as soon as a transaction is pending; afterSubmit resolves once it is committed", async () => {
  const r = await rig({ kind: "auto" });
  try {
    assert.equal(r.miner.automine, true);
    assert.equal(r.miner.mining, true);
    const tx = transfer(0n);
    const hash = r.pool.add(tx);
    await r.miner.afterSubmit(hash);
    assert.equal(r.chain.head().header.number, 1n);
    assert.equal(r.chain.receipt(hash)?.status, 1);
    assert.equal(r.pool.get(hash), undefined, "the pool forgets what was mined");
    assert.equal(r.blocks.length, 1);
    assert.equal(r.chain.head().header.timestamp, GENESIS_TIME + 100n);

    // Several at once go into one block (or as few as the gas limit allows), in nonce order.
    const hashes = [1n, 2n, 3n].map((n) => r.pool.add(transfer(n)));
    await Promise.all(hashes.map((h) => r.miner.afterSubmit(h)));
    for (const h of hashes) assert.ok(r.chain.receipt(h), "mined");
    // Same wall-clock second: timestamps still strictly increase.
    const head = r.chain.head().header;
    assert.ok(head.timestamp > GENESIS_TIME + 100n);

    // A nonce gap waits in the queue: afterSubmit does not hang on it.
    const gap = r.pool.add(transfer(9n));
    await r.miner.afterSubmit(gap);
    assert.ok(r.pool.get(gap), "still queued");
    assert.equal(r.chain.receipt(gap), undefined);
  } finally {
    await r.close();
  }
});

test("manual mining: nothing until mine(); mine() takes the pending transactions; empty blocks too", async () => {
  const r = await rig({ kind: "manual" });
  try {
    assert.equal(r.miner.mining, false);
    const hash = r.pool.add(transfer(0n));
    await r.miner.afterSubmit(hash);
    assert.equal(r.chain.head().header.number, 0n);
    const [block] = await r.miner.mine();
    assert.equal(block!.transactions.length, 1);
    assert.equal(r.chain.receipt(hash)?.blockNumber, 1n);
    const more = await r.miner.mine({ blocks: 3 });
    assert.deepEqual(
      more.map((b) => b.header.number),
      [2n, 3n, 4n],
    );
    assert.ok(more.every((b) => b.transactions.length === 0));
  } finally {
    await r.close();
  }
});

test("timestamps: set next, increase time, explicit timestamp and interval; never at or before the parent", async () => {
  const r = await rig({ kind: "manual" });
  try {
    assert.equal(r.miner.nextTimestamp(), GENESIS_TIME + 100n);
    r.miner.setNextBlockTimestamp(GENESIS_TIME + 5000n);
    assert.equal(r.miner.nextTimestamp(), GENESIS_TIME + 5000n);
    await r.miner.mine();
    assert.equal(r.chain.head().header.timestamp, GENESIS_TIME + 5000n);
    // The clock runs on from there.
    r.clock.now += 10n;
    assert.equal(r.miner.nextTimestamp(), GENESIS_TIME + 5010n);

    assert.equal(r.miner.increaseTime(3600n), 4900n + 3600n);
    await r.miner.mine();
    assert.equal(r.chain.head().header.timestamp, GENESIS_TIME + 5010n + 3600n);

    await r.miner.mine({ timestamp: GENESIS_TIME + 20_000n });
    assert.equal(r.chain.head().header.timestamp, GENESIS_TIME + 20_000n);
    const spaced = await r.miner.mine({ blocks: 3, interval: 12n });
    assert.deepEqual(
      spaced.map((b) => b.header.timestamp),
      [GENESIS_TIME + 20_012n, GENESIS_TIME + 20_024n, GENESIS_TIME + 20_036n],
    );

    assert.throws(() => r.miner.setNextBlockTimestamp(GENESIS_TIME + 20_036n), RpcError);
    await assert.rejects(r.miner.mine({ timestamp: GENESIS_TIME }), /timestamp/);
    await assert.rejects(r.miner.mine({ blocks: 2, interval: 0n }), /at least 1 second/);
    assert.throws(() => r.miner.increaseTime(-1n), /backwards/);
  } finally {
    await r.close();
  }
});

test("increaseTime counts from the head when automined blocks ran ahead of the clock", async () => {
  const r = await rig({ kind: "auto" });
  try {
    // Five blocks within one wall-clock second: one second apart, so the head is ahead of the clock.
    for (let nonce = 0n; nonce < 5n; nonce++) await r.miner.afterSubmit(r.pool.add(transfer(nonce)));
    assert.equal(r.chain.head().header.timestamp, GENESIS_TIME + 104n);
    r.miner.increaseTime(1000n);
    await r.miner.mine();
    assert.equal(r.chain.head().header.timestamp, GENESIS_TIME + 1104n);
  } finally {
    await r.close();
  }
});

test("snapshot / revert: blocks, state and the clock go back; ids are one-shot", async () => {
  const r = await rig({ kind: "auto" });
  try {
    const id = await r.miner.snapshot();
    const hash = r.pool.add(transfer(0n, 5n));
    await r.miner.afterSubmit(hash);
    r.miner.increaseTime(1000n);
    await r.miner.setAccount(bob!.address, { balance: 1n });
    assert.equal(r.chain.head().header.number, 1n);

    assert.equal(await r.miner.revert(id), true);
    assert.equal(r.chain.head().header.number, 0n);
    assert.equal(r.chain.state().account(bob!.address)?.balance, 100n * ETHER);
    assert.equal(r.miner.nextTimestamp(), GENESIS_TIME + 100n, "the clock offset went back too");
    assert.equal(await r.miner.revert(id), false);

    // The reverted transaction can be sent again and mines on the old head.
    const again = r.pool.add(transfer(0n, 5n));
    await r.miner.afterSubmit(again);
    assert.equal(r.chain.head().header.number, 1n);
  } finally {
    await r.close();
  }
});

test("setAccount revalidates the pool: a nonce moved past a pooled transaction drops it", async () => {
  const r = await rig({ kind: "manual" });
  try {
    const hash = r.pool.add(transfer(0n));
    await r.miner.setAccount(alice!.address, { nonce: 5n });
    assert.equal(r.pool.get(hash), undefined);
    assert.equal(r.chain.state().account(alice!.address)?.nonce, 5n);
    const dump = await r.miner.dumpState();
    await r.miner.setAccount(alice!.address, { nonce: 9n });
    await r.miner.loadState(dump);
    assert.equal(r.chain.state().account(alice!.address)?.nonce, 5n);
  } finally {
    await r.close();
  }
});

test("automine off and on; interval mining makes blocks by itself and turns automine off", async () => {
  const r = await rig({ kind: "auto" });
  try {
    r.miner.setAutomine(false);
    const hash = r.pool.add(transfer(0n));
    await r.miner.afterSubmit(hash);
    assert.equal(r.chain.head().header.number, 0n);
    r.miner.setAutomine(true);
    // Turning automine on mines what is pending.
    await waitUntil(() => r.chain.head().header.number === 1n);

    r.miner.setIntervalMining(20);
    assert.equal(r.miner.automine, false);
    assert.equal(r.miner.intervalMs, 20);
    await waitUntil(() => r.chain.head().header.number >= 3n);
    r.miner.setIntervalMining(0);
    assert.equal(r.miner.mining, false);
    const n = r.chain.head().header.number;
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.ok(r.chain.head().header.number <= n + 1n, "stopped (one block may have been under way)");
  } finally {
    await r.close();
  }
});

test("close waits for the block under way and refuses new work", async () => {
  const r = await rig({ kind: "manual" });
  const mining = r.miner.mine();
  await r.miner.close();
  assert.equal((await mining).length, 1);
  await assert.rejects(r.miner.mine(), /shutting down/);
  await r.pool.close();
  await r.chain.close();
});

async function waitUntil(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

test("automine over several blocks: each reported once durable, in order, its senders released only then", async () => {
  const r = await rig({ kind: "auto" });
  try {
    r.miner.setBlockGasLimit(3n * 21_000n);
    const hashes = Array.from({ length: 10 }, (_, i) => r.pool.add(transfer(BigInt(i))));
    await Promise.all(
      hashes.map(async (hash) => {
        await r.miner.afterSubmit(hash);
        assert.ok(r.chain.receipt(hash), "released once its block is the head");
      }),
    );
    assert.deepEqual(
      r.blocks.map((m) => m.block.transactions.length),
      [3, 3, 3, 1],
    );
    for (const [i, m] of r.blocks.entries()) {
      assert.equal(m.block.header.number, BigInt(i + 1));
      assert.equal(m.block.header.parentHash, i === 0 ? r.chain.blockByNumber(0n)!.hash : r.blocks[i - 1]!.block.hash);
    }
    assert.equal(r.chain.head().hash, r.blocks[3]!.block.hash);
    assert.equal(r.pool.pending().length, 0);
  } finally {
    await r.close();
  }
});

test("evm_mine with mining off executes the next block ahead while one is written; a send between makes it mined afresh", async () => {
  const r = await rig({ kind: "manual" });
  try {
    r.miner.setBlockGasLimit(3n * 21_000n);
    for (let i = 0; i < 7; i++) r.pool.add(transfer(BigInt(i)));
    // Block 2 is prepared while block 1 is written, block 3 while block 2 is.
    for (let i = 0; i < 3; i++) await r.miner.mine();
    assert.deepEqual(
      r.blocks.map((m) => m.block.transactions.map((tx) => tx.nonce)),
      [[0n, 1n, 2n], [3n, 4n, 5n], [6n]],
    );
    assert.equal(r.chain.metrics.preparedBlocks, 2);
    assert.equal(r.chain.metrics.preparedDropped, 0);

    // Block 5 is prepared from nonces 10-12 while block 4 is written; bob's send then goes first (a better tip).
    for (let i = 7; i < 13; i++) r.pool.add(transfer(BigInt(i)));
    await r.miner.mine();
    const bobs = transfer(0n, 1n, bob!, 2n * 10n ** 9n);
    r.pool.add(bobs);
    await r.miner.mine();
    assert.deepEqual(
      r.blocks[4]!.block.transactions.map((tx) => tx.hash),
      [bobs.hash, ...[10n, 11n].map((n) => transfer(n).hash)],
    );
    assert.equal(r.chain.metrics.preparedBlocks, 2);
    assert.equal(r.chain.metrics.preparedDropped, 1);
    assert.equal(r.chain.state().account(alice!.address)?.nonce, 12n);
  } finally {
    await r.close();
  }
});

/** `target` with some of its methods replaced (the rest bound to it). */
function overriding<T extends object>(target: T, methods: Partial<T>): T {
  return new Proxy(target, {
    get(t, key) {
      if (Object.hasOwn(methods, key)) return methods[key as keyof T];
      const value = Reflect.get(t, key, t);
      return typeof value === "function" ? value.bind(t) : value;
    },
  });
}

/** Whether `p` settles before the next turn of the event loop (no I/O in between: no block is written). */
async function settlesAtOnce(p: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void p.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  await new Promise((resolve) => setImmediate(resolve));
  return settled;
}

test("afterSubmit only waits: without the pool's listener nothing is mined; mode switches release it", async () => {
  const r = await rig({ kind: "auto" }, { wire: false });
  try {
    const hash = r.pool.add(transfer(0n));
    const waiting = r.miner.afterSubmit(hash);
    assert.equal(await settlesAtOnce(waiting), false);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(r.blocks.length, 0, "afterSubmit started no round");
    assert.equal(r.chain.head().header.number, 0n);
    // The one route in: the pool's listener.
    r.miner.onPendingTx();
    await waiting;
    assert.equal(r.chain.receipt(hash)?.blockNumber, 1n);

    // Switching automine off or to interval mining answers whoever waits, without a block.
    const second = r.pool.add(transfer(1n));
    const offWaiting = r.miner.afterSubmit(second);
    r.miner.setAutomine(false);
    await offWaiting;
    assert.equal(r.chain.head().header.number, 1n);
    r.miner.setAutomine(true);
    await waitUntil(() => r.chain.receipt(second) !== undefined);

    const third = r.pool.add(transfer(2n));
    const intervalWaiting = r.miner.afterSubmit(third);
    r.miner.setIntervalMining(60_000);
    await intervalWaiting;
    assert.equal(r.chain.receipt(third), undefined);
    r.miner.setIntervalMining(0);
  } finally {
    await r.close();
  }
});

test("a nonce gap alone answers at once; sent with the transaction that fills it, both answer once mined", async () => {
  const r = await rig({ kind: "auto" });
  try {
    // bob's block is under way while alice's gapped transaction is answered, untouched.
    const other = r.pool.add(transfer(0n, 1n, bob));
    const otherMined = r.miner.afterSubmit(other);
    const gapped = transfer(1n);
    const gap = r.pool.add(gapped);
    assert.equal(await settlesAtOnce(r.miner.afterSubmit(gap)), true);
    assert.ok(r.pool.get(gap), "still queued");
    await otherMined;
    assert.equal(r.blocks.length, 1);
    assert.equal(r.chain.receipt(gap), undefined);
    r.pool.remove(gap);

    // As eth_sendRawTransaction does, nonce 1 then nonce 0 in one batch: each answered with its receipt.
    const send = async (tx: SignedTransaction) => {
      const hash = await r.pool.addRaw(tx.raw);
      await r.miner.afterSubmit(hash);
      assert.ok(r.chain.receipt(hash), `nonce ${tx.nonce} mined before it is answered`);
    };
    await Promise.all([send(gapped), send(transfer(0n))]);
    assert.equal(r.pool.size, 0);
  } finally {
    await r.close();
  }
});

test("a transaction that turns executable as a round ends is answered only once the next round mines it", async () => {
  let late: Promise<bigint | undefined> | undefined;
  let r: Rig | undefined;
  const hooked = (pool: TxPool): MinerPool =>
    overriding(pool, {
      candidates: (skip) => {
        const out = pool.candidates(skip);
        // The round's last look (its block reported, nothing left): the transaction arrives right after.
        if (out.length === 0 && r!.blocks.length === 1 && late === undefined) {
          queueMicrotask(() => {
            const hash = r!.pool.add(transfer(1n));
            late = r!.miner.afterSubmit(hash).then(() => r!.chain.receipt(hash)?.blockNumber);
          });
        }
        return out;
      },
    });
  r = await rig({ kind: "auto" }, { pool: hooked });
  try {
    await r.miner.afterSubmit(r.pool.add(transfer(0n)));
    await waitUntil(() => late !== undefined);
    assert.equal(await late, 2n, "answered with its block, not at the end of the round before");
    assert.equal(r.blocks.length, 2);
  } finally {
    await r.close();
  }
});

test("a block whose write fails refuses its senders; while paused afterSubmit refuses and drops; then it resumes", async () => {
  let failNext = true;
  const statuses: (StoreWriteError | undefined)[] = [];
  const failing = (chain: Chain): MinerChain =>
    overriding<MinerChain>(chain, {
      startMining: (txs, o) => {
        if (!failNext) return chain.startMining(txs, o);
        failNext = false;
        return Promise.reject(new StoreWriteError("/datadir/chain", "no space left on device"));
      },
    });
  const r = await rig({ kind: "auto" }, { chain: failing, onWriteStatus: (f) => statuses.push(f) });
  try {
    const refused = r.pool.add(transfer(0n));
    await assert.rejects(r.miner.afterSubmit(refused), /cannot write its chain to disk \(no space left/);
    assert.equal(r.pool.get(refused), undefined, "not held back to be mined later");
    await waitUntil(() => statuses.length === 1);
    assert.throws(() => r.miner.assertWritable(), /cannot write its chain/);

    const whilePaused = r.pool.add(transfer(0n, 2n));
    await assert.rejects(r.miner.afterSubmit(whilePaused), /cannot write its chain/);
    assert.equal(r.pool.get(whilePaused), undefined);

    await waitUntil(() => statuses.length === 2);
    assert.equal(statuses[1], undefined, "resumed");
    const after = r.pool.add(transfer(0n, 3n));
    await r.miner.afterSubmit(after);
    assert.equal(r.chain.receipt(after)?.blockNumber, 1n);
    assert.equal(r.blocks.length, 1);
  } finally {
    await r.close();
  }
});

test("rejected, dropped and cleared transactions release their senders", async () => {
  const r = await rig({ kind: "auto" });
  try {
    // Each fits alice's balance alone, not both: the block rejects the second.
    const first = r.pool.add(transfer(0n, 60n * ETHER));
    const second = r.pool.add(transfer(1n, 60n * ETHER));
    await Promise.all([r.miner.afterSubmit(first), r.miner.afterSubmit(second)]);
    assert.equal(r.chain.receipt(first)?.status, 1);
    assert.equal(r.chain.receipt(second), undefined);
    assert.equal(r.pool.get(second), undefined);

    const dropped = r.pool.add(transfer(1n));
    const droppedWaiting = r.miner.afterSubmit(dropped);
    assert.equal(r.miner.dropTransaction(dropped), true);
    await droppedWaiting;
    const cleared = r.pool.add(transfer(1n, 2n));
    const clearedWaiting = r.miner.afterSubmit(cleared);
    r.miner.dropAllTransactions();
    await clearedWaiting;
    assert.equal(r.chain.receipt(dropped), undefined);
    assert.equal(r.chain.receipt(cleared), undefined);
    assert.equal(r.blocks.length, 1);
  } finally {
    await r.close();
  }
});
