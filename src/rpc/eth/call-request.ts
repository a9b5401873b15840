// A call request (eth_call, eth_estimateGas, debug_traceCall) turned into a TxInput and executed on a
// state without changing it. Calls are relaxed as geth's and anvil's: no nonce check, a contract may
// be the sender, and without a gas price the base fee is taken as 0 so an unfunded `from` can call.
import type { AccountInfo, BlockEnv, Host } from "../../evm/host.js";
import { processTransaction } from "../../exec/process-transaction.js";
import type { ProcessOptions, TxInput, ValidTxOutcome } from "../../exec/types.js";
import { equalBytes } from "../../primitives/hex.js";
import { EMPTY_CODE_HASH, keccak256Word } from "../../primitives/keccak.js";
import type { RpcContext } from "../context.js";
import { INVALID_INPUT, invalidParams, RpcError, revertError } from "../errors.js";
import {
  parseAccessList,
  parseAddress,
  parseData,
  parseHash,
  parseObject,
  parseQuantity,
  parseSlot,
} from "../hex-codec.js";

export interface CallRequest {
  from?: bigint;
  /** null or absent: a creation. */
  to: bigint | null;
  gas?: bigint;
  gasPrice?: bigint;
  maxFeePerGas?: bigint;
  maxPriorityFeePerGas?: bigint;
  maxFeePerBlobGas?: bigint;
  blobVersionedHashes?: bigint[];
  value?: bigint;
  nonce?: bigint;
  data: Uint8Array;
  accessList?: TxInput["accessList"];
  type?: 0 | 1 | 2 | 3;
  chainId?: bigint;
}

const MAX_U64 = (1n << 64n) - 1n;

/** A transaction-call object ({from, to, gas, gasPrice | maxFeePerGas..., value, input | data, ...}). */
export function parseCallRequest(json: unknown, name = "transaction"): CallRequest {
  const o = parseObject(json, name);
  const input = o.input ?? null;
  const dataField = o.data ?? null;
  let data: Uint8Array = new Uint8Array(0);
  if (input !== null) data = parseData(input, `${name}.input`);
  if (dataField !== null) {
    const d = parseData(dataField, `${name}.data`);
    if (input !== null && !equalBytes(d, data)) {
      throw invalidParams(`${name}: both "data" and "input" are set and differ; use "input"`);
    }
    data = d;
  }
  const req: CallRequest = { to: o.to === undefined || o.to === null ? null : parseAddress(o.to, `${name}.to`), data };
  if (o.from !== undefined && o.from !== null) req.from = parseAddress(o.from, `${name}.from`);
  const q = (key: string, max?: bigint) => {
    const v = o[key];
    return v === undefined || v === null ? undefined : parseQuantity(v, `${name}.${key}`, max);
  };
  const gas = q("gas", MAX_U64);
  if (gas !== undefined) req.gas = gas;
  const gasPrice = q("gasPrice");
  const maxFee = q("maxFeePerGas");
  const maxTip = q("maxPriorityFeePerGas");
  if (gasPrice !== undefined && (maxFee !== undefined || maxTip !== undefined)) {
    throw invalidParams(`${name}: both gasPrice and (maxFeePerGas or maxPriorityFeePerGas) specified`);
  }
  if (gasPrice !== undefined) req.gasPrice = gasPrice;
  if (maxFee !== undefined) req.maxFeePerGas = maxFee;
  if (maxTip !== undefined) req.maxPriorityFeePerGas = maxTip;
  const value = q("value");
  if (value !== undefined) req.value = value;
  const nonce = q("nonce", MAX_U64);
  if (nonce !== undefined) req.nonce = nonce;
  const chainId = q("chainId");
  if (chainId !== undefined) req.chainId = chainId;
  const blobFee = q("maxFeePerBlobGas");
  if (blobFee !== undefined) req.maxFeePerBlobGas = blobFee;
  if (o.blobVersionedHashes !== undefined && o.blobVersionedHashes !== null) {
    if (!Array.isArray(o.blobVersionedHashes)) throw invalidParams(`${name}.blobVersionedHashes: expected an array`);
    req.blobVersionedHashes = o.blobVersionedHashes.map((h, i) => parseHash(h, `${name}.blobVersionedHashes[${i}]`));
  }
  if (o.accessList !== undefined && o.accessList !== null) {
    req.accessList = parseAccessList(o.accessList, `${name}.accessList`);
  }
  const type = q("type", 3n);
  if (type !== undefined) req.type = Number(type) as 0 | 1 | 2 | 3;
  return req;
}

/** One account's state override (eth_call's third parameter). */
export interface AccountOverride {
  balance?: bigint;
  nonce?: bigint;
  code?: Uint8Array;
  /** Replaces the whole storage. */
  state?: Map<bigint, bigint>;
  /** Changes these slots only. */
  stateDiff?: Map<bigint, bigint>;
}

export type StateOverrides = Map<bigint, AccountOverride>;

export function parseStateOverrides(value: unknown, name = "stateOverrides"): StateOverrides {
  const out: StateOverrides = new Map();
  if (value === undefined || value === null) return out;
  for (const [key, raw] of Object.entries(parseObject(value, name))) {
    const address = parseAddress(key, `${name} key`);
    const o = parseObject(raw, `${name}[${key}]`);
    const at = `${name}[${key}]`;
    const known = new Set(["balance", "nonce", "code", "state", "stateDiff"]);
    for (const field of Object.keys(o)) if (!known.has(field)) throw invalidParams(`${at}: unknown field "${field}"`);
    if (o.state != null && o.stateDiff != null) throw invalidParams(`${at}: both state and stateDiff specified`);
    const override: AccountOverride = {};
    if (o.balance != null) override.balance = parseQuantity(o.balance, `${at}.balance`);
    if (o.nonce != null) override.nonce = parseQuantity(o.nonce, `${at}.nonce`, MAX_U64);
    if (o.code != null) override.code = parseData(o.code, `${at}.code`);
    const slots = (v: unknown, field: string) => {
      const map = new Map<bigint, bigint>();
      for (const [slot, word] of Object.entries(parseObject(v, `${at}.${field}`))) {
        map.set(parseSlot(slot, `${at}.${field} key`), parseSlot(word, `${at}.${field}[${slot}]`));
      }
      return map;
    };
    if (o.state != null) override.state = slots(o.state, "state");
    if (o.stateDiff != null) override.stateDiff = slots(o.stateDiff, "stateDiff");
    out.set(address, override);
  }
  return out;
}

/**
 * A Host over `base` with state overrides applied and, for `sender`, the nonce the call carries (so
 * the nonce check always passes, as in geth's eth_call).
 */
export class CallHost implements Host {
  private readonly codeHashes = new Map<bigint, bigint>();

  constructor(
    private readonly base: Host,
    private readonly overrides: StateOverrides,
    private readonly sender?: { address: bigint; nonce: bigint },
  ) {
    for (const [address, o] of overrides) if (o.code !== undefined) this.codeHashes.set(address, keccak256Word(o.code));
  }

  account(address: bigint): AccountInfo | undefined {
    const base = this.base.account(address);
    const o = this.overrides.get(address);
    const isSender = this.sender !== undefined && this.sender.address === address;
    if (o === undefined && !isSender) return base;
    const senderNonce = isSender ? this.sender!.nonce : 0n;
    // An absent account stays absent unless an override (or a non-zero call nonce) gives it substance.
    const substance = o?.balance !== undefined || o?.nonce !== undefined || o?.code !== undefined || senderNonce > 0n;
    if (base === undefined && !substance) return undefined;
    const info: AccountInfo = {
      nonce: base?.nonce ?? 0n,
      balance: base?.balance ?? 0n,
      codeHash: base?.codeHash ?? EMPTY_CODE_HASH,
    };
    if (o?.balance !== undefined) info.balance = o.balance;
    if (o?.nonce !== undefined) info.nonce = o.nonce;
    const codeHash = this.codeHashes.get(address);
    if (codeHash !== undefined) info.codeHash = codeHash;
    if (isSender) info.nonce = this.sender!.nonce;
    return info;
  }

  code(address: bigint): Uint8Array {
    return this.overrides.get(address)?.code ?? this.base.code(address);
  }

  storage(address: bigint, slot: bigint): bigint {
    const o = this.overrides.get(address);
    if (o?.state !== undefined) return o.state.get(slot) ?? 0n;
    const diff = o?.stateDiff?.get(slot);
    return diff ?? this.base.storage(address, slot);
  }

  hasStorage(address: bigint): boolean {
    const o = this.overrides.get(address);
    if (o?.state !== undefined) return [...o.state.values()].some((v) => v !== 0n);
    if (o?.stateDiff !== undefined && [...o.stateDiff.values()].some((v) => v !== 0n)) return true;
    return this.base.hasStorage(address);
  }

  blockHash(number: bigint): bigint {
    return this.base.blockHash(number);
  }
}

export interface CallSite {
  env: BlockEnv;
  state: Host;
}

export interface PreparedCall {
  tx: TxInput;
  env: BlockEnv;
  host: Host;
}

/**
 * The TxInput, environment and Host a call request executes with: the request's gas, else the
 * block's gas limit, at most `ctx.config.callGasCap` (0 or absent: no cap).
 */
export function prepareCall(
  ctx: RpcContext,
  req: CallRequest,
  site: CallSite,
  overrides: StateOverrides = new Map(),
): PreparedCall {
  const sender = req.from ?? 0n;
  const overlay = new CallHost(site.state, overrides);
  const nonce = req.nonce ?? overlay.account(sender)?.nonce ?? 0n;
  const host = new CallHost(site.state, overrides, { address: sender, nonce });
  const env = { ...site.env };
  // Without `gas`, the block's limit (as anvil); never more than the node's cap (geth's --rpc.gascap).
  let gas = req.gas ?? env.gasLimit;
  const cap = ctx.config.callGasCap ?? 0n;
  if (cap > 0n && gas > cap) gas = cap;
  // The block limit also bounds a transaction; a call may ask for up to the cap.
  if (gas > env.gasLimit) env.gasLimit = gas;

  const dynamic = req.maxFeePerGas !== undefined || req.maxPriorityFeePerGas !== undefined;
  const tx: TxInput = {
    type: req.type ?? (req.blobVersionedHashes !== undefined ? 3 : dynamic ? 2 : req.accessList ? 1 : 0),
    chainId: ctx.chain.chainId,
    sender,
    nonce,
    gasLimit: gas,
    to: req.to,
    value: req.value ?? 0n,
    data: req.data,
    accessList: req.accessList ?? [],
  };
  if (tx.type >= 2) {
    tx.maxPriorityFeePerGas = req.maxPriorityFeePerGas ?? 0n;
    tx.maxFeePerGas = req.maxFeePerGas ?? env.baseFee * 2n + tx.maxPriorityFeePerGas;
    if (req.maxFeePerGas === undefined && req.maxPriorityFeePerGas === undefined) env.baseFee = 0n;
  } else {
    tx.gasPrice = req.gasPrice ?? 0n;
    // geth: a call without a price runs with base fee 0, so it needs no funds for gas.
    if (tx.gasPrice === 0n) env.baseFee = 0n;
  }
  if (tx.type === 3) {
    tx.blobVersionedHashes = req.blobVersionedHashes ?? [];
    tx.maxFeePerBlobGas = req.maxFeePerBlobGas ?? 0n;
    if (tx.maxFeePerBlobGas === 0n) env.excessBlobGas = 0n;
  }
  if (req.chainId !== undefined && req.chainId !== ctx.chain.chainId) {
    throw new RpcError(INVALID_INPUT, `invalid chain id ${req.chainId}, the node's is ${ctx.chain.chainId}`);
  }
  return { tx, env, host };
}

/** geth's wording for each reason a call cannot run at all. */
const GETH_MESSAGES: Record<string, string> = {
  NONCE_TOO_LOW: "nonce too low",
  NONCE_TOO_HIGH: "nonce too high",
  NONCE_MAX: "nonce has max value",
  INSUFFICIENT_FUNDS: "insufficient funds for gas * price + value",
  INTRINSIC_GAS_TOO_LOW: "intrinsic gas too low",
  GAS_LIMIT_EXCEEDS_BLOCK: "exceeds block gas limit",
  FEE_CAP_BELOW_BASE_FEE: "max fee per gas less than block base fee",
  PRIORITY_FEE_ABOVE_FEE_CAP: "max priority fee per gas higher than max fee per gas",
  SENDER_NOT_EOA: "sender not an eoa",
  INITCODE_TOO_LARGE: "max initcode size exceeded",
  VALUE_OVERFLOW: "value out of range",
};

/** Runs a prepared call; an invalid one becomes a -32000 error with geth's message and the details. */
export function runCall(p: PreparedCall, options: ProcessOptions = {}): ValidTxOutcome {
  const outcome = processTransaction(p.tx, p.env, p.host, { ...options, allowContractSender: true });
  if (!outcome.valid) {
    const e = outcome.error;
    const message = GETH_MESSAGES[e.reason] ?? e.reason.toLowerCase().replaceAll("_", " ");
    throw new RpcError(INVALID_INPUT, `${message} (${e.message})`);
  }
  return outcome;
}

/**
 * The error of a call that failed: a REVERT is code 3 with its data and reason; an exceptional halt
 * is -32000 with geth's message for it ("out of gas", "invalid opcode: INVALID", ...), as geth answers.
 */
export function callFailure(outcome: ValidTxOutcome): RpcError {
  return outcome.halt === undefined ? revertError(outcome.output) : new RpcError(INVALID_INPUT, outcome.halt);
}

/** Prepare and run in one step (eth_call). */
export function executeCall(
  ctx: RpcContext,
  req: CallRequest,
  site: CallSite,
  overrides?: StateOverrides,
  options?: ProcessOptions,
): ValidTxOutcome {
  return runCall(prepareCall(ctx, req, site, overrides), options);
}
