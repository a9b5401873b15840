// eth_simulateV1's payload, parsed strictly: every field the spec defines is either used or refused
// with -32602 (withdrawals, blobBaseFee, beaconRoot, movePrecompileToAddress are not supported), and a
// field the spec does not define is refused too, so a client never gets a result that ignored it.
import { invalidParams } from "../errors.js";
import { parseAddress, parseBool, parseHash, parseObject, parseQuantity } from "../hex-codec.js";
import { type CallRequest, parseCallRequest, parseStateOverrides, type StateOverrides } from "./call-request.js";

const MAX_U64 = (1n << 64n) - 1n;

export interface SimBlockOverrides {
  number?: bigint;
  time?: bigint;
  gasLimit?: bigint;
  feeRecipient?: bigint;
  prevRandao?: bigint;
  baseFeePerGas?: bigint;
}

export interface SimBlockRequest {
  blockOverrides: SimBlockOverrides;
  stateOverrides: StateOverrides;
  calls: CallRequest[];
}

export interface SimPayload {
  blocks: SimBlockRequest[];
  validation: boolean;
  traceTransfers: boolean;
  returnFullTransactions: boolean;
}

const CALL_FIELDS = new Set([
  "from",
  "to",
  "gas",
  "gasPrice",
  "maxFeePerGas",
  "maxPriorityFeePerGas",
  "maxFeePerBlobGas",
  "blobVersionedHashes",
  "value",
  "nonce",
  "data",
  "input",
  "accessList",
  "type",
  "chainId",
]);

/** Fields of the spec this node does not simulate: refused rather than ignored. */
const UNSUPPORTED_BLOCK_FIELDS = new Set(["withdrawals", "blobBaseFee", "beaconRoot"]);

function onlyKnown(o: Record<string, unknown>, known: ReadonlySet<string>, at: string): void {
  for (const key of Object.keys(o)) {
    if (!known.has(key)) throw invalidParams(`${at}: unknown field "${key}"`);
  }
}

function parseBlockOverrides(value: unknown, at: string): SimBlockOverrides {
  const out: SimBlockOverrides = {};
  if (value === undefined || value === null) return out;
  const o = parseObject(value, at);
  for (const key of Object.keys(o)) {
    if (UNSUPPORTED_BLOCK_FIELDS.has(key) && o[key] !== null) {
      throw invalidParams(`${at}.${key}: not supported by this node`);
    }
  }
  onlyKnown(
    o,
    new Set(["number", "time", "gasLimit", "feeRecipient", "prevRandao", "baseFeePerGas", ...UNSUPPORTED_BLOCK_FIELDS]),
    at,
  );
  if (o.number != null) out.number = parseQuantity(o.number, `${at}.number`, MAX_U64);
  if (o.time != null) out.time = parseQuantity(o.time, `${at}.time`, MAX_U64);
  if (o.gasLimit != null) out.gasLimit = parseQuantity(o.gasLimit, `${at}.gasLimit`, MAX_U64);
  if (o.feeRecipient != null) out.feeRecipient = parseAddress(o.feeRecipient, `${at}.feeRecipient`);
  // prevRandao is a word: clients send it padded (a hash) or as a quantity.
  if (o.prevRandao != null) {
    const v = o.prevRandao;
    out.prevRandao =
      typeof v === "string" && v.length === 66
        ? parseHash(v, `${at}.prevRandao`)
        : parseQuantity(v, `${at}.prevRandao`);
  }
  if (o.baseFeePerGas != null) out.baseFeePerGas = parseQuantity(o.baseFeePerGas, `${at}.baseFeePerGas`);
  return out;
}

/** eth_simulateV1's first parameter. */
export function parseSimulatePayload(value: unknown): SimPayload {
  const o = parseObject(value, "payload");
  onlyKnown(o, new Set(["blockStateCalls", "validation", "traceTransfers", "returnFullTransactions"]), "payload");
  if (!Array.isArray(o.blockStateCalls)) throw invalidParams("payload.blockStateCalls: expected an array");
  const blocks = o.blockStateCalls.map((raw, i): SimBlockRequest => {
    const at = `blockStateCalls[${i}]`;
    const b = parseObject(raw, at);
    onlyKnown(b, new Set(["blockOverrides", "stateOverrides", "calls"]), at);
    const calls = b.calls ?? [];
    if (!Array.isArray(calls)) throw invalidParams(`${at}.calls: expected an array`);
    return {
      blockOverrides: parseBlockOverrides(b.blockOverrides, `${at}.blockOverrides`),
      stateOverrides: parseStateOverrides(b.stateOverrides, `${at}.stateOverrides`),
      calls: calls.map((call, j) => {
        const name = `${at}.calls[${j}]`;
        onlyKnown(parseObject(call, name), CALL_FIELDS, name);
        return parseCallRequest(call, name);
      }),
    };
  });
  return {
    blocks,
    validation: parseBool(o.validation, "payload.validation"),
    traceTransfers: parseBool(o.traceTransfers, "payload.traceTransfers"),
    returnFullTransactions: parseBool(o.returnFullTransactions, "payload.returnFullTransactions"),
  };
}
