// Running transactions under a tracer for the debug_trace* methods: the tracer a config names, a
// block's transactions replayed one by one on its parent state, and the trace as geth returns it.
import type { Block } from "../../chain/types.js";
import type { BlockEnv, Host } from "../../evm/host.js";
import { createAddress } from "../../evm/opcodes/system.js";
import { CallTracer } from "../../evm/tracing/call-tracer.js";
import { FourByteTracer } from "../../evm/tracing/four-byte-tracer.js";
import { ERR_COLLISION } from "../../evm/tracing/messages.js";
import { PrestateTracer } from "../../evm/tracing/prestate-tracer.js";
import { StructLogger } from "../../evm/tracing/struct-logger.js";
import { CallType, TraceTooLargeError, type TxTracer } from "../../evm/tracing/types.js";
import { BlockOverlay } from "../../exec/block/overlay.js";
import { intrinsicGas } from "../../exec/intrinsic-gas.js";
import { processTransaction } from "../../exec/process-transaction.js";
import type { ProcessOptions, TxInput, ValidTxOutcome } from "../../exec/types.js";
import { EMPTY_CODE_HASH } from "../../primitives/keccak.js";
import { blockEnvOf } from "../block-ref.js";
import type { RpcContext } from "../context.js";
import { INVALID_INPUT, RpcError } from "../errors.js";
import type { TraceConfig } from "./trace-config.js";

const EMPTY = new Uint8Array(0);

/**
 * Most JSON one trace may hold, about: past it the trace stops with an error rather than take the
 * node's memory (struct logs with memory of a long loop, or thousands of calls with large inputs).
 */
export const MAX_TRACE_BYTES = 256_000_000;

/** `logIndexBase`: the block index of the transaction's first log (callTracer's log `index`). */
export function makeTracer(config: TraceConfig, logIndexBase: number): TxTracer {
  switch (config.tracer) {
    case "callTracer":
      return new CallTracer(config.callTracer, logIndexBase, MAX_TRACE_BYTES);
    case "prestateTracer":
      return new PrestateTracer(config.prestateTracer, MAX_TRACE_BYTES);
    case "4byteTracer":
      return new FourByteTracer();
    case "structLogger":
      return new StructLogger(config.structLogger, MAX_TRACE_BYTES);
  }
}

/**
 * Runs `tx` on `host` (in block `env`) under `tracer`; `run` executes it with the options given
 * (processTransaction for a mined transaction, the call helper for debug_traceCall) and throws if it
 * is invalid.
 */
export function traceTx(
  tracer: TxTracer,
  tx: TxInput,
  host: Host,
  env: BlockEnv,
  run: (options: ProcessOptions) => ValidTxOutcome,
): ValidTxOutcome {
  const created = tx.to === null ? createAddress(tx.sender, tx.nonce) : undefined;
  // A creation whose address is taken never starts a frame; geth still reports one, failed.
  const collidesAt = created === undefined ? undefined : collision(host, created);
  try {
    tracer.onTxStart(tx.gasLimit, {
      state: host,
      sender: tx.sender,
      to: tx.to ?? created!,
      creation: tx.to === null,
      coinbase: env.coinbase,
    });
    const outcome = run({ tracer });
    if (collidesAt !== undefined) {
      const gas = Number(tx.gasLimit - intrinsicGas(tx));
      tracer.onEnter(0, CallType.Create, tx.sender, collidesAt, tx.data, gas, tx.value);
      tracer.onExit(0, EMPTY, gas, ERR_COLLISION);
    }
    tracer.onTxEnd(outcome.gasUsed, outcome.writes);
    return outcome;
  } catch (error) {
    if (error instanceof TraceTooLargeError) {
      throw new RpcError(
        INVALID_INPUT,
        `${error.message}; narrow it (struct logger: limit, disableStack, enableMemory off; callTracer: onlyTopCall; prestateTracer: disableCode, disableStorage)`,
      );
    }
    // Traced frames take more JS stack than plain ones: near 1024 nested calls the main thread's may run out.
    if (error instanceof RangeError && /call stack/.test(error.message)) {
      throw new RpcError(
        INVALID_INPUT,
        "the transaction nests calls too deeply to be traced here (JS stack exhausted)",
      );
    }
    throw error;
  }
}

function collision(host: Host, address: bigint): bigint | undefined {
  const account = host.account(address);
  const taken =
    (account !== undefined && (account.nonce !== 0n || account.codeHash !== EMPTY_CODE_HASH)) ||
    host.hasStorage(address);
  return taken ? address : undefined;
}

/**
 * A block's transactions executed again, in order, on the state its parent left (what the block was
 * built on), each one's writes applied before the next runs.
 */
export class BlockReplay {
  readonly env: BlockEnv;
  readonly state: BlockOverlay;
  /** The next transaction to run. */
  index = 0;
  /** Logs of the transactions run so far: the block index of the next one's first log. */
  logIndex = 0;

  constructor(
    ctx: RpcContext,
    readonly block: Block,
  ) {
    const number = block.header.number;
    this.env = blockEnvOf(ctx, block);
    this.state = new BlockOverlay(ctx.chain.stateAt(number === 0n ? 0n : number - 1n));
  }

  /** Runs the next transaction (under `options.tracer`, if any) and applies its writes. */
  next(options: ProcessOptions = {}): ValidTxOutcome {
    const tx = this.block.transactions[this.index];
    if (tx === undefined) throw new Error(`block ${this.block.header.number} has only ${this.index} transactions`);
    const outcome = processTransaction(tx, this.env, this.state, options);
    if (!outcome.valid) {
      // The chain executed this block on this very state: failing now means the stored data is inconsistent.
      throw new Error(
        `replaying block ${this.block.header.number}: transaction ${this.index} is invalid on its parent state (${outcome.error.message})`,
      );
    }
    this.state.apply(outcome.writes);
    this.index++;
    this.logIndex += outcome.logs.length;
    return outcome;
  }

  /** Runs the transactions before `index`. */
  skipTo(index: number): void {
    while (this.index < index) this.next();
  }

  /** Runs the next transaction under the config's tracer; its trace. */
  traceNext(config: TraceConfig): unknown {
    const tx = this.block.transactions[this.index]!;
    const tracer = makeTracer(config, this.logIndex);
    traceTx(tracer, tx, this.state, this.env, (options) => this.next(options));
    return tracer.result();
  }
}
