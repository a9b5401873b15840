// geth's prestateTracer: every account a transaction touched (sender, recipient, coinbase, accounts
// reached by calls, BALANCE/EXTCODE*/SELFDESTRUCT, created contracts) and the storage slots it read
// or wrote, as they were before it ran; in diffMode, only what changed, before and after.
//
// The accounts are found as geth finds them, by following opcodes, so it runs in the traced loop only.
// Values are read from the state the transaction runs on (never written while it runs), so they are
// the values before it whenever the lookup happens; the "after" side is that state with the
// transaction's writes over it.
import { addressToHex, bigintToHex, bytesToHex, wordToHex } from "../../primitives/hex.js";
import { EMPTY_CODE_HASH } from "../../primitives/keccak.js";
import { type ExceptionalHalt, type Frame, WRITE_IN_STATIC } from "../frame.js";
import type { Host, StateWrites } from "../host.js";
import { CallType, TraceTooLargeError, type TxStart, type TxTracer } from "./types.js";

const SLOAD = 0x54;
const SSTORE = 0x55;
const BALANCE = 0x31;
const EXTCODESIZE = 0x3b;
const EXTCODECOPY = 0x3c;
const EXTCODEHASH = 0x3f;
const SELFDESTRUCT = 0xff;
const CALL = 0xf1;
const CALLCODE = 0xf2;
const DELEGATECALL = 0xf4;
const STATICCALL = 0xfa;

const ADDRESS_MASK = (1n << 160n) - 1n;
const EMPTY = new Uint8Array(0);

export interface PrestateTracerConfig {
  /** Return `{ pre, post }`: only what the transaction changed. */
  diffMode?: boolean;
  /** Leave contract code out (its codeHash stays). */
  disableCode?: boolean;
  /** Leave storage out. */
  disableStorage?: boolean;
  /** Keep accounts that did not exist before the transaction (not with diffMode). */
  includeEmpty?: boolean;
}

/** One account, keys in geth's order; each is left out where geth omits it. */
export interface PrestateAccountJson {
  balance?: string;
  code?: string;
  codeHash?: string;
  nonce?: number;
  storage?: Record<string, string>;
}

export type PrestateJson = Record<string, PrestateAccountJson>;

export interface PrestateDiffJson {
  post: PrestateJson;
  pre: PrestateJson;
}

interface Account {
  balance: bigint;
  nonce: bigint;
  codeHash: bigint;
  code: Uint8Array;
  /** Slots read or written, with their values before the transaction. */
  storage: Map<bigint, bigint>;
  /** Did not exist before the transaction: left out of the result unless includeEmpty. */
  empty: boolean;
}

export class PrestateTracer implements TxTracer {
  private readonly config: PrestateTracerConfig;
  private start: TxStart | undefined;
  private readonly pre = new Map<bigint, Account>();
  private post: Map<bigint, Partial<Account>> | undefined;
  /** Addresses created in the transaction (tried, as geth marks them). */
  private readonly created = new Set<bigint>();
  /** Contracts that self-destructed in the transaction that created them (EIP-6780): left out of `post`. */
  private readonly deleted = new Set<bigint>();
  // What the current opcode added, undone if it fails its stack, gas or memory checks (geth looks only after them).
  private addedAccount: bigint | undefined;
  private addedSlotOf: bigint | undefined;
  private addedSlot = 0n;
  private addedDeleted: bigint | undefined;
  /** About how many bytes of JSON the result holds so far. */
  private bytes = 0;

  constructor(
    config: PrestateTracerConfig = {},
    private readonly maxBytes = Number.POSITIVE_INFINITY,
  ) {
    if (config.diffMode === true && config.includeEmpty === true) {
      throw new Error("cannot use diffMode with includeEmpty");
    }
    this.config = config;
  }

  onTxStart(_gasLimit: bigint, start?: TxStart): void {
    if (start === undefined) throw new Error("prestateTracer: the transaction's state was not given");
    this.start = start;
    if (start.creation) this.created.add(start.to);
    this.lookupAccount(start.sender);
    this.lookupAccount(start.to);
    this.lookupAccount(start.coinbase);
  }

  onTxEnd(_gasUsed: bigint, writes?: StateWrites): void {
    if (this.config.diffMode === true) {
      if (writes === undefined) throw new Error("prestateTracer: the transaction's writes were not given");
      this.post = this.diff(writes);
    }
    if (this.config.includeEmpty === true) return;
    for (const [address, account] of this.pre) if (account.empty) this.pre.delete(address);
  }

  onEnter(depth: number, type: CallType, _from: bigint, to: bigint): void {
    // A creation's address comes with its frame (the transaction's own was looked up at its start).
    if (depth > 0 && (type === CallType.Create || type === CallType.Create2)) {
      this.lookupAccount(to);
      this.created.add(to);
    }
  }

  onExit(): void {}
  onLog(): void {}

  onOpcode(frame: Frame, _pc: number, op: number): void {
    this.addedAccount = this.addedSlotOf = this.addedDeleted = undefined;
    const sp = frame.sp;
    const stack = frame.stack;
    switch (op) {
      case SLOAD:
      case SSTORE:
        if (sp >= 1) this.lookupStorage(frame.address, stack[sp - 1]!);
        break;
      case SELFDESTRUCT:
        if (sp < 1) break;
        this.lookupAccount(stack[sp - 1]! & ADDRESS_MASK);
        // EIP-6780: only a contract created in this transaction is deleted.
        if (this.created.has(frame.address) && !this.deleted.has(frame.address)) {
          this.deleted.add(frame.address);
          this.addedDeleted = frame.address;
        }
        break;
      case BALANCE:
      case EXTCODESIZE:
      case EXTCODECOPY:
      case EXTCODEHASH:
        if (sp >= 1) this.lookupAccount(stack[sp - 1]! & ADDRESS_MASK);
        break;
      case CALL:
      case CALLCODE:
      case DELEGATECALL:
      case STATICCALL:
        if (sp >= 2) this.lookupAccount(stack[sp - 2]! & ADDRESS_MASK);
        break;
    }
  }

  onFault(_frame: Frame, _op: number, _gasBefore: number, halt: ExceptionalHalt): void {
    // geth reports an opcode to tracers once its stack, gas and memory checks passed: a write in a
    // static call fails after that, everything else before.
    if (halt === WRITE_IN_STATIC) return;
    if (this.addedSlotOf !== undefined) this.pre.get(this.addedSlotOf)?.storage.delete(this.addedSlot);
    if (this.addedAccount !== undefined) this.pre.delete(this.addedAccount);
    if (this.addedDeleted !== undefined) this.deleted.delete(this.addedDeleted);
    this.addedAccount = this.addedSlotOf = this.addedDeleted = undefined;
  }

  /** The accounts before the transaction; in diffMode `{ post, pre }`. Addresses and slots ascending, as geth sorts them. */
  result(): PrestateJson | PrestateDiffJson {
    const pre: PrestateJson = {};
    for (const address of sorted(this.pre.keys())) pre[addressToHex(address)] = this.preJson(this.pre.get(address)!);
    if (this.post === undefined) return pre;
    const post: PrestateJson = {};
    for (const address of sorted(this.post.keys())) post[addressToHex(address)] = postJson(this.post.get(address)!);
    return { post, pre };
  }

  private state(): Host {
    if (this.start === undefined) throw new Error("prestateTracer: onTxStart was not called");
    return this.start.state;
  }

  private lookupAccount(address: bigint): Account {
    let account = this.pre.get(address);
    if (account !== undefined) return account;
    const state = this.state();
    const info = state.account(address);
    const codeHash = info?.codeHash ?? EMPTY_CODE_HASH;
    const code = codeHash === EMPTY_CODE_HASH ? EMPTY : state.code(address);
    const balance = info?.balance ?? 0n;
    const nonce = info?.nonce ?? 0n;
    account = {
      balance,
      nonce,
      codeHash,
      code,
      storage: new Map(),
      empty: nonce === 0n && balance === 0n && code.length === 0,
    };
    this.pre.set(address, account);
    this.addedAccount = address;
    this.grow(this.config.disableCode === true ? 200 : 200 + 2 * code.length);
    return account;
  }

  private lookupStorage(address: bigint, key: bigint): void {
    if (this.config.disableStorage === true) return;
    const account = this.lookupAccount(address);
    if (account.storage.has(key)) return;
    account.storage.set(key, this.state().storage(address, key));
    this.addedSlotOf = address;
    this.addedSlot = key;
    this.grow(140);
  }

  /**
   * geth's diff: per account (those deleted left out), the fields that changed, with the new values;
   * `pre` keeps only the changed fields' old values (storage: changed slots, those that were zero dropped)
   * and loses the accounts nothing changed in.
   */
  private diff(writes: StateWrites): Map<bigint, Partial<Account>> {
    const post = new Map<bigint, Partial<Account>>();
    // Read only for what the writes leave as it was (a replay may have applied them already).
    const state = this.state();
    for (const [address, before] of this.pre) {
      if (this.deleted.has(address)) continue;
      const write = writes.get(address);
      if (write === undefined) {
        // Nothing of it changed: geth drops it from `pre` too.
        this.pre.delete(address);
        continue;
      }
      const after: Partial<Account> = {};
      const balance = write.deleted ? 0n : write.balance;
      const nonce = write.deleted ? 0n : write.nonce;
      const codeHash = write.deleted ? EMPTY_CODE_HASH : write.codeHash;
      if (balance !== before.balance) after.balance = balance;
      if (nonce !== before.nonce) after.nonce = nonce;
      if (codeHash !== before.codeHash) {
        after.codeHash = codeHash;
        if (this.config.disableCode !== true) {
          after.code = write.deleted ? EMPTY : (write.code ?? state.code(address));
        }
      }
      const storage = new Map<bigint, bigint>();
      let storageChanged = false;
      for (const [key, old] of before.storage) {
        const value = write.deleted
          ? 0n
          : (write.storage.get(key) ?? (write.storageCleared ? 0n : state.storage(address, key)));
        if (old === 0n || value === old) before.storage.delete(key);
        if (value === old) continue;
        storageChanged = true;
        if (value !== 0n) storage.set(key, value);
      }
      if (storage.size > 0) after.storage = storage;
      const modified =
        after.balance !== undefined || after.nonce !== undefined || after.codeHash !== undefined || storageChanged;
      if (modified) {
        post.set(address, after);
        this.grow(200 + 2 * (after.code?.length ?? 0) + 140 * storage.size);
      } else {
        this.pre.delete(address);
      }
    }
    return post;
  }

  private preJson(account: Account): PrestateAccountJson {
    const json: PrestateAccountJson = { balance: bigintToHex(account.balance) };
    if (account.code.length > 0) {
      if (this.config.disableCode !== true) json.code = bytesToHex(account.code);
      json.codeHash = wordToHex(account.codeHash);
    }
    if (account.nonce > 0n) json.nonce = Number(account.nonce);
    if (this.config.disableStorage !== true && account.storage.size > 0) json.storage = storageJson(account.storage);
    return json;
  }

  private grow(bytes: number): void {
    this.bytes += bytes;
    if (this.bytes > this.maxBytes) throw new TraceTooLargeError(this.maxBytes);
  }
}

function postJson(account: Partial<Account>): PrestateAccountJson {
  const json: PrestateAccountJson = {};
  if (account.balance !== undefined) json.balance = bigintToHex(account.balance);
  if (account.code !== undefined) json.code = bytesToHex(account.code);
  if (account.codeHash !== undefined) json.codeHash = wordToHex(account.codeHash);
  // geth leaves a zero nonce out (omitempty), even where it is the new value.
  if (account.nonce !== undefined && account.nonce > 0n) json.nonce = Number(account.nonce);
  if (account.storage !== undefined) json.storage = storageJson(account.storage);
  return json;
}

function storageJson(storage: Map<bigint, bigint>): Record<string, string> {
  const json: Record<string, string> = {};
  for (const key of sorted(storage.keys())) json[wordToHex(key)] = wordToHex(storage.get(key)!);
  return json;
}

function sorted(keys: Iterable<bigint>): bigint[] {
  return [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
