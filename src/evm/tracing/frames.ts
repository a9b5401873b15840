// The frames geth reports although they never run (call depth, balance, nonce, address collision)
// and SELFDESTRUCT's frame. The opcode handlers call these only while tracing, on rare paths, with as
// few arguments as they can (see Evm on stack frames per call depth): what a hook can read from the
// frame itself it reads there, the call's type included (the opcode just executed).
import type { Frame } from "../frame.js";
import { CALL_DEPTH_LIMIT } from "../params.js";
import { ERR_COLLISION, ERR_DEPTH, ERR_INSUFFICIENT_BALANCE, ERR_NONCE_OVERFLOW } from "./messages.js";
import { CallType, type EvmTracer } from "./types.js";

const EMPTY = new Uint8Array(0);

/** The type of the call or creation the frame's current opcode makes (the handler has moved pc past it). */
export function currentCallType(f: Frame): CallType {
  return f.code.bytes[f.pc - 1]! as CallType;
}

/** A CALL-family frame that fails before it runs (call depth, or value above the balance). */
export function traceRejectedCall(
  f: Frame,
  codeAddress: bigint,
  value: bigint,
  inOffset: bigint,
  inSize: bigint,
  gas: number,
): void {
  const type = currentCallType(f);
  const input = f.readMemory(Number(inOffset), inSize === 0n ? 0 : Number(inSize));
  const error = f.depth + 1 > CALL_DEPTH_LIMIT ? ERR_DEPTH : ERR_INSUFFICIENT_BALANCE;
  // STATICCALL moves no value; DELEGATECALL shows the value it inherits (the handler passes it).
  const tracedValue = type === CallType.StaticCall ? undefined : value;
  rejected(f.evm.tracer!, f.depth + 1, type, f.address, codeAddress, input, gas, tracedValue, 0, error);
}

/** A creation that fails before it runs: call depth, balance, or the creator's nonce at its maximum (geth's order). */
export function traceRejectedCreate(f: Frame, address: bigint, value: bigint, initcode: Uint8Array, gas: number): void {
  const poor = f.evm.journal.account(f.address).balance < value;
  const error = f.depth + 1 > CALL_DEPTH_LIMIT ? ERR_DEPTH : poor ? ERR_INSUFFICIENT_BALANCE : ERR_NONCE_OVERFLOW;
  rejected(f.evm.tracer!, f.depth + 1, currentCallType(f), f.address, address, initcode, gas, value, 0, error);
}

/** A creation at an address already taken: its forwarded gas is lost. */
export function traceCollision(f: Frame, address: bigint, value: bigint, initcode: Uint8Array, gas: number): void {
  rejected(
    f.evm.tracer!,
    f.depth + 1,
    currentCallType(f),
    f.address,
    address,
    initcode,
    gas,
    value,
    gas,
    ERR_COLLISION,
  );
}

/** SELFDESTRUCT, which geth reports as a frame of its own that moves the balance and uses no gas. */
export function traceSelfDestruct(f: Frame, beneficiary: bigint, balance: bigint): void {
  const tracer = f.evm.tracer!;
  tracer.onEnter(f.depth + 1, CallType.SelfDestruct, f.address, beneficiary, EMPTY, 0, balance);
  tracer.onExit(f.depth + 1, EMPTY, 0, undefined);
}

/** A frame entered and left at once. */
function rejected(
  tracer: EvmTracer,
  depth: number,
  type: CallType,
  from: bigint,
  to: bigint,
  input: Uint8Array,
  gas: number,
  value: bigint | undefined,
  gasUsed: number,
  error: string,
): void {
  tracer.onEnter(depth, type, from, to, input, gas, value);
  tracer.onExit(depth, EMPTY, gasUsed, error);
}
