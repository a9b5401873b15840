// The ABI of console.sol (Hardhat's, which forge-std's extends): every log(...) overload and the
// typed logX(...) functions. The selector table is computed from the signatures' text with keccak,
// so it cannot drift from them; calldata is decoded with viem's ABI decoder.
import { decodeAbiParameters } from "viem/utils";
import { keccak256 } from "../../primitives/keccak.js";

/** One decoded argument: its ABI type and viem's value for it (bigint, boolean, string, hex string). */
export interface ConsoleArg {
  type: string;
  value: unknown;
}

/** Types log(x) takes alone, and those the 2- to 4-argument overloads combine. */
const SINGLE_TYPES = ["uint256", "int256", "string", "bool", "address"];
const COMBINED_TYPES = ["uint256", "string", "bool", "address"];

/** Every console.sol signature, with canonical type names. */
export function consoleSignatures(): string[] {
  const out = ["log()", ...SINGLE_TYPES.map((t) => `log(${t})`), "log(string,int256)"];
  let tuples: string[][] = [[]];
  for (let arity = 1; arity <= 4; arity++) {
    tuples = tuples.flatMap((tuple) => COMBINED_TYPES.map((t) => [...tuple, t]));
    if (arity >= 2) out.push(...tuples.map((tuple) => `log(${tuple.join(",")})`));
  }
  const named = { Int: "int256", Uint: "uint256", String: "string", Bool: "bool", Address: "address", Bytes: "bytes" };
  for (const [suffix, type] of Object.entries(named)) out.push(`log${suffix}(${type})`);
  for (let n = 1; n <= 32; n++) out.push(`logBytes${n}(bytes${n})`);
  return out;
}

/** The parameter types of a signature such as "log(uint256,string)". */
function parameterTypes(signature: string): string[] {
  const inner = signature.slice(signature.indexOf("(") + 1, -1);
  return inner === "" ? [] : inner.split(",");
}

function selectorOf(signature: string): number {
  const hash = keccak256(new TextEncoder().encode(signature));
  return ((hash[0]! << 24) | (hash[1]! << 16) | (hash[2]! << 8) | hash[3]!) >>> 0;
}

let table: Map<number, string[]> | undefined;

/**
 * Selector -> parameter types. Hardhat's first console.sol spelled the types `uint` and `int`
 * (selectors of "log(uint)", "logInt(int)", ...); contracts compiled against it still call those,
 * so each signature is also registered under that spelling, as Hardhat and anvil do.
 */
function selectorTable(): Map<number, string[]> {
  if (table !== undefined) return table;
  table = new Map();
  for (const signature of consoleSignatures()) {
    const types = parameterTypes(signature);
    table.set(selectorOf(signature), types);
    const legacy = signature.replace(/\b(u?int)256\b/g, "$1");
    if (legacy !== signature) table.set(selectorOf(legacy), types);
  }
  return table;
}

/** The arguments of one console call's calldata; undefined for an unknown selector or malformed data. */
export function decodeConsoleCall(input: Uint8Array): ConsoleArg[] | undefined {
  if (input.length < 4) return undefined;
  const selector = ((input[0]! << 24) | (input[1]! << 16) | (input[2]! << 8) | input[3]!) >>> 0;
  const types = selectorTable().get(selector);
  if (types === undefined) return undefined;
  try {
    const values = decodeAbiParameters(
      types.map((type) => ({ type })),
      input.subarray(4),
    );
    return types.map((type, i) => ({ type, value: values[i] }));
  } catch {
    return undefined;
  }
}
