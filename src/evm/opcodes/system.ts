// 0x00 STOP and 0xf0-0xff: calls, creations, RETURN/REVERT, INVALID, SELFDESTRUCT.
import { bigintToBytes, bigintToMinimalBytes, concatBytes } from "../../primitives/hex.js";
import { EMPTY_CODE_HASH, keccak256, keccak256Word } from "../../primitives/keccak.js";
import { rlpEncode } from "../../primitives/rlp.js";
import { low32, safeNumber } from "../../primitives/word-view.js";
import {
  type Frame,
  FrameStatus,
  INITCODE_SIZE_EXCEEDED,
  INVALID_OPCODE,
  OUT_OF_GAS,
  WRITE_IN_STATIC,
  wordCount,
} from "../frame.js";
import {
  CALL_DEPTH_LIMIT,
  GAS_CALL_STIPEND,
  GAS_CALL_VALUE,
  GAS_COLD_ACCOUNT_ACCESS,
  GAS_CREATE,
  GAS_INIT_CODE_WORD_COST,
  GAS_KECCAK256_WORD,
  GAS_NEW_ACCOUNT,
  GAS_SELF_DESTRUCT,
  GAS_SELF_DESTRUCT_NEW_ACCOUNT,
  GAS_WARM_ACCESS,
  MAX_INIT_CODE_SIZE,
  MAX_NONCE,
} from "../params.js";
import { traceCollision, traceRejectedCall, traceRejectedCreate, traceSelfDestruct } from "../tracing/frames.js";
import { ADDRESS_MASK, type OpcodeDef, toAddress } from "./types.js";

const EMPTY = new Uint8Array(0);

/** EIP-150: a call may forward at most all but one 64th of the gas left. */
function allButOne64th(gas: number): number {
  return gas - Math.floor(gas / 64);
}

function stop(f: Frame): void {
  f.status = FrameStatus.Stopped;
}

function invalid(_f: Frame): void {
  throw INVALID_OPCODE;
}

function ret(f: Frame): void {
  const s = f.stack;
  const offset = s[--f.sp]!;
  const size = s[--f.sp]!;
  const start = f.memoryRange(offset, size);
  f.output = f.outputOf(start, low32(size));
  f.status = FrameStatus.Stopped;
}

function revert(f: Frame): void {
  const s = f.stack;
  const offset = s[--f.sp]!;
  const size = s[--f.sp]!;
  const start = f.memoryRange(offset, size);
  f.output = f.outputOf(start, low32(size));
  f.status = FrameStatus.Reverted;
}

/** Where a non-empty memory range ends, as a number (no BigInt sum); out of gas where it cannot be paid for. */
function rangeEnd(offset: bigint, size: bigint): number {
  if (offset > 0xffffffffn || size > 0xffffffffn) throw OUT_OF_GAS;
  return low32(offset) + low32(size);
}

/** Expands memory to cover both the input and the output range of a call. */
function expandForCall(f: Frame, inOffset: bigint, inSize: bigint, outOffset: bigint, outSize: bigint): void {
  let end = 0;
  if (inSize !== 0n) end = rangeEnd(inOffset, inSize);
  if (outSize !== 0n) end = Math.max(end, rangeEnd(outOffset, outSize));
  // An end past 2^32 - 1 is out of gas there too.
  if (end !== 0) f.expand(end);
}

function accessCost(f: Frame, address: bigint): number {
  return f.evm.journal.warmAddress(address) ? GAS_COLD_ACCOUNT_ACCESS : GAS_WARM_ACCESS;
}

/**
 * Charges `extra` plus the forwarded gas (the requested amount, capped by EIP-150) and returns the
 * forwarded amount.
 */
function chargeCallGas(f: Frame, requested: bigint, extra: number): number {
  if (f.gas < extra) throw OUT_OF_GAS;
  const cap = allButOne64th(f.gas - extra);
  // cap < 2^53, so a request at or above 2^53 is capped without converting it.
  const forwarded = requested < 0x20000000000000n && safeNumber(requested) < cap ? safeNumber(requested) : cap;
  f.gas -= extra + forwarded;
  return forwarded;
}

function finishCall(
  f: Frame,
  success: boolean,
  gasLeft: number,
  output: Uint8Array,
  outOffset: bigint,
  outSize: bigint,
): void {
  f.gas += gasLeft;
  f.returnData = output;
  f.stack[f.sp++] = success ? 1n : 0n;
  if (outSize !== 0n && output.length > 0) {
    const n = low32(outSize) < output.length ? low32(outSize) : output.length;
    f.memory.set(n === output.length ? output : output.subarray(0, n), low32(outOffset));
  }
}

enum CallKind {
  Call,
  CallCode,
  DelegateCall,
  StaticCall,
}

/**
 * The four call opcodes differ only in where value, caller and target come from, whether value moves,
 * and whether the callee is static (execution-specs' generic_call and its four callers).
 */
function makeCall(kind: CallKind): (f: Frame) => void {
  const movesValue = kind === CallKind.Call || kind === CallKind.CallCode;
  return (f: Frame) => {
    const s = f.stack;
    const requested = s[--f.sp]!;
    const codeAddress = toAddress(s[--f.sp]!);
    const value = movesValue ? s[--f.sp]! : kind === CallKind.DelegateCall ? f.value : 0n;
    const inOffset = s[--f.sp]!;
    const inSize = s[--f.sp]!;
    const outOffset = s[--f.sp]!;
    const outSize = s[--f.sp]!;
    expandForCall(f, inOffset, inSize, outOffset, outSize);
    const journal = f.evm.journal;
    let extra = accessCost(f, codeAddress);
    const valueMoves = movesValue && value !== 0n;
    if (valueMoves) {
      extra += GAS_CALL_VALUE;
      // Only CALL can bring a new account into being; CALLCODE sends value to the caller itself.
      if (kind === CallKind.Call && !journal.account(codeAddress).isAlive()) extra += GAS_NEW_ACCOUNT;
    }
    const forwarded = chargeCallGas(f, requested, extra);
    if (kind === CallKind.Call && f.isStatic && value !== 0n) throw WRITE_IN_STATIC;
    const gas = valueMoves ? forwarded + GAS_CALL_STIPEND : forwarded;
    f.returnData = EMPTY;
    if ((valueMoves && journal.account(f.address).balance < value) || f.depth + 1 > CALL_DEPTH_LIMIT) {
      // The call does not happen: the forwarded gas (stipend included) comes back.
      if (f.evm.tracer !== undefined) traceRejectedCall(f, codeAddress, value, inOffset, inSize, gas);
      finishCall(f, false, gas, EMPTY, outOffset, 0n);
      return;
    }
    // The callee's input is a view of this frame's memory, which cannot change while the callee runs;
    // whatever keeps input beyond the call copies it (tracers, the identity precompile).
    const data = inSize === 0n ? EMPTY : f.inputOf(low32(inOffset), low32(inSize));
    const caller = kind === CallKind.DelegateCall ? f.caller : f.address;
    const target = kind === CallKind.Call || kind === CallKind.StaticCall ? codeAddress : f.address;
    const isStatic = kind === CallKind.StaticCall || f.isStatic;
    const r = f.evm.executeCall(caller, target, codeAddress, value, movesValue, data, gas, isStatic, f.depth + 1);
    finishCall(f, r.success, r.gasLeft, r.output, outOffset, outSize);
  };
}

export function createAddress(sender: bigint, nonce: bigint): bigint {
  const encoded = rlpEncode([bigintToBytes(sender, 20), bigintToMinimalBytes(nonce)]);
  return keccak256Word(encoded) & ADDRESS_MASK;
}

export function create2Address(sender: bigint, salt: bigint, initcode: Uint8Array): bigint {
  const preimage = concatBytes(
    new Uint8Array([0xff]),
    bigintToBytes(sender, 20),
    bigintToBytes(salt, 32),
    keccak256(initcode),
  );
  return keccak256Word(preimage) & ADDRESS_MASK;
}

function genericCreate(f: Frame, value: bigint, initcode: Uint8Array, salt: bigint | undefined): void {
  if (initcode.length > MAX_INIT_CODE_SIZE) throw INITCODE_SIZE_EXCEEDED;
  const journal = f.evm.journal;
  const sender = journal.account(f.address);
  const address =
    salt === undefined ? createAddress(f.address, sender.nonce) : create2Address(f.address, salt, initcode);
  const gas = allButOne64th(f.gas);
  f.gas -= gas;
  if (f.isStatic) throw WRITE_IN_STATIC;
  f.returnData = EMPTY;
  if (sender.balance < value || sender.nonce === MAX_NONCE || f.depth + 1 > CALL_DEPTH_LIMIT) {
    if (f.evm.tracer !== undefined) traceRejectedCreate(f, address, value, initcode, gas);
    f.gas += gas;
    f.stack[f.sp++] = 0n;
    return;
  }
  journal.warmAddress(address);
  const target = journal.account(address);
  if (target.nonce !== 0n || target.codeHash !== EMPTY_CODE_HASH || journal.hasStorage(target)) {
    // Address collision: the forwarded gas is lost.
    if (f.evm.tracer !== undefined) traceCollision(f, address, value, initcode, gas);
    journal.incrementNonce(sender);
    f.stack[f.sp++] = 0n;
    return;
  }
  journal.incrementNonce(sender);
  const r = f.evm.executeCreate(f.address, address, value, initcode, gas, f.depth + 1);
  f.gas += r.gasLeft;
  if (r.success) {
    f.stack[f.sp++] = address;
  } else {
    f.returnData = r.output;
    f.stack[f.sp++] = 0n;
  }
}

function create(f: Frame): void {
  const s = f.stack;
  const value = s[--f.sp]!;
  const offset = s[--f.sp]!;
  const size = s[--f.sp]!;
  const start = f.memoryRange(offset, size);
  const length = low32(size);
  f.useGas(GAS_INIT_CODE_WORD_COST * wordCount(length));
  genericCreate(f, value, f.readMemory(start, length), undefined);
}

function create2(f: Frame): void {
  const s = f.stack;
  const value = s[--f.sp]!;
  const offset = s[--f.sp]!;
  const size = s[--f.sp]!;
  const salt = s[--f.sp]!;
  const start = f.memoryRange(offset, size);
  const length = low32(size);
  f.useGas((GAS_INIT_CODE_WORD_COST + GAS_KECCAK256_WORD) * wordCount(length));
  genericCreate(f, value, f.readMemory(start, length), salt);
}

function selfdestruct(f: Frame): void {
  const beneficiaryAddress = toAddress(f.stack[--f.sp]!);
  const journal = f.evm.journal;
  let cost = GAS_SELF_DESTRUCT;
  if (journal.warmAddress(beneficiaryAddress)) cost += GAS_COLD_ACCOUNT_ACCESS;
  const beneficiary = journal.account(beneficiaryAddress);
  const originator = journal.account(f.address);
  if (!beneficiary.isAlive() && originator.balance !== 0n) cost += GAS_SELF_DESTRUCT_NEW_ACCOUNT;
  f.useGas(cost);
  if (f.isStatic) throw WRITE_IN_STATIC;
  if (f.evm.tracer !== undefined) traceSelfDestruct(f, beneficiaryAddress, originator.balance);
  journal.transfer(originator, beneficiary, originator.balance);
  // EIP-6780: only an account created in this same transaction is deleted (its ether burnt if it names itself).
  if (originator.created) {
    journal.setBalance(originator, 0n);
    journal.markSelfDestructed(originator);
  }
  f.status = FrameStatus.Stopped;
}

export const SYSTEM: OpcodeDef[] = [
  { opcode: 0x00, name: "STOP", gas: 0, pops: 0, pushes: 0, handler: stop },
  { opcode: 0xf0, name: "CREATE", gas: GAS_CREATE, pops: 3, pushes: 1, handler: create },
  { opcode: 0xf1, name: "CALL", gas: 0, pops: 7, pushes: 1, handler: makeCall(CallKind.Call) },
  { opcode: 0xf2, name: "CALLCODE", gas: 0, pops: 7, pushes: 1, handler: makeCall(CallKind.CallCode) },
  { opcode: 0xf3, name: "RETURN", gas: 0, pops: 2, pushes: 0, handler: ret },
  { opcode: 0xf4, name: "DELEGATECALL", gas: 0, pops: 6, pushes: 1, handler: makeCall(CallKind.DelegateCall) },
  { opcode: 0xf5, name: "CREATE2", gas: GAS_CREATE, pops: 4, pushes: 1, handler: create2 },
  { opcode: 0xfa, name: "STATICCALL", gas: 0, pops: 6, pushes: 1, handler: makeCall(CallKind.StaticCall) },
  { opcode: 0xfd, name: "REVERT", gas: 0, pops: 2, pushes: 0, handler: revert },
  { opcode: 0xfe, name: "INVALID", gas: 0, pops: 0, pushes: 0, handler: invalid },
  { opcode: 0xff, name: "SELFDESTRUCT", gas: 0, pops: 1, pushes: 0, handler: selfdestruct },
];
