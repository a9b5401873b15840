// Shared by the block executor's tests only: random blocks on a MemoryState, built from a seed, with
// the contention and EVM edge cases the executors must agree on (shared and private slots, reverts,
// creations, self-destruct in the creating transaction, value to and reads of the coinbase), and the
// assertions that compare two executions of one block.
import assert from "node:assert/strict";
import type { BlockEnv } from "../../evm/host.js";
import { createAddress } from "../../evm/opcodes/system.js";
import { bigintToBytes, concatBytes, hexToBytes } from "../../primitives/hex.js";
import { MemoryState } from "../../state/memory-state.js";
import type { TxInput } from "../types.js";
import { type Prng, prng } from "./prng.js";
import type { BlockResult } from "./types.js";

export const COINBASE = 0xc0ffee0000000000000000000000000000c0ffeen;
const BASE_FEE = 7n;

/** Runtime code, hand-assembled; calldata is 32-byte words. */
const CODE = {
  /** SSTORE(cd[0], cd[32]) */
  write: "0x6020356000355500",
  /** SSTORE(cd[0], SLOAD(cd[0]) + cd[32]) */
  inc: "0x600035805460203501905500",
  /** v = SLOAD(cd[0]); SSTORE(CALLER, v); LOG1(v, topic CALLER) */
  copy: "0x600035548033556000523360206000a100",
  /** SSTORE(cd[0], 1); REVERT */
  revert: "0x60016000355560006000fd",
  /** SSTORE(CALLER, BALANCE(COINBASE)) */
  coinbaseRead: "0x4131335500",
  /** SSTORE(0, CREATE(CALLVALUE, calldata as initcode)) */
  factory: "0x36600060003736600034f060005500",
  /** CALL(GAS, cd[0], CALLVALUE) */
  pay: "0x6000600060006000346000355af100",
  /** SELFDESTRUCT(CALLER): not created in this transaction, so it only moves the balance (EIP-6780) */
  selfDestruct: "0x33ff",
} as const;

function hex1(n: number): string {
  return n.toString(16).padStart(2, "0");
}

/** Initcode: SSTORE(0, 1), then deploy `inc`'s runtime. */
function persistentInitcode(): Uint8Array {
  const runtime = hexToBytes(CODE.inc);
  // SSTORE(0,1); CODECOPY(0, 17, len); RETURN(0, len)
  const prefix = hexToBytes(
    `0x6001600055 60${hex1(runtime.length)}6011600039 60${hex1(runtime.length)}6000f3`.replace(/ /g, ""),
  );
  if (prefix.length !== 17) throw new Error("initcode prefix must be 17 bytes");
  return concatBytes(prefix, runtime);
}

/** Initcode that self-destructs to `beneficiary` at once: created and destroyed in one transaction. */
function selfDestructInitcode(beneficiary: bigint): Uint8Array {
  return concatBytes(new Uint8Array([0x73]), bigintToBytes(beneficiary, 20), new Uint8Array([0xff]));
}

function words(...values: bigint[]): Uint8Array {
  return concatBytes(...values.map((v) => bigintToBytes(v, 32)));
}

function plainCreate(sender: bigint, nonce: bigint, data: Uint8Array): TxInput {
  return {
    type: 0,
    chainId: 1n,
    sender,
    nonce,
    gasLimit: 200_000n,
    gasPrice: BASE_FEE,
    to: null,
    value: 0n,
    data,
    accessList: [],
  };
}

export interface RandomBlock {
  state: MemoryState;
  block: BlockEnv;
  txs: TxInput[];
  /** Short description for failure messages. */
  shape: string;
}

export interface RandomBlockOptions {
  /** Exact transaction count (default: random 1..60). */
  txs?: number;
  /** Make one transaction invalid (a nonce gap) with this probability (default 0.1). */
  invalidChance?: number;
}

const address = (prefix: number, i: number): bigint => (BigInt(prefix) << 152n) | BigInt(i + 1);

/** Where `randomBlock` deploys each test contract. */
export function contractAddress(name: keyof typeof CODE): bigint {
  return address(0xcc, Object.keys(CODE).indexOf(name));
}

/** Calldata of the `inc` contract: add `amount` to `slot`. */
export function incData(slot: bigint, amount: bigint): Uint8Array {
  return words(slot, amount);
}

export function randomBlock(seed: number, options: RandomBlockOptions = {}): RandomBlock {
  const r = prng(seed);
  const state = new MemoryState();
  const count = options.txs ?? 1 + r.int(60);
  const small = r.chance(0.5);
  const senders = Array.from({ length: small ? 2 + r.int(3) : 20 + r.int(30) }, (_, i) => address(0xa1, i));
  for (const s of senders) state.setAccount(s, { nonce: BigInt(r.int(3)), balance: 10n ** 20n });

  // The coinbase: absent, a funded bystander, or one of the senders.
  const coinbaseKind = r.int(3);
  if (coinbaseKind >= 1) state.setAccount(COINBASE, { nonce: 0n, balance: 10n ** 20n });
  if (coinbaseKind === 2) senders.push(COINBASE);

  const contracts = {} as Record<keyof typeof CODE, bigint>;
  for (const name of Object.keys(CODE) as (keyof typeof CODE)[]) {
    const at = contractAddress(name);
    contracts[name] = at;
    // Shared slots 0..3 start non-zero in some contracts, so zeroing and re-filling both happen.
    const storage = new Map<bigint, bigint>();
    if (name === "write" || name === "inc" || name === "copy") for (let s = 0n; s < 4n; s++) storage.set(s, 1n + s);
    state.setAccount(at, {
      nonce: 1n,
      balance: name === "selfDestruct" ? 10n ** 18n : 0n,
      code: hexToBytes(CODE[name]),
      storage,
    });
  }
  // Existing empty accounts (pre-EIP-161 leftovers): a zero-value balance change deletes them, storage
  // and all (this EVM does not delete on a bare zero-value call).
  const empties = [address(0xe0, 0), address(0xe0, 1)];
  state.setAccount(empties[0]!, { nonce: 0n, balance: 0n });
  state.setAccount(empties[1]!, { nonce: 0n, balance: 0n, storage: new Map([[5n, 9n]]) });
  // Empty accounts with storage where the first sender's next creations land: a creation there fails
  // (EIP-7610) until the account is deleted, then succeeds on cleared storage.
  const first = senders[0]!;
  const colliders: bigint[] = [];
  for (let j = 0n; j < 4n; j++) {
    const at = createAddress(first, state.account(first)!.nonce + j);
    state.setAccount(at, {
      nonce: 0n,
      balance: 0n,
      storage: new Map([
        [0n, 3n],
        [1n, 4n],
      ]),
    });
    empties.push(at);
    colliders.push(at);
  }

  const block: BlockEnv = {
    chainId: 1n,
    number: 10n,
    coinbase: COINBASE,
    timestamp: 1_700_000_000n,
    gasLimit: 30_000_000n,
    baseFee: BASE_FEE,
    prevRandao: 0n,
    excessBlobGas: 0n,
  };

  const nonces = new Map<bigint, bigint>(senders.map((s) => [s, state.account(s)!.nonce]));
  let factoryNonce = 1n;
  const created: bigint[] = [];
  const fresh = () => address(0xf0, r.int(small ? 3 : 30));
  const anyTarget = (rr: Prng): bigint =>
    rr.pick([rr.pick(senders), COINBASE, fresh(), rr.pick(empties), rr.pick(empties), contracts.selfDestruct]);
  const sharedSlot = () => BigInt(r.int(small ? 2 : 6));

  const txs: TxInput[] = [];
  for (let i = 0; i < count; i++) {
    const sender = r.pick(senders);
    const nonce = nonces.get(sender)!;
    nonces.set(sender, nonce + 1n);
    let to: bigint | null = null;
    let data: Uint8Array = new Uint8Array(0);
    let value = 0n;
    let gasLimit = 200_000n;
    // The first sender only creates, so its creations meet the colliders at the right nonces.
    const kind = sender === first && r.chance(0.8) ? 10 : r.int(16);
    switch (kind) {
      case 0:
      case 1:
        to = anyTarget(r);
        value = BigInt(r.int(1000));
        gasLimit = 21_000n + BigInt(r.int(2)) * 50_000n;
        break;
      case 2:
        to = COINBASE;
        value = BigInt(r.int(1000));
        break;
      case 3:
        to = contracts.write;
        data = words(r.chance(0.5) ? sharedSlot() : sender, r.chance(0.3) ? 0n : BigInt(r.int(100)));
        break;
      case 4:
      case 5:
        to = contracts.inc;
        data = words(sharedSlot(), BigInt(1 + r.int(3)));
        if (r.chance(0.15)) gasLimit = 30_000n; // runs out of gas in the cold SSTORE
        break;
      case 6:
        to = r.chance(0.5) ? contracts.copy : contracts.write;
        data = words(sharedSlot(), 0n);
        if (to === contracts.copy) data = words(sharedSlot());
        break;
      case 7:
        to = contracts.revert;
        data = words(sharedSlot());
        break;
      case 8:
        to = contracts.coinbaseRead;
        break;
      case 9:
        to = contracts.factory;
        value = BigInt(r.int(3)) * 100n;
        data = r.chance(0.5) ? persistentInitcode() : selfDestructInitcode(anyTarget(r));
        gasLimit = 400_000n;
        factoryNonce++;
        break;
      case 10:
        // A creation from the sender: persistent, or destroyed in its own creation. Sometimes another
        // sender first deletes a collider there (the creation then succeeds on cleared storage): a
        // contract that self-destructs in its creation, with no balance, to the collider (EIP-161).
        if (sender === first && r.chance(0.5)) {
          const toucher = senders[1]!;
          const n = nonces.get(toucher)!;
          nonces.set(toucher, n + 1n);
          txs.push(plainCreate(toucher, n, selfDestructInitcode(createAddress(first, nonce))));
        }
        value = BigInt(r.int(3)) * 10n;
        data = r.chance(0.5) ? persistentInitcode() : selfDestructInitcode(anyTarget(r));
        gasLimit = 400_000n;
        if (data.length > 30 || sender === first) created.push(createAddress(sender, nonce));
        break;
      case 11:
        to = contracts.pay;
        value = BigInt(1 + r.int(500));
        data = words(anyTarget(r));
        break;
      case 12:
        // A contract created earlier in this block (by a sender or the factory), if any yet.
        if (r.chance(0.4)) to = r.pick(colliders);
        else if (created.length > 0 && r.chance(0.7)) to = r.pick(created);
        else to = createAddress(contracts.factory, BigInt(1 + r.int(Number(factoryNonce))));
        // Slot 1 of a re-created collider must read 0, not its base value.
        data = words(r.chance(0.5) ? 1n : sharedSlot(), 1n);
        break;
      case 13:
        to = contracts.selfDestruct;
        value = BigInt(r.int(50));
        break;
      case 14:
        // Loads the coinbase through the access list (with a storage key) and pays it.
        to = contracts.pay;
        value = BigInt(r.int(100));
        data = words(r.pick(senders));
        break;
      default:
        to = contracts.copy;
        data = words(sharedSlot());
        break;
    }
    const priority = BigInt(r.int(4));
    const accessList = kind === 14 ? [{ address: COINBASE, storageKeys: [0n] }] : [];
    const tx: TxInput =
      kind !== 14 && r.chance(0.2)
        ? { type: 0, chainId: 1n, sender, nonce, gasLimit, gasPrice: BASE_FEE + priority, to, value, data, accessList }
        : {
            type: 2,
            chainId: 1n,
            sender,
            nonce,
            gasLimit,
            maxFeePerGas: BASE_FEE + 3n,
            maxPriorityFeePerGas: priority,
            to,
            value,
            data,
            accessList,
          };
    txs.push(tx);
  }
  if (txs.length > 1 && r.chance(options.invalidChance ?? 0.1)) txs[r.int(txs.length)]!.nonce += 1n;
  return { state, block, txs, shape: `${count} txs, ${senders.length} senders, coinbase kind ${coinbaseKind}` };
}

/**
 * The block's transactions, each turned into a call that adds 1 to slot 0 of the `inc` contract:
 * senders, nonces and order stay, so the block stays valid, and every transaction conflicts.
 */
export function hotCounterTxs(rb: RandomBlock): TxInput[] {
  return rb.txs.map((tx) => ({
    ...tx,
    to: contractAddress("inc"),
    value: 0n,
    data: incData(0n, 1n),
    gasLimit: 100_000n,
  }));
}

/** The state root after applying a valid result's net writes to the block's pre-state. */
export function rootAfter(rb: RandomBlock, result: BlockResult): bigint {
  assert.ok(result.valid);
  const state = rb.state.clone();
  state.applyWrites(result.writes);
  return state.stateRoot();
}

/**
 * Two executions of `rb` agree: both reject it at the same transaction for the same reason, or both
 * give the same receipts, gas, blob gas, net writes (account by account, slot for slot) and
 * post-state root.
 */
export function assertSameBlock(rb: RandomBlock, a: BlockResult, b: BlockResult): void {
  assert.equal(a.valid, b.valid);
  if (!a.valid || !b.valid) {
    assert.ok(!a.valid && !b.valid);
    assert.equal(a.txIndex, b.txIndex);
    assert.equal(a.error.reason, b.error.reason);
    return;
  }
  assert.deepStrictEqual(a.receipts, b.receipts);
  assert.equal(a.gasUsed, b.gasUsed);
  assert.equal(a.blobGasUsed, b.blobGasUsed);
  assert.deepStrictEqual([...a.writes.keys()].sort(), [...b.writes.keys()].sort());
  for (const [address, w] of a.writes)
    assert.deepStrictEqual(w, b.writes.get(address), `writes of 0x${address.toString(16)}`);
  assert.equal(rootAfter(rb, a), rootAfter(rb, b), "post-state root");
}
