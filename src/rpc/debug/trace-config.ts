// The trace config debug_trace* take (geth's TraceConfig / TraceCallConfig), checked strictly: a
// tracer or field this node does not have is a -32602 naming it, never ignored.
import type { CallTracerConfig } from "../../evm/tracing/call-tracer.js";
import type { PrestateTracerConfig } from "../../evm/tracing/prestate-tracer.js";
import type { StructLoggerConfig } from "../../evm/tracing/struct-logger.js";
import { invalidParams } from "../errors.js";
import { parseStateOverrides, type StateOverrides } from "../eth/call-request.js";
import { parseIndex, parseObject } from "../hex-codec.js";
import { parseTraceTimeout } from "./trace-timeout.js";

/** Tracers by the name a config gives; no name is geth's struct logger. */
export const TRACERS = ["callTracer", "prestateTracer", "4byteTracer"] as const;

export interface TraceConfig {
  tracer: "structLogger" | (typeof TRACERS)[number];
  structLogger: StructLoggerConfig;
  callTracer: CallTracerConfig;
  prestateTracer: PrestateTracerConfig;
}

/** Each tracer's tracerConfig fields (all booleans, as geth's). */
const TRACER_OPTIONS = {
  callTracer: ["onlyTopCall", "withLog"],
  prestateTracer: ["diffMode", "disableCode", "disableStorage", "includeEmpty"],
  "4byteTracer": [],
} as const satisfies Record<(typeof TRACERS)[number], readonly string[]>;

export interface TraceCallConfig extends TraceConfig {
  stateOverrides: StateOverrides;
  /** Run the call after this many of the block's transactions, on the block's parent state. */
  txIndex?: number;
}

const STRUCT_LOGGER_FLAGS = ["enableMemory", "disableStack", "disableStorage", "enableReturnData"] as const;
const COMMON_KEYS = new Set<string>([
  "tracer",
  "tracerConfig",
  "timeout",
  "limit",
  "overrides",
  "disableMemory",
  "disableReturnData",
  ...STRUCT_LOGGER_FLAGS,
]);
const CALL_KEYS = new Set(["stateOverrides", "blockOverrides", "txIndex"]);

export function parseTraceConfig(value: unknown, name = "config"): TraceConfig {
  return parse(value, name, false);
}

export function parseTraceCallConfig(value: unknown, name = "config"): TraceCallConfig {
  return parse(value, name, true) as TraceCallConfig;
}

function parse(value: unknown, name: string, call: boolean): TraceConfig | TraceCallConfig {
  const config: TraceConfig = { tracer: "structLogger", structLogger: {}, callTracer: {}, prestateTracer: {} };
  if (call) (config as TraceCallConfig).stateOverrides = new Map();
  if (value === undefined || value === null) return config;
  const o = parseObject(value, name);
  for (const key of Object.keys(o)) {
    if (COMMON_KEYS.has(key) || (call && CALL_KEYS.has(key))) continue;
    throw invalidParams(`${name}: unknown field "${key}"`);
  }
  const flag = (key: string): boolean | undefined => {
    const v = o[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "boolean") throw invalidParams(`${name}.${key}: expected a boolean`);
    return v;
  };

  for (const key of STRUCT_LOGGER_FLAGS) {
    const v = flag(key);
    if (v !== undefined) config.structLogger[key] = v;
  }
  if (o.limit !== undefined && o.limit !== null) {
    if (typeof o.limit !== "number" || !Number.isSafeInteger(o.limit) || o.limit < 0) {
      throw invalidParams(`${name}.limit: expected a non-negative integer`);
    }
    config.structLogger.limit = o.limit;
  }
  // Old geth's flags: memory and return data are now off unless enabled, so only `true` still means something.
  if (flag("disableMemory") === false) throw invalidParams(`${name}.disableMemory is gone from geth: use enableMemory`);
  if (flag("disableReturnData") === false) {
    throw invalidParams(`${name}.disableReturnData is gone from geth: use enableReturnData`);
  }
  // Applied by the call pool, which reads it before the trace runs (requestedTraceTimeoutMs).
  parseTraceTimeout(o.timeout, `${name}.timeout`);
  if (o.overrides !== undefined && o.overrides !== null) {
    throw invalidParams(`${name}.overrides: chain config overrides are not supported`);
  }

  const tracer = o.tracer;
  if (tracer !== undefined && tracer !== null) {
    if (typeof tracer !== "string" || !(TRACERS as readonly string[]).includes(tracer)) {
      throw invalidParams(
        `${name}.tracer: unsupported tracer ${JSON.stringify(tracer)}; supported: ${TRACERS.join(", ")}, or none for the struct logger`,
      );
    }
    config.tracer = tracer as TraceConfig["tracer"];
  }
  const tracerConfig = o.tracerConfig;
  if (tracerConfig !== undefined && tracerConfig !== null) {
    if (config.tracer === "structLogger") {
      throw invalidParams(`${name}.tracerConfig: the struct logger takes its options at the top level of the config`);
    }
    const allowed: readonly string[] = TRACER_OPTIONS[config.tracer];
    const tc = parseObject(tracerConfig, `${name}.tracerConfig`);
    // Every option is a boolean flag, checked against `allowed` above.
    const options = (
      config.tracer === "callTracer"
        ? config.callTracer
        : config.tracer === "prestateTracer"
          ? config.prestateTracer
          : {}
    ) as Record<string, boolean>;
    for (const [key, v] of Object.entries(tc)) {
      if (!allowed.includes(key)) {
        const known = allowed.length === 0 ? "it takes none" : allowed.join(", ");
        throw invalidParams(`${name}.tracerConfig: unknown ${config.tracer} option "${key}" (${known})`);
      }
      if (v === undefined || v === null) continue;
      if (typeof v !== "boolean") throw invalidParams(`${name}.tracerConfig.${key}: expected a boolean`);
      options[key] = v;
    }
    if (config.prestateTracer.diffMode === true && config.prestateTracer.includeEmpty === true) {
      throw invalidParams(`${name}.tracerConfig: cannot use diffMode with includeEmpty`);
    }
  }

  if (call) {
    if (o.blockOverrides !== undefined && o.blockOverrides !== null) {
      throw invalidParams(`${name}.blockOverrides: block overrides are not supported`);
    }
    const callConfig = config as TraceCallConfig;
    callConfig.stateOverrides = parseStateOverrides(o.stateOverrides, `${name}.stateOverrides`);
    if (o.txIndex !== undefined && o.txIndex !== null) callConfig.txIndex = parseIndex(o.txIndex, `${name}.txIndex`);
  }
  return config;
}
