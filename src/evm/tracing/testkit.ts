// Shared by the tracing tests only: a tiny assembler, a Host over plain maps, and a runner that
// executes one message call with a tracer attached, as a transaction's first frame.
import { EMPTY_CODE_HASH, keccak256Word } from "../../primitives/keccak.js";
import { Evm, type MessageResult } from "../evm.js";
import type { AccountInfo, BlockEnv, Host } from "../host.js";
import { Journal } from "../journal.js";
import { OPCODES } from "../opcodes/index.js";
import { TracedEvm } from "./traced-evm.js";
import type { EvmTracer, TxTracer } from "./types.js";

const BY_NAME = new Map(OPCODES.map((d) => [d.name, d.opcode]));

/**
 * Assembles "PUSH1 0x20 PUSH1 0 MSTORE ...": opcode names, each PUSHn followed by its operand (hex
 * or decimal, left-padded to n bytes); `@name` places a label's PUSH2 target, `name:` a JUMPDEST.
 */
export function asm(source: string): Uint8Array {
  const tokens = source.trim().split(/\s+/);
  const out: number[] = [];
  const labels = new Map<string, number>();
  const fixups: [number, string][] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.endsWith(":")) {
      labels.set(token.slice(0, -1), out.length);
      out.push(0x5b);
      continue;
    }
    if (token.startsWith("@")) {
      out.push(0x61);
      fixups.push([out.length, token.slice(1)]);
      out.push(0, 0);
      continue;
    }
    const op = BY_NAME.get(token);
    if (op === undefined) throw new Error(`asm: unknown opcode ${token}`);
    out.push(op);
    if (op >= 0x60 && op <= 0x7f) {
      const size = op - 0x5f;
      const operand = BigInt(tokens[++i]!);
      for (let b = size - 1; b >= 0; b--) out.push(Number((operand >> BigInt(b * 8)) & 0xffn));
    }
  }
  for (const [at, label] of fixups) {
    const target = labels.get(label);
    if (target === undefined) throw new Error(`asm: unknown label ${label}`);
    out[at] = target >> 8;
    out[at + 1] = target & 0xff;
  }
  return new Uint8Array(out);
}

/** The 32 bytes of a string, left-aligned (as Solidity stores short strings in ABI data). */
export function leftAligned(text: string): bigint {
  const bytes = new TextEncoder().encode(text);
  let word = 0n;
  for (let i = 0; i < 32; i++) word = (word << 8n) | BigInt(bytes[i] ?? 0);
  return word;
}

export interface TestAccount {
  balance?: bigint;
  nonce?: bigint;
  code?: Uint8Array;
  storage?: Map<bigint, bigint>;
}

/** A Host over a fixed set of accounts. */
export function mapHost(accounts: Map<bigint, TestAccount>): Host {
  return {
    account(address: bigint): AccountInfo | undefined {
      const a = accounts.get(address);
      if (a === undefined) return undefined;
      const code = a.code ?? new Uint8Array(0);
      return {
        nonce: a.nonce ?? 0n,
        balance: a.balance ?? 0n,
        codeHash: code.length === 0 ? EMPTY_CODE_HASH : keccak256Word(code),
      };
    },
    code: (address) => accounts.get(address)?.code ?? new Uint8Array(0),
    storage: (address, slot) => accounts.get(address)?.storage?.get(slot) ?? 0n,
    hasStorage: (address) => (accounts.get(address)?.storage?.size ?? 0) > 0,
    blockHash: () => 0n,
  };
}

export const TEST_BLOCK: BlockEnv = {
  chainId: 1n,
  number: 1n,
  coinbase: 0xc0ffeen,
  timestamp: 1000n,
  gasLimit: 30_000_000n,
  baseFee: 0n,
  prevRandao: 0n,
  excessBlobGas: 0n,
};

export const SENDER = 0x5e4d000000000000000000000000000000000001n;

/**
 * Runs a call from SENDER to `to` as a transaction's top frame (sender and target warm, as a
 * transaction leaves them); without a tracer, untraced.
 */
export function runTraced(
  host: Host,
  tracer: EvmTracer | undefined,
  to: bigint,
  options: { gas?: number; value?: bigint; data?: Uint8Array } = {},
): { result: MessageResult; journal: Journal } {
  const journal = new Journal(host);
  journal.warmAddress(SENDER);
  journal.warmAddress(to);
  const evm =
    tracer === undefined
      ? new Evm(journal, TEST_BLOCK, SENDER, 1n, [], 1n)
      : new TracedEvm(tracer, journal, TEST_BLOCK, SENDER, 1n, [], 1n);
  const gas = options.gas ?? 1_000_000;
  const value = options.value ?? 0n;
  const result = evm.executeCall(SENDER, to, to, value, true, options.data ?? new Uint8Array(0), gas, false, 0);
  return { result, journal };
}

/** Several tracers fed the same hooks, in order (geth's muxTracer); step hooks only where one has them. */
export function teeTracer(...tracers: TxTracer[]): TxTracer {
  const stepping = tracers.filter((t) => t.onOpcode !== undefined);
  const tee: TxTracer = {
    onTxStart: (gasLimit) => {
      for (const t of tracers) t.onTxStart(gasLimit);
    },
    onTxEnd: (gasUsed) => {
      for (const t of tracers) t.onTxEnd(gasUsed);
    },
    onEnter: (...a) => {
      for (const t of tracers) t.onEnter(...a);
    },
    onExit: (...a) => {
      for (const t of tracers) t.onExit(...a);
    },
    onLog: (...a) => {
      for (const t of tracers) t.onLog(...a);
    },
    result: () => tracers.map((t) => t.result()),
  };
  if (stepping.length > 0) {
    tee.onOpcode = (...a) => {
      for (const t of stepping) t.onOpcode!(...a);
    };
    tee.onOpcodeEnd = (...a) => {
      for (const t of stepping) t.onOpcodeEnd?.(...a);
    };
    tee.onFault = (...a) => {
      for (const t of stepping) t.onFault?.(...a);
    };
  }
  return tee;
}
